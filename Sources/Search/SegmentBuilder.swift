import JapaneseText

/// One term occurrence count for a chunk being indexed.
public struct TermFrequency: Sendable {
    public var termID: Int64
    public var tf: Int
    public var field: TermField
    public init(termID: Int64, tf: Int, field: TermField) {
        self.termID = termID
        self.tf = tf
        self.field = field
    }
}

/// Builds one immutable index segment in memory from analyzed chunks, then hands out its encoded
/// postings (per term) and doc table for storage.
///
/// Postings are kept flat (one term id and one packed entry per posting, in the order chunks were added)
/// and grouped by term only once, when encoded, with a counting sort over the term ids: no per-term
/// arrays or dictionary lookups on the indexing path.
public struct SegmentBuilder {
    public private(set) var docs = SegmentDocTable()
    private var termIDs: [Int64] = []
    /// ordinal << 21 | isGram << 20 | tf
    private var entries: [UInt64] = []
    private static let tfMask: UInt64 = (1 << 20) - 1
    private static let gramBit: UInt64 = 1 << 20

    public init() {}

    public var count: Int { docs.count }

    /// Adds one chunk with its term frequencies (term ids already global, each at most once).
    public mutating func add(
        chunkID: Int64, documentID: Int64, collectionID: Int64, wordLength: Int, gramLength: Int,
        terms: [TermFrequency]
    ) {
        let ordinal = UInt64(docs.count)
        docs.append(
            chunkID: chunkID, documentID: documentID, collectionID: collectionID, wordLength: wordLength,
            gramLength: gramLength)
        for t in terms {
            termIDs.append(t.termID)
            entries.append(ordinal << 21 | (t.field == .gram ? Self.gramBit : 0) | min(UInt64(t.tf), Self.tfMask))
        }
    }

    /// The postings grouped by ascending term id (each group in insertion = ordinal order), copied out
    /// so that encoding reads them sequentially: (term ids, entries), parallel arrays.
    private func grouped() -> (terms: [Int64], entries: [UInt64]) {
        let n = termIDs.count
        guard n > 0, let low = termIDs.min(), let high = termIDs.max() else { return ([], []) }
        let range = Int(high - low) + 1
        var order: [Int32]
        if range <= max(1 << 20, 4 * n) {
            var starts = [Int32](repeating: 0, count: range + 1)
            for id in termIDs { starts[Int(id - low) + 1] += 1 }
            for i in 0..<range { starts[i + 1] += starts[i] }
            order = [Int32](repeating: 0, count: n)
            for (i, id) in termIDs.enumerated() {
                let slot = Int(id - low)
                order[Int(starts[slot])] = Int32(i)
                starts[slot] += 1
            }
        } else {
            order = (0..<Int32(n)).map { $0 }
            order.sort { termIDs[Int($0)] != termIDs[Int($1)] ? termIDs[Int($0)] < termIDs[Int($1)] : $0 < $1 }
        }
        return (order.map { termIDs[Int($0)] }, order.map { entries[Int($0)] })
    }

    /// Calls `body(termID, documentFrequency, blob)` for every term in ascending term id order; the blob
    /// is only valid during the call.
    public func forEachEncodedPosting(_ body: (Int64, Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let (terms, sorted) = grouped()
        var encoder = PostingsEncoder()
        let docs = self.docs
        try sorted.withUnsafeBufferPointer { sorted in
            var start = 0
            while start < terms.count {
                let term = terms[start]
                var end = start + 1
                while end < terms.count && terms[end] == term { end += 1 }
                let lengths = sorted[start] & Self.gramBit != 0 ? docs.gramLengths : docs.wordLengths
                encoder.encode(count: end - start) { i in
                    let e = sorted[start + i]
                    return (UInt32(truncatingIfNeeded: e >> 21), UInt32(truncatingIfNeeded: e & Self.tfMask))
                } length: { lengths[Int($0)] }
                try encoder.output.withUnsafeBufferPointer { try body(term, end - start, $0) }
                start = end
            }
        }
    }

    /// Encoded postings sorted by term id: (termID, document frequency, blob).
    public func encodedPostings() -> [(termID: Int64, df: Int, blob: [UInt8])] {
        var out: [(termID: Int64, df: Int, blob: [UInt8])] = []
        forEachEncodedPosting { out.append(($0, $1, Array($2))) }
        return out
    }
}
