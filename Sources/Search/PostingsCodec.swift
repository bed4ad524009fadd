/// Postings of one term in one segment, in blocks that can be skipped.
///
/// ```
/// 0x02  count  maxTF  minLength                       list header (varints)
/// block*: lastOrdinal  payloadBytes  maxTF  minLength  payload
/// payload: (gap, tf) varint pairs, gap = ordinal − previous ordinal − 1 (previous = block start − 1)
/// ```
/// The per-list and per-block maximum tf and minimum field length bound any posting's BM25 contribution,
/// which lets the scorer stop reading terms that can no longer change the top k, and jump over blocks
/// that hold no candidate.
public enum PostingsCodec {
    public static let version: UInt8 = 2
    public static let blockSize = 128

    public struct Header: Equatable {
        public var count: Int
        public var maxTF: UInt32
        public var minLength: UInt32
        /// Byte offset of the first block.
        var start: Int
    }

    /// Encodes ascending postings; `length(ordinal)` is the document's length in the term's field.
    public static func encode(_ postings: [(ordinal: UInt32, tf: UInt32)], length: (UInt32) -> UInt32 = { _ in 0 }) -> [UInt8] {
        var out: [UInt8] = [version]
        out.reserveCapacity(postings.count * 2 + 16)
        var listMaxTF: UInt32 = 0
        var listMinLength = UInt32.max
        var blocks: [UInt8] = []
        blocks.reserveCapacity(postings.count * 2 + 8)
        var payload: [UInt8] = []
        var previous: Int64 = -1
        var index = 0
        while index < postings.count {
            let end = min(index + blockSize, postings.count)
            payload.removeAll(keepingCapacity: true)
            var maxTF: UInt32 = 0
            var minLength = UInt32.max
            for p in postings[index..<end] {
                VarInt.append(UInt64(Int64(p.ordinal) - previous - 1), to: &payload)
                VarInt.append(UInt64(p.tf), to: &payload)
                previous = Int64(p.ordinal)
                maxTF = max(maxTF, p.tf)
                minLength = min(minLength, length(p.ordinal))
            }
            VarInt.append(UInt64(postings[end - 1].ordinal), to: &blocks)
            VarInt.append(UInt64(payload.count), to: &blocks)
            VarInt.append(UInt64(maxTF), to: &blocks)
            VarInt.append(UInt64(minLength), to: &blocks)
            blocks.append(contentsOf: payload)
            listMaxTF = max(listMaxTF, maxTF)
            listMinLength = min(listMinLength, minLength)
            index = end
        }
        VarInt.append(UInt64(postings.count), to: &out)
        VarInt.append(UInt64(listMaxTF), to: &out)
        VarInt.append(UInt64(postings.isEmpty ? 0 : listMinLength), to: &out)
        out.append(contentsOf: blocks)
        return out
    }

    public static func header(_ p: UnsafeBufferPointer<UInt8>) -> Header? {
        guard p.count > 0, p[0] == version else { return nil }
        var offset = 1
        guard let count = VarInt.read(p, &offset), let maxTF = VarInt.read(p, &offset),
            let minLength = VarInt.read(p, &offset)
        else { return nil }
        return Header(count: Int(count), maxTF: UInt32(clamping: maxTF), minLength: UInt32(clamping: minLength), start: offset)
    }

    /// Calls `body(ordinal, tf)` for every posting. Returns false (after the valid prefix) on corrupt input.
    @inline(__always) @discardableResult
    public static func forEach(_ p: UnsafeBufferPointer<UInt8>, _ body: (Int, UInt32) -> Void) -> Bool {
        guard let header = header(p) else { return p.isEmpty }
        var offset = header.start
        var previous = -1
        while offset < p.count {
            guard VarInt.read(p, &offset) != nil, let bytes = VarInt.read(p, &offset), VarInt.read(p, &offset) != nil,
                VarInt.read(p, &offset) != nil
            else { return false }
            let end = offset + Int(bytes)
            guard end <= p.count else { return false }
            while offset < end {
                guard let gap = VarInt.read(p, &offset), offset < end, let tf = VarInt.read(p, &offset) else { return false }
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

    /// Forward-only random access: `seek(ordinal)` returns the tf of that ordinal (0 when absent), skipping
    /// whole blocks whose last ordinal is below the target. Targets must not decrease.
    public struct Cursor {
        let p: UnsafeBufferPointer<UInt8>
        var offset: Int
        var blockEnd = 0
        var blockLast = -1
        var previous = -1  // last decoded ordinal
        var currentTF: UInt32 = 0
        var exhausted = false

        public init?(_ p: UnsafeBufferPointer<UInt8>) {
            guard let header = PostingsCodec.header(p) else { return nil }
            self.p = p
            offset = header.start
        }

        public mutating func seek(_ target: Int) -> UInt32 {
            if exhausted { return 0 }
            if previous >= target { return previous == target ? currentTF : 0 }
            // Skip blocks that end before the target.
            while blockLast < target {
                if blockEnd > offset { offset = blockEnd }
                guard offset < p.count, let last = VarInt.read(p, &offset), let bytes = VarInt.read(p, &offset),
                    VarInt.read(p, &offset) != nil, VarInt.read(p, &offset) != nil
                else {
                    exhausted = true
                    return 0
                }
                previous = blockLast  // ordinals of the new block start after the previous block's last
                blockLast = Int(last)
                blockEnd = offset + Int(bytes)
            }
            while offset < blockEnd {
                guard let gap = VarInt.read(p, &offset), let tf = VarInt.read(p, &offset) else {
                    exhausted = true
                    return 0
                }
                previous += Int(gap) + 1
                currentTF = UInt32(clamping: tf)
                if previous >= target { return previous == target ? currentTF : 0 }
            }
            return 0
        }
    }
}
