import Foundation
import GRDB

/// Maps term keys to their global ids, adding new terms. Ids are never reused or changed once committed,
/// so a process-wide cache is safe; it is cleared when a transaction that added terms rolls back.
final class TermResolver: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: [String: Int64] = [:]
    private var pending: [String] = []

    /// Resolves keys inside the caller's write transaction.
    func resolve(_ keys: [String], in db: Database) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: keys.count)
        var missing: [Int] = []
        lock.withLock {
            for (i, key) in keys.enumerated() {
                if let id = cache[key] { out[i] = id } else { missing.append(i) }
            }
        }
        if missing.isEmpty { return out }
        let select = try db.cachedStatement(sql: "SELECT id FROM search_terms WHERE term = ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO search_terms (term) VALUES (?)")
        var found: [(String, Int64)] = []
        for i in missing {
            let key = keys[i]
            if let id = try Int64.fetchOne(select, arguments: [key]) {
                out[i] = id
            } else {
                try insert.execute(arguments: [key])
                out[i] = db.lastInsertedRowID
            }
            found.append((key, out[i]))
        }
        lock.withLock { for (k, v) in found { cache[k] = v } }
        return out
    }

    /// Looks keys up without adding (queries). Unknown keys map to nil.
    func lookup(_ keys: [String], in db: Database) throws -> [Int64?] {
        var out = [Int64?](repeating: nil, count: keys.count)
        let select = try db.cachedStatement(sql: "SELECT id FROM search_terms WHERE term = ?")
        for (i, key) in keys.enumerated() {
            if let id = lock.withLock({ cache[key] }) {
                out[i] = id
            } else {
                out[i] = try Int64.fetchOne(select, arguments: [key])
            }
        }
        return out
    }

    /// Forget everything: called when a write transaction that may have added terms failed.
    func invalidate() { lock.withLock { cache.removeAll() } }
}
