/// Postings of one term in one segment, in blocks that can be skipped and bounded.
///
/// ```
/// 0x03  count  maxTF  minLength                          list header (varints)
/// block*: lastOrdinal  payloadBytes  impactCount  (tf norm)*impactCount  payload      (norm: one byte)
/// payload: (gap, tf) varint pairs, gap = ordinal − previous ordinal − 1 (previous = block start − 1)
/// ```
/// A block's impacts are the Pareto frontier of its (tf, field length) pairs, lengths as `LengthNorm`
/// bytes: no posting in the block has both a higher tf and a shorter length than every impact. BM25
/// rises with tf and falls with length, so the best impact is the exact highest score any posting of the
/// block can get, whatever the query's idf and the corpus's average length. The scorer uses these bounds to skip blocks and whole terms that
/// can no longer change the top k. Version 2 lists (one (maxTF, minLength) pair per block, a looser
/// bound) are still read; merges rewrite them as version 3.
public enum PostingsCodec {
    public static let version: UInt8 = 3
    static let legacyVersion: UInt8 = 2
    public static let blockSize = 128

    public struct Header: Equatable {
        public var count: Int
        public var maxTF: UInt32
        public var minLength: UInt32
        var version: UInt8
        /// Byte offset of the first block.
        var start: Int
    }

    /// One block's header.
    struct BlockHeader {
        var last: Int
        var payloadStart: Int
        var payloadEnd: Int
    }

    /// Encodes ascending postings; `length(ordinal)` is the document's length in the term's field.
    public static func encode(_ postings: [(ordinal: UInt32, tf: UInt32)], length: (UInt32) -> UInt32 = { _ in 0 }) -> [UInt8] {
        var encoder = PostingsEncoder()
        encoder.encode(count: postings.count, posting: { postings[$0] }, length: length)
        return encoder.output
    }

    /// The Pareto frontier of (tf, length) pairs, by descending tf and strictly falling length.
    static func frontier(_ pairs: inout [(tf: UInt32, length: UInt32)]) -> [(tf: UInt32, length: UInt32)] {
        if pairs.count < 2 { return pairs }
        pairs.sort { $0.tf != $1.tf ? $0.tf > $1.tf : $0.length < $1.length }
        var out: [(tf: UInt32, length: UInt32)] = []
        var shortest = UInt32.max
        for pair in pairs where pair.length < shortest {
            out.append(pair)
            shortest = pair.length
        }
        return out
    }

    public static func header(_ p: UnsafeBufferPointer<UInt8>) -> Header? {
        guard p.count > 0, p[0] == version || p[0] == legacyVersion else { return nil }
        var offset = 1
        guard let count = VarInt.read(p, &offset), let maxTF = VarInt.read(p, &offset),
            let minLength = VarInt.read(p, &offset)
        else { return nil }
        return Header(
            count: Int(count), maxTF: UInt32(clamping: maxTF), minLength: UInt32(clamping: minLength), version: p[0],
            start: offset)
    }

    /// Reads the block header at `offset` (moving it to the next block), reporting each impact as
    /// (tf, length norm byte).
    /// Nil on corrupt input.
    @inline(__always)
    static func readBlock(
        _ p: UnsafeBufferPointer<UInt8>, _ offset: inout Int, version: UInt8, impact: (UInt32, UInt8) -> Void = { _, _ in }
    ) -> BlockHeader? {
        // Ordinals are 32-bit: a larger last ordinal is corrupt (and would not even fit an Int from 2^63).
        guard let last = VarInt.read(p, &offset), last <= UInt64(UInt32.max), let size = VarInt.read(p, &offset)
        else { return nil }
        if version == legacyVersion {
            guard let maxTF = VarInt.read(p, &offset), let minLength = VarInt.read(p, &offset) else { return nil }
            impact(UInt32(clamping: maxTF), LengthNorm.encode(UInt32(clamping: minLength)))
        } else {
            guard let n = VarInt.read(p, &offset), n <= UInt64(blockSize) else { return nil }
            for _ in 0..<Int(n) {
                guard let tf = VarInt.read(p, &offset), offset < p.count else { return nil }
                impact(UInt32(clamping: tf), p[offset])
                offset += 1
            }
        }
        let start = offset
        guard size <= UInt64(p.count - start) else { return nil }
        offset = start + Int(size)
        return BlockHeader(last: Int(last), payloadStart: start, payloadEnd: offset)
    }

    /// Calls `body(ordinal, tf)` for every posting. Returns false (after the valid prefix) on corrupt input.
    @inline(__always) @discardableResult
    public static func forEach(_ p: UnsafeBufferPointer<UInt8>, _ body: (Int, UInt32) -> Void) -> Bool {
        guard let header = header(p) else { return p.isEmpty }
        var offset = header.start
        var previous = -1
        while offset < p.count {
            guard let block = readBlock(p, &offset, version: header.version) else { return false }
            var at = block.payloadStart
            while at < block.payloadEnd {
                guard let gap = VarInt.read(p, &at), at < block.payloadEnd, let tf = VarInt.read(p, &at) else { return false }
                previous += Int(gap) + 1
                body(previous, UInt32(clamping: tf))
            }
        }
        return true
    }

    public static func decode(_ bytes: [UInt8]) -> [(ordinal: UInt32, tf: UInt32)] {
        var out: [(UInt32, UInt32)] = []
        _ = bytes.withUnsafeBufferPointer { p in
            PostingsCodec.forEach(p) { out.append((UInt32($0), $1)) }
        }
        return out
    }
}

/// Encodes posting lists into `output` with scratch buffers reused from one list to the next (the
/// indexing path encodes tens of thousands of short lists per segment).
public struct PostingsEncoder {
    public private(set) var output: [UInt8] = []
    private var blocks: [UInt8] = []
    private var payload: [UInt8] = []
    private var pairs: [(tf: UInt32, length: UInt32)] = []

    public init() {}

    /// Encodes `count` postings, ascending by ordinal, given by `posting(i)`; `length(ordinal)` is the
    /// document's length in the term's field. The result is in `output` until the next call.
    public mutating func encode(
        count: Int, posting: (Int) -> (ordinal: UInt32, tf: UInt32), length: (UInt32) -> UInt32
    ) {
        output.removeAll(keepingCapacity: true)
        blocks.removeAll(keepingCapacity: true)
        output.append(PostingsCodec.version)
        var listMaxTF: UInt32 = 0
        var listMinLength = UInt32.max
        var previous: Int64 = -1
        var index = 0
        while index < count {
            let end = min(index + PostingsCodec.blockSize, count)
            payload.removeAll(keepingCapacity: true)
            pairs.removeAll(keepingCapacity: true)
            var last: UInt32 = 0
            for i in index..<end {
                let p = posting(i)
                VarInt.append(UInt64(Int64(p.ordinal) - previous - 1), to: &payload)
                VarInt.append(UInt64(p.tf), to: &payload)
                previous = Int64(p.ordinal)
                last = p.ordinal
                let l = length(p.ordinal)
                listMinLength = min(listMinLength, l)
                pairs.append((p.tf, UInt32(LengthNorm.encode(l))))
            }
            let impacts = PostingsCodec.frontier(&pairs)
            VarInt.append(UInt64(last), to: &blocks)
            VarInt.append(UInt64(payload.count), to: &blocks)
            VarInt.append(UInt64(impacts.count), to: &blocks)
            for impact in impacts {
                VarInt.append(UInt64(impact.tf), to: &blocks)
                blocks.append(UInt8(impact.length))
                listMaxTF = max(listMaxTF, impact.tf)
            }
            blocks.append(contentsOf: payload)
            index = end
        }
        VarInt.append(UInt64(count), to: &output)
        VarInt.append(UInt64(listMaxTF), to: &output)
        VarInt.append(UInt64(count == 0 ? 0 : listMinLength), to: &output)
        output.append(contentsOf: blocks)
    }
}
