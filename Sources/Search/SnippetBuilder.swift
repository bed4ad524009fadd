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
        var out: [UInt8] = []
        out.reserveCapacity((window.count + 8 * marks.count) * 3 + 8)
        if window.lowerBound > 0 { out += Self.ellipsis }
        var cursor = window.lowerBound
        for mark in marks where mark.lowerBound >= window.lowerBound && mark.upperBound <= window.upperBound {
            if mark.lowerBound < cursor { continue }
            append(scalars[cursor..<mark.lowerBound], to: &out)
            out += Self.open
            append(scalars[mark], to: &out)
            out += Self.close
            cursor = mark.upperBound
        }
        append(scalars[cursor..<window.upperBound], to: &out)
        if window.upperBound < scalars.count { out += Self.ellipsis }
        return String(decoding: out, as: UTF8.self)
    }

    /// Width- and case-insensitive comparison key of a scalar.
    @inline(__always) static func fold(_ v: UInt32) -> UInt32 {
        var x = v
        if x >= 0xFF01 && x <= 0xFF5E { x -= 0xFEE0 }
        if x >= 0x41 && x <= 0x5A { x += 32 }
        return x
    }

    /// Non-overlapping scalar ranges where any keyword occurs, longest keywords first (equal lengths in
    /// scalar order); a keyword's occurrences are taken left to right, each only where no longer keyword
    /// (or an earlier occurrence of its own) already is. One pass over the text finds every keyword's
    /// occurrences (a 64-bit filter on first scalars skips most characters); the taking follows.
    static func matchRanges(folded: [UInt32], keywords: [String]) -> [Range<Int>] {
        let keys = Set(keywords.filter { !$0.isEmpty }).map { $0.unicodeScalars.map { fold($0.value) } }
            .filter { $0.count <= folded.count }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        if keys.isEmpty { return [] }
        var byFirst: [UInt32: [Int]] = [:]
        var filter: UInt64 = 0
        for (k, key) in keys.enumerated() {
            byFirst[key[0], default: []].append(k)
            filter |= 1 << UInt64(key[0] & 63)
        }
        var occurrences = [[Int]](repeating: [], count: keys.count)
        let n = folded.count
        folded.withUnsafeBufferPointer { text in
            for i in 0..<n {
                let c = text[i]
                guard filter & (1 << UInt64(c & 63)) != 0, let candidates = byFirst[c] else { continue }
                for k in candidates {
                    let key = keys[k]
                    guard i + key.count <= n else { continue }
                    var j = 1
                    while j < key.count && text[i + j] == key[j] { j += 1 }
                    if j == key.count { occurrences[k].append(i) }
                }
            }
        }
        var taken = [Bool](repeating: false, count: n)
        var ranges: [Range<Int>] = []
        for (k, starts) in occurrences.enumerated() {
            var next = 0
            for i in starts where i >= next {
                let range = i..<(i + keys[k].count)
                if range.contains(where: { taken[$0] }) { continue }
                for t in range { taken[t] = true }
                ranges.append(range)
                next = range.upperBound
            }
        }
        return ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// 。！？!? and newline end a sentence.
    @inline(__always) static func isTerminator(_ v: UInt32) -> Bool {
        v == 0x3002 || v == 0xFF01 || v == 0xFF1F || v == 0x21 || v == 0x3F || v == 0x0A
    }

    /// The window of at most `maxCharacters` covering the most matches, starting at a sentence start
    /// (the first such start on ties). `marks` are sorted and disjoint, so the marks inside a window are a
    /// contiguous run found with two forward-only pointers.
    static func bestWindow(scalars: [Unicode.Scalar], marks: [Range<Int>], maxCharacters: Int) -> Range<Int> {
        var best = 0
        var bestCount = -1
        var first = 0  // first mark starting at or after the window's start
        var last = 0  // first mark not ending within the window
        func consider(_ start: Int) {
            let end = min(start + maxCharacters, scalars.count)
            while first < marks.count && marks[first].lowerBound < start { first += 1 }
            if last < first { last = first }
            while last < marks.count && marks[last].upperBound <= end { last += 1 }
            if last - first > bestCount {
                bestCount = last - first
                best = start
            }
        }
        consider(0)
        for i in 0..<max(scalars.count - 1, 0) where isTerminator(scalars[i].value) { consider(i + 1) }
        // Skip the line break or spaces a window would otherwise start with.
        while best < scalars.count && (scalars[best] == "\n" || scalars[best] == " ") { best += 1 }
        return best..<min(best + maxCharacters, scalars.count)
    }

    static let ellipsis = Array("…".utf8), open = Array("<mark>".utf8), close = Array("</mark>".utf8)

    /// Appends text as HTML-escaped UTF-8 (a line break becomes a space).
    static func append(_ slice: ArraySlice<Unicode.Scalar>, to out: inout [UInt8]) {
        for scalar in slice {
            let v = scalar.value
            switch v {
            case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]  // &lt;
            case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]  // &gt;
            case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]  // &amp;
            case 0x22: out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]  // &quot;
            case 0x0A: out.append(0x20)
            case 0..<0x80: out.append(UInt8(v))
            case 0x80..<0x800:
                out.append(UInt8(0xC0 | (v >> 6)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            case 0x800..<0x10000:
                out.append(UInt8(0xE0 | (v >> 12)))
                out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            default:
                out.append(UInt8(0xF0 | (v >> 18)))
                out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
    }
}
