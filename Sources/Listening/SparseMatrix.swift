/// A compressed-sparse-row Float matrix (opinions × terms) with the two products randomized SVD needs.
/// Dense operands are row-major.
struct SparseMatrix: Sendable {
    let rows: Int
    let columns: Int
    /// rowStart[r]..<rowStart[r + 1] index `columnIndex` and `values` for row r.
    var rowStart: [Int]
    var columnIndex: [Int32]
    var values: [Float]

    init(rows: Int, columns: Int, rowStart: [Int], columnIndex: [Int32], values: [Float]) {
        precondition(rowStart.count == rows + 1)
        self.rows = rows
        self.columns = columns
        self.rowStart = rowStart
        self.columnIndex = columnIndex
        self.values = values
    }

    var nonZeros: Int { values.count }

    /// self (rows × columns) · dense (columns × width) → rows × width.
    func times(_ dense: [Float], width: Int) -> [Float] {
        precondition(dense.count == columns * width)
        var out = [Float](repeating: 0, count: rows * width)
        out.withUnsafeMutableBufferPointer { o in
            dense.withUnsafeBufferPointer { d in
                for r in 0..<rows {
                    let target = o.baseAddress! + r * width
                    for k in rowStart[r]..<rowStart[r + 1] {
                        let v = values[k]
                        let source = d.baseAddress! + Int(columnIndex[k]) * width
                        for j in 0..<width { target[j] += v * source[j] }
                    }
                }
            }
        }
        return out
    }

    /// selfᵀ (columns × rows) · dense (rows × width) → columns × width.
    func transposeTimes(_ dense: [Float], width: Int) -> [Float] {
        precondition(dense.count == rows * width)
        var out = [Float](repeating: 0, count: columns * width)
        out.withUnsafeMutableBufferPointer { o in
            dense.withUnsafeBufferPointer { d in
                for r in 0..<rows {
                    let source = d.baseAddress! + r * width
                    for k in rowStart[r]..<rowStart[r + 1] {
                        let v = values[k]
                        let target = o.baseAddress! + Int(columnIndex[k]) * width
                        for j in 0..<width { target[j] += v * source[j] }
                    }
                }
            }
        }
        return out
    }
}

/// TF-IDF weighting of term-id lists: sublinear term frequency, smoothed IDF raised to 1.5 (rare terms
/// name a topic; on short comments a steeper IDF separates topics better: dev NMI +0.015), L2-normalised rows.
/// Terms in fewer than `minimumDocumentFrequency` opinions or in more than `maximumDocumentShare` of them
/// are left out: typos and one-off words say nothing about a group, and words everyone uses separate nothing.
struct TfidfModel {
    /// Vocabulary term id (from the extractor) → matrix column.
    var column: [Int32: Int32] = [:]
    var terms: [Int32] = []
    var idf: [Float] = []

    init(documents: [[Int32]], minimumDocumentFrequency: Int, maximumDocumentShare: Double) {
        var df: [Int32: Int] = [:]
        for doc in documents {
            for t in Set(doc) { df[t, default: 0] += 1 }
        }
        let n = documents.count
        let limit = max(Int(Double(n) * maximumDocumentShare), minimumDocumentFrequency)
        terms = df.filter { $0.value >= minimumDocumentFrequency && $0.value <= limit }.keys.sorted()
        for (i, t) in terms.enumerated() {
            column[t] = Int32(i)
            idf.append(Float(pow(log(Double(1 + n) / Double(1 + df[t]!)) + 1, 1.5)))
        }
    }

    func matrix(_ documents: [[Int32]]) -> SparseMatrix {
        var rowStart = [0]
        var columnIndex: [Int32] = []
        var values: [Float] = []
        rowStart.reserveCapacity(documents.count + 1)
        for doc in documents {
            var counts: [Int32: Int] = [:]
            for t in doc { if let c = column[t] { counts[c, default: 0] += 1 } }
            let sorted = counts.keys.sorted()
            var weights = sorted.map { c in Float(1 + log(Double(counts[c]!))) * idf[Int(c)] }
            let norm = weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { for i in weights.indices { weights[i] /= norm } }
            columnIndex += sorted
            values += weights
            rowStart.append(columnIndex.count)
        }
        return SparseMatrix(
            rows: documents.count, columns: terms.count, rowStart: rowStart, columnIndex: columnIndex, values: values)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
