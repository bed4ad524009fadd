/// Byte-level helpers for the indexing path, which works on UTF-8 bytes and never builds a String per token.
@usableFromInline enum UTF8Scan {
    /// Length of the UTF-8 sequence starting with `lead` (1 for stray continuation bytes, so scans advance).
    @inline(__always) @usableFromInline static func length(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        if lead >= 0xC0 { return 2 }
        return 1
    }

    /// Decodes the scalar at `i` (which must start a sequence of `n` bytes).
    @inline(__always) @usableFromInline static func scalar(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> UInt32 {
        switch n {
        case 1: return UInt32(p[i])
        case 2: return (UInt32(p[i] & 0x1F) << 6) | UInt32(p[i + 1] & 0x3F)
        case 3: return (UInt32(p[i] & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F)
        default:
            return (UInt32(p[i] & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12) | (UInt32(p[i + 2] & 0x3F) << 6)
                | UInt32(p[i + 3] & 0x3F)
        }
    }
}

/// Character classes that matter to Japanese term building.
public enum CharClass: UInt8 {
    case other, space, punctuation, hiragana, katakana, kanji, latin, digit

    @inline(__always) public static func of(_ v: UInt32) -> CharClass {
        if v < 0x80 {
            if v >= 0x61 && v <= 0x7A || v >= 0x41 && v <= 0x5A { return .latin }
            if v >= 0x30 && v <= 0x39 { return .digit }
            if v == 0x20 || v == 0x0A || v == 0x09 || v == 0x0D { return .space }
            return .punctuation
        }
        if v >= 0x3041 && v <= 0x309F { return .hiragana }
        if v >= 0x30A1 && v <= 0x30FF { return .katakana }  // includes ー and ・; ・ is handled below
        if v >= 0x4E00 && v <= 0x9FFF || v >= 0x3400 && v <= 0x4DBF || v == 0x3005 || v == 0x3006
            || v >= 0xF900 && v <= 0xFAFF || v >= 0x20000 && v <= 0x2FFFF
        {
            return .kanji
        }
        if v >= 0x3000 && v <= 0x303F { return .punctuation }
        if v >= 0xC0 && v <= 0x24F { return .latin }
        return .other
    }

    /// Characters that make up words (and so character bigrams).
    @inline(__always) public var isWordChar: Bool {
        switch self {
        case .hiragana, .katakana, .kanji, .latin, .digit, .other: true
        case .space, .punctuation: false
        }
    }
}
