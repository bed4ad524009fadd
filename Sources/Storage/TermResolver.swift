import Foundation
import GRDB
import Search

/// Maps term keys to their global ids, adding new terms. Ids are never reused or changed once committed,
/// so a process-wide cache of ids read from the table is safe; ids a transaction inserts are kept out of it
/// (the transaction may roll back), and each analyzer's own id cache is dropped when its write fails.
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
                found.append((key, id))  // committed by an earlier transaction: safe to share
            } else {
                // Not shared until committed: this transaction may still roll back.
                try insert.execute(arguments: [key])
                out[i] = db.lastInsertedRowID
            }
        }
        lock.withLock {
            if cache.count > 4_000_000 { cache.removeAll() }  // bound memory on very large indexes
            for (k, v) in found { cache[k] = v }
        }
        return out
    }

    /// Resolves the local ids of one analyzer, building a key String only for ids it has not seen yet,
    /// so the indexing path does not make a String per token.
    func resolve(localIDs: [Int32], analyzer: IndexingAnalyzer, in db: Database) throws -> [Int64] {
        if analyzer.globalIDs.count < analyzer.interner.count {
            analyzer.globalIDs.append(contentsOf: repeatElement(0, count: analyzer.interner.count - analyzer.globalIDs.count))
        }
        let missing = localIDs.filter { analyzer.globalIDs[Int($0)] == 0 }
        if !missing.isEmpty {
            let ids = try resolve(missing.map { analyzer.key($0) }, in: db)
            for (local, global) in zip(missing, ids) { analyzer.globalIDs[Int(local)] = global }
        }
        return localIDs.map { analyzer.globalIDs[Int($0)] }
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
