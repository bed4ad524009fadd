import HirobaCore
import JapaneseText
import Search

/// A search as asked for.
public struct SearchRequest: Sendable {
    public var query: String
    public var collections: [String]
    public var k: Int
    public var explain: Bool
    /// Build highlighted snippets (off for evaluations that only need the ranking).
    public var snippets: Bool
    /// The collection ids the caller may read (from `AccessControl`); nil = unrestricted (the operator's
    /// CLI). Applied inside scoring, before ranking; a named collection outside it is "not found".
    public var scope: Set<Int64>?
    /// Documents narrowed below their collection's visibility that the caller may not read; excluded
    /// inside scoring like `scope`.
    public var hiddenDocuments: Set<Int64>
    /// The database's `dataVersion()` if the caller read it before this search (one read per request); nil:
    /// the search reads it. Must not predate a commit the caller expects the search to see.
    public var dataVersion: Int64?
    public init(
        query: String, collections: [String] = [], k: Int = 10, explain: Bool = false, snippets: Bool = true,
        scope: Set<Int64>? = nil, hiddenDocuments: Set<Int64> = []
    ) {
        self.hiddenDocuments = hiddenDocuments
        self.query = query
        self.collections = collections
        self.k = k
        self.explain = explain
        self.snippets = snippets
        self.scope = scope
    }
}

/// One term's part of a hit's score.
public struct TermContribution: Sendable, Equatable, Codable {
    public var term: String
    public var field: String
    public var tf: Int
    public var df: Int
    public var idf: Double
    public var score: Double
}

/// A ranked, citable chunk.
public struct SearchHit: Sendable, Equatable {
    public var chunkID: ChunkID
    public var documentID: DocumentID
    public var collection: String
    public var title: String
    public var source: String
    public var headingPath: [String]
    public var locator: Locator
    public var score: Double
    /// The snippet as the UTF-8 bytes `SnippetBuilder` wrote (valid by construction): the API copies them into its
    /// JSON as they are; turning ten of them into Strings, each validated byte by byte, was 2 % of a search's
    /// instructions.
    public var snippetUTF8: [UInt8]
    public var text: String
    public var explanation: [TermContribution]?

    /// HTML-escaped, matches in `<mark>…</mark>` (see `SnippetBuilder`).
    public var snippet: String {
        get { String(decoding: snippetUTF8, as: UTF8.self) }
        set { snippetUTF8 = Array(newValue.utf8) }
    }

    /// "財務会計システム操作マニュアル 「3.2 支出命令の入力」" / "みなと市財務規則 第十二条".
    public var citation: String {
        let where_ = locator.display
        return where_.isEmpty ? title : "\(title) \(where_)"
    }
}

extension SearchHit {
    public init(
        chunkID: ChunkID, documentID: DocumentID, collection: String, title: String, source: String, headingPath: [String],
        locator: Locator, score: Double, snippet: String, text: String, explanation: [TermContribution]?
    ) {
        self.init(
            chunkID: chunkID, documentID: documentID, collection: collection, title: title, source: source,
            headingPath: headingPath, locator: locator, score: score, snippetUTF8: Array(snippet.utf8), text: text,
            explanation: explanation)
    }
}

public struct SearchResponse: Sendable {
    public var hits: [SearchHit]
    /// Matching chunks; a lower bound when `totalIsExact` is false (pruning skipped counting some).
    public var totalMatches: Int
    public var parsed: ParsedQuery
    public var totalIsExact = true
}
