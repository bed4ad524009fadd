import Foundation

/// Normalisation applied before analysis, both at indexing and at query time, so that the two agree:
/// NFKC (full/half width, ①→1, ㈱→(株)), Latin lower-casing, dash and wave-dash variants, a few cheap
/// 旧字体/異体字 folds, digit-group commas removed, whitespace collapsed and dropped next to Japanese
/// characters (PDF extraction inserts spaces at script changes: "生成 AI", "第 1 条").
public enum TextNormalizer {
    /// Variant characters folded to their common form. Kept short on purpose: only pairs that are the
    /// same word in municipal text (人名 variants such as 髙/高 are matched, not distinguished).
    static let variantFolds: [UInt32: UInt32] = [
        0x9AD9: 0x9AD8,  // 髙 → 高
        0xFA11: 0x5D0E,  // 﨑 → 崎
        0x5D5C: 0x5D0E,  // 嵜 → 崎
        0x9089: 0x8FBA,  // 邉 → 辺
        0x908A: 0x8FBA,  // 邊 → 辺
        0x9F4B: 0x658E,  // 齋 → 斎
        0x9F4A: 0x658E,  // 齊 → 斎
        0x6FF1: 0x6D5C,  // 濱 → 浜
        0x6FA4: 0x6CA2,  // 澤 → 沢
        0x5EE3: 0x5E83,  // 廣 → 広
        0x570B: 0x56FD,  // 國 → 国
        0x5B78: 0x5B66,  // 學 → 学
        0x9AEE: 0x9AEA,  // 髮 → 髪
        0x5FB7: 0x5FB3,  // 德 → 徳
        0x6A6B: 0x6A2A,  // 橫 → 横
        0x2212: 0x002D,  // − minus → -
        0x2010: 0x002D,  // ‐ hyphen → -
        0x2011: 0x002D,  // non-breaking hyphen → -
        0x2013: 0x002D,  // – en dash → -
        0x301C: 0x007E,  // 〜 wave dash → ~
        0xFF5E: 0x007E,  // ～ (NFKC already maps it; kept for clarity)
    ]

    /// Normalises text for analysis. Display text is never replaced by this form.
    public static func normalize(_ text: String) -> String {
        let nfkc = text.precomposedStringWithCompatibilityMapping
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var previous: Unicode.Scalar? = nil
        let scalars = Array(nfkc.unicodeScalars)
        var i = 0
        while i < scalars.count {
            var s = scalars[i]
            i += 1
            if isSpace(s) {
                pendingSpace = previous != nil
                continue
            }
            if let folded = variantFolds[s.value] { s = Unicode.Scalar(folded)! }
            if s.value >= 0x41 && s.value <= 0x5A { s = Unicode.Scalar(s.value + 32)! }
            // "1,000" → "1000": a comma between a digit and exactly three digits is a group separator.
            if s == ",", let p = previous, isDigit(p), i + 3 <= scalars.count,
                scalars[i..<i + 3].allSatisfy(isDigit), i + 3 == scalars.count || !isDigit(scalars[i + 3])
            {
                continue
            }
            if pendingSpace {
                if let p = previous, !isJapanese(p) && !isJapanese(s) { out.append(" ") }
                pendingSpace = false
            }
            out.append(s)
            previous = s
        }
        return String(out)
    }

    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xA0, 0x3000, 0x200B, 0xFEFF: return true
        default: return false
        }
    }

    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

    /// Kana, kanji, Japanese punctuation and full-width forms: scripts where a space is not a word break.
    @inline(__always) public static func isJapanese(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v >= 0x3000 && v <= 0x30FF) || (v >= 0x3400 && v <= 0x9FFF) || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0xFF00 && v <= 0xFFEF) || (v >= 0x20000 && v <= 0x2FFFF)
    }
}
