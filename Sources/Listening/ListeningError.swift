import HirobaCore

/// Errors of the listening pipeline. Each says what happened and what to do.
public enum ListeningError: HirobaError, Equatable {
    case noHeader(String)
    case unknownColumn(String, available: [String])
    case noTextColumn(String)
    case noComments(String, empty: Int, moderated: Int)
    case badClusterCounts(String)
    case badSeedOrDimensions(String)
    case cacheUnreadable(String, reason: String)
    case badResult(String, reason: String)
    case badEvaluationLine(line: Int, reason: String)

    public var message: String {
        switch self {
        case .noHeader(let p): "\(p) に見出し行がありません (1 行目が列名である必要があります)"
        case .unknownColumn(let name, let available):
            "列「\(name)」がありません。ある列: \(available.map { "「\($0)」" }.joined(separator: "、"))"
        case .noTextColumn(let p): "\(p) にコメント本文らしい列 (文章の入った列) が見つかりません"
        case .noComments(let p, let empty, let moderated):
            "\(p) に分析できるコメントがありません (空欄 \(empty) 行、非承認 \(moderated) 行を除外)"
        case .badClusterCounts(let s): "クラスター数の指定が正しくありません: \(s)"
        case .badSeedOrDimensions(let s): "パラメータが正しくありません: \(s)"
        case .cacheUnreadable(let p, let reason): "キャッシュを読めません: \(p) (\(reason))"
        case .badResult(let p, let reason): "分析結果ファイルを読めません: \(p) (\(reason))"
        case .badEvaluationLine(let line, let reason): "評価データの \(line) 行目が正しくありません: \(reason)"
        }
    }

    public var fix: String {
        switch self {
        case .noHeader: "Put the column names (e.g. 意見, 年代, 地域) in the first row of the file."
        case .unknownColumn: "Name one of the available columns with --column / --attributes (exact spelling)."
        case .noTextColumn: "Name the comment column with --column NAME."
        case .noComments: "Check that the right column was chosen (--column) and that the file has comments."
        case .badClusterCounts:
            "Give the counts coarse first, e.g. --clusters 6,30 (each ≥ 2, the fine count larger than the coarse)."
        case .badSeedOrDimensions: "Use a non-negative seed and between 2 and 512 dimensions."
        case .cacheUnreadable: "Run again with --force to rebuild the cache, or delete the folder's .cache directory."
        case .badResult: "Give a result.json written by `hiroba listen` (format hiroba.listening/1)."
        case .badEvaluationLine: #"Each line must be a JSON object {"text": "…", "label": "…"} with non-empty strings."#
        }
    }
}
