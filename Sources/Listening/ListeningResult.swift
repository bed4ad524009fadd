import Foundation

/// The full result of one listening run: what `result.json` holds and what the HTML report, the CSV and the
/// web UI are drawn from. Every list is in a fixed order and every number is rounded, so two runs with the
/// same input, parameters and seed encode to byte-identical JSON.
public struct ListeningResult: Codable, Sendable, Equatable {
    public static let currentFormat = "hiroba.listening/1"

    public var format: String = ListeningResult.currentFormat
    public var title: String
    public var parameters: ListeningParameters
    public var counts: ListeningCounts
    /// Model usage of the run (zero without a model).
    public var usage: ListeningUsage
    /// The overview paragraph: written by the model, or built from the largest clusters' labels.
    public var overview: String
    /// Cluster levels from coarse (index 0) to fine; each lists its clusters' ids, largest first.
    public var levels: [ListeningLevel]
    public var clusters: [ListeningCluster]
    public var opinions: [ListeningOpinion]
    public var comments: [ListeningComment]
    public var duplicates: [DuplicateGroup]
    /// Cross-tabs of the coarse (and fine) clusters by each attribute column.
    public var attributes: [AttributeBreakdown]
    /// Comments whose model extraction failed; their opinions came from sentence segmentation instead.
    public var failures: [ExtractionFailure]
    /// Set by `listen compare`: how each cluster's share changed between the two consultations.
    public var comparison: ListeningComparison?

    public init(
        title: String, parameters: ListeningParameters, counts: ListeningCounts, usage: ListeningUsage = .init(),
        overview: String, levels: [ListeningLevel], clusters: [ListeningCluster], opinions: [ListeningOpinion],
        comments: [ListeningComment], duplicates: [DuplicateGroup], attributes: [AttributeBreakdown],
        failures: [ExtractionFailure]
    ) {
        self.title = title
        self.parameters = parameters
        self.counts = counts
        self.usage = usage
        self.overview = overview
        self.levels = levels
        self.clusters = clusters
        self.opinions = opinions
        self.comments = comments
        self.duplicates = duplicates
        self.attributes = attributes
        self.failures = failures
    }

    /// The cluster with this id.
    public func cluster(_ id: String) -> ListeningCluster? { clusters.first { $0.id == id } }
}

/// How the run was made: enough to reproduce it.
public struct ListeningParameters: Codable, Sendable, Equatable {
    public var seed: UInt64
    /// The comment column used and the attribute columns broken down.
    public var commentColumn: String
    public var attributeColumns: [String]
    /// Requested cluster counts per level (coarse first); empty when chosen automatically.
    public var requestedClusters: [Int]
    /// "tfidf-svd" or "embedding:<model>".
    public var representation: String
    public var dimensions: Int
    /// "sentences" or "model:<model>".
    public var extraction: String
    /// "keywords" or "model:<model>".
    public var labelling: String
    /// The chat model used, if any.
    public var model: String?
    /// SHA-256 (hex, first 16) of each prompt template the model saw.
    public var promptHashes: [String: String]
    /// SHA-256 of the input file's bytes.
    public var inputSHA256: String
    /// Detected script of the comments: "ja", "zh", "latin" or "mixed".
    public var language: String
    public var personalDataMasked: Bool

    public init(
        seed: UInt64, commentColumn: String, attributeColumns: [String], requestedClusters: [Int],
        representation: String, dimensions: Int, extraction: String, labelling: String, model: String?,
        promptHashes: [String: String], inputSHA256: String, language: String, personalDataMasked: Bool
    ) {
        self.seed = seed
        self.commentColumn = commentColumn
        self.attributeColumns = attributeColumns
        self.requestedClusters = requestedClusters
        self.representation = representation
        self.dimensions = dimensions
        self.extraction = extraction
        self.labelling = labelling
        self.model = model
        self.promptHashes = promptHashes
        self.inputSHA256 = inputSHA256
        self.language = language
        self.personalDataMasked = personalDataMasked
    }
}

public struct ListeningCounts: Codable, Sendable, Equatable {
    /// Data rows in the file (header excluded).
    public var rows: Int
    public var droppedEmpty: Int
    public var droppedModerated: Int
    /// Comments kept (duplicates included).
    public var comments: Int
    /// Comments after grouping duplicates (each group counts once).
    public var uniqueComments: Int
    /// Comments that belong to a duplicate group, beyond its first.
    public var duplicateComments: Int
    public var opinions: Int
    /// Personal-data spans masked.
    public var maskedSpans: Int
    public var extractionFailures: Int

    public init(
        rows: Int = 0, droppedEmpty: Int = 0, droppedModerated: Int = 0, comments: Int = 0, uniqueComments: Int = 0,
        duplicateComments: Int = 0, opinions: Int = 0, maskedSpans: Int = 0, extractionFailures: Int = 0
    ) {
        self.rows = rows
        self.droppedEmpty = droppedEmpty
        self.droppedModerated = droppedModerated
        self.comments = comments
        self.uniqueComments = uniqueComments
        self.duplicateComments = duplicateComments
        self.opinions = opinions
        self.maskedSpans = maskedSpans
        self.extractionFailures = extractionFailures
    }
}

public struct ListeningUsage: Codable, Sendable, Equatable {
    public var calls: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// Yen, from the model's price table.
    public var cost: Double

    public init(calls: Int = 0, promptTokens: Int = 0, completionTokens: Int = 0, cost: Double = 0) {
        self.calls = calls
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
    }
}

public struct ListeningLevel: Codable, Sendable, Equatable {
    /// 0 = coarsest.
    public var level: Int
    public var clusterIDs: [String]

    public init(level: Int, clusterIDs: [String]) {
        self.level = level
        self.clusterIDs = clusterIDs
    }
}

/// One cluster of opinions. Ids are paths: "3" on the coarse level, "3-2" its second child.
public struct ListeningCluster: Codable, Sendable, Equatable {
    public var id: String
    public var level: Int
    public var parent: String?
    public var children: [String]
    public var label: String
    public var summary: String
    /// Distinctive terms (c-TF-IDF), most distinctive first.
    public var keywords: [String]
    /// Opinions in the cluster.
    public var opinionCount: Int
    /// Distinct comments with an opinion in the cluster.
    public var commentCount: Int
    /// Comments including every member of duplicate groups.
    public var weightedCount: Int
    /// opinionCount / all opinions.
    public var share: Double
    /// The most central opinions, most central first: the quotes the label and summary rest on.
    public var representativeOpinions: [Int]
    /// Position of the cluster's centre on the map (0…1).
    public var x: Double
    public var y: Double
    /// Set when a member of staff renamed the cluster or edited its summary.
    public var edited: Bool

    public init(
        id: String, level: Int, parent: String?, children: [String], label: String, summary: String,
        keywords: [String], opinionCount: Int, commentCount: Int, weightedCount: Int, share: Double,
        representativeOpinions: [Int], x: Double, y: Double, edited: Bool = false
    ) {
        self.id = id
        self.level = level
        self.parent = parent
        self.children = children
        self.label = label
        self.summary = summary
        self.keywords = keywords
        self.opinionCount = opinionCount
        self.commentCount = commentCount
        self.weightedCount = weightedCount
        self.share = share
        self.representativeOpinions = representativeOpinions
        self.x = x
        self.y = y
        self.edited = edited
    }
}

/// One opinion: a comment, or a distinct point split out of one.
public struct ListeningOpinion: Codable, Sendable, Equatable {
    public var id: Int
    /// Index into `comments`.
    public var comment: Int
    public var text: String
    /// Cluster id on each level, coarse first.
    public var clusters: [String]
    /// Position on the map (0…1).
    public var x: Double
    public var y: Double

    public init(id: Int, comment: Int, text: String, clusters: [String], x: Double, y: Double) {
        self.id = id
        self.comment = comment
        self.text = text
        self.clusters = clusters
        self.x = x
        self.y = y
    }
}

/// One kept comment, as masked.
public struct ListeningComment: Codable, Sendable, Equatable {
    public var id: Int
    /// The id column's value, or the 1-based data row number.
    public var sourceID: String
    public var row: Int
    public var text: String
    public var attributes: [String: String]
    /// The duplicate group the comment belongs to, if any.
    public var duplicateGroup: Int?
    /// Opinions drawn from the comment; empty for a duplicate that is represented by its group's first comment.
    public var opinions: [Int]

    public init(
        id: Int, sourceID: String, row: Int, text: String, attributes: [String: String], duplicateGroup: Int?,
        opinions: [Int]
    ) {
        self.id = id
        self.sourceID = sourceID
        self.row = row
        self.text = text
        self.attributes = attributes
        self.duplicateGroup = duplicateGroup
        self.opinions = opinions
    }
}

/// Comments that are the same text, or nearly (an organised campaign): clustered once, counted in full.
public struct DuplicateGroup: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case exact, near }
    public var id: Int
    public var kind: Kind
    /// The comment whose opinions stand for the group.
    public var representative: Int
    public var members: [Int]
    public var count: Int { members.count }

    public init(id: Int, kind: Kind, representative: Int, members: [Int]) {
        self.id = id
        self.kind = kind
        self.representative = representative
        self.members = members
    }

    private enum CodingKeys: String, CodingKey { case id, kind, representative, members, count }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(representative, forKey: .representative)
        try c.encode(members, forKey: .members)
        try c.encode(count, forKey: .count)
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        kind = try c.decode(Kind.self, forKey: .kind)
        representative = try c.decode(Int.self, forKey: .representative)
        members = try c.decode([Int].self, forKey: .members)
    }
}

/// Cluster × attribute value counts (comments, duplicates counted in full).
public struct AttributeBreakdown: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case category, numeric }
    public var name: String
    public var kind: Kind
    /// Column headings: the values, or the numeric ranges ("20–29").
    public var values: [String]
    /// Comments per value over all clusters.
    public var totals: [Int]
    public var rows: [Row]

    public struct Row: Codable, Sendable, Equatable {
        public var cluster: String
        public var counts: [Int]
        /// counts / the cluster's total.
        public var shares: [Double]

        public init(cluster: String, counts: [Int], shares: [Double]) {
            self.cluster = cluster
            self.counts = counts
            self.shares = shares
        }
    }

    public init(name: String, kind: Kind, values: [String], totals: [Int], rows: [Row]) {
        self.name = name
        self.kind = kind
        self.values = values
        self.totals = totals
        self.rows = rows
    }
}

public struct ExtractionFailure: Codable, Sendable, Equatable {
    public var comment: Int
    public var reason: String

    public init(comment: Int, reason: String) {
        self.comment = comment
        self.reason = reason
    }
}
