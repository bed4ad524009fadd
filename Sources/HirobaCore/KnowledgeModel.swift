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
    /// 項 and 号 inside `article` (1-based); nil when the whole article is meant.
    public var paragraph: Int?
    public var item: Int?
    public var section: String?
    public init(page: Int? = nil, article: String? = nil, paragraph: Int? = nil, item: Int? = nil, section: String? = nil) {
        self.page = page
        self.article = article
        self.paragraph = paragraph
        self.item = item
        self.section = section
    }

    /// 第二条第一項第三号: the article with its 項 and 号, written in the article label's numerals.
    public var articleDisplay: String? {
        guard let article else { return nil }
        let arabic = article.unicodeScalars.contains { ("0"..."9").contains($0) || ("０"..."９").contains($0) }
        func number(_ n: Int) -> String { arabic ? String(n) : KanjiNumeral.format(n) }
        var out = article
        if let paragraph { out += "第\(number(paragraph))項" }
        if let item { out += "第\(number(item))号" }
        return out
    }

    /// Human-readable form used in citations.
    public var display: String {
        var parts: [String] = []
        if let a = articleDisplay { parts.append(a) }
        if let page { parts.append("p.\(page)") }
        if let section, article == nil { parts.append("「\(section)」") }
        return parts.joined(separator: " ")
    }
}

/// Kanji numerals as statutes write them (十二, 百三, 千二百).
public enum KanjiNumeral {
    public static func format(_ value: Int) -> String {
        guard value > 0, value < 10000 else { return String(value) }
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        var out = ""
        for (unit, name) in [(1000, "千"), (100, "百"), (10, "十")] {
            let d = value / unit % 10
            if d > 0 { out += (d == 1 ? "" : digits[d]) + name }
        }
        return out + digits[value % 10]
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
