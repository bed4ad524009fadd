import Foundation
import GRDB
import Search

/// Maps term keys to their global ids, adding new terms. Ids are never reused or changed once committed,
/// so a process-wide cache of ids read from the table is safe; ids a transaction inserts are kept out of it
/// (the transaction may roll back), and each analyzer's own id cache is dropped when its write fails.
final class TermResolver: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: [UTF8Key: Int64] = [:]
    /// Query keys no indexed chunk had at index generation `absentGeneration`. Terms are added only by
    /// transactions that write a segment, and every segment write bumps the generation, so a key absent at
    /// the current generation is still absent (a term added without postings reads the same as a missing one).
    private var absent: Set<UTF8Key> = []
    private var absentGeneration: Int64 = -1

    /// Resolves keys inside the caller's write transaction; keys it inserts are appended to `added`, to
    /// be shared through `remember` once the transaction has committed.
    func resolve(_ keys: [String], added: inout [(String, Int64)], in db: Database) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: keys.count)
        var missing: [Int] = []
        lock.withLock {
            for (i, key) in keys.enumerated() {
                if let id = cache[UTF8Key(key)] { out[i] = id } else { missing.append(i) }
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
            for (k, v) in pairs { cache[UTF8Key(k)] = v }
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

    /// Looks keys up without adding (queries), inside a read transaction that sees index generation
    /// `generation`. Unknown keys map to nil; they are remembered as unknown until the generation changes.
    /// With no database (a search served from the caches), a key neither cached nor known absent throws `CacheMiss`.
    func lookup(_ keys: [String], generation: Int64, in db: Database?) throws -> [Int64?] {
        var out = [Int64?](repeating: nil, count: keys.count)
        var unknown: [Int] = []
        lock.withLock {
            if absentGeneration != generation {
                absent.removeAll(keepingCapacity: true)
                absentGeneration = generation
            }
            for (i, key) in keys.enumerated() {
                let k = UTF8Key(key)
                if let id = cache[k] { out[i] = id } else if !absent.contains(k) { unknown.append(i) }
            }
        }
        if unknown.isEmpty { return out }
        guard let db else { throw CacheMiss() }
        let select = try db.cachedStatement(sql: "SELECT id FROM search_terms WHERE term = ?")
        var found: [(String, Int64)] = []
        var missing: [UTF8Key] = []
        for i in unknown {
            out[i] = try Int64.fetchOne(select, arguments: [keys[i]])
            // Read in a read transaction, so committed: later queries take it from the cache.
            if let id = out[i] { found.append((keys[i], id)) } else { missing.append(UTF8Key(keys[i])) }
        }
        remember(found)
        if !missing.isEmpty {
            lock.withLock {
                guard absentGeneration == generation else { return }
                if absent.count + missing.count > 100_000 { absent.removeAll() }  // bound memory against endless novel queries
                absent.formUnion(missing)
            }
        }
        return out
    }

    /// Forget everything: called when a write transaction that may have added terms failed.
    func invalidate() {
        lock.withLock {
            cache.removeAll()
            absent.removeAll()
            absentGeneration = -1
        }
    }
}

/// A string key compared and hashed by its UTF-8 bytes. Term keys come out of the normalizer and SQLite
/// compares them as bytes; String's own hashing normalizes every non-ASCII string first (a large part of a
/// dictionary lookup of a Japanese key).
struct UTF8Key: Hashable {
    let text: String
    init(_ text: String) { self.text = text }
    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
    static func == (a: UTF8Key, b: UTF8Key) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { p in
            y.withUTF8 { q in p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
        }
    }
}
