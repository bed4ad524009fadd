import Foundation

/// A named set of documents owned by one bureau (ownership and visibility arrive with the server issue).
public struct KnowledgeCollection: Sendable, Equatable {
    public var id: CollectionID
    public var name: String
    public var documentCount: Int
    public var chunkCount: Int
    public init(id: CollectionID, name: String, documentCount: Int = 0, chunkCount: Int = 0) {
        self.id = id
        self.name = name
        self.documentCount = documentCount
        self.chunkCount = chunkCount
    }
}

/// One source file as stored: where it came from, what it is, and the hash that makes re-ingest idempotent.
public struct StoredDocument: Sendable, Equatable {
    public var id: DocumentID
    public var collectionID: CollectionID
    public var source: String
    public var title: String
    public var contentHash: String
    public var mediaType: String
    public var byteSize: Int
    public var createdAt: Date
    public var updatedAt: Date
    public init(
        id: DocumentID, collectionID: CollectionID, source: String, title: String, contentHash: String,
        mediaType: String, byteSize: Int, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.collectionID = collectionID
        self.source = source
        self.title = title
        self.contentHash = contentHash
        self.mediaType = mediaType
        self.byteSize = byteSize
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Where inside a document a chunk sits, in the words a citation uses ("p.12", "第5条第2項", "3.2 支出命令の入力").
public struct Locator: Sendable, Equatable, Codable {
    public var page: Int?
    public var article: String?
    public var section: String?
    public init(page: Int? = nil, article: String? = nil, section: String? = nil) {
        self.page = page
        self.article = article
        self.section = section
    }

    /// Human-readable form used in citations.
    public var display: String {
        var parts: [String] = []
        if let article { parts.append(article) }
        if let page { parts.append("p.\(page)") }
        if let section, article == nil { parts.append("「\(section)」") }
        return parts.joined(separator: " ")
    }
}

/// A retrievable unit of a document (an article, a section part, a Q/A pair).
public struct ChunkDraft: Sendable, Equatable {
    public var ordinal: Int
    public var text: String
    public var headingPath: [String]
    public var locator: Locator
    public init(ordinal: Int, text: String, headingPath: [String], locator: Locator) {
        self.ordinal = ordinal
        self.text = text
        self.headingPath = headingPath
        self.locator = locator
    }
}
