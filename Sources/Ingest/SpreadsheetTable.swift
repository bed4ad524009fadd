import Foundation
import HirobaCore

/// The rows of a spreadsheet-like file (CSV, TSV or the first non-empty sheet of an XLSX workbook), for
/// features that read records rather than documents: listening's comment files.
public enum SpreadsheetTable {
    /// Rows with the header first, each padded to the widest row, and warnings (a legacy encoding detected,
    /// other sheets ignored). Throws `IngestError` with a message and a fix for anything unreadable.
    public static func rows(
        data: Data, path: String, limits: ExtractionLimits = ExtractionLimits(maxExtractedCharacters: 400_000_000)
    ) throws -> (rows: [[String]], warnings: [String]) {
        guard data.count <= limits.maxFileBytes else {
            throw IngestError.tooLarge(path, bytes: data.count, limit: limits.maxFileBytes)
        }
        let ext = (path as NSString).pathExtension.lowercased()
        var rows: [[String]]
        var warnings: [String] = []
        switch ext {
        case "xlsx", "xlsm":
            let document = try XlsxExtractor.extract(data: data, path: path, limits: limits)
            var tables: [(sheet: String, rows: [[String]])] = []
            var sheet = ""
            for block in document.blocks {
                if block.headingLevel != nil { sheet = block.text }
                if case .table(let r) = block.kind { tables.append((sheet, r)) }
            }
            guard let first = tables.first else { throw IngestError.emptyFile(path) }
            rows = first.rows
            if tables.count > 1 {
                warnings.append("ブック内の最初のシート「\(first.sheet)」を読み込みました (他 \(tables.count - 1) シートは対象外)")
            }
        case "csv", "tsv", "txt", "":
            (rows, warnings) = try DelimitedTextExtractor.table(
                data: data, path: path, tab: ext == "tsv", limit: limits.maxExtractedCharacters)
        default:
            throw IngestError.unsupportedType(path, ext: ext)
        }
        let width = rows.map(\.count).max() ?? 0
        for i in rows.indices where rows[i].count < width {
            rows[i] += Array(repeating: "", count: width - rows[i].count)
        }
        return (rows, warnings)
    }
}
