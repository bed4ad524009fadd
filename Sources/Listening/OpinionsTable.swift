import Foundation
import Ingest

/// The opinion → cluster table for 議会・庁内 reporting: one row per opinion with its comment, clusters
/// (ids and labels) and the comment's attributes, as CSV (UTF-8 with a BOM so that Excel opens it correctly)
/// or as an Excel workbook (text cells, bold frozen header with a filter).
public enum OpinionsTable {
    /// The header, then one row per opinion; every row as wide as the header.
    static func table(_ result: ListeningResult) -> [[String]] {
        let attributes = result.parameters.attributeColumns
        var header = ["意見ID", "コメントID", "行", "意見", "大分類ID", "大分類", "小分類ID", "小分類", "重複件数"]
        header += attributes
        header.append("コメント本文")
        let labels = Dictionary(uniqueKeysWithValues: result.clusters.map { ($0.id, $0.label) })
        let groupSize = Dictionary(uniqueKeysWithValues: result.duplicates.map { ($0.id, $0.count) })
        var rows = [header]
        rows.reserveCapacity(result.opinions.count + 1)
        for opinion in result.opinions {
            let comment = result.comments[opinion.comment]
            let coarse = opinion.clusters.first ?? ""
            let fine = opinion.clusters.count > 1 ? opinion.clusters[1] : ""
            var row = [
                String(opinion.id), comment.sourceID, String(comment.row), opinion.text, coarse, labels[coarse] ?? "", fine,
                labels[fine] ?? "", String(comment.duplicateGroup.flatMap { groupSize[$0] } ?? 1),
            ]
            row += attributes.map { comment.attributes[$0] ?? "" }
            row.append(comment.text)
            rows.append(row)
        }
        return rows
    }

    public static func csv(_ result: ListeningResult) -> Data {
        let lines = table(result).map { $0.map(field).joined(separator: ",") }
        return Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// The table as a one-sheet workbook 「意見一覧」. Cells are stored as text, never as formulas, so no
    /// prefix is needed: a comment starting with = shows as typed.
    public static func xlsx(_ result: ListeningResult) throws -> Data {
        let rows = table(result)
        return try XlsxWriter.workbook(sheetName: "意見一覧", rows: rows, columnWidths: columnWidths(rows))
    }

    /// Excel column widths: fixed for the id, cluster and text columns (wide for 意見 and コメント本文, whose
    /// longer cells wrap), fitted to the values for the attributes; room for the header and its filter button.
    static func columnWidths(_ rows: [[String]]) -> [Double] {
        guard let header = rows.first else { return [] }
        let fixed: [String: Double] = [
            "意見ID": 9, "コメントID": 13, "行": 7, "意見": 50, "大分類ID": 11, "大分類": 24, "小分類ID": 11, "小分類": 28,
            "重複件数": 11, "コメント本文": 70,
        ]
        return header.enumerated().map { i, name in
            if i < 9 || i == header.count - 1, let width = fixed[name] { return width }
            let widest = rows.dropFirst().lazy.map { i < $0.count ? XlsxWriter.displayWidth($0[i]) : 0 }.max() ?? 0
            return Double(min(max(XlsxWriter.displayWidth(name) + 4, widest + 2, 8), 30))
        }
    }

    /// RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula.
    static func field(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
