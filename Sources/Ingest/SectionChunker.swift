import HirobaCore
import JapaneseText

/// Manuals and reports: split at headings (Markdown `#` or numbered lines such as "3.2 支出命令の入力"),
/// then pack sentences into chunks of about `targetCharacters`, repeating the last sentence of a chunk at
/// the start of the next so an answer spanning the boundary is still found.
public enum SectionChunker {
    public static let targetCharacters = 500

    public static func chunk(_ text: String, markdown: Bool, target: Int = targetCharacters) -> [ChunkDraft] {
        chunk(blocks: TextBlocks.parse(text, markdown: markdown), target: target)
    }

    /// One sentence (or table row) with the page it is on; `header` is the table header a row belongs to.
    struct Unit {
        var text: String
        var page: Int?
        var header: String? = nil
    }

    public static func chunk(blocks: [DocumentBlock], target: Int = targetCharacters) -> [ChunkDraft] {
        var chunks: [ChunkDraft] = []
        var path: [(level: Int, title: String)] = []
        var units: [Unit] = []

        func flush() {
            defer { units = [] }
            guard !units.isEmpty else { return }
            let headings = path.map(\.title)
            for piece in pack(units, target: target) {
                chunks.append(
                    ChunkDraft(
                        ordinal: chunks.count, text: piece.text, headingPath: headings,
                        locator: Locator(page: piece.page, section: headings.last)))
            }
        }

        for block in blocks {
            switch block.kind {
            case .heading(let level):
                flush()
                path.removeAll { $0.level >= level }
                path.append((level, block.text))
            case .paragraph, .listItem:
                for sentence in SentenceSplitter.split(block.text) {
                    units.append(Unit(text: sentence, page: block.page))
                }
            case .table(let rows):
                let header = rows.first.map { $0.joined(separator: "｜") }
                for (i, row) in rows.enumerated() {
                    units.append(Unit(text: row.joined(separator: "｜"), page: block.page, header: i == 0 ? nil : header))
                }
            }
        }
        flush()
        return chunks
    }

    /// Packs units into pieces of about `target` characters with one sentence of overlap; a piece that
    /// starts inside a table repeats the table's header row.
    static func pack(_ units: [Unit], target: Int) -> [(text: String, page: Int?)] {
        // Lengths in scalars: counting Characters (grapheme clusters) costs more than the rest of chunking.
        let total = units.reduce(0) { $0 + $1.text.unicodeScalars.count }
        guard total > target, units.count > 1 else {
            return [(units.map(\.text).joined(separator: "\n"), units.first?.page)]
        }
        var pieces: [(text: String, page: Int?)] = []
        var current: [Unit] = []
        var length = 0
        func start(with unit: Unit) {
            current = []
            length = 0
            if let header = unit.header {
                current.append(Unit(text: header, page: unit.page))
                length = header.unicodeScalars.count
            }
        }
        for unit in units {
            let size = unit.text.unicodeScalars.count
            if length + size > target, !current.isEmpty {
                pieces.append((current.map(\.text).joined(separator: "\n"), current.first?.page))
                let overlap = current.last!
                start(with: unit)
                let overlapSize = overlap.text.unicodeScalars.count
                if overlap.header == nil, unit.header == nil, overlapSize < target / 3 {
                    current.append(overlap)
                    length += overlapSize
                }
            }
            current.append(unit)
            length += size
        }
        if !current.isEmpty { pieces.append((current.map(\.text).joined(separator: "\n"), current.first?.page)) }
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
