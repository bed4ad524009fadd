/// Splits Japanese text into sentences at 。！？!? and line breaks, but never inside 「」『』（）()【】
/// brackets, so a quoted sentence stays within the sentence that quotes it.
public enum SentenceSplitter {
    static let openers: [Character: Character] = [
        "「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "〔": "〕", "［": "］", "[": "]", "《": "》",
    ]
    static let terminators: Set<Character> = ["。", "！", "？", "!", "?", "．"]

    /// Sentences with surrounding whitespace trimmed; empty ones dropped.
    public static func split(_ text: String) -> [String] {
        ranges(text).map { String(text[$0]).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// Sentence ranges into `text` (including the terminator and any closing brackets right after it).
    public static func ranges(_ text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var stack: [Character] = []
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if let closer = openers[c] {
                stack.append(closer)
            } else if let last = stack.last, c == last {
                stack.removeLast()
            } else if c == "\n" {
                // A line break ends a sentence even inside an unclosed bracket: such brackets are usually
                // typos, and one runaway 「 must not swallow the rest of the document.
                stack.removeAll()
                if start < i { result.append(start..<i) }
                start = next
            } else if stack.isEmpty && terminators.contains(c) {
                var end = next
                while end < text.endIndex, terminators.contains(text[end]) { end = text.index(after: end) }
                result.append(start..<end)
                start = end
                i = end
                continue
            }
            i = next
        }
        if start < text.endIndex { result.append(start..<text.endIndex) }
        return result
    }
}

extension String {
    /// Trims ASCII and ideographic whitespace.
    public func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
