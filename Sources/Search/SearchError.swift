import HirobaCore

/// Errors raised by query parsing and index reading.
public enum SearchError: HirobaError, Equatable {
    case emptyQuery
    case corruptIndex(String)

    public var message: String {
        switch self {
        case .emptyQuery: "検索語が空です (the query has no searchable words)."
        case .corruptIndex(let part): "検索インデックスが壊れています (corrupt search index: \(part))."
        }
    }

    public var fix: String {
        switch self {
        case .emptyQuery: "Type at least one word, or a \"quoted phrase\"; exclusions (-word) alone match nothing."
        case .corruptIndex: "Rebuild the index with `hiroba reindex`, or restore the database from a backup."
        }
    }
}
