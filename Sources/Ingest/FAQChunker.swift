import HirobaCore
import JapaneseText

/// FAQ documents: one chunk per question/answer pair. Recognises `Q:`/`A:` (also Ｑ／Ａ and full-width
/// colons), 問/答 and 質問/回答 markers at line start.
public enum FAQChunker {
    static let questionMarkers = ["Q:", "Q：", "Ｑ：", "Ｑ:", "Q.", "問:", "問：", "問 ", "問　", "質問:", "質問：", "【質問】", "Q "]
    static let answerMarkers = ["A:", "A：", "Ａ：", "Ａ:", "A.", "答:", "答：", "答 ", "答　", "回答:", "回答：", "【回答】", "A "]

    public static func looksLikeFAQ(_ text: String) -> Bool {
        looksLikeFAQ(text.lineSlices().map { SourceLine(String($0)) })
    }

    public static func looksLikeFAQ(_ lines: [SourceLine]) -> Bool {
        var q = 0, a = 0
        for line in lines {
            let s = line.text.trimmingWhitespace()
            if marker(s, questionMarkers) != nil { q += 1 }
            if marker(s, answerMarkers) != nil { a += 1 }
        }
        return q >= 3 && a >= 3
    }

    /// The marker the line starts with (compared as bytes: String.hasPrefix's Unicode equivalence is slow).
    static func marker(_ line: String, _ markers: [String]) -> String? {
        guard let first = line.utf8.first, markerLeads.contains(first) else { return nil }
        return markers.first { line.utf8.starts(with: $0.utf8) }
    }

    static let markerLeads = Set((questionMarkers + answerMarkers).compactMap(\.utf8.first))

    public static func chunk(_ text: String) -> [ChunkDraft] {
        chunk(lines: StructuredDocument(title: nil, mediaType: "text/markdown", blocks: TextBlocks.parse(text, markdown: true)).lines)
    }

    /// One chunk per Q/A pair; headings (level 1 resets, deeper levels nest under it) give the path.
    public static func chunk(lines source: [SourceLine]) -> [ChunkDraft] {
        var chunks: [ChunkDraft] = []
        var headings: [(level: Int, title: String)] = []
        var question: String? = nil
        var page: Int? = nil
        var lines: [String] = []

        func flush() {
            defer { question = nil; lines = [] }
            guard let q = question else { return }
            let body = lines.joined(separator: "\n").trimmingWhitespace()
            chunks.append(
                ChunkDraft(
                    ordinal: chunks.count, text: body, headingPath: headings.map(\.title),
                    locator: Locator(page: page, section: "Q. " + String(q.prefix(60)))))
        }

        for sourceLine in source {
            let line = sourceLine.text.trimmingWhitespace()
            if let level = sourceLine.headingLevel {
                flush()
                // The document title (level 1) is not part of the path; deeper headings nest.
                headings.removeAll { $0.level >= level }
                if level > 1 { headings.append((level, line)) }
                continue
            }
            if let m = marker(line, questionMarkers) {
                flush()
                question = String(line.dropFirst(m.count)).trimmingWhitespace()
                page = sourceLine.page
                lines = [line]
            } else if question != nil, !line.isEmpty {
                lines.append(line)
            }
        }
        flush()
        return chunks
    }
}
