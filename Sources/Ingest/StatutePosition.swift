import HirobaCore
import JapaneseText

/// Finds the 項 and 号 of a line inside an article chunk as e-Gov prints it:
/// the article line is 第一項 (unnumbered), later 項 start with ２/2/②, 号 with a kanji numeral and a space.
/// Used to cite 「行政手続法 第二条第一号」 rather than the whole article.
public enum StatutePosition {
    nonisolated(unsafe) static let itemStart = try! Regex("^([一二三四五六七八九十]+)[\\s　]")

    /// The 項 number a line starts with (２, 2 followed by a space, ②), or nil.
    public static func paragraphNumber(atLineStart line: String) -> Int? {
        guard let first = line.unicodeScalars.first else { return nil }
        // Circled numbers ② … ⑳ and ㉑ … ㊿.
        if (0x2460...0x2473).contains(first.value) { return Int(first.value - 0x2460) + 1 }
        if (0x3251...0x325F).contains(first.value) { return Int(first.value - 0x3251) + 21 }
        if (0x32B1...0x32BF).contains(first.value) { return Int(first.value - 0x32B1) + 36 }
        var digits = ""
        for s in line.unicodeScalars {
            if ("0"..."9").contains(s) {
                digits.unicodeScalars.append(s)
            } else if ("０"..."９").contains(s) {
                digits.unicodeScalars.append(Unicode.Scalar(s.value - 0xFF10 + 0x30)!)
            } else {
                guard !digits.isEmpty, s == " " || s == "　" else { return nil }
                return Int(digits)
            }
        }
        return nil
    }

    /// The 号 number a line starts with (一　, 十二　), or nil.
    public static func itemNumber(atLineStart line: String) -> Int? {
        guard let m = line.prefixMatch(of: itemStart) else { return nil }
        return KanjiNumber.value(of: String(line[m.range]).trimmingWhitespace())
    }

    /// (項, 号) of each line of `text`. `startParagraph` is the 項 a continuation piece starts at.
    /// 項 is nil throughout when the article has a single 項, as statutes cite it.
    public static func positions(in text: String, startParagraph: Int? = nil) -> [(paragraph: Int?, item: Int?)] {
        let lines = text.lineSlices(omittingEmpty: false).map { String($0).trimmingWhitespace() }
        var paragraph = startParagraph ?? 1
        var item: Int? = nil
        var numbered = startParagraph != nil
        var out: [(Int?, Int?)] = []
        var inBody = false
        for line in lines {
            if !inBody, line.hasSuffix("（続き）") {
                inBody = true
                out.append((nil, nil))
                continue
            }
            if !inBody, line.prefixMatch(of: ArticleChunker.articleStart) != nil {
                // The article's own line is its first 項.
                inBody = true
                out.append((paragraph, nil))
                continue
            }
            if inBody, let p = paragraphNumber(atLineStart: line), p > 1 {
                paragraph = p
                item = nil
                numbered = true
                out.append((p, nil))
                continue
            }
            if inBody, let n = itemNumber(atLineStart: line) {
                item = n
                out.append((paragraph, n))
                continue
            }
            // Captions and the article line itself cite the whole article; other lines continue the
            // current 項/号 (sub-items イ, ロ … stay with their 号).
            out.append(inBody ? (paragraph, item) : (nil, nil))
        }
        return out.map { (numbered ? $0.0 : nil, $0.1) }
    }

    /// The locator refined to the 項/号 of the line where `keywords` occur most (earliest on ties).
    /// Stays the whole article when the best line is its caption or only its label matches.
    public static func refine(_ locator: Locator, text: String, keywords: [String]) -> Locator {
        guard locator.article != nil, !keywords.isEmpty else { return locator }
        let lines = text.lineSlices(omittingEmpty: false)
        var best = -1, bestCount = 0
        for (i, raw) in lines.enumerated() {
            // The article label (第二条) names the whole article; only the words after it locate a 項.
            var line = String(raw).trimmingWhitespace()
            if let m = line.prefixMatch(of: ArticleChunker.articleStart) { line = String(line[m.range.upperBound...]) }
            let folded = TextNormalizer.normalize(line)
            let count = keywords.reduce(0) { $0 + (folded.contains($1) ? 1 : 0) }
            if count > bestCount { (best, bestCount) = (i, count) }
        }
        guard best >= 0 else { return locator }
        let pos = positions(in: text, startParagraph: locator.paragraph)[best]
        var out = locator
        // The 項 of a continuation piece stands when the best line is its repeated heading.
        if pos.paragraph != nil || pos.item != nil {
            out.paragraph = pos.paragraph
            out.item = pos.item
        }
        return out
    }
}
