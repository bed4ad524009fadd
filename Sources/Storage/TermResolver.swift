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

    /// Resolves keys inside the caller's write transaction; keys it inserts are appended to `added`, to
    /// be shared through `remember` once the transaction has committed.
    func resolve(_ keys: [String], added: inout [(String, Int64)], in db: Database) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: keys.count)
        var missing: [Int] = []
        lock.withLock {
            for (i, key) in keys.enumerated() {
                if let id = cache[key] { out[i] = id } else { missing.append(i) }
            }
        }
        if missing.isEmpty { return out }
        // Committed terms are all in the cache (unless it was trimmed), so a miss is usually a new term:
        // try the insert first and look the id up only when the term was there after all.
        let insert = try RawStatement(db, "INSERT INTO search_terms (term) VALUES (?) ON CONFLICT (term) DO NOTHING")
        let select = try RawStatement(db, "SELECT id FROM search_terms WHERE term = ?")
        var found: [(String, Int64)] = []
        for i in missing {
            let key = keys[i]
            insert.bind(1, key)
            try insert.run()
            if insert.changes == 1 {
                out[i] = insert.lastInsertedRowID
                added.append((key, out[i]))  // shared only once committed: this transaction may roll back
            } else {
                select.bind(1, key)
                guard try select.step() else {
                    select.reset()
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "search term \(key) was neither inserted nor found")
                }
                out[i] = select.int64(0)
                select.reset()
                found.append((key, out[i]))  // committed by an earlier transaction: safe to share
            }
        }
        remember(found)
        return out
    }

    /// Shares term ids that are committed.
    func remember(_ pairs: [(String, Int64)]) {
        guard !pairs.isEmpty else { return }
        lock.withLock {
            if cache.count + pairs.count > 4_000_000 { cache.removeAll() }  // bound memory on very large indexes
            for (k, v) in pairs { cache[k] = v }
        }
    }

    /// Resolves the local ids of one analyzer, building a key String only for ids it has not seen yet,
    /// so the indexing path does not make a String per token.
    func resolve(localIDs: [Int32], analyzer: IndexingAnalyzer, added: inout [(String, Int64)], in db: Database) throws -> [Int64] {
        if analyzer.globalIDs.count < analyzer.interner.count {
            analyzer.globalIDs.append(contentsOf: repeatElement(0, count: analyzer.interner.count - analyzer.globalIDs.count))
        }
        let missing = localIDs.filter { analyzer.globalIDs[Int($0)] == 0 }
        if !missing.isEmpty {
            let ids = try resolve(missing.map { analyzer.key($0) }, added: &added, in: db)
            for (local, global) in zip(missing, ids) { analyzer.globalIDs[Int(local)] = global }
        }
        return localIDs.map { analyzer.globalIDs[Int($0)] }
    }

    /// Looks keys up without adding (queries). Unknown keys map to nil.
    func lookup(_ keys: [String], in db: Database) throws -> [Int64?] {
        var out = [Int64?](repeating: nil, count: keys.count)
        let select = try db.cachedStatement(sql: "SELECT id FROM search_terms WHERE term = ?")
        var found: [(String, Int64)] = []
        lock.withLock {
            for (i, key) in keys.enumerated() { out[i] = cache[key] }
        }
        for (i, key) in keys.enumerated() where out[i] == nil {
            out[i] = try Int64.fetchOne(select, arguments: [key])
            // Read in a read transaction, so committed: later queries take it from the cache.
            if let id = out[i] { found.append((key, id)) }
        }
        remember(found)
        return out
    }

    /// Forget everything: called when a write transaction that may have added terms failed.
    func invalidate() { lock.withLock { cache.removeAll() } }
}
