import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the bulk-insert loops of indexing, where
/// building `StatementArguments` per row cost more than SQLite itself. Lives inside one write
/// transaction of the connection it was prepared on; finalized on deinit.
final class RawStatement {
    private let handle: OpaquePointer

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "closed") }
        var statement: OpaquePointer? = nil
        let rc = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bind(_ index: Int32, _ value: UnsafeBufferPointer<UInt8>) {
        sqlite3_bind_blob(handle, index, value.baseAddress, Int32(value.count), Self.transient)
    }
    func bind(_ index: Int32, _ value: String) {
        var text = value
        _ = text.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Runs the statement once: true when it produced a row (read it with `int64(_:)`), false when done.
    /// Bindings stay for the next run; call `reset()` before binding again.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
        sqlite3_reset(handle)
        throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The current row's blob column, valid only during `body`.
    func withBlob<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let base = sqlite3_column_blob(handle, column) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }

    func reset() { sqlite3_reset(handle) }

    /// Executes an insert/update and resets, ready for the next row.
    func run() throws {
        defer { sqlite3_reset(handle) }
        try step()
    }

    var changes: Int { Int(sqlite3_changes(sqlite3_db_handle(handle))) }
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(sqlite3_db_handle(handle)) }
}
