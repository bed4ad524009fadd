import HirobaCore
import JapaneseText

/// Manuals and reports: split at headings (Markdown `#` or numbered lines such as "3.2 支出命令の入力"),
/// then pack sentences into chunks of about `targetCharacters`, repeating the last sentence of a chunk at
/// the start of the next so an answer spanning the boundary is still found.
public enum SectionChunker {
    public static let targetCharacters = 500

    public static func chunk(_ text: String, markdown: Bool, target: Int = targetCharacters) -> [ChunkDraft] {
        var chunks: [ChunkDraft] = []
        var path: [(level: Int, title: String)] = []
        var body: [String] = []

        func flush() {
            let joined = body.joined(separator: "\n").trimmingWhitespace()
            body = []
            guard !joined.isEmpty else { return }
            let headings = path.map(\.title)
            for piece in pack(joined, target: target) {
                chunks.append(
                    ChunkDraft(
                        ordinal: chunks.count, text: piece, headingPath: headings,
                        locator: Locator(section: headings.last)))
            }
        }

        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let (level, title) = heading(String(line), markdown: markdown) {
                flush()
                path.removeAll { $0.level >= level }
                path.append((level, title))
            } else {
                body.append(String(line))
            }
        }
        flush()
        return chunks
    }

    /// (level, title) when the line is a heading.
    static func heading(_ line: String, markdown: Bool) -> (Int, String)? {
        if markdown, line.hasPrefix("#") {
            let level = line.prefix(while: { $0 == "#" }).count
            let title = line.dropFirst(level).trimmingCharacters(in: Set(" \t　"))
            return level <= 6 && !title.isEmpty ? (level, title) : nil
        }
        return nil
    }

    /// Packs sentences into pieces of about `target` characters with one sentence of overlap.
    static func pack(_ text: String, target: Int) -> [String] {
        let sentences = SentenceSplitter.split(text)
        guard text.count > target, sentences.count > 1 else { return [text] }
        var pieces: [String] = []
        var current: [String] = []
        var length = 0
        for sentence in sentences {
            if length + sentence.count > target, !current.isEmpty {
                pieces.append(current.joined(separator: "\n"))
                let overlap = current.last!
                current = overlap.count < target / 3 ? [overlap] : []
                length = current.first?.count ?? 0
            }
            current.append(sentence)
            length += sentence.count
        }
        if !current.isEmpty { pieces.append(current.joined(separator: "\n")) }
        return pieces
    }
}

extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
