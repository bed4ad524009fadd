import HirobaCore

/// Errors raised by query parsing and index reading.
public enum SearchError: HirobaError, Equatable {
    case emptyQuery
    case corruptIndex(String)
    case invalidParameter(String)

    public var message: String {
        switch self {
        case .emptyQuery: "検索語が空です (the query has no searchable words)."
        case .corruptIndex(let part): "検索インデックスが壊れています (corrupt search index: \(part))."
        case .invalidParameter(let p): "ランキングのパラメータが不正です: \(p)"
        }
    }

    public var fix: String {
        switch self {
        case .emptyQuery: "Type at least one word, or a \"quoted phrase\"; exclusions (-word) alone match nothing."
        case .corruptIndex: "Restore the database from a backup, or re-ingest the documents into a new database."
        case .invalidParameter:
            "Use key=value pairs separated by commas; keys: wordK1, wordB, gramK1, gramB, wordWeight, gramWeight."
        }
    }
}
