import HirobaCore
import JapaneseText

/// FAQ documents: one chunk per question/answer pair. Recognises `Q:`/`A:` (also Ｑ／Ａ and full-width
/// colons), 問/答 and 質問/回答 markers at line start.
public enum FAQChunker {
    static let questionMarkers = ["Q:", "Q：", "Ｑ：", "Ｑ:", "Q.", "問:", "問：", "問 ", "問　", "質問:", "質問：", "【質問】", "Q "]
    static let answerMarkers = ["A:", "A：", "Ａ：", "Ａ:", "A.", "答:", "答：", "答 ", "答　", "回答:", "回答：", "【回答】", "A "]

    public static func looksLikeFAQ(_ text: String) -> Bool {
        var q = 0, a = 0
        for line in text.split(separator: "\n") {
            let s = String(line).trimmingWhitespace()
            if marker(s, questionMarkers) != nil { q += 1 }
            if marker(s, answerMarkers) != nil { a += 1 }
        }
        return q >= 3 && a >= 3
    }

    static func marker(_ line: String, _ markers: [String]) -> String? {
        markers.first { line.hasPrefix($0) }
    }

    public static func chunk(_ text: String) -> [ChunkDraft] {
        var chunks: [ChunkDraft] = []
        var headings: [String] = []
        var question: String? = nil
        var lines: [String] = []

        func flush() {
            defer { question = nil; lines = [] }
            guard let q = question else { return }
            let body = lines.joined(separator: "\n").trimmingWhitespace()
            chunks.append(
                ChunkDraft(
                    ordinal: chunks.count, text: body, headingPath: headings,
                    locator: Locator(section: "Q. " + String(q.prefix(60)))))
        }

        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw).trimmingWhitespace()
            if line.hasPrefix("#") {
                flush()
                let title = line.drop { $0 == "#" }.trimmingWhitespaceSub()
                if line.hasPrefix("# ") { headings = [] } else { headings = Array(headings.prefix(1)) + [title] }
                continue
            }
            if let m = marker(line, questionMarkers) {
                flush()
                question = String(line.dropFirst(m.count)).trimmingWhitespace()
                lines = [line]
            } else if question != nil, !line.isEmpty {
                lines.append(line)
            }
        }
        flush()
        return chunks
    }
}

extension Substring {
    func trimmingWhitespaceSub() -> String { String(self).trimmingWhitespace() }
}
