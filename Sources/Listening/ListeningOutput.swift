import Foundation

/// The files of a run: `result.json` (the full result, byte-identical for identical runs), `opinions.csv` and
/// `opinions.xlsx` (the opinion → cluster table as CSV and as an Excel workbook, both byte-identical for
/// identical runs) and `report.html` (self-contained).
public enum ListeningOutput {
    public static let files = ["report.html", "result.json", "opinions.csv", "opinions.xlsx"]

    public static func json(_ result: ListeningResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(result)
    }

    public static func decode(_ data: Data, path: String) throws -> ListeningResult {
        do {
            let result = try JSONDecoder().decode(ListeningResult.self, from: data)
            guard result.format == ListeningResult.currentFormat else {
                throw ListeningError.badResult(path, reason: "format \(result.format)")
            }
            return result
        } catch let error as ListeningError {
            throw error
        } catch {
            throw ListeningError.badResult(path, reason: "\(error)")
        }
    }

    public static func write(_ result: ListeningResult, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try json(result).write(to: folder.appendingPathComponent("result.json"), options: .atomic)
        try OpinionsTable.csv(result).write(to: folder.appendingPathComponent("opinions.csv"), options: .atomic)
        try OpinionsTable.xlsx(result).write(to: folder.appendingPathComponent("opinions.xlsx"), options: .atomic)
        try Data(ListeningReport.html(result).utf8).write(to: folder.appendingPathComponent("report.html"), options: .atomic)
    }
}
