import JapaneseText

/// A user's search query split into its parts: free text, "quoted phrases" and -exclusions.
public struct ParsedQuery: Sendable, Equatable {
    /// Free text (everything that is neither a phrase nor an exclusion), joined by spaces.
    public var text: String
    /// Phrases that must appear as written (after normalisation) in every hit.
    public var phrases: [String]
    /// Terms no hit may contain.
    public var exclusions: [String]

    public init(text: String, phrases: [String] = [], exclusions: [String] = []) {
        self.text = text
        self.phrases = phrases
        self.exclusions = exclusions
    }

    public var isEmpty: Bool { text.isEmpty && phrases.isEmpty }
}

/// Parses query syntax. Phrases are in "…" or “…”; an exclusion is `-term` or
/// `−term` at the start of a word. Unbalanced quotes are read as closed at the end of the query, so no
/// input is a syntax error — search boxes must not reject what users type.
public enum QueryParser {
    /// Only ASCII and typographic double quotes mark phrases: 「」 and 『』 are ordinary punctuation in
    /// Japanese questions (「…」とは何か) and must not turn a question into an exact-match filter.
    static let quotePairs: [Character: Character] = ["\"": "\"", "“": "”", "＂": "＂"]
    static let negators: Set<Character> = ["-", "−", "－"]

    /// Scalars that can start a phrase or an exclusion.
    static let syntaxScalars: Set<UInt32> = [0x22, 0x201C, 0xFF02, 0x2D, 0x2212, 0xFF0D]

    public static func parse(_ raw: String) -> ParsedQuery {
        // Most queries hold no quote or minus at all: then they are just words (the same split as below,
        // without a dictionary lookup per character).
        if !raw.unicodeScalars.contains(where: { syntaxScalars.contains($0.value) }) {
            return ParsedQuery(text: raw.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        return parseSyntax(raw)
    }

    /// The full parse (phrases and exclusions).
    static func parseSyntax(_ raw: String) -> ParsedQuery {
        var free: [String] = []
        var phrases: [String] = []
        var exclusions: [String] = []
        var word = ""
        var i = raw.startIndex

        func flushWord() {
            defer { word = "" }
            guard !word.isEmpty else { return }
            if let first = word.first, negators.contains(first) {
                if word.count > 1 { exclusions.append(String(word.dropFirst())) }
            } else {
                free.append(word)
            }
        }

        while i < raw.endIndex {
            let c = raw[i]
            if let closer = quotePairs[c], word.isEmpty || (word.count == 1 && negators.contains(word.first!)) {
                let negated = !word.isEmpty
                word = ""
                var j = raw.index(after: i)
                var phrase = ""
                while j < raw.endIndex, raw[j] != closer {
                    phrase.append(raw[j])
                    j = raw.index(after: j)
                }
                let trimmed = phrase.trimmingWhitespace()
                if !trimmed.isEmpty {
                    if negated { exclusions.append(trimmed) } else { phrases.append(trimmed) }
                }
                i = j < raw.endIndex ? raw.index(after: j) : j
                continue
            }
            if c.isWhitespace {
                flushWord()
            } else {
                word.append(c)
            }
            i = raw.index(after: i)
        }
        flushWord()
        return ParsedQuery(text: free.joined(separator: " "), phrases: phrases, exclusions: exclusions)
    }
}
