/// Agglomerative clustering with Ward's criterion over the fine clusters (each a weighted point at its
/// mean): the coarse level is a cut of this tree, so every fine cluster has exactly one parent and the two
/// levels always nest. Ties are broken by index, so the tree is deterministic.
struct WardHierarchy {
    /// Merge steps in order: the two merged groups (as indices into `groups` at that time) and the cost.
    private(set) var heights: [Double] = []
    private var snapshots: [[[Int]]] = []

    /// - Parameters: `means` are the fine clusters' (unnormalised) mean vectors, k × d; `sizes` their counts.
    init(means: [Float], sizes: [Int], dimensions d: Int) {
        let k = sizes.count
        var groups: [[Int]] = (0..<k).map { [$0] }
        var centre: [[Double]] = (0..<k).map { c in (0..<d).map { Double(means[c * d + $0]) } }
        var weight = sizes.map(Double.init)
        snapshots = [groups]
        while groups.count > 1 {
            var best = (a: 0, b: 1, cost: Double.infinity)
            for a in 0..<groups.count {
                for b in (a + 1)..<groups.count {
                    var dist = 0.0
                    for j in 0..<d {
                        let diff = centre[a][j] - centre[b][j]
                        dist += diff * diff
                    }
                    let cost = weight[a] * weight[b] / (weight[a] + weight[b]) * dist
                    if cost < best.cost { best = (a, b, cost) }
                }
            }
            let (a, b) = (best.a, best.b)
            let total = weight[a] + weight[b]
            centre[a] = (0..<d).map { (centre[a][$0] * weight[a] + centre[b][$0] * weight[b]) / total }
            weight[a] = total
            groups[a] = (groups[a] + groups[b]).sorted()
            groups.remove(at: b)
            centre.remove(at: b)
            weight.remove(at: b)
            heights.append(best.cost)
            snapshots.append(groups)
        }
    }

    /// The fine clusters grouped into `count` coarse clusters.
    func cut(_ count: Int) -> [[Int]] {
        let k = snapshots[0].count
        let c = max(1, min(count, k))
        return snapshots[k - c]
    }

    /// The coarse count in `range` after which the next merge costs most relative to the one before:
    /// the level where the tree's natural groups stop.
    func naturalCount(in range: ClosedRange<Int>) -> Int {
        let k = snapshots[0].count
        let lower = max(2, range.lowerBound)
        let upper = min(k - 1, range.upperBound)
        guard lower <= upper else { return max(1, min(k, range.lowerBound)) }
        var best = (count: lower, ratio: -1.0)
        for count in lower...upper {
            // Going from count to count − 1 groups performs merge number k − count.
            let next = heights[k - count]
            let previous = k - count - 1 >= 0 ? heights[k - count - 1] : 0
            let ratio = next / max(previous, 1e-12)
            if ratio > best.ratio + 1e-12 { best = (count, ratio) }
        }
        return best.count
    }
}
