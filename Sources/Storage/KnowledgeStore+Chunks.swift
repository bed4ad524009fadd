import Foundation
import GRDB
import HirobaCore

/// One stored document with what the document screens show beside it.
public struct DocumentRecord: Sendable, Equatable {
    public var document: StoredDocument
    public var collection: String
    /// nil: read like its collection; otherwise narrowed to the owner section, bureau or organisation.
    public var visibility: Visibility?
}

/// A stored chunk with its id (the id search hits and citations point at).
public struct StoredChunk: Sendable, Equatable {
    public var id: Int64
    public var chunk: ChunkDraft
}

extension KnowledgeStore {
    /// The chunks of one document in order, with their heading paths and locators (for citation checks,
    /// document views and evaluations).
    public func chunks(documentID: DocumentID) throws -> [ChunkDraft] {
        try storedChunks(documentID: documentID).map(\.chunk)
    }

    public func storedChunks(documentID: DocumentID) throws -> [StoredChunk] {
        try database.read { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(
                db, sql: "SELECT id, ordinal, text, heading_path, locator FROM chunks WHERE document_id = ? ORDER BY ordinal",
                arguments: [documentID.rawValue]
            ).map { row in
                StoredChunk(
                    id: row["id"],
                    chunk: ChunkDraft(
                        ordinal: row["ordinal"], text: row["text"],
                        headingPath: (try? decoder.decode([String].self, from: Data((row["heading_path"] as String).utf8))) ?? [],
                        locator: (try? decoder.decode(Locator.self, from: Data((row["locator"] as String).utf8))) ?? Locator()))
            }
        }
    }

    /// One document by id, with its collection's name; nil when there is none.
    public func documentRecord(id: DocumentID) throws -> DocumentRecord? {
        try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT d.*, c.name AS collection_name FROM documents d JOIN collections c ON c.id = d.collection_id WHERE d.id = ?",
                    arguments: [id.rawValue])
            else { return nil }
            return DocumentRecord(
                document: Self.document(row), collection: row["collection_name"],
                visibility: (row["visibility"] as String?).flatMap(Visibility.init(rawValue:)))
        }
    }

    /// The documents of a collection with their narrowing, for listings.
    public func documentRecords(collection: String) throws -> [DocumentRecord] {
        try database.read { db in
            guard let cid = try collectionID(named: collection, create: false, in: db) else {
                throw StorageError.collectionNotFound(collection)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM documents WHERE collection_id = ? ORDER BY source", arguments: [cid]).map {
                DocumentRecord(
                    document: Self.document($0), collection: collection,
                    visibility: ($0["visibility"] as String?).flatMap(Visibility.init(rawValue:)))
            }
        }
    }

    /// Creates an empty collection (an admin's first step before uploads). Existing names are refused.
    public func createCollection(_ name: String) throws -> Int64 {
        try Self.validate(collectionName: name)
        return try database.write { db in
            if try collectionID(named: name, create: false, in: db) != nil { throw StorageError.collectionExists(name) }
            return try collectionID(named: name, create: true, in: db)!
        }
    }
}
