import Foundation
import GRDB
import GRDBSQLite

/// The embedded SQLite store: one `DatabasePool` in WAL mode (readers never block the writer),
/// migrated on open. Two processes may write to one file at once; SQLite serialises them and each waits
/// up to `busyTimeout` for the other.
public final class AppDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String
    private let watch: VersionWatch

    public init(path: String, busyTimeout: TimeInterval = 60) throws {
        self.path = path
        watch = VersionWatch(path: path)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA mmap_size = \(ProcessInfo.processInfo.environment["HIROBA_SQLITE_MMAP"] ?? "1073741824")")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Migrations.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw Self.map(error, path: path)
        }
    }

    static func map(_ error: DatabaseError, path: String) -> Error {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: StorageError.notADatabase(path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_FULL:
            StorageError.cannotOpen(path, reason: error.message ?? "\(error.resultCode)")
        default: error
        }
    }

    /// Runs `body` in a write transaction, mapping SQLite corruption to a clear error.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let error as DatabaseError { throw Self.map(error, path: path) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError { throw Self.map(error, path: path) }
    }

    /// A number that changes whenever anything is committed to the database by another connection: this
    /// process's writer or another process (`hiroba users disable` while the server runs). Caches of data
    /// derived from the database (an API token's user, a user's read scope) hold it and are used only while
    /// it is unchanged. SQLite's `PRAGMA data_version` on a connection of its own that never writes.
    public func dataVersion() throws -> Int64 {
        do { return try watch.version() } catch let error as DatabaseError { throw Self.map(error, path: path) }
    }

    /// Total size on disk of the database and its WAL.
    public var fileBytes: Int {
        [path, path + "-wal"].reduce(0) { sum, p in
            sum + ((try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0)
        }
    }
}

/// The connection behind `AppDatabase.dataVersion()`, opened on first use: SQLite's C API under a lock (every
/// request asks, so GRDB's queue hop and statement lookup were most of the cost).
private final class VersionWatch: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var connection: OpaquePointer?
    private var statement: OpaquePointer?

    init(path: String) { self.path = path }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(connection)
    }

    private func fail(_ rc: Int32, _ sql: String? = nil) -> DatabaseError {
        let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
        return DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: sql)
    }

    func version() throws -> Int64 {
        try lock.withLock {
            if statement == nil {
                let sql = "PRAGMA data_version"
                if connection == nil {
                    var opened: OpaquePointer? = nil
                    let rc = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
                    connection = opened
                    guard rc == SQLITE_OK else {
                        let error = fail(rc)
                        sqlite3_close_v2(opened)
                        connection = nil
                        throw error
                    }
                    sqlite3_busy_timeout(opened, 60_000)
                }
                var prepared: OpaquePointer? = nil
                let rc = sqlite3_prepare_v2(connection, sql, -1, &prepared, nil)
                guard rc == SQLITE_OK, let prepared else { throw fail(rc, sql) }
                statement = prepared
            }
            // Not in a transaction: the statement's own read sees every commit made before it.
            defer { sqlite3_reset(statement) }
            let rc = sqlite3_step(statement)
            guard rc == SQLITE_ROW else { throw fail(rc, "PRAGMA data_version") }
            return sqlite3_column_int64(statement, 0)
        }
    }
}

/// Values derived from the database, each valid for the data version it was read at (see
/// `AppDatabase.dataVersion()`): a lookup with any other version misses, and the first entry stored for a
/// new version drops the old ones. Read the version before reading the data it is stored with, so an entry
/// can only ever be tagged older than its data, never newer.
final class VersionedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var version: Int64 = .min
    private var values: [Key: Value] = [:]
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func value(_ key: Key, version: Int64) -> Value? {
        lock.withLock { version == self.version ? values[key] : nil }
    }

    func store(_ value: Value, for key: Key, version: Int64) {
        lock.withLock {
            if version != self.version || values.count >= limit {
                values.removeAll(keepingCapacity: true)
                self.version = version
            }
            values[key] = value
        }
    }
}
