import Foundation
import JapaneseText

/// Picks the passage of a chunk that best shows why it matched, and marks the matched words.
/// Output is HTML-escaped with matches wrapped in `<mark>…</mark>`, ready for the web UI; the CLI turns
/// the marks into terminal emphasis.
public enum SnippetBuilder {
    public static func snippet(text: String, keywords: [String], maxCharacters: Int = 160) -> String {
        let marks = matchRanges(in: text, keywords: keywords)
        let window = bestWindow(text: text, marks: marks, maxCharacters: maxCharacters)
        var out = window.lowerBound > text.startIndex ? "…" : ""
        var cursor = window.lowerBound
        for mark in marks where mark.lowerBound >= window.lowerBound && mark.upperBound <= window.upperBound {
            if mark.lowerBound < cursor { continue }
            out += escape(text[cursor..<mark.lowerBound])
            out += "<mark>" + escape(text[mark]) + "</mark>"
            cursor = mark.upperBound
        }
        out += escape(text[cursor..<window.upperBound])
        if window.upperBound < text.endIndex { out += "…" }
        return out.replacingOccurrences(of: "\n", with: " ")
    }

    /// Non-overlapping ranges where any keyword occurs (width- and case-insensitive), longest first.
    public static func matchRanges(in text: String, keywords: [String]) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        let ordered = Set(keywords.filter { !$0.isEmpty }).sorted { $0.count > $1.count }
        for keyword in ordered {
            var searchStart = text.startIndex
            while searchStart < text.endIndex,
                let r = text.range(
                    of: keyword, options: [.caseInsensitive, .widthInsensitive], range: searchStart..<text.endIndex)
            {
                if !ranges.contains(where: { $0.overlaps(r) }) { ranges.append(r) }
                searchStart = r.upperBound
            }
        }
        return ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// The window of at most `maxCharacters` covering the most matches, aligned to a sentence start.
    static func bestWindow(text: String, marks: [Range<String.Index>], maxCharacters: Int) -> Range<String.Index> {
        let sentences = SentenceSplitter.ranges(text)
        guard !sentences.isEmpty else { return text.startIndex..<text.endIndex }
        var bestStart = sentences[0].lowerBound
        var bestCount = -1
        for sentence in sentences {
            let end = text.index(sentence.lowerBound, offsetBy: maxCharacters, limitedBy: text.endIndex) ?? text.endIndex
            let count = marks.filter { $0.lowerBound >= sentence.lowerBound && $0.upperBound <= end }.count
            if count > bestCount {
                bestCount = count
                bestStart = sentence.lowerBound
            }
        }
        let end = text.index(bestStart, offsetBy: maxCharacters, limitedBy: text.endIndex) ?? text.endIndex
        return bestStart..<end
    }

    static func escape(_ s: Substring) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
