import Foundation
import GRDB
import Search

/// Reads and writes the segment index inside SQLite and keeps decoded segment metadata cached between
/// queries, keyed by the index generation that every write bumps.
final class SearchIndexStore: @unchecked Sendable {
    /// Segments beyond this count trigger a merge of the smallest ones after a write, whatever their size.
    let maxSegments: Int
    private let lock = NSLock()
    private var cachedGeneration: Int64 = -1
    private var cachedState: IndexState? = nil
    /// The state last read in a transaction, and the data version read before that transaction began
    /// (`state(version:in:)`).
    private var stateVersion: Int64 = .min
    private var versionedState: IndexState? = nil
    private var docTables: [Int64: SegmentDocTable] = [:]
    /// Parsed (and lazily decoded) postings of recent query terms (default 128 MB).
    let postingsCache: PostingsCache

    /// How many segments of one size level are merged together.
    let mergeFactor: Int

    init(maxSegments: Int = 24, mergeFactor: Int = 8, postingsCacheBytes: Int = 128 << 20) {
        self.maxSegments = maxSegments
        self.mergeFactor = mergeFactor
        postingsCache = PostingsCache(budget: postingsCacheBytes)
    }

    struct LoadedSegment {
        var id: Int64
        var docs: SegmentDocTable
        var deleted: [Bool]?
    }

    struct IndexState {
        var generation: Int64
        var segments: [LoadedSegment]
        var stats: CorpusStats
    }

    // MARK: writing

    static let insertPostings = "INSERT INTO search_postings (segment_id, term_id, df, postings) VALUES (?, ?, ?, ?)"

    /// Writes a built segment: its doc table, then its postings. Inside a transaction.
    @discardableResult
    func writeSegment(_ builder: SegmentBuilder, in db: Database) throws -> Int64 {
        let segmentID = try insertSegment(builder.docs, in: db)
        let insert = try RawStatement(db, Self.insertPostings)
        try builder.forEachEncodedPosting { term, df, blob in
            insert.bind(1, segmentID)
            insert.bind(2, term)
            insert.bind(3, df)
            insert.bind(4, blob)
            try insert.run()
        }
        try bumpGeneration(db)
        return segmentID
    }

    /// A new segment's id is above every id ever used, not just the live ones: SQLite would hand out a
    /// deleted top id again, and cached doc tables and postings are keyed by segment id. Every segment
    /// write bumps the generation, so ids never exceed it and `max(id, generation) + 1` is always fresh.
    private func insertSegment(_ docs: SegmentDocTable, in db: Database) throws -> Int64 {
        let fresh = try Int64.fetchOne(
            db, sql: "SELECT MAX(COALESCE((SELECT MAX(id) FROM search_segments), 0), generation) + 1 FROM search_state WHERE id = 1")
            ?? 1
        try db.execute(
            sql: "INSERT INTO search_segments (id, doc_count, word_tokens, gram_tokens, doc_table) VALUES (?, ?, ?, ?, ?)",
            arguments: [fresh, docs.count, docs.totalWordLength, docs.totalGramLength, Data(docs.encoded())])
        return fresh
    }

    /// Marks every chunk of these documents deleted in the segments that hold them. Positions are found in
    /// the segments' doc tables, so neither ingest nor merges have to keep a position on each chunk row
    /// (rewriting every merged chunk's row, text and all, cost more than the merge itself). Call it before
    /// writing a segment that holds new chunks of the same documents.
    func markDeleted(documentIDs: Set<Int64>, in db: Database) throws {
        guard !documentIDs.isEmpty else { return }
        let insert = try RawStatement(db, "INSERT OR IGNORE INTO search_deletes (segment_id, ordinal) VALUES (?, ?)")
        let segments = try RawStatement(db, "SELECT id, doc_table FROM search_segments ORDER BY id")
        while try segments.step() {
            let id = segments.int64(0)
            let docs = try segments.withBlob(1) { try SegmentDocTable.decode(Array($0)) }
            for (ordinal, document) in docs.documentIDs.enumerated() where documentIDs.contains(document) {
                insert.bind(1, id)
                insert.bind(2, ordinal)
                try insert.run()
            }
        }
        try bumpGeneration(db)
    }

    func bumpGeneration(_ db: Database) throws {
        try db.execute(sql: "UPDATE search_state SET generation = generation + 1 WHERE id = 1")
    }

    /// Segments of similar size are merged `mergeFactor` at a time (a logarithmic policy: level =
    /// ⌊log_F(documents)⌋, and a level that fills up becomes one segment of the next), so a chunk is
    /// re-encoded about log_F(N) times over the life of the index rather than at every merge. Beyond
    /// `maxSegments` the smallest are merged regardless. Inside a transaction.
    func mergeIfNeeded(in db: Database) throws {
        let factor = max(2, min(mergeFactor, maxSegments))
        while true {
            let sizes = try Row.fetchAll(db, sql: "SELECT id, doc_count FROM search_segments ORDER BY doc_count, id")
                .map { (id: $0["id"] as Int64, docs: $0["doc_count"] as Int) }
            var levels: [Int: [Int64]] = [:]
            for s in sizes { levels[Self.level(s.docs, factor: factor), default: []].append(s.id) }
            if let full = levels.keys.sorted().first(where: { levels[$0]!.count >= factor }) {
                try merge(segmentIDs: levels[full]!.sorted(), in: db)
                continue
            }
            if sizes.count > maxSegments {
                try merge(segmentIDs: sizes.prefix(sizes.count - maxSegments + 1).map(\.id).sorted(), in: db)
            }
            return
        }
    }

    static func level(_ documents: Int, factor: Int) -> Int {
        var level = 0
        var bound = factor
        while documents >= bound && level < 30 {
            level += 1
            bound *= factor
        }
        return level
    }

    /// Merges all segments into one, dropping deleted chunks for good.
    func optimize(in db: Database) throws {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM search_segments ORDER BY id")
        let deletes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search_deletes") ?? 0
        if ids.count > 1 || deletes > 0 { try merge(segmentIDs: ids, in: db) }
    }

    /// Merges `segmentIDs` into one new segment: live documents concatenated in segment order, postings
    /// remapped term by term (memory bounded by one term's postings, not the whole index).
    func merge(segmentIDs: [Int64], in db: Database) throws {
        guard !segmentIDs.isEmpty else { return }
        var merged = SegmentDocTable()
        var remaps: [Int64: [Int32]] = [:]
        for id in segmentIDs {
            guard let blob = try Data.fetchOne(db, sql: "SELECT doc_table FROM search_segments WHERE id = ?", arguments: [id])
            else { continue }
            let docs = try SegmentDocTable.decode([UInt8](blob))
            let deleted = Set(try Int.fetchAll(db, sql: "SELECT ordinal FROM search_deletes WHERE segment_id = ?", arguments: [id]))
            var remap = [Int32](repeating: -1, count: docs.count)
            for i in 0..<docs.count where !deleted.contains(i) {
                remap[i] = Int32(merged.count)
                merged.append(
                    chunkID: docs.chunkIDs[i], documentID: docs.documentIDs[i], collectionID: docs.collectionIDs[i],
                    wordLength: Int(docs.wordLengths[i]), gramLength: Int(docs.gramLengths[i]))
            }
            remaps[id] = remap
        }
        let idList = segmentIDs.map(String.init).joined(separator: ",")
        // Segments whose documents were all deleted leave nothing behind, not an empty segment.
        if merged.count > 0 {
            let newID = try insertSegment(merged, in: db)
            // A k-way merge of the segments' postings, each read in term order straight off the
            // (segment_id, term_id) index: no SQL sort of every blob. Segments are concatenated in the order
            // given, so within a term, taking them in that order keeps ordinals ascending.
            try mergePostings(
                segmentIDs, remaps: remaps, merged: merged, into: newID, insert: try RawStatement(db, Self.insertPostings), in: db)
        }
        try db.execute(sql: "DELETE FROM search_segments WHERE id IN (\(idList))")
        try bumpGeneration(db)
    }

    private func mergePostings(
        _ segmentIDs: [Int64], remaps: [Int64: [Int32]], merged: SegmentDocTable, into newID: Int64, insert: RawStatement,
        in db: Database
    ) throws {
        let cursors = try segmentIDs.map { id in
            let cursor = try RawStatement(
                db,
                """
                SELECT p.term_id, p.postings, substr(t.term, 1, 1) = 'g'
                FROM search_postings p JOIN search_terms t ON t.id = p.term_id
                WHERE p.segment_id = \(id) ORDER BY p.term_id
                """)
            return (cursor: cursor, remap: remaps[id] ?? [], live: try cursor.step())
        }
        var live = cursors.map(\.live)
        var postings: [(ordinal: UInt32, tf: UInt32)] = []
        var encoder = PostingsEncoder()
        while true {
            var term = Int64.max
            for (i, c) in cursors.enumerated() where live[i] { term = min(term, c.cursor.int64(0)) }
            if term == .max { break }
            postings.removeAll(keepingCapacity: true)
            var isGram = false
            for (i, c) in cursors.enumerated() where live[i] && c.cursor.int64(0) == term {
                isGram = c.cursor.int64(2) != 0
                let remap = c.remap
                c.cursor.withBlob(1) { p in
                    _ = PostingsCodec.forEach(p) { ord, tf in
                        if ord < remap.count, remap[ord] >= 0 { postings.append((UInt32(remap[ord]), tf)) }
                    }
                }
                live[i] = try c.cursor.step()
            }
            guard !postings.isEmpty else { continue }
            let lengths = isGram ? merged.gramLengths : merged.wordLengths
            encoder.encode(count: postings.count, posting: { postings[$0] }, length: { lengths[Int($0)] })
            insert.bind(1, newID)
            insert.bind(2, term)
            insert.bind(3, postings.count)
            try encoder.output.withUnsafeBufferPointer { blob in
                insert.bind(4, blob)
                try insert.run()
            }
        }
    }

    // MARK: reading

    /// The segments, deletions and statistics at data version `version` (`AppDatabase.dataVersion`, read before
    /// `db`'s transaction began). With no database (a search served from the caches), the state last read in a
    /// transaction that began after the same version was read, else `CacheMiss`: any commit changes the version.
    func state(version: Int64, in db: Database?) throws -> IndexState {
        guard let db else {
            guard let state = lock.withLock({ stateVersion == version ? versionedState : nil }) else { throw CacheMiss() }
            return state
        }
        let state = try state(in: db)
        // Its snapshot is at least as new as `version`: requests that read `version` may use it.
        lock.withLock {
            stateVersion = version
            versionedState = state
        }
        return state
    }

    /// The current segments, deletions and statistics, reloaded only when the generation changed.
    func state(in db: Database) throws -> IndexState {
        let generation = try Int64.fetchOne(db.cachedStatement(sql: "SELECT generation FROM search_state WHERE id = 1")) ?? 0
        if let cached = lock.withLock({ cachedGeneration == generation ? cachedState : nil }) { return cached }
        let rows = try Row.fetchAll(db, sql: "SELECT id, doc_count, word_tokens, gram_tokens FROM search_segments ORDER BY id")
        var deletes: [Int64: [Int]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT segment_id, ordinal FROM search_deletes") {
            deletes[row[0], default: []].append(row[1])
        }
        var segments: [LoadedSegment] = []
        var docs = 0, words = 0, grams = 0
        for row in rows {
            let id: Int64 = row["id"]
            var table = lock.withLock { docTables[id] }
            if table == nil {
                let blob = try Data.fetchOne(db, sql: "SELECT doc_table FROM search_segments WHERE id = ?", arguments: [id]) ?? Data()
                table = try SegmentDocTable.decode([UInt8](blob))
                lock.withLock { docTables[id] = table }
            }
            var deleted: [Bool]? = nil
            if let ords = deletes[id] {
                var mask = [Bool](repeating: false, count: table!.count)
                for o in ords where o < mask.count { mask[o] = true }
                deleted = mask
                for o in ords where o < table!.count {
                    words -= Int(table!.wordLengths[o])
                    grams -= Int(table!.gramLengths[o])
                }
            }
            docs += (row["doc_count"] as Int) - (deletes[id]?.count ?? 0)
            words += row["word_tokens"] as Int
            grams += row["gram_tokens"] as Int
            segments.append(LoadedSegment(id: id, docs: table!, deleted: deleted))
        }
        let live = Set(segments.map(\.id))
        let stats = CorpusStats(
            documentCount: docs, averageWordLength: docs > 0 ? Float(words) / Float(docs) : 1,
            averageGramLength: docs > 0 ? Float(grams) / Float(docs) : 1)
        let state = IndexState(generation: generation, segments: segments, stats: stats)
        lock.withLock {
            docTables = docTables.filter { live.contains($0.key) }
            cachedGeneration = generation
            cachedState = state
        }
        postingsCache.retain(segments: live)
        return state
    }

    /// Parsed postings and document frequencies of term ids across segments. Lists come from the
    /// postings cache when they were read before; a segment's postings never change, and segment ids are
    /// never reused (see `insertSegment`), so a cached list can only be stale once its segment is gone.
    /// With no database (a search served from the caches), a list not in the cache throws `CacheMiss`.
    func postings(termIDs: [Int64?], segments: [LoadedSegment], in db: Database?) throws -> (lists: [[PostingsList?]], df: [Int]) {
        var select: Statement?
        var df = [Int](repeating: 0, count: termIDs.count)
        var lists: [[PostingsList?]] = []
        lists.reserveCapacity(segments.count)
        // Every (segment, term) the query needs, looked up under one lock (one lock a term was ~1 % of a search).
        var keys: [PostingsCache.Key] = []
        keys.reserveCapacity(segments.count * termIDs.count)
        for segment in segments {
            for termID in termIDs { if let termID { keys.append(PostingsCache.Key(segment: segment.id, term: termID)) } }
        }
        let cached = postingsCache.get(keys)
        var next = 0
        for segment in segments {
            var perTerm: [PostingsList?] = []
            perTerm.reserveCapacity(termIDs.count)
            for (t, termID) in termIDs.enumerated() {
                guard let termID else {
                    perTerm.append(nil)
                    continue
                }
                let key = keys[next]
                next += 1
                if let hit = cached[next - 1] {
                    df[t] += hit.df
                    perTerm.append(hit.list)
                    continue
                }
                guard let db else { throw CacheMiss() }
                if select == nil {
                    select = try db.cachedStatement(sql: "SELECT df, postings FROM search_postings WHERE segment_id = ? AND term_id = ?")
                }
                // A live cursor row exposes the blob without GRDB's intermediate copy: one copy, not two.
                let cursor = try Row.fetchCursor(select!, arguments: [segment.id, termID])  // kept alive while read
                var entry = PostingsCache.Entry(list: nil, df: 0)
                if let row = try cursor.next() {
                    let blob = try row.withUnsafeData(atIndex: 1) { data in data.map { [UInt8]($0) } }
                    // A corrupt list reads as absent (and is reported by `hiroba index check`, not here).
                    entry = PostingsCache.Entry(list: blob.flatMap(PostingsList.init), df: row[0] as Int)
                }
                postingsCache.put(key, entry)
                df[t] += entry.df
                perTerm.append(entry.list)
            }
            lists.append(perTerm)
        }
        return (lists, df)
    }
}

/// Parsed postings lists by (segment, term), least recently used dropped beyond a byte budget. Absent
/// terms are cached too (a query's rare words are often missing from most segments).
final class PostingsCache: @unchecked Sendable {
    struct Key: Hashable {
        var segment: Int64
        var term: Int64
    }
    struct Entry {
        var list: PostingsList?
        var df: Int
    }
    private struct Slot {
        var entry: Entry
        var bytes: Int
        var used: UInt64
    }
    private let lock = NSLock()
    private var slots: [Key: Slot] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0
    let budget: Int

    init(budget: Int) { self.budget = budget }

    func get(_ key: Key) -> Entry? { get([key])[0] }

    /// The entries of `keys` (nil: not cached), in their order, under one lock; each hit becomes the most recently used.
    func get(_ keys: [Key]) -> [Entry?] {
        lock.withLock {
            keys.map { key in
                // One hash lookup, the use stamp written in place (not a second lookup to store the slot back).
                guard let index = slots.index(forKey: key) else { return nil }
                clock &+= 1
                slots.values[index].used = clock
                return slots.values[index].entry
            }
        }
    }

    func put(_ key: Key, _ entry: Entry) {
        let size = (entry.list?.byteCount ?? 0) + 48
        guard size <= budget / 4 else { return }  // one huge list must not flush everything else
        lock.withLock {
            clock &+= 1
            if let old = slots.updateValue(Slot(entry: entry, bytes: size, used: clock), forKey: key) { bytes -= old.bytes }
            bytes += size
            guard bytes > budget else { return }
            // Drop the least recently used quarter of the budget in one pass (amortised, not per insert).
            var byAge = slots.map { (key: $0.key, used: $0.value.used, bytes: $0.value.bytes) }
            byAge.sort { $0.used < $1.used }
            var freed = 0
            for old in byAge where bytes - freed > budget * 3 / 4 {
                slots[old.key] = nil
                freed += old.bytes
            }
            bytes -= freed
        }
    }

    /// Forgets every list of segments not in `live`.
    func retain(segments live: Set<Int64>) {
        lock.withLock {
            let before = slots.count
            slots = slots.filter { live.contains($0.key.segment) }
            if slots.count != before { bytes = slots.values.reduce(0) { $0 + $1.bytes } }
        }
    }

    var byteCount: Int { lock.withLock { bytes } }
    var count: Int { lock.withLock { slots.count } }
}
