import Foundation

/// The opinion → cluster table for 議会・庁内 reporting: one row per opinion with its comment, clusters
/// (ids and labels) and the comment's attributes. UTF-8 with a BOM so that Excel opens it correctly.
public enum OpinionsTable {
    public static func csv(_ result: ListeningResult) -> Data {
        let attributes = result.parameters.attributeColumns
        var header = ["意見ID", "コメントID", "行", "意見", "大分類ID", "大分類", "小分類ID", "小分類", "重複件数"]
        header += attributes
        header.append("コメント本文")
        let labels = Dictionary(uniqueKeysWithValues: result.clusters.map { ($0.id, $0.label) })
        let groupSize = Dictionary(uniqueKeysWithValues: result.duplicates.map { ($0.id, $0.count) })
        var lines = [header.map(field).joined(separator: ",")]
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
            lines.append(row.map(field).joined(separator: ","))
        }
        return Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula.
    static func field(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
