/// The per-document columns of one immutable index segment: which chunk each ordinal is, where it belongs
/// (for filtering inside the query) and its field lengths (for BM25 length normalisation).
public struct SegmentDocTable: Sendable, Equatable {
    public var chunkIDs: [Int64] = []
    public var documentIDs: [Int64] = []
    public private(set) var collectionIDs: [Int64] = []
    public var wordLengths: [UInt32] = []
    public var gramLengths: [UInt32] = []
    /// The field lengths as `LengthNorm` bytes, which is what scoring reads.
    public var wordNorms: [UInt8] = []
    public var gramNorms: [UInt8] = []
    /// The segment's distinct collections, and each ordinal's index into them: a query turns its
    /// readable collections into one flag per distinct collection instead of hashing an id per posting.
    public private(set) var collections: [Int64] = []
    public private(set) var collectionSlots: [UInt32] = []
    private var slotOf: [Int64: UInt32] = [:]

    public init() {}

    /// Per distinct collection, whether `allowed` holds it (nil: no restriction).
    public func collectionFlags(_ allowed: Set<Int64>?) -> [Bool]? {
        guard let allowed else { return nil }
        return collections.map { allowed.contains($0) }
    }

    public var count: Int { chunkIDs.count }

    public mutating func append(chunkID: Int64, documentID: Int64, collectionID: Int64, wordLength: Int, gramLength: Int) {
        chunkIDs.append(chunkID)
        documentIDs.append(documentID)
        collectionIDs.append(collectionID)
        appendSlot(collectionID)
        wordLengths.append(UInt32(clamping: wordLength))
        gramLengths.append(UInt32(clamping: gramLength))
        wordNorms.append(LengthNorm.encode(UInt32(clamping: wordLength)))
        gramNorms.append(LengthNorm.encode(UInt32(clamping: gramLength)))
    }

    private mutating func appendSlot(_ collectionID: Int64) {
        if let slot = slotOf[collectionID] {
            collectionSlots.append(slot)
        } else {
            let slot = UInt32(collections.count)
            slotOf[collectionID] = slot
            collections.append(collectionID)
            collectionSlots.append(slot)
        }
    }

    public var totalWordLength: Int { wordLengths.reduce(0) { $0 + Int($1) } }
    public var totalGramLength: Int { gramLengths.reduce(0) { $0 + Int($1) } }

    /// Compact encoding: count, then per document the five columns as varints (chunk ids delta-coded).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count * 10 + 8)
        VarInt.append(UInt64(count), to: &out)
        var previous: Int64 = 0
        for i in 0..<count {
            VarInt.append(UInt64(bitPattern: chunkIDs[i] &- previous), to: &out)
            previous = chunkIDs[i]
            VarInt.append(UInt64(bitPattern: documentIDs[i]), to: &out)
            VarInt.append(UInt64(bitPattern: collectionIDs[i]), to: &out)
            VarInt.append(UInt64(wordLengths[i]), to: &out)
            VarInt.append(UInt64(gramLengths[i]), to: &out)
        }
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws -> SegmentDocTable {
        try bytes.withUnsafeBufferPointer { p in
            var offset = 0
            guard let n = VarInt.read(p, &offset) else { throw SearchError.corruptIndex("segment doc table header") }
            var table = SegmentDocTable()
            table.chunkIDs.reserveCapacity(Int(n))
            var previous: Int64 = 0
            for _ in 0..<Int(n) {
                guard let delta = VarInt.read(p, &offset), let doc = VarInt.read(p, &offset),
                    let coll = VarInt.read(p, &offset), let wl = VarInt.read(p, &offset),
                    let gl = VarInt.read(p, &offset)
                else { throw SearchError.corruptIndex("segment doc table row") }
                previous = previous &+ Int64(bitPattern: delta)
                table.chunkIDs.append(previous)
                table.documentIDs.append(Int64(bitPattern: doc))
                table.collectionIDs.append(Int64(bitPattern: coll))
                table.appendSlot(Int64(bitPattern: coll))
                table.wordLengths.append(UInt32(clamping: wl))
                table.gramLengths.append(UInt32(clamping: gl))
                table.wordNorms.append(LengthNorm.encode(UInt32(clamping: wl)))
                table.gramNorms.append(LengthNorm.encode(UInt32(clamping: gl)))
            }
            return table
        }
    }
}
