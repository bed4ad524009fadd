import HirobaCore

/// Why a file could not be ingested. Every case says what to do about it.
public enum IngestError: HirobaError, Equatable {
    case missingPath(String)
    case unreadable(String, reason: String)
    case emptyFile(String)
    case binaryFile(String)
    case notUTF8(String, likelyEncoding: String?)
    case unsupportedType(String, ext: String)
    case tooLarge(String, bytes: Int, limit: Int)
    case changedDuringRead(String)

    public var message: String {
        switch self {
        case .missingPath(let p): "ファイルが見つかりません: \(p)"
        case .unreadable(let p, let reason): "ファイルを読めません: \(p) (\(reason))"
        case .emptyFile(let p): "ファイルが空です: \(p)"
        case .binaryFile(let p): "テキストではないファイルです (binary content): \(p)"
        case .notUTF8(let p, let enc):
            "UTF-8 ではないテキストです\(enc.map { "（\($0) と思われます）" } ?? ""): \(p)"
        case .unsupportedType(let p, let ext): "未対応の形式です (.\(ext)): \(p)"
        case .tooLarge(let p, let bytes, let limit): "ファイルが大きすぎます (\(bytes) bytes > \(limit)): \(p)"
        case .changedDuringRead(let p): "読み込み中にファイルが変更または削除されました: \(p)"
        }
    }

    public var fix: String {
        switch self {
        case .missingPath: "Check the path (quote paths with spaces) and that the file still exists."
        case .unreadable: "Check the file's permissions and that it is a regular file."
        case .emptyFile: "Nothing to index: add content to the file or leave it out."
        case .binaryFile: "Only text and Markdown files are supported for now; export the document as .txt or .md."
        case .notUTF8(let p, let enc):
            "Convert it to UTF-8 first, e.g. `iconv -f \(enc == "EUC-JP" ? "EUC-JP" : "CP932") -t UTF-8 '\(p)' > out.txt`."
        case .unsupportedType: "Supported now: .txt, .md, .markdown. Convert the file or leave it out."
        case .tooLarge: "Split the file, or raise the limit with --max-file-bytes."
        case .changedDuringRead: "Run the ingest again once the file is no longer being written."
        }
    }
}
