import Foundation

/// Opinions as unit vectors.
struct Representation {
    var vectors: [Float]
    var rows: Int
    var dimensions: Int
    var name: String
}

/// The two-level clustering of the opinions.
struct Clustering {
    /// Fine cluster per opinion (indices into `fineMembers`), in the final, size-ordered numbering.
    var fine: [Int]
    /// Opinion indices per fine cluster.
    var fineMembers: [[Int]]
    /// Coarse index per fine cluster, and fine clusters per coarse cluster (both size-ordered).
    var parent: [Int]
    var children: [[Int]]
    /// Normalised centroids of the fine clusters (k × d).
    var centroids: [Float]
}

extension ListeningPipeline {
    func represent(_ documents: [[Int32]], texts: [String], options: ListeningOptions) async throws -> Representation {
        let n = documents.count
        if let embedder {
            var vectors: [Float] = []
            var dimensions = 0
            for start in stride(from: 0, to: n, by: 64) {
                progress("埋め込み (\(embedder.modelName))", start, n)
                let batch = Array(texts[start..<min(start + 64, n)])
                let key = ListeningCache.key(["embed/1", embedder.modelName] + batch)
                let embedded: [[Float]]
                if let cached = try cache.load([[Float]].self, step: "embed", key: key) {
                    embedded = cached
                } else {
                    embedded = try await embedder.embed(batch)
                    try cache.store(embedded, step: "embed", key: key)
                }
                for v in embedded {
                    if dimensions == 0 { dimensions = v.count }
                    vectors += Self.normalised(v.count == dimensions ? v : [Float](repeating: 0, count: dimensions))
                }
            }
            return Representation(vectors: vectors, rows: n, dimensions: dimensions, name: "embedding:\(embedder.modelName)")
        }
        let tfidf = TfidfModel(
            documents: documents, minimumDocumentFrequency: n >= 50 ? 2 : 1, maximumDocumentShare: n >= 50 ? 0.5 : 1)
        let matrix = tfidf.matrix(documents)
        let (coordinates, d) = TruncatedSVD.reduce(matrix, components: options.dimensions, seed: options.seed)
        var vectors = coordinates
        for i in 0..<n {
            let row = Self.normalised(Array(vectors[(i * d)..<((i + 1) * d)]))
            for j in 0..<d { vectors[i * d + j] = row[j] }
        }
        return Representation(vectors: vectors, rows: n, dimensions: d, name: "tfidf-svd")
    }

    /// Mean silhouette (cosine distance) of a grouping of unit vectors; ties favour fewer groups.
    static func silhouette(_ groups: [[Int]], _ x: [Float], d: Int) -> Double {
        var groupOf: [Int: Int] = [:]
        for (g, members) in groups.enumerated() { for m in members { groupOf[m] = g } }
        func distance(_ a: Int, _ b: Int) -> Double {
            var s: Float = 0
            for j in 0..<d { s += x[a * d + j] * x[b * d + j] }
            return 1 - Double(s)
        }
        var total = 0.0
        for (i, g) in groupOf {
            guard groups[g].count > 1 else { continue }
            let own = groups[g].filter { $0 != i }.reduce(0.0) { $0 + distance(i, $1) } / Double(groups[g].count - 1)
            let other = groups.indices.filter { $0 != g }.map { h in
                groups[h].reduce(0.0) { $0 + distance(i, $1) } / Double(groups[h].count)
            }.min() ?? own
            total += (other - own) / max(own, other, 1e-12)
        }
        return total / Double(max(1, groupOf.count)) - 1e-9 * Double(groups.count)
    }

    static func normalised(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }

    /// Default fine count: about √n (more opinions, finer themes) within 2…60. The coarse level groups the
    /// fine clusters by spherical k-means over their centroids (Ward's criterion here chains most fine
    /// clusters into one grab-bag theme); its default count is the one within ±2 of √(fine count), and at
    /// most a third of it, whose grouping has the best silhouette.
    func cluster(_ r: Representation, options: ListeningOptions) -> Clustering {
        let n = r.rows
        let d = r.dimensions
        let requestedFine = options.clusters?.last
        let k = max(1, min(n, requestedFine ?? min(60, max(2, Int(Double(n).squareRoot().rounded())))))
        let restarts = n <= 2_000 ? 8 : n <= 20_000 ? 4 : 2
        let kmeans = SphericalKMeans(k: k, seed: options.seed, restarts: restarts).fit(r.vectors, rows: n, dimensions: d)
        func group(_ count: Int) -> [[Int]] {
            guard count < k else { return (0..<k).map { [$0] } }
            let top = SphericalKMeans(k: count, seed: options.seed, restarts: 8).fit(kmeans.centroids, rows: k, dimensions: d)
            return (0..<count).map { c in (0..<k).filter { top.assignment[$0] == c } }.filter { !$0.isEmpty }
        }
        let cut: [[Int]]
        if let counts = options.clusters, counts.count >= 2 {
            cut = group(min(counts[0], k))
        } else if k <= 3 {
            cut = group(min(2, k))
        } else {
            let upper = max(2, min(10, k / 3))
            let centre = min(upper, max(2, Int(Double(k).squareRoot().rounded())))
            let candidates = (max(2, centre - 2)...min(upper, centre + 2)).map(group)
            cut = candidates.max { Self.silhouette($0, kmeans.centroids, d: d) < Self.silhouette($1, kmeans.centroids, d: d) }!
        }
        // Renumber: coarse clusters by size (ties: smallest opinion index), fine clusters by size inside.
        var members = [[Int]](repeating: [], count: k)
        for (i, a) in kmeans.assignment.enumerated() { members[a].append(i) }
        func order(_ a: [Int], _ b: [Int]) -> Bool { (a.count, -(a.first ?? 0)) > (b.count, -(b.first ?? 0)) }
        let groups = cut.map { fine in fine.sorted { order(members[$0], members[$1]) } }
        let coarse = groups.sorted { order($0.flatMap { members[$0] }.sorted(), $1.flatMap { members[$0] }.sorted()) }
        var fineOrder: [Int] = []
        var parent: [Int] = []
        var children: [[Int]] = []
        for (c, group) in coarse.enumerated() {
            children.append(Array(fineOrder.count..<(fineOrder.count + group.count)))
            for old in group {
                fineOrder.append(old)
                parent.append(c)
            }
        }
        var renumber = [Int](repeating: 0, count: k)
        for (new, old) in fineOrder.enumerated() { renumber[old] = new }
        var centroids = [Float](repeating: 0, count: k * d)
        for (new, old) in fineOrder.enumerated() {
            for j in 0..<d { centroids[new * d + j] = kmeans.centroids[old * d + j] }
        }
        return Clustering(
            fine: kmeans.assignment.map { renumber[$0] }, fineMembers: fineOrder.map { members[$0] }, parent: parent,
            children: children, centroids: centroids)
    }
}
