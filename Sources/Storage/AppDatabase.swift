import Foundation
import GRDB

/// The embedded SQLite store: one `DatabasePool` in WAL mode (readers never block the writer),
/// migrated on open. Two processes may write to one file at once; SQLite serialises them and each waits
/// up to `busyTimeout` for the other.
public final class AppDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String

    public init(path: String, busyTimeout: TimeInterval = 60) throws {
        self.path = path
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

    /// Total size on disk of the database and its WAL.
    public var fileBytes: Int {
        [path, path + "-wal"].reduce(0) { sum, p in
            sum + ((try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0)
        }
    }
}
