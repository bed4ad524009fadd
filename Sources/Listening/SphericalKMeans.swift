import CLinearAlgebra
import Search

/// Spherical k-means on L2-normalised rows (cosine similarity), seeded k-means++ starts, several restarts
/// keeping the most cohesive, and similarity matrices computed with BLAS `sgemm`. The same data, k and
/// seed give the same assignment on every run.
struct SphericalKMeans {
    var k: Int
    var seed: UInt64
    var restarts: Int
    var maximumIterations = 60

    struct Result {
        var assignment: [Int]
        /// k × dimensions, normalised.
        var centroids: [Float]
        /// Sum over points of the similarity to their centroid.
        var cohesion: Double
    }

    func fit(_ x: [Float], rows n: Int, dimensions d: Int) -> Result {
        precondition(k >= 1 && k <= n)
        var best: Result? = nil
        for run in 0..<max(1, restarts) {
            var random = SplitMix64(seed: seed &+ UInt64(run) &* 0x9E37_79B9_7F4A_7C15 ^ 0x4B4D_4541_4E53)
            let result = lloyd(x, n: n, d: d, centroids: plusPlus(x, n: n, d: d, random: &random))
            if best == nil || result.cohesion > best!.cohesion + 1e-9 { best = result }
        }
        return best!
    }

    /// k-means++ on cosine distance: each next centre drawn with probability ∝ (1 − best similarity).
    func plusPlus(_ x: [Float], n: Int, d: Int, random: inout SplitMix64) -> [Float] {
        var centroids = [Float](repeating: 0, count: k * d)
        var chosen = Int(random.next() % UInt64(n))
        var distance = [Double](repeating: .infinity, count: n)
        for c in 0..<k {
            for j in 0..<d { centroids[c * d + j] = x[chosen * d + j] }
            var sims = [Float](repeating: 0, count: n)
            x.withUnsafeBufferPointer { xp in
                centroids.withUnsafeBufferPointer { cp in
                    cblas_sgemv(
                        CblasRowMajor, CblasNoTrans, Int32(n), Int32(d), 1, xp.baseAddress, Int32(d),
                        cp.baseAddress! + c * d, 1, 0, &sims, 1)
                }
            }
            var total = 0.0
            for i in 0..<n {
                distance[i] = min(distance[i], max(0, 1 - Double(sims[i])))
                total += distance[i]
            }
            guard c + 1 < k else { break }
            if total <= 0 {
                chosen = Int(random.next() % UInt64(n))
                continue
            }
            var target = Double(random.next() >> 11) / Double(1 << 53) * total
            chosen = n - 1
            for i in 0..<n {
                target -= distance[i]
                if target <= 0 && distance[i] > 0 {
                    chosen = i
                    break
                }
            }
        }
        return centroids
    }

    func lloyd(_ x: [Float], n: Int, d: Int, centroids start: [Float]) -> Result {
        var centroids = start
        var assignment = [Int](repeating: -1, count: n)
        var bestSimilarity = [Float](repeating: 0, count: n)
        var sims = [Float](repeating: 0, count: n * k)
        for _ in 0..<maximumIterations {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(k), Int32(d), 1, x, Int32(d), centroids,
                Int32(d), 0, &sims, Int32(k))
            var changed = 0
            for i in 0..<n {
                var bestC = 0
                var bestS = sims[i * k]
                for c in 1..<k where sims[i * k + c] > bestS {
                    bestS = sims[i * k + c]
                    bestC = c
                }
                bestSimilarity[i] = bestS
                if assignment[i] != bestC {
                    assignment[i] = bestC
                    changed += 1
                }
            }
            centroids = Self.means(x, n: n, d: d, assignment: assignment, k: k, normalised: true)
            // An empty cluster takes the point its centroid fits worst, so k clusters always come out.
            var sizes = [Int](repeating: 0, count: k)
            for a in assignment { sizes[a] += 1 }
            for c in 0..<k where sizes[c] == 0 {
                var worst = -1
                for i in 0..<n where sizes[assignment[i]] > 1 && (worst < 0 || bestSimilarity[i] < bestSimilarity[worst]) {
                    worst = i
                }
                guard worst >= 0 else { break }
                sizes[assignment[worst]] -= 1
                assignment[worst] = c
                sizes[c] = 1
                bestSimilarity[worst] = 1
                for j in 0..<d { centroids[c * d + j] = x[worst * d + j] }
                changed += 1
            }
            if changed == 0 { break }
        }
        var cohesion = 0.0
        for i in 0..<n {
            var s: Float = 0
            for j in 0..<d { s += x[i * d + j] * centroids[assignment[i] * d + j] }
            cohesion += Double(s)
        }
        return Result(assignment: assignment, centroids: centroids, cohesion: cohesion)
    }

    /// Per-cluster means (k × d), optionally L2-normalised.
    static func means(_ x: [Float], n: Int, d: Int, assignment: [Int], k: Int, normalised: Bool) -> [Float] {
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        for i in 0..<n {
            let c = assignment[i]
            counts[c] += 1
            for j in 0..<d { sums[c * d + j] += Double(x[i * d + j]) }
        }
        var out = [Float](repeating: 0, count: k * d)
        for c in 0..<k where counts[c] > 0 {
            var norm = 0.0
            for j in 0..<d { norm += sums[c * d + j] * sums[c * d + j] }
            let scale = normalised ? (norm > 0 ? 1 / norm.squareRoot() : 0) : 1 / Double(counts[c])
            for j in 0..<d { out[c * d + j] = Float(sums[c * d + j] * scale) }
        }
        return out
    }
}
