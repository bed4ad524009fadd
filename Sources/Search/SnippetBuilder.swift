import JapaneseText

/// Picks the passage of a chunk that best shows why it matched, and marks the matched words.
/// Output is HTML-escaped with matches wrapped in `<mark>…</mark>`, ready for the web UI; the CLI turns
/// the marks into terminal emphasis. Matching folds width and Latin case scalar by scalar (no Foundation
/// string search: it was the largest cost of a query).
public enum SnippetBuilder {
    public static func snippet(text: String, keywords: [String], maxCharacters: Int = 160) -> String {
        let scalars = Array(text.unicodeScalars)
        let folded = scalars.map { fold($0.value) }
        let marks = matchRanges(folded: folded, keywords: keywords)
        let window = bestWindow(scalars: scalars, marks: marks, maxCharacters: maxCharacters)
        var out = window.lowerBound > 0 ? "…" : ""
        var cursor = window.lowerBound
        for mark in marks where mark.lowerBound >= window.lowerBound && mark.upperBound <= window.upperBound {
            if mark.lowerBound < cursor { continue }
            append(scalars[cursor..<mark.lowerBound], to: &out)
            out += "<mark>"
            append(scalars[mark], to: &out)
            out += "</mark>"
            cursor = mark.upperBound
        }
        append(scalars[cursor..<window.upperBound], to: &out)
        if window.upperBound < scalars.count { out += "…" }
        return out
    }

    /// Width- and case-insensitive comparison key of a scalar.
    @inline(__always) static func fold(_ v: UInt32) -> UInt32 {
        var x = v
        if x >= 0xFF01 && x <= 0xFF5E { x -= 0xFEE0 }
        if x >= 0x41 && x <= 0x5A { x += 32 }
        return x
    }

    /// Non-overlapping scalar ranges where any keyword occurs, longest keywords first.
    static func matchRanges(folded: [UInt32], keywords: [String]) -> [Range<Int>] {
        var taken = [Bool](repeating: false, count: folded.count)
        var ranges: [Range<Int>] = []
        let ordered = Set(keywords.filter { !$0.isEmpty }).map { $0.unicodeScalars.map { fold($0.value) } }
            .sorted { $0.count > $1.count }
        for key in ordered where key.count <= folded.count {
            var i = 0
            while i + key.count <= folded.count {
                if folded[i] == key[0] && !taken[i] {
                    var j = 1
                    while j < key.count && folded[i + j] == key[j] && !taken[i + j] { j += 1 }
                    if j == key.count {
                        for t in i..<(i + j) { taken[t] = true }
                        ranges.append(i..<(i + j))
                        i += j
                        continue
                    }
                }
                i += 1
            }
        }
        return ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    static let terminators: Set<UInt32> = [0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F, 0x0A]  // 。！？!? and newline

    /// The window of at most `maxCharacters` covering the most matches, starting at a sentence start.
    static func bestWindow(scalars: [Unicode.Scalar], marks: [Range<Int>], maxCharacters: Int) -> Range<Int> {
        var starts = [0]
        for (i, s) in scalars.enumerated() where terminators.contains(s.value) && i + 1 < scalars.count {
            starts.append(i + 1)
        }
        var best = 0
        var bestCount = -1
        for start in starts {
            let end = min(start + maxCharacters, scalars.count)
            let count = marks.lazy.filter { $0.lowerBound >= start && $0.upperBound <= end }.count
            if count > bestCount {
                bestCount = count
                best = start
            }
        }
        // Skip the line break or spaces a window would otherwise start with.
        while best < scalars.count && (scalars[best] == "\n" || scalars[best] == " ") { best += 1 }
        return best..<min(best + maxCharacters, scalars.count)
    }

    static func append(_ slice: ArraySlice<Unicode.Scalar>, to out: inout String) {
        for s in slice {
            switch s {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "\n": out += " "
            default: out.unicodeScalars.append(s)
            }
        }
    }
}
