/// Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): each list adds `weight / (k + rank)` for the
/// items it ranks (rank from 1); items are ordered by the sum, ties by first appearance.
public enum RankFusion {
    public static func reciprocal(_ lists: [[Int64]], weights: [Double], k: Double = 60) -> [(id: Int64, score: Double)] {
        var score: [Int64: Double] = [:]
        var order: [Int64] = []
        for (list, weight) in zip(lists, weights) {
            for (rank, id) in list.enumerated() {
                if score[id] == nil { order.append(id) }
                score[id, default: 0] += weight / (k + Double(rank + 1))
            }
        }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return order.map { ($0, score[$0]!) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : position[$0.0]! < position[$1.0]! }
    }
}
