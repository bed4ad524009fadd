/// Class-based TF-IDF (c-TF-IDF, as BERTopic uses): a term's frequency within a cluster, normalised by the
/// cluster's length, times log(1 + average cluster length / the term's total frequency). Terms common to
/// every cluster score low; terms that a cluster uses far more than the rest score high.
struct ClusterKeywords {
    /// Top terms per cluster (term ids), most distinctive first.
    let keywords: [[Int32]]

    /// - Parameters: `documents` term ids per opinion; `groups` opinion indices per cluster.
    init(
        documents: [[Int32]], groups: [[Int]], vocabulary: Int, top: Int = 8, minimumFrequency: Int = 2,
        displayable: (Int32) -> Bool = { _ in true }, text: (Int32) -> String = { String($0) }
    ) {
        var total = [Int](repeating: 0, count: vocabulary)
        var perCluster: [[Int32: Int]] = []
        var lengths: [Int] = []
        for members in groups {
            var counts: [Int32: Int] = [:]
            var length = 0
            for i in members {
                for t in documents[i] {
                    counts[t, default: 0] += 1
                    length += 1
                }
            }
            for (t, c) in counts { total[Int(t)] += c }
            perCluster.append(counts)
            lengths.append(length)
        }
        let average = Double(lengths.reduce(0, +)) / Double(max(1, groups.count))
        keywords = perCluster.enumerated().map { c, counts in
            let length = Double(max(1, lengths[c]))
            let scored = counts.compactMap { t, n -> (Int32, Double)? in
                guard total[Int(t)] >= minimumFrequency, n >= 2 || groups[c].count < 4, displayable(t) else { return nil }
                return (t, Double(n) / length * log(1 + average / Double(total[Int(t)])))
            }
            // A term inside one already chosen (アプ in アプリ, 保育 in 保育園) adds nothing to a label.
            var chosen: [(Int32, String)] = []
            for (t, _) in scored.sorted(by: { ($0.1, -$0.0) > ($1.1, -$1.0) }) {
                let word = text(t)
                if chosen.contains(where: { $0.1.contains(word) || word.contains($0.1) }) { continue }
                chosen.append((t, word))
                if chosen.count == top { break }
            }
            return chosen.map(\.0)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
