import HirobaCore

/// Errors from the knowledge store.
public enum StorageError: HirobaError, Equatable {
    case notADatabase(String)
    case cannotOpen(String, reason: String)
    case collectionNotFound(String)
    case documentNotFound(String)
    case invalidName(String)
    case collectionExists(String)
    case listeningProjectNotFound(Int64)

    public var message: String {
        switch self {
        case .notADatabase(let p): "データベースファイルが壊れているか、SQLite のファイルではありません: \(p)"
        case .cannotOpen(let p, let r): "データベースを開けません: \(p) (\(r))"
        case .collectionNotFound(let n): "コレクションが見つかりません: \(n)"
        case .documentNotFound(let d): "文書が見つかりません: \(d)"
        case .invalidName(let n): "コレクション名が不正です: 「\(n)」"
        case .collectionExists(let n): "同じ名前のコレクションが既にあります: \(n)"
        case .listeningProjectNotFound(let id): "広聴プロジェクトが見つかりません: \(id)"
        }
    }

    public var fix: String {
        switch self {
        case .notADatabase:
            "Restore it from a backup, or move it aside and re-ingest into a new file (--db NEW.sqlite). "
                + "Hiroba never overwrites an unreadable database."
        case .cannotOpen: "Check the path, its directory's permissions and free disk space."
        case .collectionNotFound: "List collections with `hiroba collections`."
        case .documentNotFound: "List documents with `hiroba documents --collection NAME`."
        case .invalidName: "Use 1–100 characters without control characters or slashes."
        case .collectionExists: "Choose another name, or upload into the existing collection."
        case .listeningProjectNotFound: "Open the list of listening projects (/listening) and pick one from it."
        }
    }
}
