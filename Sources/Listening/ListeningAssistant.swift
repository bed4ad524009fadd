/// What a language model adds to a listening run, supplied by the model gateway when one is configured
/// (the LLM target implements it; this target stays free of network code).
public protocol ListeningAssistant: Sendable {
    /// The chat model's name, recorded in the run's parameters and cache keys.
    var modelName: String { get }
    /// SHA-256 prefixes of the prompt templates, recorded in the run's parameters and cache keys.
    var promptHashes: [String: String] { get }
    /// Comments per extraction call.
    var batchSize: Int { get }

    /// The distinct opinions of each comment in one batch, keyed by the comment's index. A comment missing
    /// from the answer failed (the pipeline reports it and falls back to sentences); a thrown error fails
    /// the whole batch the same way.
    func extractOpinions(_ batch: [ExtractionItem]) async throws -> [Int: [String]]
    /// A short label and a one- or two-sentence summary of one cluster.
    func describe(_ cluster: ClusterDigest) async throws -> ClusterDescription
    /// An overview paragraph of the whole consultation from its coarse clusters.
    func overview(_ clusters: [ClusterDigest], comments: Int) async throws -> String
    /// Calls and tokens used so far.
    func usage() async -> ListeningUsage
}

/// An embedding model for the representation step.
public protocol ListeningEmbedder: Sendable {
    var modelName: String { get }
    /// One vector per text, in order.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

public struct ExtractionItem: Sendable, Equatable, Codable {
    public var comment: Int
    public var text: String
    public init(comment: Int, text: String) {
        self.comment = comment
        self.text = text
    }
}

/// What the model sees of a cluster: its distinctive keywords and its most central opinions.
public struct ClusterDigest: Sendable, Equatable, Codable {
    public var id: String
    public var keywords: [String]
    public var quotes: [String]
    public var opinionCount: Int
    public init(id: String, keywords: [String], quotes: [String], opinionCount: Int) {
        self.id = id
        self.keywords = keywords
        self.quotes = quotes
        self.opinionCount = opinionCount
    }
}

public struct ClusterDescription: Sendable, Equatable, Codable {
    public var label: String
    public var summary: String
    public init(label: String, summary: String) {
        self.label = label
        self.summary = summary
    }
}
