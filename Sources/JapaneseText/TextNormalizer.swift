import Foundation

/// Normalisation applied before analysis, both at indexing and at query time, so that the two agree:
/// NFKC (full/half width, ①→1, ㈱→(株)), Latin lower-casing, dash and wave-dash variants, a few cheap
/// 旧字体/異体字 folds, digit-group commas removed, whitespace collapsed and dropped next to Japanese
/// characters (PDF extraction inserts spaces at script changes: "生成 AI", "第 1 条").
///
/// The common case is handled scalar by scalar without Foundation: ASCII, kana, kanji and full-width ASCII
/// are mapped directly; only other compatibility characters go through Foundation's NFKC one at a time, and
/// text with half-width kana or combining marks (which compose across scalars) takes the whole-string path.
public enum TextNormalizer {
    /// Variant characters folded to their common form. Kept short on purpose: only pairs that are the
    /// same word in municipal text (人名 variants such as 髙/高 are matched, not distinguished).
    @inline(__always) static func fold(_ v: UInt32) -> UInt32 {
        switch v {
        case 0x9AD9: 0x9AD8  // 髙 → 高
        case 0xFA11, 0x5D5C: 0x5D0E  // 﨑 嵜 → 崎
        case 0x9089, 0x908A: 0x8FBA  // 邉 邊 → 辺
        case 0x9F4B, 0x9F4A: 0x658E  // 齋 齊 → 斎
        case 0x6FF1: 0x6D5C  // 濱 → 浜
        case 0x6FA4: 0x6CA2  // 澤 → 沢
        case 0x5EE3: 0x5E83  // 廣 → 広
        case 0x570B: 0x56FD  // 國 → 国
        case 0x5B78: 0x5B66  // 學 → 学
        case 0x5FB7: 0x5FB3  // 德 → 徳
        case 0x6A6B: 0x6A2A  // 橫 → 横
        case 0x2212, 0x2010, 0x2011, 0x2013: 0x2D  // minus, hyphens, en dash → -
        case 0x301C: 0x7E  // 〜 wave dash → ~
        default: v
        }
    }

    /// Normalises text for analysis. Display text is never replaced by this form.
    public static func normalize(_ text: String) -> String {
        var writer = Writer(capacity: text.utf8.count)
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x80 {
                writer.put(v)
            } else if (v >= 0x3041 && v <= 0x3096) || (v >= 0x30A1 && v <= 0x30FA) || v == 0x30FC
                || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3001 && v <= 0x301F)
            {
                writer.put(v)  // kana, kanji and CJK punctuation: NFKC leaves them alone
            } else if v >= 0xFF01 && v <= 0xFF5E {
                writer.put(v - 0xFEE0)  // full-width ASCII
            } else if v == 0x3000 {
                writer.put(0x20)
            } else if (v >= 0xFF61 && v <= 0xFF9F) || (v >= 0x0300 && v <= 0x036F) || v == 0x3099 || v == 0x309A {
                return slowNormalize(text)  // composes across scalars
            } else {
                for mapped in String(s).precomposedStringWithCompatibilityMapping.unicodeScalars { writer.put(mapped.value) }
            }
        }
        return writer.finish()
    }

    /// Whole-string NFKC, then the same per-scalar rules.
    static func slowNormalize(_ text: String) -> String {
        let nfkc = text.precomposedStringWithCompatibilityMapping
        var writer = Writer(capacity: nfkc.utf8.count)
        for s in nfkc.unicodeScalars { writer.put(s.value) }
        return writer.finish()
    }

    /// Applies folds, lower-casing and whitespace rules to NFKC scalars, writing UTF-8.
    struct Writer {
        var bytes: [UInt8]
        var pendingSpace = false
        var previous: UInt32 = 0  // 0 at the start

        init(capacity: Int) {
            bytes = []
            bytes.reserveCapacity(capacity)
        }

        @inline(__always) mutating func put(_ raw: UInt32) {
            if raw == 0x20 || (raw >= 0x09 && raw <= 0x0D) || raw == 0xA0 || raw == 0x3000 || raw == 0x200B || raw == 0xFEFF {
                pendingSpace = previous != 0
                return
            }
            var v = fold(raw)
            if v >= 0x41 && v <= 0x5A { v += 32 }
            if pendingSpace {
                if !isJapanese(previous) && !isJapanese(v) { bytes.append(0x20) }
                pendingSpace = false
            }
            append(v)
            previous = v
        }

        @inline(__always) mutating func append(_ v: UInt32) { TextNormalizer.appendUTF8(v, to: &bytes) }

        /// Drops digit-group commas ("1,000" → "1000": a comma between a digit and exactly three digits).
        mutating func finish() -> String {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            let n = bytes.count
            var i = 0
            while i < n {
                let b = bytes[i]
                if b == 0x2C, i > 0, isDigit(bytes[i - 1]), i + 3 < n,
                    isDigit(bytes[i + 1]), isDigit(bytes[i + 2]), isDigit(bytes[i + 3]), i + 4 >= n || !isDigit(bytes[i + 4])
                {
                    i += 1
                    continue
                }
                out.append(b)
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    }

    /// Kana, kanji, Japanese punctuation and full-width forms: scripts where a space is not a word break.
    @inline(__always) public static func isJapanese(_ v: UInt32) -> Bool {
        (v >= 0x3000 && v <= 0x30FF) || (v >= 0x3400 && v <= 0x9FFF) || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0xFF00 && v <= 0xFFEF) || (v >= 0x20000 && v <= 0x2FFFF)
    }
}

extension TextNormalizer {
    /// Appends scalar `v` as UTF-8 (for code that builds byte buffers for MeCab without Strings).
    @inline(__always) public static func appendUTF8(_ v: UInt32, to bytes: inout [UInt8]) {
        if v < 0x80 {
            bytes.append(UInt8(v))
        } else if v < 0x800 {
            bytes.append(UInt8(0xC0 | (v >> 6)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            bytes.append(UInt8(0xE0 | (v >> 12)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            bytes.append(UInt8(0xF0 | (v >> 18)))
            bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
