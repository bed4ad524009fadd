import Foundation
import Ingest
import JapaneseText

/// A comment file read as a table: the header, the data rows, and guesses for which column is the comment
/// text, which is an id, which marks moderation and which are respondent attributes.
public struct CommentTable: Sendable {
    public var path: String
    public var header: [String]
    public var rows: [[String]]
    /// Notes for the operator (legacy encoding detected, other sheets ignored).
    public var warnings: [String]

    public init(path: String, header: [String], rows: [[String]], warnings: [String] = []) {
        self.path = path
        self.header = header
        self.rows = rows
        self.warnings = warnings
    }

    /// Reads CSV, TSV or XLSX (UTF-8, Shift_JIS/CP932 or EUC-JP detected). The first row is the header.
    public static func read(data: Data, path: String) throws -> CommentTable {
        let (all, warnings) = try SpreadsheetTable.rows(data: data, path: path)
        guard let first = all.first, first.contains(where: { !$0.isEmpty }) else { throw ListeningError.noHeader(path) }
        var header = first.map { $0.trimmingWhitespace() }
        for i in header.indices where header[i].isEmpty { header[i] = "列\(i + 1)" }
        return CommentTable(path: path, header: header, rows: Array(all.dropFirst()), warnings: warnings)
    }

    /// The index of a named column (exact, then case- and width-insensitive).
    public func column(named name: String) throws -> Int {
        if let i = header.firstIndex(of: name) { return i }
        let wanted = TextNormalizer.normalize(name).lowercased()
        if let i = header.firstIndex(where: { TextNormalizer.normalize($0).lowercased() == wanted }) { return i }
        throw ListeningError.unknownColumn(name, available: header)
    }

    /// Names that usually hold the comment itself (Kouchou-AI and Polis use `comment-body`).
    static let commentNames: Set<String> = [
        "comment-body", "comment", "comments", "text", "body", "opinion", "意見", "ご意見", "コメント", "本文", "内容",
        "意見内容", "ご意見の内容", "自由記述", "回答", "要望", "感想",
    ]
    static let idNames: Set<String> = ["comment-id", "id", "no", "no.", "番号", "整理番号", "通し番号", "id番号"]
    static let moderationNames: Set<String> = ["moderated", "moderation", "承認", "公開可否"]
    static let attributeNames: Set<String> = [
        "年代", "年齢", "性別", "地域", "居住地", "居住区", "区", "地区", "職業", "属性", "立場", "age", "gender", "sex", "region",
        "area", "district", "occupation",
    ]

    private func key(_ i: Int) -> String { TextNormalizer.normalize(header[i]).lowercased() }

    /// Mean length in characters of a column's non-empty cells (over the first 2,000 rows).
    public func meanLength(_ column: Int) -> Double {
        var total = 0
        var n = 0
        for row in rows.prefix(2_000) where column < row.count && !row[column].isEmpty {
            total += row[column].count
            n += 1
        }
        return n == 0 ? 0 : Double(total) / Double(n)
    }

    private func numericShare(_ column: Int) -> Double {
        let cells = rows.prefix(2_000).compactMap { column < $0.count && !$0[column].isEmpty ? $0[column] : nil }
        guard !cells.isEmpty else { return 0 }
        return Double(cells.filter { Double($0.replacingOccurrences(of: ",", with: "")) != nil }.count) / Double(cells.count)
    }

    /// The comment column: a column named like one when its cells are text, else the column with the
    /// longest mean text. Nil when no column has text.
    public func suggestedCommentColumn() -> Int? {
        let candidates = header.indices.filter { numericShare($0) < 0.5 && meanLength($0) >= 2 }
        if let named = candidates.first(where: { Self.commentNames.contains(key($0)) }), meanLength(named) >= 4 {
            return named
        }
        return candidates.max { (meanLength($0), -$0) < (meanLength($1), -$1) }
    }

    public func suggestedIDColumn(excluding comment: Int) -> Int? {
        header.indices.first { $0 != comment && Self.idNames.contains(key($0)) }
    }

    public func moderationColumn() -> Int? {
        header.indices.first { Self.moderationNames.contains(key($0)) }
    }

    /// Attribute columns: named like one (年代, 地域, 性別…), or categorical with 2–20 distinct values that
    /// repeat; never the comment, id or moderation column.
    public func suggestedAttributeColumns(excluding used: Set<Int>) -> [Int] {
        header.indices.filter { i in
            guard !used.contains(i) else { return false }
            if Self.attributeNames.contains(key(i)) { return true }
            let values = rows.prefix(5_000).compactMap { i < $0.count && !$0[i].isEmpty ? $0[i] : nil }
            guard values.count >= 10 else { return false }
            let distinct = Set(values).count
            return distinct >= 2 && distinct <= 20 && distinct * 3 <= values.count && numericShare(i) < 1
                && meanLength(i) <= 20
        }
    }
}

/// One comment as it entered the pipeline (before masking).
public struct InputComment: Sendable, Equatable, Codable {
    public var row: Int
    public var sourceID: String
    public var text: String
    public var attributes: [String: String]

    public init(row: Int, sourceID: String, text: String, attributes: [String: String] = [:]) {
        self.row = row
        self.sourceID = sourceID
        self.text = text
        self.attributes = attributes
    }
}

/// The comments chosen from a table, with what was dropped.
public struct CommentSelection: Sendable, Equatable {
    public var commentColumn: String
    public var attributeColumns: [String]
    public var comments: [InputComment]
    public var rows: Int
    public var droppedEmpty: Int
    public var droppedModerated: Int
}

extension CommentTable {
    /// Picks the comment column (named, or suggested) and attribute columns (named, or suggested), drops
    /// empty rows and rows moderated out (`-1`, 「非公開」, 「却下」), and counts both.
    public func select(commentColumn: String? = nil, attributeColumns: [String]? = nil) throws -> CommentSelection {
        let comment: Int
        if let name = commentColumn {
            comment = try column(named: name)
        } else {
            guard let suggested = suggestedCommentColumn() else { throw ListeningError.noTextColumn(path) }
            comment = suggested
        }
        let id = suggestedIDColumn(excluding: comment)
        let moderation = moderationColumn()
        let attributes: [Int]
        if let names = attributeColumns {
            attributes = try names.map { try column(named: $0) }
        } else {
            attributes = suggestedAttributeColumns(excluding: Set([comment] + [id, moderation].compactMap { $0 }))
        }
        var kept: [InputComment] = []
        var empty = 0
        var moderated = 0
        for (r, row) in rows.enumerated() {
            if let m = moderation, m < row.count, ["-1", "非公開", "却下", "非承認", "rejected"].contains(row[m]) {
                moderated += 1
                continue
            }
            let text = comment < row.count ? row[comment].trimmingWhitespace() : ""
            guard !text.isEmpty else {
                empty += 1
                continue
            }
            var values: [String: String] = [:]
            for a in attributes where a < row.count && !row[a].isEmpty { values[header[a]] = row[a] }
            let sourceID = id.flatMap { $0 < row.count && !row[$0].isEmpty ? row[$0] : nil } ?? String(r + 1)
            kept.append(InputComment(row: r + 1, sourceID: sourceID, text: text, attributes: values))
        }
        guard !kept.isEmpty else { throw ListeningError.noComments(path, empty: empty, moderated: moderated) }
        return CommentSelection(
            commentColumn: header[comment], attributeColumns: attributes.map { header[$0] }, comments: kept,
            rows: rows.count, droppedEmpty: empty, droppedModerated: moderated)
    }
}
