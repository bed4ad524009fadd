import Foundation
import GRDB
import HirobaCore

/// Chunk embeddings for hybrid retrieval. Vectors are stored normalised and quantised to int8 (4× smaller
/// than float32; cosine ranking barely changes), and searched exhaustively from an in-memory copy that is
/// rebuilt when the stored set changes. Access filters apply inside the scan, before ranking.
public final class VectorStore: @unchecked Sendable {
    let database: AppDatabase
    private let lock = NSLock()
    private var cache: Cache?

    struct Cache {
        var model: String
        var generation: [Int64]
        var dim: Int
        var chunkIDs: [Int64]
        var documentIDs: [Int64]
        var collectionIDs: [Int64]
        var vectors: [Int8]
    }

    public init(database: AppDatabase) { self.database = database }

    /// Unit length, then × 127 rounded (nil for a zero or non-finite vector).
    public static func quantize(_ vector: [Float]) -> [Int8]? {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite else { return nil }
        return vector.map { Int8(max(-127, min(127, ($0 / norm * 127).rounded()))) }
    }

    public struct Pending: Sendable {
        public var chunkID: Int64
        public var text: String
    }

    /// Chunks without a vector from `model` (new chunks, or all of them after a model change), oldest first.
    public func pending(model: String, collection: String? = nil, limit: Int) throws -> [Pending] {
        try database.read { db in
            var sql = """
                SELECT k.id, d.title, k.text FROM chunks k JOIN documents d ON d.id = k.document_id
                LEFT JOIN chunk_vectors v ON v.chunk_id = k.id
                WHERE (v.chunk_id IS NULL OR v.model != ?)
                """
            var arguments: [(any DatabaseValueConvertible)?] = [model]
            if let collection {
                sql += " AND d.collection_id = (SELECT id FROM collections WHERE name = ?)"
                arguments.append(collection)
            }
            sql += " ORDER BY k.id LIMIT ?"
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map {
                // The title gives a chunk its context (an FAQ answer does not repeat its subject).
                Pending(chunkID: $0["id"], text: "\($0["title"] as String)\n\($0["text"] as String)")
            }
        }
    }

    /// Stores vectors (replacing any from another model). Chunks deleted meanwhile are skipped.
    public func store(_ vectors: [(chunkID: Int64, vector: [Float])], model: String) throws {
        try database.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO chunk_vectors(chunk_id, model, dim, vector) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?)
                    ON CONFLICT(chunk_id) DO UPDATE SET model = excluded.model, dim = excluded.dim, vector = excluded.vector
                    """)
            for (id, vector) in vectors {
                guard let q = Self.quantize(vector) else { continue }
                let blob = q.withUnsafeBufferPointer { Data(buffer: $0) }
                try statement.execute(arguments: [id, model, q.count, blob, id])
            }
        }
    }

    /// Whether any chunk has a vector from `model` (an indexed lookup, cheap enough for every question).
    public func hasVectors(model: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM chunk_vectors WHERE model = ?)", arguments: [model]) ?? false
        }
    }

    /// Stored vectors per model.
    public func counts() throws -> [String: Int] {
        try database.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT model, COUNT(*) AS n FROM chunk_vectors GROUP BY model") { out[row["model"]] = row["n"] }
            return out
        }
    }

    /// The `k` nearest chunks to `query` among those in `collections` (nil: all) minus `hiddenDocuments`.
    public func nearest(
        to query: [Float], model: String, k: Int, collections: Set<Int64>?, hiddenDocuments: Set<Int64>
    ) throws -> [(chunkID: Int64, score: Double)] {
        guard let q = Self.quantize(query), k > 0 else { return [] }
        let cache = try current(model: model)
        guard cache.dim == q.count, !cache.chunkIDs.isEmpty else { return [] }
        let dim = cache.dim
        var best: [(Int64, Int32)] = []
        best.reserveCapacity(k + 1)
        var floor = Int32.min
        cache.vectors.withUnsafeBufferPointer { vectors in
            q.withUnsafeBufferPointer { query in
                for i in 0..<cache.chunkIDs.count {
                    if let collections, !collections.contains(cache.collectionIDs[i]) { continue }
                    if !hiddenDocuments.isEmpty, hiddenDocuments.contains(cache.documentIDs[i]) { continue }
                    var dot: Int32 = 0
                    let base = i * dim
                    for j in 0..<dim { dot &+= Int32(vectors[base + j]) &* Int32(query[j]) }
                    guard best.count < k || dot > floor else { continue }
                    let position = best.firstIndex { $0.1 < dot } ?? best.count
                    best.insert((cache.chunkIDs[i], dot), at: position)
                    if best.count > k { best.removeLast() }
                    if best.count == k { floor = best[k - 1].1 }
                }
            }
        }
        return best.map { ($0.0, Double($0.1) / (127 * 127)) }
    }

    private func current(model: String) throws -> Cache {
        let generation = try database.read { db -> [Int64] in
            let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS n, COALESCE(MAX(rowid), 0) AS m, COALESCE(SUM(chunk_id), 0) AS s FROM chunk_vectors WHERE model = ?",
                arguments: [model])
            return [row?["n"] ?? 0, row?["m"] ?? 0, row?["s"] ?? 0]
        }
        if let cache = lock.withLock({ self.cache }), cache.model == model, cache.generation == generation { return cache }
        var fresh = Cache(model: model, generation: generation, dim: 0, chunkIDs: [], documentIDs: [], collectionIDs: [], vectors: [])
        try database.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT v.chunk_id, k.document_id, d.collection_id, v.dim, v.vector FROM chunk_vectors v
                    JOIN chunks k ON k.id = v.chunk_id JOIN documents d ON d.id = k.document_id WHERE v.model = ? ORDER BY v.chunk_id
                    """, arguments: [model])
            while let row = try rows.next() {
                let dim: Int = row["dim"]
                if fresh.dim == 0 { fresh.dim = dim }
                guard dim == fresh.dim else { continue }
                fresh.chunkIDs.append(row["chunk_id"])
                fresh.documentIDs.append(row["document_id"])
                fresh.collectionIDs.append(row["collection_id"])
                let data: Data = row["vector"]
                data.withUnsafeBytes { fresh.vectors.append(contentsOf: $0.bindMemory(to: Int8.self)) }
            }
        }
        lock.withLock { cache = fresh }
        return fresh
    }
}
