import Crypto
import Foundation
import GRDB
import HirobaCore
import Ingest
import JapaneseText
import Search
import Synchronization

/// A document to store, already extracted and chunked.
public struct DocumentInput: Sendable {
    public var source: String
    public var title: String
    public var mediaType: String
    public var contentHash: String
    public var byteSize: Int
    public var chunks: [ChunkDraft]

    public init(source: String, title: String, mediaType: String, contentHash: String, byteSize: Int, chunks: [ChunkDraft]) {
        self.source = source
        self.title = title
        self.mediaType = mediaType
        self.contentHash = contentHash
        self.byteSize = byteSize
        self.chunks = chunks
    }

    public static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).withUnsafeBytes { Hex.string($0) }
    }
}

/// What happened to one document.
public enum IngestOutcome: Sendable, Equatable {
    case added(DocumentID, chunks: Int)
    case updated(DocumentID, chunks: Int)
    case unchanged(DocumentID)
}

/// Collections, documents, chunks and their search index, kept consistent: every change to a document
/// and its index entries commits in one transaction, so an interrupted ingest leaves nothing half-stored.
public final class KnowledgeStore: Sendable {
    public let database: AppDatabase
    let analyzers: AnalyzerPool
    let terms = TermResolver()
    let index: SearchIndexStore
    /// Stored fields of recently returned chunks (`ChunkRowCache`).
    let chunkRows = ChunkRowCache(capacity: 8192)
    /// Searches served from the caches alone, with no read transaction (`search`).
    let searchesFromCaches = Atomic<Int>(0)
    public let parameters: Bm25Parameters
    let now: @Sendable () -> Date

    public init(
        database: AppDatabase, model: MeCabModel, parameters: Bm25Parameters = Bm25Parameters(), maxSegments: Int = 24,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.analyzers = AnalyzerPool(model: model)
        self.index = SearchIndexStore(maxSegments: maxSegments)
        self.parameters = parameters
        self.now = now
    }

    // MARK: collections

    public static func validate(collectionName name: String) throws {
        let trimmed = name.trimmingWhitespace()
        if trimmed.isEmpty || trimmed.count > 100 || name.contains("/")
            || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            throw StorageError.invalidName(name)
        }
    }

    func collectionID(named name: String, create: Bool, in db: Database) throws -> Int64? {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM collections WHERE name = ?"), arguments: [name]) {
            return id
        }
        guard create else { return nil }
        try Self.validate(collectionName: name)
        try db.execute(
            sql: "INSERT INTO collections (name, created_at) VALUES (?, ?)", arguments: [name, iso(now())])
        return db.lastInsertedRowID
    }

    public func collections() throws -> [KnowledgeCollection] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, c.name,
                      (SELECT COUNT(*) FROM documents d WHERE d.collection_id = c.id) AS docs,
                      (SELECT COUNT(*) FROM chunks k JOIN documents d ON k.document_id = d.id WHERE d.collection_id = c.id) AS chunks
                    FROM collections c ORDER BY c.name
                    """
            ).map {
                KnowledgeCollection(
                    id: CollectionID($0["id"]), name: $0["name"], documentCount: $0["docs"], chunkCount: $0["chunks"])
            }
        }
    }

    public func documents(collection: String) throws -> [StoredDocument] {
        try database.read { db in
            guard let cid = try collectionID(named: collection, create: false, in: db) else {
                throw StorageError.collectionNotFound(collection)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM documents WHERE collection_id = ? ORDER BY source", arguments: [cid])
                .map(Self.document)
        }
    }

    static func document(_ row: Row) -> StoredDocument {
        StoredDocument(
            id: DocumentID(row["id"]), collectionID: CollectionID(row["collection_id"]), source: row["source"],
            title: row["title"], contentHash: row["content_hash"], mediaType: row["media_type"],
            byteSize: row["byte_size"], createdAt: parseISO(row["created_at"]), updatedAt: parseISO(row["updated_at"]))
    }

    // MARK: ingest

    /// Reads, validates, extracts, chunks and stores one file of any supported format.
    /// Unchanged content is skipped by hash.
    public func ingestFile(path: String, collection: String, source: String? = nil, limits: ExtractionLimits = ExtractionLimits())
        throws -> IngestOutcome
    {
        let (extracted, data) = try DocumentExtractor.extract(path: path, limits: limits)
        let input = DocumentInput(
            source: source ?? path, title: extracted.title, mediaType: extracted.mediaType,
            contentHash: DocumentInput.hash(data), byteSize: data.count, chunks: extracted.chunks)
        return try ingest([input], collection: collection)[0]
    }

    /// Source → content hash of the documents in a collection (empty when it does not exist yet), so
    /// unchanged files can be skipped before they are extracted.
    public func contentHashes(collection: String) throws -> [String: String] {
        try database.read { db in
            guard let cid = try collectionID(named: collection, create: false, in: db) else { return [:] }
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT source, content_hash FROM documents WHERE collection_id = ?", arguments: [cid]) {
                out[row["source"]] = row["content_hash"]
            }
            return out
        }
    }

    /// Stores documents in one transaction and one new index segment. A document whose source exists with
    /// the same hash is left alone; with a different hash its chunks are replaced.
    public func ingest(_ inputs: [DocumentInput], collection: String) throws -> [IngestOutcome] {
        try Self.validate(collectionName: collection)
        // Skip unchanged documents before spending time on analysis.
        let known: [String: (Int64, String)] = try database.read { db in
            guard let cid = try collectionID(named: collection, create: false, in: db) else { return [:] }
            var out: [String: (Int64, String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, source, content_hash FROM documents WHERE collection_id = ?", arguments: [cid]) {
                out[row["source"]] = (row["id"], row["content_hash"])
            }
            return out
        }
        var outcomes = [IngestOutcome?](repeating: nil, count: inputs.count)
        var todo: [Int] = []
        for (i, input) in inputs.enumerated() {
            if let (id, hash) = known[input.source], hash == input.contentHash {
                outcomes[i] = .unchanged(DocumentID(id))
            } else {
                todo.append(i)
            }
        }
        if todo.isEmpty { return outcomes.map { $0! } }

        try analyzers.with { analyzer in
            // Analysis happens outside the write transaction so concurrent writers wait less.
            var analyzed: [[AnalyzedChunk]] = []
            for i in todo {
                let input = inputs[i]
                analyzed.append(
                    input.chunks.map { Self.analyze($0, title: input.title, with: analyzer) })
            }
            do {
                var added: [(String, Int64)] = []
                try database.write { db in
                    let cid = try collectionID(named: collection, create: true, in: db)!
                    // Chunk ids are assigned here (writers are serialized) so that each chunk row is written
                    // once, already pointing at its place in the new segment.
                    var nextChunkID = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM chunks") ?? 0) + 1
                    var builder = SegmentBuilder()
                    var rows: [(id: Int64, documentID: Int64, draft: ChunkDraft)] = []
                    var replaced = Set<Int64>()
                    for (n, i) in todo.enumerated() {
                        let input = inputs[i]
                        let (docID, outcome) = try upsertDocument(input, collectionID: cid, in: db)
                        outcomes[i] = outcome
                        if case .unchanged = outcome { continue }
                        if case .updated = outcome { replaced.insert(docID) }
                        for (c, chunk) in analyzed[n].enumerated() {
                            let globals = try terms.resolve(
                                localIDs: chunk.terms.map(\.localID), analyzer: analyzer, added: &added, in: db)
                            let tfs = zip(globals, chunk.terms).map {
                                TermFrequency(
                                    termID: $0, tf: Int($1.tf),
                                    field: TermField(rawValue: analyzer.interner.field($1.localID)) ?? .word)
                            }
                            builder.add(
                                chunkID: nextChunkID, documentID: docID, collectionID: cid,
                                wordLength: chunk.wordLength, gramLength: chunk.gramLength, terms: tfs)
                            rows.append((nextChunkID, docID, input.chunks[c]))
                            nextChunkID += 1
                        }
                    }
                    // The replaced documents' old chunks are tombstoned before the segment with their new ones exists.
                    try index.markDeleted(documentIDs: replaced, in: db)
                    guard !rows.isEmpty else { return }
                    try index.writeSegment(builder, in: db)
                    try insertChunks(rows, in: db)
                    try index.mergeIfNeeded(in: db)
                }
                terms.remember(added)
            } catch {
                // Term ids added by the failed transaction were rolled back: forget every cached id.
                terms.invalidate()
                analyzer.globalIDs = []
                throw error
            }
        }
        return outcomes.map { $0! }
    }

    /// How many times the document title counts: a BM25F-style field weight (repeating a field's text is
    /// exactly BM25F with that weight). Titles name what a whole document is about, so a chunk of the
    /// right document should outrank a chunk that merely mentions the title's words.
    static let titleWeight = 2

    /// The chunk's own article as a word term (`ArticleNumber`), for statutes and 例規.
    static func articleTerms(_ locator: Locator) -> [String] {
        guard let article = locator.article, !article.hasPrefix("附則"), let key = ArticleNumber.key(article) else { return [] }
        return [key]
    }

    /// Analyzes a chunk as the index sees it: title (weighted), heading path and article label, body, and
    /// the article key. The same for indexing and for explaining a hit's score.
    static func analyze(_ chunk: ChunkDraft, title: String, with analyzer: IndexingAnalyzer) -> AnalyzedChunk {
        let context = (chunk.headingPath + [chunk.locator.article ?? ""]).filter { !$0.isEmpty }.joined(separator: "\n")
        return analyzer.analyze(
            title: title, titleWeight: titleWeight, context: context, body: chunk.text, extraWords: articleTerms(chunk.locator))
    }

    /// The text the index sees for a chunk: document title and heading path give context to short chunks.
    static func searchableText(title: String, chunk: ChunkDraft) -> String {
        (Array(repeating: title, count: titleWeight) + chunk.headingPath + [chunk.locator.article ?? "", chunk.text])
            .filter { !$0.isEmpty }.joined(separator: "\n")
    }

    private func upsertDocument(_ input: DocumentInput, collectionID cid: Int64, in db: Database) throws
        -> (Int64, IngestOutcome)
    {
        let stamp = iso(now())
        if let row = try Row.fetchOne(
            db, sql: "SELECT id, content_hash FROM documents WHERE collection_id = ? AND source = ?",
            arguments: [cid, input.source])
        {
            let id: Int64 = row["id"]
            if (row["content_hash"] as String) == input.contentHash { return (id, .unchanged(DocumentID(id))) }
            try db.execute(sql: "DELETE FROM chunks WHERE document_id = ?", arguments: [id])
            try db.execute(
                sql: """
                    UPDATE documents SET title = ?, content_hash = ?, media_type = ?, byte_size = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [input.title, input.contentHash, input.mediaType, input.byteSize, stamp, id])
            return (id, .updated(DocumentID(id), chunks: input.chunks.count))
        }
        try db.execute(
            sql: """
                INSERT INTO documents (collection_id, source, title, content_hash, media_type, byte_size, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [cid, input.source, input.title, input.contentHash, input.mediaType, input.byteSize, stamp, stamp])
        let id = db.lastInsertedRowID
        return (id, .added(DocumentID(id), chunks: input.chunks.count))
    }

    /// Inserts chunk rows with the ids their segment already holds.
    private func insertChunks(_ rows: [(id: Int64, documentID: Int64, draft: ChunkDraft)], in db: Database) throws {
        let insert = try RawStatement(
            db, "INSERT INTO chunks (id, document_id, ordinal, text, heading_path, locator) VALUES (?, ?, ?, ?, ?, ?)")
        let encoder = JSONEncoder()
        for row in rows {
            insert.bind(1, row.id)
            insert.bind(2, row.documentID)
            insert.bind(3, row.draft.ordinal)
            insert.bind(4, row.draft.text)
            insert.bind(5, String(decoding: try encoder.encode(row.draft.headingPath), as: UTF8.self))
            insert.bind(6, String(decoding: try encoder.encode(row.draft.locator), as: UTF8.self))
            try insert.run()
        }
    }

    // MARK: delete

    /// Deletes a document (by id or source) with its chunks and index entries.
    @discardableResult
    public func deleteDocument(collection: String, source: String) throws -> DocumentID {
        try database.write { db in
            guard let cid = try collectionID(named: collection, create: false, in: db) else {
                throw StorageError.collectionNotFound(collection)
            }
            guard let id = try Int64.fetchOne(
                db, sql: "SELECT id FROM documents WHERE collection_id = ? AND source = ?", arguments: [cid, source])
            else { throw StorageError.documentNotFound(source) }
            try deleteDocuments([id], in: db)
            return DocumentID(id)
        }
    }

    public func deleteDocument(id: DocumentID) throws {
        try database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM documents WHERE id = ?", arguments: [id.rawValue]) != nil else {
                throw StorageError.documentNotFound(String(id.rawValue))
            }
            try deleteDocuments([id.rawValue], in: db)
        }
    }

    /// Deletes a collection and everything in it.
    public func deleteCollection(_ name: String) throws {
        try database.write { db in
            guard let cid = try collectionID(named: name, create: false, in: db) else {
                throw StorageError.collectionNotFound(name)
            }
            try deleteDocuments(
                try Int64.fetchAll(db, sql: "SELECT id FROM documents WHERE collection_id = ?", arguments: [cid]), in: db)
            try db.execute(sql: "DELETE FROM collections WHERE id = ?", arguments: [cid])
        }
    }

    private func deleteDocuments(_ ids: [Int64], in db: Database) throws {
        try index.markDeleted(documentIDs: Set(ids), in: db)
        for id in ids {
            try db.execute(sql: "DELETE FROM chunks WHERE document_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
        }
    }

    /// Merges all index segments into one and purges deleted entries.
    public func optimizeIndex() throws {
        try database.write { db in try index.optimize(in: db) }
        // A merge rewrites the whole index through the WAL. Checkpointing it into the database and truncating
        // it gives the disk space back, and spares readers from looking pages up in a WAL of gigabytes.
        try database.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Number of index segments (for diagnostics and tests).
    public func segmentCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search_segments") ?? 0 }
    }
}

func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
func parseISO(_ s: String) -> Date { ISO8601DateFormatter().date(from: s) ?? Date(timeIntervalSince1970: 0) }
