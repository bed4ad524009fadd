/// Cluster × attribute tables. The unit is the comment: a comment counts once in every cluster one of its
/// opinions belongs to, and each member of a duplicate group counts with its own attributes.
enum AttributeCrossTab {
    /// - Parameters: `clustersOfComment` cluster ids per comment (duplicates already given their
    ///   representative's); `clusterOrder` the rows in display order.
    static func breakdowns(
        columns: [String], comments: [ListeningComment], clustersOfComment: [[String]], clusterOrder: [String]
    ) -> [AttributeBreakdown] {
        columns.compactMap { name in
            let raw = comments.map { $0.attributes[name] }
            guard raw.contains(where: { $0 != nil }) else { return nil }
            let (kind, values, bucket) = buckets(raw.compactMap { $0 })
            var totals = [Int](repeating: 0, count: values.count)
            var counts: [String: [Int]] = [:]
            for (i, value) in raw.enumerated() {
                guard let value, let b = bucket(value) else { continue }
                totals[b] += 1
                for c in clustersOfComment[i] { counts[c, default: [Int](repeating: 0, count: values.count)][b] += 1 }
            }
            let rows = clusterOrder.map { id -> AttributeBreakdown.Row in
                let row = counts[id] ?? [Int](repeating: 0, count: values.count)
                let sum = Double(max(1, row.reduce(0, +)))
                return AttributeBreakdown.Row(
                    cluster: id, counts: row, shares: row.map { (Double($0) / sum * 10_000).rounded() / 10_000 })
            }
            return AttributeBreakdown(name: name, kind: kind, values: values, totals: totals, rows: rows)
        }
    }

    /// Categories by frequency (at most 15, the rest as 「その他」), or numeric ranges when the values are
    /// numbers with many distinct values (年齢 42, 57…).
    static func buckets(_ values: [String]) -> (AttributeBreakdown.Kind, [String], (String) -> Int?) {
        let numbers = values.compactMap { Double($0.replacingOccurrences(of: ",", with: "")) }
        let distinct = Set(values)
        if numbers.count * 10 >= values.count * 9, distinct.count > 12, let low = numbers.min(), let high = numbers.max(),
            high > low
        {
            let width = niceWidth((high - low) / 6)
            let start = (low / width).rounded(.down) * width
            let count = Int(((high - start) / width).rounded(.down)) + 1
            let labels = (0..<count).map { b -> String in
                let from = start + Double(b) * width
                return "\(format(from))–\(format(from + width))"
            }
            return (
                .numeric, labels,
                { v in
                    guard let x = Double(v.replacingOccurrences(of: ",", with: "")) else { return nil }
                    return min(count - 1, max(0, Int(((x - start) / width).rounded(.down))))
                }
            )
        }
        var frequency: [String: Int] = [:]
        for v in values { frequency[v, default: 0] += 1 }
        let ordered = frequency.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        let shown = ordered.count > 16 ? Array(ordered.prefix(15)) : ordered
        let index = Dictionary(uniqueKeysWithValues: shown.enumerated().map { ($1, $0) })
        let other = shown.count < ordered.count
        return (.category, shown + (other ? ["その他"] : []), { index[$0] ?? (other ? shown.count : nil) })
    }

    static func niceWidth(_ raw: Double) -> Double {
        let magnitude = pow(10, (log10(max(raw, 1e-9))).rounded(.down))
        for step in [1.0, 2, 5, 10] where step * magnitude >= raw { return step * magnitude }
        return 10 * magnitude
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
import Foundation
