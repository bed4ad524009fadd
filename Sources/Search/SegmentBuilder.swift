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
public struct SegmentBuilder {
    public private(set) var docs = SegmentDocTable()
    /// termID → packed (ordinal << 20 | tf) postings, ordinals ascending by construction.
    private var postings: [Int64: [UInt64]] = [:]
    private var gramTerms = Set<Int64>()
    private static let tfMask: UInt64 = (1 << 20) - 1

    public init() {}

    public var count: Int { docs.count }

    /// Adds one chunk with its term frequencies (term ids already global).
    public mutating func add(
        chunkID: Int64, documentID: Int64, collectionID: Int64, wordLength: Int, gramLength: Int,
        terms: [TermFrequency]
    ) {
        let ordinal = UInt64(docs.count)
        docs.append(
            chunkID: chunkID, documentID: documentID, collectionID: collectionID, wordLength: wordLength,
            gramLength: gramLength)
        for t in terms {
            postings[t.termID, default: []].append(ordinal << 20 | min(UInt64(t.tf), Self.tfMask))
            if t.field == .gram { gramTerms.insert(t.termID) }
        }
    }

    /// Encoded postings sorted by term id: (termID, document frequency, blob).
    public func encodedPostings() -> [(termID: Int64, df: Int, blob: [UInt8])] {
        postings.keys.sorted().map { term in
            let list = postings[term]!.map { (ordinal: UInt32($0 >> 20), tf: UInt32($0 & Self.tfMask)) }
            let lengths = gramTerms.contains(term) ? docs.gramLengths : docs.wordLengths
            return (term, list.count, PostingsCodec.encode(list) { lengths[Int($0)] })
        }
    }
}
