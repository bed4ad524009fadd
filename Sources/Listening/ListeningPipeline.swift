import Foundation
import JapaneseText
import Privacy

/// Options of one listening run.
public struct ListeningOptions: Sendable {
    public var title: String
    public var seed: UInt64
    public var commentColumn: String?
    public var attributeColumns: [String]?
    /// Cluster counts per level, coarse first (e.g. [6, 30]); nil chooses them from the data.
    public var clusters: [Int]?
    /// SVD components of the TF-IDF representation.
    public var dimensions: Int
    /// Mask personal data before anything else sees the comments (on by default; off only for data that
    /// has none, such as evaluation sets).
    public var maskPersonalData: Bool

    public init(
        title: String = "意見分析", seed: UInt64 = 42, commentColumn: String? = nil, attributeColumns: [String]? = nil,
        clusters: [Int]? = nil, dimensions: Int = 100, maskPersonalData: Bool = true
    ) {
        self.title = title
        self.seed = seed
        self.commentColumn = commentColumn
        self.attributeColumns = attributeColumns
        self.clusters = clusters
        self.dimensions = dimensions
        self.maskPersonalData = maskPersonalData
    }

    /// Throws `ListeningError` for parameters out of range (cluster counts, dimensions).
    public func validate() throws {
        guard (2...512).contains(dimensions) else {
            throw ListeningError.badSeedOrDimensions("dimensions = \(dimensions)")
        }
        if let clusters {
            guard (1...3).contains(clusters.count), clusters.allSatisfy({ $0 >= 2 }),
                zip(clusters, clusters.dropFirst()).allSatisfy({ $0 < $1 })
            else { throw ListeningError.badClusterCounts(clusters.map(String.init).joined(separator: ",")) }
        }
    }
}

/// The broad-listening pipeline: read → mask personal data → group duplicates → opinions → representation
/// → hierarchical clusters → map → labels → cross-tabs. Runs fully offline; a `ListeningAssistant` (a chat
/// model through the gateway) and a `ListeningEmbedder` improve extraction, labels and representation when
/// configured. Steps that cost time (masking, model calls) are cached by the hash of their inputs.
public final class ListeningPipeline: @unchecked Sendable {
    let model: MeCabModel
    let detector: PIIDetector?
    let assistant: ListeningAssistant?
    let embedder: ListeningEmbedder?
    let cache: ListeningCache
    /// Called with (step name in Japanese, done, total) as the run advances.
    let progress: @Sendable (String, Int, Int) -> Void

    public init(
        model: MeCabModel, detector: PIIDetector?, assistant: ListeningAssistant? = nil,
        embedder: ListeningEmbedder? = nil, cache: ListeningCache = .disabled,
        progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }
    ) {
        self.model = model
        self.detector = detector
        self.assistant = assistant
        self.embedder = embedder
        self.cache = cache
        self.progress = progress
    }

    /// Runs the pipeline on a comment file's bytes.
    public func run(data: Data, path: String, options: ListeningOptions) async throws -> ListeningResult {
        try options.validate()
        let table = try CommentTable.read(data: data, path: path)
        let selection = try table.select(commentColumn: options.commentColumn, attributeColumns: options.attributeColumns)
        var counts = ListeningCounts(
            rows: selection.rows, droppedEmpty: selection.droppedEmpty, droppedModerated: selection.droppedModerated)
        return try await analyze(
            selection.comments, commentColumn: selection.commentColumn, attributeColumns: selection.attributeColumns,
            inputSHA256: ListeningCache.sha256(data), counts: &counts, options: options)
    }

    /// Runs the pipeline on comments already selected (evaluation, the web UI's parsed uploads).
    public func analyze(
        _ input: [InputComment], commentColumn: String, attributeColumns: [String], inputSHA256: String,
        counts: inout ListeningCounts, options: ListeningOptions
    ) async throws -> ListeningResult {
        try options.validate()
        if counts.rows == 0 { counts.rows = input.count }
        let (masked, spans) = try mask(input, inputSHA256: inputSHA256, enabled: options.maskPersonalData)
        counts.comments = masked.count
        counts.maskedSpans = spans

        progress("重複の検出", 0, masked.count)
        let groups = Deduplicator().groups(masked.map(\.text))
        var groupOf = [Int?](repeating: nil, count: masked.count)
        for g in groups { for m in g.members { groupOf[m] = g.id } }
        let representatives = masked.indices.filter { i in groupOf[i].map { groups[$0].representative == i } ?? true }
        counts.uniqueComments = representatives.count
        counts.duplicateComments = masked.count - representatives.count

        let extraction = try await extractOpinions(masked, representatives: representatives, inputSHA256: inputSHA256)
        counts.extractionFailures = extraction.failures.count
        let opinionTexts = extraction.opinions.map(\.text)
        counts.opinions = opinionTexts.count

        progress("特徴量の計算", 0, opinionTexts.count)
        let script = CommentScript.detect(opinionTexts)
        let extractor = try TermExtractor(script: script, model: model)
        let documents = opinionTexts.map { extractor.terms(Self.withoutPlaceholders($0)) }
        let representation = try await represent(documents, texts: opinionTexts, options: options)

        progress("クラスタリング", 0, opinionTexts.count)
        let clustering = cluster(representation, options: options)
        var result = assemble(
            masked: masked, groups: groups, groupOf: groupOf, extraction: extraction, documents: documents,
            extractor: extractor, representation: representation, clustering: clustering)
        result.title = options.title
        result.counts = counts
        result.parameters = ListeningParameters(
            seed: options.seed, commentColumn: commentColumn, attributeColumns: attributeColumns,
            requestedClusters: options.clusters ?? [], representation: representation.name,
            dimensions: representation.dimensions, extraction: extraction.method,
            labelling: assistant.map { "model:\($0.modelName)" } ?? "keywords", model: assistant?.modelName,
            promptHashes: assistant?.promptHashes ?? [:], inputSHA256: inputSHA256, language: script.rawValue,
            personalDataMasked: options.maskPersonalData)
        result.attributes = AttributeCrossTab.breakdowns(
            columns: attributeColumns, comments: result.comments,
            clustersOfComment: Self.clustersOfComments(result),
            clusterOrder: result.levels.flatMap(\.clusterIDs))
        if let assistant {
            try await describe(&result, with: assistant)
            result.usage = await assistant.usage()
        }
        progress("完了", opinionTexts.count, opinionTexts.count)
        return result
    }

    /// Masks personal data in every comment (one vault for the run, so the same person gets the same
    /// placeholder throughout). Cached: on 100,000 comments this is the slowest offline step.
    func mask(_ input: [InputComment], inputSHA256: String, enabled: Bool) throws -> ([InputComment], Int) {
        guard enabled, let detector else { return (input, 0) }
        struct Masked: Codable {
            var comments: [InputComment]
            var spans: Int
        }
        let key = ListeningCache.key(["mask/2", inputSHA256] + input.map(\.text))
        if let cached = try cache.load(Masked.self, step: "mask", key: key) { return (cached.comments, cached.spans) }
        // Names and addresses are found with Japanese patterns and MeCab; on Chinese or English comments they
        // would mistake ordinary words for names (我覺得 → [氏名1]得), so only the script-independent kinds
        // (e-mail, phone, My Number, 法人番号, postal code) are masked there.
        let japanese = CommentScript.detect(input.map(\.text)) == .japanese
        let kinds: Set<PIIKind> = japanese ? Set(PIIKind.allCases) : [.email, .phoneNumber, .myNumber, .corporateNumber, .postalCode]
        var session = PIIMaskingSession(detector: detector, kinds: kinds)
        var out = input
        var spans = 0
        for i in out.indices {
            if i % 2_000 == 0 { progress("個人情報のマスキング", i, out.count) }
            let masked = try session.mask(out[i].text)
            spans += masked.replacements.count
            out[i].text = masked.text
        }
        try cache.store(Masked(comments: out, spans: spans), step: "mask", key: key)
        return (out, spans)
    }

    /// Placeholders such as [氏名1] are not words of the opinion: left in, every masked comment would share
    /// the term 「氏名」.
    static func withoutPlaceholders(_ text: String) -> String {
        guard text.contains("[") else { return text }
        return text.replacing(#/\[[^\[\]\d]{1,10}\d+\]/#, with: " ")
    }

    /// Cluster ids (every level) per comment; a duplicate takes its representative's.
    static func clustersOfComments(_ result: ListeningResult) -> [[String]] {
        var own = result.comments.map { comment in
            Array(Set(comment.opinions.flatMap { result.opinions[$0].clusters })).sorted()
        }
        for group in result.duplicates {
            for m in group.members where m != group.representative { own[m] = own[group.representative] }
        }
        return own
    }
}
