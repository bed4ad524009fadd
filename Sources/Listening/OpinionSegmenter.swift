import JapaneseText

/// Without a model, a comment's opinions are its sentences: a short comment stays whole, and fragments
/// (「以上です。」, a greeting, a one-line context such as 「子どもが二人います。」) are joined to the next
/// sentence so that every opinion carries a point of its own.
public struct OpinionSegmenter: Sendable {
    /// Comments up to this many characters are one opinion.
    public var wholeCommentLength: Int
    /// Sentences shorter than this are joined to a neighbour.
    public var minimumOpinionLength: Int
    /// At most this many opinions per comment; the rest joins the last.
    public var maximumOpinions: Int

    public init(wholeCommentLength: Int = 60, minimumOpinionLength: Int = 18, maximumOpinions: Int = 6) {
        self.wholeCommentLength = wholeCommentLength
        self.minimumOpinionLength = minimumOpinionLength
        self.maximumOpinions = maximumOpinions
    }

    public func opinions(_ comment: String) -> [String] {
        let text = comment.trimmingWhitespace()
        guard text.count > wholeCommentLength else { return text.isEmpty ? [] : [text] }
        var sentences: [String] = []
        for sentence in SentenceSplitter.split(text) { sentences += Self.latinSentences(sentence) }
        var merged: [String] = []
        var pending = ""
        for sentence in sentences {
            let joined = pending.isEmpty ? sentence : pending + Self.joiner(pending) + sentence
            if joined.count < minimumOpinionLength {
                pending = joined
            } else {
                merged.append(joined)
                pending = ""
            }
        }
        if !pending.isEmpty {
            if let last = merged.popLast() { merged.append(last + Self.joiner(last) + pending) } else { merged.append(pending) }
        }
        if merged.count > maximumOpinions {
            let tail = merged[(maximumOpinions - 1)...].joined(separator: " ")
            merged = Array(merged.prefix(maximumOpinions - 1)) + [tail]
        }
        return merged
    }

    /// A space between Latin sentences; none between Japanese or Chinese ones.
    static func joiner(_ previous: String) -> String {
        guard let last = previous.unicodeScalars.last else { return "" }
        return last.value < 0x2E80 ? " " : ""
    }

    /// Splits English at ". " / "; " boundaries, which the Japanese splitter leaves alone ("." is not 。).
    static func latinSentences(_ sentence: String) -> [String] {
        guard sentence.unicodeScalars.contains(where: { $0.value == 0x2E || $0.value == 0x3B }) else { return [sentence] }
        var out: [String] = []
        var current = ""
        var previous: Character = " "
        for ch in sentence {
            if (previous == "." || previous == ";") && ch == " " {
                let trimmed = current.trimmingWhitespace()
                // "Mr." / "e.g." / "St." are not sentence ends.
                let lastWord = trimmed.split(separator: " ").last.map(String.init) ?? ""
                if lastWord.count > 3 || lastWord.first?.isUppercase == false && lastWord.count > 2 {
                    if !trimmed.isEmpty { out.append(trimmed) }
                    current = ""
                    previous = ch
                    continue
                }
            }
            current.append(ch)
            previous = ch
        }
        let trimmed = current.trimmingWhitespace()
        if !trimmed.isEmpty { out.append(trimmed) }
        return out
    }
}
