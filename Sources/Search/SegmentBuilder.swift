/// Builds one immutable index segment in memory from analyzed chunks, then hands out its encoded
/// postings (per term) and doc table for storage.
public struct SegmentBuilder {
    public private(set) var docs = SegmentDocTable()
    /// termID → packed (ordinal << 20 | tf) postings, ordinals ascending by construction.
    private var postings: [Int64: [UInt64]] = [:]
    private static let tfMask: UInt64 = (1 << 20) - 1

    public init() {}

    public var count: Int { docs.count }
    public var postingCount: Int { postings.values.reduce(0) { $0 + $1.count } }

    /// Adds one chunk with its term frequencies (term ids already global).
    public mutating func add(
        chunkID: Int64, documentID: Int64, collectionID: Int64, wordLength: Int, gramLength: Int,
        termFrequencies: some Sequence<(key: Int64, value: Int)>
    ) {
        let ordinal = UInt64(docs.count)
        docs.append(
            chunkID: chunkID, documentID: documentID, collectionID: collectionID, wordLength: wordLength,
            gramLength: gramLength)
        for (term, tf) in termFrequencies {
            postings[term, default: []].append(ordinal << 20 | min(UInt64(tf), Self.tfMask))
        }
    }

    /// Encoded postings sorted by term id: (termID, document frequency, blob).
    public func encodedPostings() -> [(termID: Int64, df: Int, blob: [UInt8])] {
        postings.keys.sorted().map { term in
            let list = postings[term]!
            var out: [UInt8] = []
            out.reserveCapacity(list.count * 2)
            var previous: UInt64 = 0
            for (i, packed) in list.enumerated() {
                let ordinal = packed >> 20
                VarInt.append(i == 0 ? ordinal : ordinal - previous, to: &out)
                VarInt.append(packed & Self.tfMask, to: &out)
                previous = ordinal
            }
            return (term, list.count, out)
        }
    }
}
