import Foundation

/// Agreement between a clustering and true labels: normalised mutual information (arithmetic-mean
/// normalisation, as scikit-learn's default) and the adjusted Rand index.
public enum ClusteringMetrics {
    public static func nmi(_ truth: [Int], _ predicted: [Int]) -> Double {
        precondition(truth.count == predicted.count)
        let n = Double(truth.count)
        guard n > 0 else { return 0 }
        let (joint, a, b) = table(truth, predicted)
        func entropy(_ counts: [Int: Int]) -> Double {
            counts.values.reduce(0) { h, c in
                let p = Double(c) / n
                return h - p * log(p)
            }
        }
        var mutual = 0.0
        for (pair, c) in joint {
            let p = Double(c) / n
            mutual += p * log(p * n * n / (Double(a[pair.t]!) * Double(b[pair.p]!)))
        }
        let ha = entropy(a)
        let hb = entropy(b)
        if ha == 0 && hb == 0 { return 1 }
        return max(0, mutual) / max((ha + hb) / 2, 1e-12)
    }

    public static func ari(_ truth: [Int], _ predicted: [Int]) -> Double {
        precondition(truth.count == predicted.count)
        let (joint, a, b) = table(truth, predicted)
        func pairs(_ c: Int) -> Double { Double(c) * Double(c - 1) / 2 }
        let index = joint.values.reduce(0) { $0 + pairs($1) }
        let sumA = a.values.reduce(0) { $0 + pairs($1) }
        let sumB = b.values.reduce(0) { $0 + pairs($1) }
        let total = pairs(truth.count)
        guard total > 0 else { return 1 }
        let expected = sumA * sumB / total
        let maximum = (sumA + sumB) / 2
        return maximum == expected ? 1 : (index - expected) / (maximum - expected)
    }

    private struct Pair: Hashable {
        var t: Int
        var p: Int
    }

    private static func table(_ truth: [Int], _ predicted: [Int]) -> ([Pair: Int], [Int: Int], [Int: Int]) {
        var joint: [Pair: Int] = [:]
        var a: [Int: Int] = [:]
        var b: [Int: Int] = [:]
        for (t, p) in zip(truth, predicted) {
            joint[Pair(t: t, p: p), default: 0] += 1
            a[t, default: 0] += 1
            b[p, default: 0] += 1
        }
        return (joint, a, b)
    }
}
