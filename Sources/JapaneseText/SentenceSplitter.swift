/// Splits Japanese text into sentences at 。！？!? and line breaks, but never inside 「」『』（）()【】
/// brackets, so a quoted sentence stays within the sentence that quotes it.
public enum SentenceSplitter {
    /// Opening bracket → its closer (all single scalars, so the scan works on scalars, not Characters).
    static let openers: [UInt32: UInt32] = [
        0x300C: 0x300D, 0x300E: 0x300F, 0xFF08: 0xFF09, 0x28: 0x29, 0x3010: 0x3011, 0x3014: 0x3015,
        0xFF3B: 0xFF3D, 0x5B: 0x5D, 0x300A: 0x300B,
    ]

    /// 。！？!?．
    @inline(__always) static func isTerminator(_ v: UInt32) -> Bool {
        v == 0x3002 || v == 0xFF01 || v == 0xFF1F || v == 0x21 || v == 0x3F || v == 0xFF0E
    }

    /// Sentences with surrounding whitespace trimmed; empty ones dropped.
    public static func split(_ text: String) -> [String] {
        ranges(text).compactMap {
            let s = String(text.unicodeScalars[$0]).trimmingWhitespace()
            return s.isEmpty ? nil : s
        }
    }

    /// Sentence ranges into `text` (including the terminator and any closing brackets right after it).
    public static func ranges(_ text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var stack: [UInt32] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let v = scalars[i].value
            let next = scalars.index(after: i)
            if v >= 0x28, let closer = openers[v] {
                stack.append(closer)
            } else if let last = stack.last, v == last {
                stack.removeLast()
            } else if v == 0x0A {
                // A line break ends a sentence even inside an unclosed bracket: such brackets are usually
                // typos, and one runaway 「 must not swallow the rest of the document.
                stack.removeAll()
                if start < i { result.append(start..<i) }
                start = next
            } else if stack.isEmpty && isTerminator(v) {
                var end = next
                while end < scalars.endIndex, isTerminator(scalars[end].value) { end = scalars.index(after: end) }
                result.append(start..<end)
                start = end
                i = end
                continue
            }
            i = next
        }
        if start < scalars.endIndex { result.append(start..<scalars.endIndex) }
        return result
    }
}

extension String {
    /// Trims ASCII and ideographic whitespace.
    public func trimmingWhitespace() -> String {
        // Most lines need no trimming: answer without copying.
        if let f = unicodeScalars.first, let l = unicodeScalars.last, !f.properties.isWhitespace, !l.properties.isWhitespace {
            return self
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
