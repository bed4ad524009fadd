import Foundation

/// Standard retrieval metrics over ranked lists and graded relevance judgements (BEIR conventions:
/// nDCG with gain = relevance and log2 discount; recall = share of relevant items retrieved).
public enum RetrievalMetrics {
    /// nDCG@k of one ranking. `relevance` maps item id → grade (> 0 means relevant).
    public static func ndcg(ranking: [String], relevance: [String: Int], k: Int) -> Double {
        var dcg = 0.0
        for (i, id) in ranking.prefix(k).enumerated() {
            let rel = Double(relevance[id] ?? 0)
            if rel > 0 { dcg += rel / log2(Double(i + 2)) }
        }
        let ideal = relevance.values.filter { $0 > 0 }.sorted(by: >).prefix(k)
        var idcg = 0.0
        for (i, rel) in ideal.enumerated() { idcg += Double(rel) / log2(Double(i + 2)) }
        return idcg > 0 ? dcg / idcg : 0
    }

    /// Share of the relevant items found in the first k.
    public static func recall(ranking: [String], relevance: [String: Int], k: Int) -> Double {
        let relevant = Set(relevance.filter { $0.value > 0 }.keys)
        guard !relevant.isEmpty else { return 0 }
        let found = ranking.prefix(k).filter { relevant.contains($0) }.count
        return Double(found) / Double(relevant.count)
    }

    /// Reciprocal rank of the first relevant item within k (0 when none).
    public static func reciprocalRank(ranking: [String], relevance: [String: Int], k: Int) -> Double {
        for (i, id) in ranking.prefix(k).enumerated() where (relevance[id] ?? 0) > 0 { return 1 / Double(i + 1) }
        return 0
    }

    /// The value at quantile q (0...1) of `values` by nearest rank.
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}
