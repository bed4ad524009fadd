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
        let (syntax, whitespace) = scan(raw)
        if !syntax {
            // A question typed without spaces (the usual Japanese query) is its own text.
            if !whitespace { return ParsedQuery(text: raw) }
            return ParsedQuery(text: raw.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        return parseSyntax(raw)
    }

    /// Whether the query holds a scalar of `syntaxScalars` and whether it holds white space (Unicode's
    /// White_Space, as `Character.isWhitespace`), read from its UTF-8 bytes: a scalar or grapheme walk with a
    /// set lookup per character cost more than the rest of parsing.
    static func scan(_ raw: String) -> (syntax: Bool, whitespace: Bool) {
        var raw = raw
        return raw.withUTF8 { bytes in
            var syntax = false, whitespace = false
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    if b == 0x22 || b == 0x2D { syntax = true }
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) { whitespace = true }
                    i += 1
                    continue
                }
                let b1 = i + 1 < n ? bytes[i + 1] : 0, b2 = i + 2 < n ? bytes[i + 2] : 0
                switch b {
                case 0xC2:  // U+0085, U+00A0
                    if b1 == 0x85 || b1 == 0xA0 { whitespace = true }
                case 0xE1:  // U+1680
                    if b1 == 0x9A && b2 == 0x80 { whitespace = true }
                case 0xE2:
                    // U+2000–200A, U+2028, U+2029, U+202F; U+205F; U+201C “; U+2212 −
                    if b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) { whitespace = true }
                    if b1 == 0x81 && b2 == 0x9F { whitespace = true }
                    if (b1 == 0x80 && b2 == 0x9C) || (b1 == 0x88 && b2 == 0x92) { syntax = true }
                case 0xE3:  // U+3000 (ideographic space)
                    if b1 == 0x80 && b2 == 0x80 { whitespace = true }
                case 0xEF:  // U+FF02 ＂, U+FF0D －
                    if b1 == 0xBC && (b2 == 0x82 || b2 == 0x8D) { syntax = true }
                default: break
                }
                i += b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            }
            return (syntax, whitespace)
        }
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
