/// The 2-D opinion map. Fine clusters become discs (area ∝ size) placed so that similar clusters sit close
/// and children of one coarse cluster sit together — a small deterministic stress layout over cluster
/// centroids, started from their first two principal coordinates —; inside a disc, the opinions most like
/// the cluster's centre are at its middle and the angle follows the opinion's own direction in the space,
/// so sub-themes show as sectors. Everything is computed, nothing random: the map is reproducible.
struct MapLayout {
    /// Per opinion (x, y) and per fine cluster (x, y), both in 0…1.
    var points: [(Double, Double)]
    var centres: [(Double, Double)]

    /// - Parameters:
    ///   - x: opinions × d, L2-normalised; `assignment` fine cluster per opinion; `centroids` k × d normalised;
    ///   - parents: coarse index per fine cluster.
    init(x: [Float], n: Int, d: Int, assignment: [Int], centroids: [Float], k: Int, parents: [Int]) {
        var sizes = [Int](repeating: 0, count: k)
        for a in assignment { sizes[a] += 1 }
        let total = Double(max(1, n))
        let radius = sizes.map { 0.45 * (Double($0) / total).squareRoot() }
        // Target distances: disjoint discs, further apart the less alike, closer within one coarse cluster.
        var similarity = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for a in 0..<k {
            for b in 0..<k {
                var s: Float = 0
                for j in 0..<d { s += centroids[a * d + j] * centroids[b * d + j] }
                similarity[a][b] = Double(s)
            }
        }
        var centre = Self.principalCoordinates(similarity, k: k)
        if k > 1 {
            for iteration in 0..<400 {
                let step = 0.05 * (1 - Double(iteration) / 400)
                var moved = centre
                for a in 0..<k {
                    var (dx, dy) = (0.0, 0.0)
                    for b in 0..<k where b != a {
                        let gap = (radius[a] + radius[b]) * 1.08
                        let apart = parents[a] == parents[b] ? 0.08 : 0.3
                        let target = gap + apart * max(0, 1 - similarity[a][b])
                        let vx = centre[a].0 - centre[b].0
                        let vy = centre[a].1 - centre[b].1
                        let dist = max((vx * vx + vy * vy).squareRoot(), 1e-6)
                        // Overlaps always push; far pairs pull only weakly (stress weighted by 1/target²).
                        let weight = dist < gap ? 4.0 : 1 / (target * target * Double(k))
                        let force = (target - dist) / dist * weight
                        dx += vx * force
                        dy += vy * force
                    }
                    moved[a] = (centre[a].0 + step * dx, centre[a].1 + step * dy)
                }
                centre = moved
            }
        }
        // Opinions inside their disc: rank by similarity to the centre → radius (uniform area fill).
        var points = [(Double, Double)](repeating: (0, 0), count: n)
        var members = [[Int]](repeating: [], count: k)
        for i in 0..<n { members[assignment[i]].append(i) }
        for c in 0..<k {
            let sims = members[c].map { i -> Double in
                var s: Float = 0
                for j in 0..<d { s += x[i * d + j] * centroids[c * d + j] }
                return Double(s)
            }
            let order = members[c].indices.sorted { (sims[$0], -members[c][$0]) > (sims[$1], -members[c][$1]) }
            for (rank, m) in order.enumerated() {
                let i = members[c][m]
                let angle = Self.angle(x: x, i: i, d: d, centroid: centroids, c: c)
                let r = radius[c] * ((Double(rank) + 0.5) / Double(order.count)).squareRoot()
                points[i] = (centre[c].0 + r * cos(angle), centre[c].1 + r * sin(angle))
            }
        }
        // Fit everything into 0.03…0.97, keeping the aspect ratio.
        let xs = points.map(\.0) + centre.map(\.0)
        let ys = points.map(\.1) + centre.map(\.1)
        let (minX, maxX, minY, maxY) = (xs.min() ?? 0, xs.max() ?? 1, ys.min() ?? 0, ys.max() ?? 1)
        let span = max(maxX - minX, maxY - minY, 1e-9)
        func fit(_ p: (Double, Double)) -> (Double, Double) {
            let fx = 0.03 + 0.94 * ((p.0 - minX) / span + (span - (maxX - minX)) / span / 2)
            let fy = 0.03 + 0.94 * ((p.1 - minY) / span + (span - (maxY - minY)) / span / 2)
            return (Self.round(fx), Self.round(fy))
        }
        self.points = points.map(fit)
        self.centres = centre.map(fit)
    }

    /// The direction of an opinion's offset from its centroid, read on the first two coordinates after the
    /// centroid's own (the largest remaining variation).
    static func angle(x: [Float], i: Int, d: Int, centroid: [Float], c: Int) -> Double {
        guard d >= 2 else { return Double(i % 360) * .pi / 180 }
        let u = Double(x[i * d] - centroid[c * d])
        let v = Double(x[i * d + 1] - centroid[c * d + 1])
        let w = d >= 3 ? Double(x[i * d + 2] - centroid[c * d + 2]) : 0
        return atan2(v + 0.5 * w, u - 0.5 * w)
    }

    /// Classical MDS of the clusters from their similarities: the two leading eigenvectors (power
    /// iteration with deflation, fixed start) of the double-centred Gram matrix.
    static func principalCoordinates(_ similarity: [[Double]], k: Int) -> [(Double, Double)] {
        guard k > 1 else { return [(0, 0)] }
        var g = similarity
        let rowMean = g.map { $0.reduce(0, +) / Double(k) }
        let all = rowMean.reduce(0, +) / Double(k)
        for a in 0..<k { for b in 0..<k { g[a][b] = g[a][b] - rowMean[a] - rowMean[b] + all } }
        var vectors: [[Double]] = []
        var values: [Double] = []
        for component in 0..<2 {
            var v = (0..<k).map { Double(($0 * 7 + component * 3) % 11) - 5 + 0.1 }
            var lambda = 0.0
            for _ in 0..<200 {
                var w = (0..<k).map { a in (0..<k).reduce(0.0) { $0 + g[a][$1] * v[$1] } }
                for vec in vectors {
                    let dot = zip(w, vec).reduce(0) { $0 + $1.0 * $1.1 }
                    for a in 0..<k { w[a] -= dot * vec[a] }
                }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 1e-12 else { break }
                lambda = norm
                v = w.map { $0 / norm }
            }
            vectors.append(v)
            values.append(lambda)
        }
        let scale = 0.5 / max(values[0].squareRoot(), 1e-9)
        return (0..<k).map {
            (vectors[0][$0] * values[0].squareRoot() * scale, vectors[1][$0] * values[1].squareRoot() * scale)
        }
    }

    static func round(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }
}

#if canImport(Glibc)
    import Glibc
#endif
