/// Character classes the rules test, on scalar values.
enum CharKind {
    @inline(__always) static func isHiragana(_ v: UInt32) -> Bool { v >= 0x3041 && v <= 0x309F }
    @inline(__always) static func isKatakana(_ v: UInt32) -> Bool { (v >= 0x30A1 && v <= 0x30FA) || v == 0x30FC || v == 0x30FD || v == 0x30FE }
    @inline(__always) static func isKana(_ v: UInt32) -> Bool { isHiragana(v) || isKatakana(v) }
    @inline(__always) static func isKanji(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || v == 0x3005 || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0x20000 && v <= 0x2FFFF)
    }
    @inline(__always) static func isHalfwidthKana(_ v: UInt32) -> Bool { v >= 0xFF61 && v <= 0xFF9F }
    @inline(__always) static func isASCIILetter(_ v: UInt32) -> Bool { (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }
    @inline(__always) static func isASCIIDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    @inline(__always) static func isFullwidthDigit(_ v: UInt32) -> Bool { v >= 0xFF10 && v <= 0xFF19 }
    @inline(__always) static func isFullwidthLetter(_ v: UInt32) -> Bool { (v >= 0xFF21 && v <= 0xFF3A) || (v >= 0xFF41 && v <= 0xFF5A) }
    @inline(__always) static func isDigitLike(_ v: UInt32) -> Bool { isASCIIDigit(v) || isFullwidthDigit(v) }
    /// Japanese script: kana, kanji, CJK punctuation and full-width forms.
    @inline(__always) static func isJapanese(_ v: UInt32) -> Bool {
        isKana(v) || isKanji(v) || (v >= 0x3000 && v <= 0x303F) || (v >= 0xFF01 && v <= 0xFF60) || isHalfwidthKana(v)
    }
    @inline(__always) static func isSpace(_ v: UInt32) -> Bool { v == 0x20 || v == 0x09 || v == 0x3000 }
}
