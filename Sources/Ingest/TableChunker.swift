import HirobaCore
import JapaneseText

/// Spreadsheets: a chunk per group of rows with the header row repeated, cited as 「シート名 2〜21行」.
/// A table whose header names a question and an answer column (質問/回答, 問/答, Q/A) is an FAQ:
/// one chunk per row.
public enum TableChunker {
    public static let targetCharacters = 600
    public static let maxRows = 40

    public static func chunk(blocks: [DocumentBlock], target: Int = targetCharacters) -> [ChunkDraft] {
        var chunks: [ChunkDraft] = []
        var sheet: String? = nil
        for block in blocks {
            switch block.kind {
            case .heading: sheet = block.text
            case .table(let rows):
                chunks += chunkTable(rows, sheet: sheet, page: block.page, target: target, ordinal: chunks.count)
            case .paragraph, .listItem:
                chunks.append(
                    ChunkDraft(
                        ordinal: chunks.count, text: block.text, headingPath: sheet.map { [$0] } ?? [],
                        locator: Locator(page: block.page, section: sheet)))
            }
        }
        return chunks
    }

    /// FAQ chunks from Q/A tables of a prose document (other blocks chunked by heading), or nil when the
    /// document has no such table.
    public static func faqChunks(blocks: [DocumentBlock]) -> [ChunkDraft]? {
        guard blocks.contains(where: { if case .table(let rows) = $0.kind { return faqColumns(rows) != nil } else { return false } })
        else { return nil }
        var chunks = SectionChunker.chunk(blocks: blocks.filter {
            if case .table(let rows) = $0.kind { return faqColumns(rows) == nil }
            return true
        })
        var path: [String] = []
        for block in blocks {
            if let level = block.headingLevel {
                path = Array(path.prefix(level - 1)) + [block.text]
            } else if case .table(let rows) = block.kind, let columns = faqColumns(rows) {
                chunks += faqRows(rows, columns: columns, path: path, page: block.page, ordinal: chunks.count)
            }
        }
        for i in chunks.indices { chunks[i].ordinal = i }
        return chunks
    }

    static func chunkTable(_ rows: [[String]], sheet: String?, page: Int?, target: Int, ordinal: Int) -> [ChunkDraft] {
        let path = sheet.map { [$0] } ?? []
        if let columns = faqColumns(rows) {
            return faqRows(rows, columns: columns, path: path, page: page, ordinal: ordinal)
        }
        let header = hasHeader(rows) ? rows[0] : nil
        let headerLine = header.map { $0.joined(separator: "｜") }
        var chunks: [ChunkDraft] = []
        var group: [String] = []
        var first = header == nil ? 1 : 2
        var length = headerLine?.count ?? 0
        func flush(last: Int) {
            guard !group.isEmpty else { return }
            let text = ([headerLine].compactMap { $0 } + group).joined(separator: "\n")
            let span = first == last ? "\(first)行" : "\(first)〜\(last)行"
            chunks.append(
                ChunkDraft(
                    ordinal: ordinal + chunks.count, text: text, headingPath: path,
                    locator: Locator(page: page, section: [sheet, span].compactMap { $0 }.joined(separator: " "))))
            group = []
            first = last + 1
            length = headerLine?.count ?? 0
        }
        for (i, row) in rows.enumerated() where !(header != nil && i == 0) {
            let line = row.joined(separator: "｜")
            if !group.isEmpty, length + line.count > target || group.count >= maxRows { flush(last: i) }
            group.append(line)
            length += line.count + 1
        }
        flush(last: rows.count)
        return chunks
    }

    /// A header row: at least two cells, all filled with short non-numeric labels, above more rows.
    static func hasHeader(_ rows: [[String]]) -> Bool {
        guard rows.count > 1, let first = rows.first else { return false }
        let filled = first.filter { !$0.isEmpty }
        guard filled.count >= max(2, first.count - 1) else { return false }
        return filled.allSatisfy { cell in cell.count <= 30 && Double(cell.replacingOccurrences(of: ",", with: "")) == nil }
    }

    static let questionHeaders = ["質問", "問", "問い", "q", "question", "質問内容", "お問い合わせ", "問合せ", "問い合わせ内容", "よくある質問"]
    static let answerHeaders = ["回答", "答", "答え", "a", "answer", "回答内容", "ご回答"]

    /// (question column, answer column) when the header names both.
    static func faqColumns(_ rows: [[String]]) -> (Int, Int)? {
        guard rows.count >= 2, let header = rows.first else { return nil }
        let names = header.map { TextNormalizer.normalize($0).lowercased().trimmingWhitespace() }
        guard let q = names.firstIndex(where: { questionHeaders.contains($0) }),
            let a = names.firstIndex(where: { answerHeaders.contains($0) }), q != a
        else { return nil }
        return (q, a)
    }

    static func faqRows(_ rows: [[String]], columns: (Int, Int), path: [String], page: Int?, ordinal: Int) -> [ChunkDraft] {
        let header = rows[0]
        var chunks: [ChunkDraft] = []
        for row in rows.dropFirst() {
            let q = columns.0 < row.count ? row[columns.0] : ""
            let a = columns.1 < row.count ? row[columns.1] : ""
            guard !q.isEmpty else { continue }
            var lines = ["Q: " + q, "A: " + a]
            for (i, cell) in row.enumerated() where i != columns.0 && i != columns.1 && !cell.isEmpty {
                lines.append("\(i < header.count ? header[i] : "列\(i + 1)"): \(cell)")
            }
            chunks.append(
                ChunkDraft(
                    ordinal: ordinal + chunks.count, text: lines.joined(separator: "\n"), headingPath: path,
                    locator: Locator(page: page, section: "Q. " + String(q.prefix(60)))))
        }
        return chunks
    }
}
