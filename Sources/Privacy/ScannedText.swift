/// The input as arrays of scalars, with a folded copy the detectors scan.
///
/// Folding is one scalar to one scalar, so an index into `folded` is an index into the original text and
/// spans need no mapping back: full-width ASCII → ASCII (１２３, ＠, －, （）), dash and minus variants →
/// `-`, the long-vowel mark between digits (1ー3) → `-`, half-width katakana → full-width (ｹ → ケ; the
/// voicing marks stay separate scalars), ideographic and no-break spaces → space.
struct ScannedText {
    let original: [Unicode.Scalar]
    let folded: [UInt32]
    /// UTF-16 offset of every scalar index (count + 1 entries).
    let utf16Offsets: [Int]

    init(_ text: String) {
        var original: [Unicode.Scalar] = []
        original.reserveCapacity(text.utf8.count / 2)
        original.append(contentsOf: text.unicodeScalars)
        var folded = [UInt32](repeating: 0, count: original.count)
        var offsets = [Int](repeating: 0, count: original.count + 1)
        var utf16 = 0
        for i in 0..<original.count {
            let v = original[i].value
            folded[i] = ScannedText.fold(v)
            offsets[i] = utf16
            utf16 += v > 0xFFFF ? 2 : 1
        }
        offsets[original.count] = utf16
        // The long-vowel mark and 一 look like a dash between digits in hand-typed numbers: 1ー3.
        if original.count >= 3 {
            for i in 1..<(original.count - 1) where folded[i] == 0x30FC || folded[i] == 0xFF70 {
                if ScannedText.isDigit(folded[i - 1]) && ScannedText.isDigit(folded[i + 1]) { folded[i] = 0x2D }
            }
        }
        self.original = original
        self.folded = folded
        self.utf16Offsets = offsets
    }

    var count: Int { folded.count }

    subscript(i: Int) -> UInt32 { i >= 0 && i < folded.count ? folded[i] : 0 }

    /// The maximal runs of kanji, in order.
    func kanjiRuns() -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var i = 0
        while i < count {
            guard Self.isKanji(self[i]) else {
                i += 1
                continue
            }
            var e = i + 1
            while e < count, Self.isKanji(self[e]) { e += 1 }
            runs.append(i..<e)
            i = e
        }
        return runs
    }

    /// The original text of a range.
    func text(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: original[range])
        return String(s)
    }

    /// The folded text of a range (ASCII digits, `-`, full-width katakana).
    func foldedText(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        for v in folded[range] { if let u = Unicode.Scalar(v) { s.append(u) } }
        return String(s)
    }

    func utf16Range(_ range: Range<Int>) -> Range<Int> { utf16Offsets[range.lowerBound]..<utf16Offsets[range.upperBound] }

    /// True when `word` (already folded) occurs at `i`.
    func matches(_ word: [UInt32], at i: Int) -> Bool {
        guard i >= 0, i + word.count <= folded.count else { return false }
        for k in 0..<word.count where folded[i + k] != word[k] { return false }
        return true
    }

    /// True when `word` ends exactly at `end` (exclusive).
    func matches(_ word: [UInt32], endingAt end: Int) -> Bool { matches(word, at: end - word.count) }

    // MARK: folding and classes

    @inline(__always) static func fold(_ v: UInt32) -> UInt32 {
        if v < 0x80 { return v == 0x09 ? 0x20 : v }
        if v >= 0xFF01 && v <= 0xFF5E { return v - 0xFEE0 }
        if v >= 0xFF61 && v <= 0xFF9F { return halfWidthKana[Int(v - 0xFF61)] }
        switch v {
        case 0x3000, 0xA0, 0x2002, 0x2003, 0x2009, 0x202F: return 0x20
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x2500, 0x2501, 0xFE58, 0xFE63, 0x2043: return 0x2D
        case 0xFFE3: return 0x7E
        default: return v
        }
    }

    /// U+FF61…U+FF9F → full-width forms (。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテト
    /// ナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜).
    static let halfWidthKana: [UInt32] = Array(
        "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜"
            .unicodeScalars.map(\.value))

    @inline(__always) static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    @inline(__always) static func isASCIILetter(_ v: UInt32) -> Bool { (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }
    @inline(__always) static func isHiragana(_ v: UInt32) -> Bool { (v >= 0x3041 && v <= 0x3096) || v == 0x309D || v == 0x309E }
    /// Katakana letters, the long-vowel mark, iteration marks and the voicing marks left by half-width kana.
    @inline(__always) static func isKatakana(_ v: UInt32) -> Bool {
        (v >= 0x30A1 && v <= 0x30FA) || v == 0x30FC || v == 0x30FD || v == 0x30FE || v == 0x309B || v == 0x309C
            || (v >= 0x31F0 && v <= 0x31FF)
    }
    @inline(__always) static func isKanji(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || v == 0x3005 || v == 0x3006 || v == 0x4E3F
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0x20000 && v <= 0x2FFFF)
    }
    /// 〇一二三四五六七八九十百千 and the legal forms 壱弐参拾.
    @inline(__always) static func isKanjiNumeral(_ v: UInt32) -> Bool {
        switch v {
        case 0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x58F1,
            0x5F10, 0x53C2, 0x62FE:
            true
        default: false
        }
    }
    @inline(__always) static func isSpace(_ v: UInt32) -> Bool { v == 0x20 }
    @inline(__always) static func isLineBreak(_ v: UInt32) -> Bool { v == 0x0A || v == 0x0D || v == 0x2028 || v == 0x2029 }
}

extension Array where Element == UInt32 {
    /// Folded scalars of a literal (test vocabulary written in full-width still matches).
    init(folding s: String) { self = s.unicodeScalars.map { ScannedText.fold($0.value) } }
}
