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
    case tooMuchText(String, characters: Int, limit: Int)
    case noExtractableText(String, pages: [Int])
    case encrypted(String)
    case corrupt(String, format: String, reason: String)
    case compressionBomb(String, entry: String, expanded: Int, limit: Int)
    case undecodable(String, tried: [String])
    case toolMissing(String, tool: String, package: String)
    case timedOut(String, seconds: Double)

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
        case .tooMuchText(let p, let n, let limit): "抽出したテキストが上限を超えました (\(n) 文字 > \(limit)): \(p)"
        case .noExtractableText(let p, let pages):
            pages.isEmpty
                ? "テキストを抽出できませんでした（スキャン画像のみの PDF と思われます）: \(p)"
                : "テキストを抽出できませんでした（全 \(pages.count) ページがスキャン画像と思われます）: \(p)"
        case .encrypted(let p): "パスワードで保護されたファイルです: \(p)"
        case .corrupt(let p, let format, let reason): "\(format) ファイルが壊れているか、\(format) ではありません (\(reason)): \(p)"
        case .compressionBomb(let p, let entry, let expanded, let limit):
            "展開後のサイズが上限を超えるため取り込みを中止しました (\(entry): \(expanded) bytes > \(limit)、ZIP 爆弾の疑い): \(p)"
        case .undecodable(let p, let tried): "文字コードを判定できません（試したもの: \(tried.joined(separator: ", "))）: \(p)"
        case .toolMissing(let p, let tool, _): "\(tool) が見つからないため読めません: \(p)"
        case .timedOut(let p, let seconds): "抽出が \(Int(seconds)) 秒以内に終わりませんでした: \(p)"
        }
    }

    public var fix: String {
        switch self {
        case .missingPath: "Check the path (quote paths with spaces) and that the file still exists."
        case .unreadable: "Check the file's permissions and that it is a regular file."
        case .emptyFile: "Nothing to index: add content to the file or leave it out."
        case .binaryFile: "This file has a text extension but binary content; export it again as text, or give it its real extension (.pdf, .docx, .xlsx …)."
        case .notUTF8(let p, let enc):
            "Convert it to UTF-8 first, e.g. `iconv -f \(enc == "EUC-JP" ? "EUC-JP" : "CP932") -t UTF-8 '\(p)' > out.txt`."
        case .unsupportedType:
            "Supported: .txt .md .pdf .docx .xlsx .pptx .html .csv .tsv. Save legacy .doc/.xls/.ppt in the Office Open XML format, or leave the file out."
        case .tooLarge: "Split the file, or raise the limit with --max-file-bytes."
        case .changedDuringRead: "Run the ingest again once the file is no longer being written."
        case .tooMuchText: "Split the file (e.g. one workbook per year), or raise the limit with --max-extracted-chars."
        case .noExtractableText: "Run OCR on the PDF first (e.g. `ocrmypdf -l jpn in.pdf out.pdf`), then ingest the result."
        case .encrypted: "Remove the password (e.g. `qpdf --decrypt --password=… in.pdf out.pdf`) or ask the author for an unprotected copy."
        case .corrupt: "Open and save the file again in its application, or check that the download or copy finished."
        case .compressionBomb: "If the file is genuine, raise --max-expanded-bytes; otherwise delete it."
        case .undecodable: "Save the file as UTF-8 (Excel: 「CSV UTF-8（コンマ区切り）」), or convert mixed parts separately."
        case .toolMissing(_, _, let package): "Install it (`sudo apt-get install \(package)`, done by scripts/install-deps.sh)."
        case .timedOut: "The file may be damaged or very complex; check it, or raise --pdf-timeout."
        }
    }
}
