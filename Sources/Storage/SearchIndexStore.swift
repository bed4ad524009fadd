import Foundation
import GRDB
import Search

/// Reads and writes the segment index inside SQLite and keeps decoded segment metadata cached between
/// queries, keyed by the index generation that every write bumps.
final class SearchIndexStore: @unchecked Sendable {
    /// Segments beyond this count trigger a merge of the smallest ones after a write.
    let maxSegments: Int
    private let lock = NSLock()
    private var cachedGeneration: Int64 = -1
    private var cachedState: IndexState? = nil
    private var docTables: [Int64: SegmentDocTable] = [:]

    init(maxSegments: Int = 8) { self.maxSegments = maxSegments }

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

    /// Writes a built segment: its doc table, then its postings. The caller points the chunks at their
    /// positions (`chunks.segment_id`, `segment_ordinal`), ideally as it inserts them. Inside a transaction.
    func writeSegment(_ builder: SegmentBuilder, in db: Database) throws -> Int64 {
        let segmentID = try insertSegment(builder.docs, in: db)
        let insert = try RawStatement(db, "INSERT INTO search_postings (segment_id, term_id, df, postings) VALUES (?, ?, ?, ?)")
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

    private func insertSegment(_ docs: SegmentDocTable, in db: Database) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO search_segments (doc_count, word_tokens, gram_tokens, doc_table) VALUES (?, ?, ?, ?)",
            arguments: [docs.count, docs.totalWordLength, docs.totalGramLength, Data(docs.encoded())])
        return db.lastInsertedRowID
    }

    private func postingsStatement(_ db: Database) throws -> Statement {
        try db.cachedStatement(sql: "INSERT INTO search_postings (segment_id, term_id, df, postings) VALUES (?, ?, ?, ?)")
    }

    /// Points each chunk row at its segment position, so deletions can tombstone it.
    private func recordPositions(_ docs: SegmentDocTable, segmentID: Int64, in db: Database) throws {
        let position = try RawStatement(db, "UPDATE chunks SET segment_id = ?, segment_ordinal = ? WHERE id = ?")
        for (ordinal, chunkID) in docs.chunkIDs.enumerated() {
            position.bind(1, segmentID)
            position.bind(2, ordinal)
            position.bind(3, chunkID)
            try position.run()
        }
    }

    /// Marks the chunks of a document deleted in the index (their rows are removed by the caller).
    func markDeleted(documentID: Int64, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO search_deletes (segment_id, ordinal)
                SELECT segment_id, segment_ordinal FROM chunks
                WHERE document_id = ? AND segment_id IS NOT NULL
                """, arguments: [documentID])
        try bumpGeneration(db)
    }

    func bumpGeneration(_ db: Database) throws {
        try db.execute(sql: "UPDATE search_state SET generation = generation + 1 WHERE id = 1")
    }

    /// Merges the smallest segments when there are too many. Inside a transaction.
    func mergeIfNeeded(in db: Database) throws {
        let sizes = try Row.fetchAll(db, sql: "SELECT id, doc_count FROM search_segments ORDER BY doc_count, id")
        guard sizes.count > maxSegments else { return }
        let take = sizes.count - maxSegments / 2
        try merge(segmentIDs: sizes.prefix(take).map { $0["id"] as Int64 }, in: db)
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
        let newID = try insertSegment(merged, in: db)
        let insert = try postingsStatement(db)
        let idList = segmentIDs.map(String.init).joined(separator: ",")
        // Segment order within a term keeps ordinals ascending (segments were concatenated in this order).
        let order = segmentIDs.enumerated().map { "WHEN \($0.element) THEN \($0.offset)" }.joined(separator: " ")
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT p.term_id, p.segment_id, p.postings, substr(t.term, 1, 1) = 'g' AS is_gram
                FROM search_postings p JOIN search_terms t ON t.id = p.term_id
                WHERE p.segment_id IN (\(idList))
                ORDER BY p.term_id, CASE p.segment_id \(order) END
                """)
        var currentTerm: Int64 = -1
        var currentIsGram = false
        var postings: [(ordinal: UInt32, tf: UInt32)] = []
        func flush() throws {
            if currentTerm >= 0 && !postings.isEmpty {
                let lengths = currentIsGram ? merged.gramLengths : merged.wordLengths
                let blob = PostingsCodec.encode(postings) { lengths[Int($0)] }
                try insert.execute(arguments: [newID, currentTerm, postings.count, Data(blob)])
            }
            postings.removeAll(keepingCapacity: true)
        }
        while let row = try cursor.next() {
            let term: Int64 = row[0]
            if term != currentTerm {
                try flush()
                currentTerm = term
                currentIsGram = row[3]
            }
            let remap = remaps[row[1] as Int64] ?? []
            let blob: Data = row[2]
            [UInt8](blob).withUnsafeBufferPointer { p in
                _ = PostingsCodec.forEach(p) { ord, tf in
                    if ord < remap.count, remap[ord] >= 0 { postings.append((UInt32(remap[ord]), tf)) }
                }
            }
        }
        try flush()
        try db.execute(sql: "DELETE FROM search_segments WHERE id IN (\(idList))")
        try recordPositions(merged, segmentID: newID, in: db)
        try bumpGeneration(db)
    }

    // MARK: reading

    /// The current segments, deletions and statistics, reloaded only when the generation changed.
    func state(in db: Database) throws -> IndexState {
        let generation = try Int64.fetchOne(db, sql: "SELECT generation FROM search_state WHERE id = 1") ?? 0
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
        return state
    }

    /// Postings blobs and document frequencies of term ids across segments.
    func postings(termIDs: [Int64?], segments: [LoadedSegment], in db: Database) throws -> (blobs: [[[UInt8]?]], df: [Int]) {
        let select = try db.cachedStatement(sql: "SELECT df, postings FROM search_postings WHERE segment_id = ? AND term_id = ?")
        var df = [Int](repeating: 0, count: termIDs.count)
        var blobs: [[[UInt8]?]] = []
        for segment in segments {
            var perTerm: [[UInt8]?] = []
            for (t, termID) in termIDs.enumerated() {
                // A live cursor row exposes the blob without GRDB's intermediate copy: one copy, not two.
                guard let termID else {
                    perTerm.append(nil)
                    continue
                }
                let cursor = try Row.fetchCursor(select, arguments: [segment.id, termID])  // kept alive while read
                guard let row = try cursor.next() else {
                    perTerm.append(nil)
                    continue
                }
                df[t] += row[0] as Int
                perTerm.append(try row.withUnsafeData(atIndex: 1) { data in data.map { [UInt8]($0) } })
            }
            blobs.append(perTerm)
        }
        return (blobs, df)
    }
}
