import HirobaCore
import JapaneseText

/// Picks the passage of a chunk that best shows why it matched, and marks the matched words.
/// Output is HTML-escaped with matches wrapped in `<mark>…</mark>`, ready for the web UI; the CLI turns
/// the marks into terminal emphasis. Matching folds width and Latin case scalar by scalar (no Foundation
/// string search: it was the largest cost of a query).
public enum SnippetBuilder {
    /// A query's keywords prepared once for all of its hits: folded, longest first (equal lengths in scalar
    /// order), indexed by first scalar.
    public struct Keywords: Sendable {
        let keys: [[UInt32]]
        /// Each key's first scalar (a text scalar that passes `filter` is compared with these few, no hashing).
        let firsts: [UInt32]
        /// Bit `c & 4095` is set for every first scalar `c`: most text scalars (kanji and kana included) are
        /// rejected by one test before any dictionary lookup.
        let filter: [UInt64]

        public init(_ keywords: [String]) {
            keys = Set(keywords.filter { !$0.isEmpty }).map { $0.unicodeScalars.map { fold($0.value) } }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
            var filter = [UInt64](repeating: 0, count: 64)
            for key in keys { filter[Int(key[0] & 4095) >> 6] |= 1 << UInt64(key[0] & 63) }
            firsts = keys.map { $0[0] }
            self.filter = filter
        }
    }

    public static func snippet(text: String, keywords: [String], maxCharacters: Int = 160) -> String {
        snippet(text: text, keywords: Keywords(keywords), maxCharacters: maxCharacters)
    }

    /// Working memory of `snippet`, kept from one hit to the next of a search: the decoded text and the match
    /// bookkeeping are as long as a chunk, and allocating them per hit was a sixth of a snippet's cost.
    public final class Buffers {
        var folded: [UInt32] = []
        var offsets: [Int32] = []
        var found: [(key: Int32, start: Int32)] = []
        var taken: [Bool] = []
        public init() {}
    }

    public static func snippet(text: String, keywords: Keywords, maxCharacters: Int = 160, buffers: Buffers = Buffers()) -> String {
        String(decoding: snippetUTF8(text: text, keywords: keywords, maxCharacters: maxCharacters, buffers: buffers), as: UTF8.self)
    }

    /// `snippet` as UTF-8 bytes, for a caller that writes them out as they are (valid UTF-8: runs of the text's own
    /// bytes cut at scalar boundaries, and ASCII markup).
    public static func snippetUTF8(text: String, keywords: Keywords, maxCharacters: Int = 160, buffers: Buffers = Buffers()) -> [UInt8] {
        var text = text
        return text.withUTF8 { bytes in
            // At most one scalar per byte: the buffers only ever grow.
            if buffers.folded.count < bytes.count { buffers.folded = [UInt32](repeating: 0, count: bytes.count) }
            if buffers.offsets.count < bytes.count + 1 { buffers.offsets = [Int32](repeating: 0, count: bytes.count + 1) }
            // Scalars decoded straight from UTF-8 (already valid: it is a String) into folded values and the
            // byte offset where each starts, so output copies byte runs instead of re-encoding scalars.
            return buffers.folded.withUnsafeMutableBufferPointer { foldedOut in
                buffers.offsets.withUnsafeMutableBufferPointer { offsetsOut in
                    var i = 0
                    var n = 0
                    while i < bytes.count {
                        let b0 = UInt32(bytes[i])
                        offsetsOut[n] = Int32(i)
                        if b0 < 0x80 {
                            foldedOut[n] = fold(b0)
                            i += 1
                        } else if b0 < 0xE0 {
                            foldedOut[n] = fold((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))
                            i += 2
                        } else if b0 < 0xF0 {
                            foldedOut[n] = fold((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))
                            i += 3
                        } else {
                            foldedOut[n] =
                                (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                                | UInt32(bytes[i + 3] & 0x3F)
                            i += 4
                        }
                        n += 1
                    }
                    offsetsOut[n] = Int32(bytes.count)
                    let folded = UnsafeBufferPointer(rebasing: foldedOut[0..<n])
                    let offsets = UnsafeBufferPointer(offsetsOut)
                    let marks = matchRanges(folded: folded, keywords: keywords, buffers: buffers)
                    let window = bestWindow(folded: folded, marks: marks, maxCharacters: maxCharacters)
                    var out: [UInt8] = []
                    out.reserveCapacity(Int(offsets[window.upperBound] - offsets[window.lowerBound]) + 13 * marks.count + 8)
                    func copy(_ range: Range<Int>) {
                        append(bytes, Int(offsets[range.lowerBound])..<Int(offsets[range.upperBound]), to: &out)
                    }
                    // Statics read once (each access checks their lazy initialisation).
                    let ellipsis = Self.ellipsis, open = Self.open, close = Self.close
                    if window.lowerBound > 0 { out += ellipsis }
                    var cursor = window.lowerBound
                    for mark in marks where mark.lowerBound >= window.lowerBound && mark.upperBound <= window.upperBound {
                        if mark.lowerBound < cursor { continue }
                        copy(cursor..<mark.lowerBound)
                        out += open
                        copy(mark)
                        out += close
                        cursor = mark.upperBound
                    }
                    copy(cursor..<window.upperBound)
                    if window.upperBound < n { out += ellipsis }
                    return out
                }
            }
        }
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
        matchRanges(folded: folded, keywords: Keywords(keywords))
    }

    static func matchRanges(folded: [UInt32], keywords: Keywords) -> [Range<Int>] {
        folded.withUnsafeBufferPointer { matchRanges(folded: $0, keywords: keywords, buffers: Buffers()) }
    }

    static func matchRanges(folded text: UnsafeBufferPointer<UInt32>, keywords: Keywords, buffers: Buffers) -> [Range<Int>] {
        let keys = keywords.keys, firsts = keywords.firsts
        if keys.isEmpty { return [] }
        // Every occurrence of every keyword as (keyword, start), found in one pass over the text.
        buffers.found.removeAll(keepingCapacity: true)
        let n = text.count
        keywords.filter.withUnsafeBufferPointer { filter in
            for i in 0..<n {
                let c = text[i]
                guard filter[Int(c & 4095) >> 6] & (1 << UInt64(c & 63)) != 0 else { continue }
                for k in 0..<firsts.count where firsts[k] == c {
                    let key = keys[k]
                    guard i + key.count <= n else { continue }  // also keys longer than the text
                    var j = 1
                    while j < key.count && text[i + j] == key[j] { j += 1 }
                    if j == key.count { buffers.found.append((Int32(k), Int32(i))) }
                }
            }
        }
        if buffers.found.isEmpty { return [] }
        // Taken keyword by keyword (longest first), each one's occurrences left to right.
        buffers.found.sort { $0.key != $1.key ? $0.key < $1.key : $0.start < $1.start }
        buffers.taken.removeAll(keepingCapacity: true)
        buffers.taken.append(contentsOf: repeatElement(false, count: n))
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(buffers.found.count)
        var currentKey: Int32 = -1
        var next = 0
        buffers.taken.withUnsafeMutableBufferPointer { taken in
            for (k, i) in buffers.found {
                if k != currentKey {
                    currentKey = k
                    next = 0
                }
                let start = Int(i)
                guard start >= next else { continue }
                let range = start..<(start + keys[Int(k)].count)
                if range.contains(where: { taken[$0] }) { continue }
                for t in range { taken[t] = true }
                ranges.append(range)
                next = range.upperBound
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        return ranges
    }

    /// 。！？!? and newline end a sentence (！ and ？ fold to ! and ?).
    @inline(__always) static func isTerminator(_ v: UInt32) -> Bool {
        v == 0x3002 || v == 0xFF01 || v == 0xFF1F || v == 0x21 || v == 0x3F || v == 0x0A
    }

    /// The window of at most `maxCharacters` covering the most matches, starting at a sentence start
    /// (the first such start on ties). `marks` are sorted and disjoint, so the marks inside a window are a
    /// contiguous run found with two forward-only pointers.
    static func bestWindow(folded scalars: UnsafeBufferPointer<UInt32>, marks: [Range<Int>], maxCharacters: Int) -> Range<Int> {
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
        for i in 0..<max(scalars.count - 1, 0) where isTerminator(scalars[i]) { consider(i + 1) }
        // Skip the line break or spaces a window would otherwise start with.
        while best < scalars.count && (scalars[best] == 0x0A || scalars[best] == 0x20) { best += 1 }
        return best..<min(best + maxCharacters, scalars.count)
    }

    static let ellipsis = Array("…".utf8), open = Array("<mark>".utf8), close = Array("</mark>".utf8)

    /// Appends `bytes[range]` HTML-escaped (a line break becomes a space); runs needing no escape are
    /// copied at once. Everything escaped is ASCII, so a byte test never splits a scalar.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout [UInt8]) {
        var run = range.lowerBound
        func escape(_ i: Int) {
            let b = bytes[i]
            guard b == 0x3C || b == 0x3E || b == 0x26 || b == 0x22 || b == 0x0A else { return }
            if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
            run = i + 1
            switch b {
            case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]  // &lt;
            case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]  // &gt;
            case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]  // &amp;
            case 0x22: out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]  // &quot;
            default: out.append(0x20)
            }
        }
        ByteScan.visitFlagged(bytes, range, flagged: { w in
            ByteScan.contains(w, 0x3C) || ByteScan.contains(w, 0x3E) || ByteScan.contains(w, 0x26) || ByteScan.contains(w, 0x22)
                || ByteScan.contains(w, 0x0A)
        }, escape)
        if run < range.upperBound { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<range.upperBound])) }
    }
}
