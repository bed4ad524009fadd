import Foundation

/// Two consultations (or two periods of one) mapped onto one taxonomy: both are clustered together, then
/// each cluster's share in the first and in the second is compared. A change is called only when a
/// two-proportion z-test says it is unlikely to be chance (|z| ≥ 1.96) and it moves at least one point.
public struct ListeningComparison: Codable, Sendable, Equatable {
    public enum Change: String, Codable, Sendable { case grew, shrank, appeared, vanished, stable }

    public struct Row: Codable, Sendable, Equatable {
        public var cluster: String
        public var counts: [Int]
        public var shares: [Double]
        public var change: Change
        /// Share in the second minus share in the first, in percentage points.
        public var delta: Double
    }

    /// Names of the two consultations, first then second.
    public var names: [String]
    /// Comments of each (duplicates counted in full).
    public var totals: [Int]
    public var rows: [Row]

    /// - Parameters: `attribute` is the column holding each comment's consultation name.
    public init(result: ListeningResult, attribute: String, names: [String]) {
        precondition(names.count == 2)
        self.names = names
        let clustersOf = ListeningPipeline.clustersOfComments(result)
        var totals = [0, 0]
        var counts: [String: [Int]] = [:]
        for (i, comment) in result.comments.enumerated() {
            guard let side = names.firstIndex(of: comment.attributes[attribute] ?? "") else { continue }
            totals[side] += 1
            for c in clustersOf[i] { counts[c, default: [0, 0]][side] += 1 }
        }
        self.totals = totals
        rows = result.levels.flatMap(\.clusterIDs).map { id in
            let c = counts[id] ?? [0, 0]
            let p = (0..<2).map { totals[$0] == 0 ? 0 : Double(c[$0]) / Double(totals[$0]) }
            let change: Change
            if c[0] == 0 && c[1] > 0 {
                change = .appeared
            } else if c[1] == 0 && c[0] > 0 {
                change = .vanished
            } else {
                let pooled = Double(c[0] + c[1]) / Double(max(1, totals[0] + totals[1]))
                let se = (pooled * (1 - pooled) * (1 / Double(max(1, totals[0])) + 1 / Double(max(1, totals[1])))).squareRoot()
                let z = se > 0 ? (p[1] - p[0]) / se : 0
                change = abs(z) >= 1.96 && abs(p[1] - p[0]) >= 0.01 ? (z > 0 ? .grew : .shrank) : .stable
            }
            return Row(
                cluster: id, counts: c, shares: p.map { ($0 * 10_000).rounded() / 10_000 }, change: change,
                delta: ((p[1] - p[0]) * 1_000).rounded() / 10)
        }
    }
}
