/// Lookups over one `ListeningResult` that every part of the report needs: clusters by id, the coarse clusters in
/// level order (their rank picks their colour), and each cluster's opinions. Built once per report so that a
/// 100,000-opinion result is walked a fixed number of times rather than once per cluster.
struct ReportIndex {
    let result: ListeningResult
    /// The coarse clusters, largest first, as the coarse level lists them.
    let coarse: [ListeningCluster]
    private let clustersByID: [String: ListeningCluster]
    private let coarseRank: [String: Int]
    private let opinionPosition: [Int: Int]
    private let commentPosition: [Int: Int]
    private let duplicatesByID: [Int: DuplicateGroup]
    /// Positions in `result.opinions` of each cluster's opinions (every level), in opinion order.
    let opinionsByCluster: [String: [Int]]
    /// Positions of the opinions that belong to no known coarse cluster.
    let unclustered: [Int]

    init(_ result: ListeningResult) {
        self.result = result
        var byID: [String: ListeningCluster] = [:]
        for cluster in result.clusters where byID[cluster.id] == nil { byID[cluster.id] = cluster }
        clustersByID = byID
        // A result without levels (hand-made or from an older writer) still gets a report: the top-level
        // clusters in the order given stand in for the coarse level.
        let coarseIDs = result.levels.first?.clusterIDs ?? result.clusters.filter { $0.parent == nil }.map(\.id)
        var seen = Set<String>()
        coarse = coarseIDs.compactMap { id in seen.insert(id).inserted ? byID[id] : nil }
        let ranks = Dictionary(uniqueKeysWithValues: coarse.enumerated().map { ($0.element.id, $0.offset) })
        coarseRank = ranks
        opinionPosition = Dictionary(result.opinions.enumerated().map { ($0.element.id, $0.offset) }) { a, _ in a }
        commentPosition = Dictionary(result.comments.enumerated().map { ($0.element.id, $0.offset) }) { a, _ in a }
        duplicatesByID = Dictionary(result.duplicates.map { ($0.id, $0) }) { a, _ in a }
        var members: [String: [Int]] = [:]
        var loose: [Int] = []
        for (position, opinion) in result.opinions.enumerated() {
            for id in opinion.clusters { members[id, default: []].append(position) }
            if opinion.clusters.first.flatMap({ ranks[$0] }) == nil { loose.append(position) }
        }
        opinionsByCluster = members
        unclustered = loose
    }

    func cluster(_ id: String) -> ListeningCluster? { clustersByID[id] }

    /// The cluster's label, or its id when the result does not know it.
    func label(_ id: String) -> String { clustersByID[id]?.label ?? id }

    /// The existing children of `cluster`, in the order the cluster lists them (largest first).
    func children(of cluster: ListeningCluster) -> [ListeningCluster] {
        cluster.children.compactMap { clustersByID[$0] }
    }

    /// The rank on the coarse level of the cluster or of its coarse ancestor; `nil` when it has none.
    func rank(of clusterID: String) -> Int? {
        var id = clusterID
        var steps = 0
        // Parents form a tree; the step limit only guards against a malformed result with a cycle.
        while let cluster = clustersByID[id], steps < 64 {
            if let rank = coarseRank[cluster.id] { return rank }
            guard let parent = cluster.parent else { return nil }
            id = parent
            steps += 1
        }
        return coarseRank[id]
    }

    func opinion(_ id: Int) -> ListeningOpinion? {
        if id >= 0 && id < result.opinions.count && result.opinions[id].id == id { return result.opinions[id] }
        return opinionPosition[id].map { result.opinions[$0] }
    }

    func comment(_ id: Int) -> ListeningComment? {
        if id >= 0 && id < result.comments.count && result.comments[id].id == id { return result.comments[id] }
        return commentPosition[id].map { result.comments[$0] }
    }

    func duplicate(_ id: Int) -> DuplicateGroup? { duplicatesByID[id] }

    /// The cluster's label with its coarse ancestor's in front, for tooltips: "子育て › 保育園の待機児童".
    func path(_ clusterIDs: [String]) -> String {
        clusterIDs.map { label($0) }.joined(separator: " › ")
    }

    /// How many clusters the level has (0 = coarse); 0 for a level the result does not have.
    func clusterCount(level: Int) -> Int {
        if level == 0 { return coarse.count }
        return level < result.levels.count ? result.levels[level].clusterIDs.count : 0
    }
}
