/// Postings of one term in one segment: ascending document ordinals with term frequencies,
/// stored as (ordinal delta, tf) varint pairs.
public enum PostingsCodec {
    public static func encode(_ postings: [(ordinal: UInt32, tf: UInt32)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(postings.count * 2 + 2)
        var previous: UInt32 = 0
        for (i, p) in postings.enumerated() {
            VarInt.append(UInt64(i == 0 ? p.ordinal : p.ordinal - previous), to: &out)
            VarInt.append(UInt64(p.tf), to: &out)
            previous = p.ordinal
        }
        return out
    }

    /// Calls `body(ordinal, tf)` for every posting. Stops early (returning false) on corrupt input.
    @inline(__always) @discardableResult
    public static func forEach(_ p: UnsafeBufferPointer<UInt8>, _ body: (Int, UInt32) -> Void) -> Bool {
        var offset = 0
        var ordinal = 0
        var first = true
        while offset < p.count {
            // Fast path for one-byte varints, by far the common case.
            var delta: Int
            let b0 = p[offset]
            if b0 < 0x80 {
                delta = Int(b0)
                offset += 1
            } else {
                guard let v = VarInt.read(p, &offset) else { return false }
                delta = Int(v)
            }
            guard offset < p.count else { return false }
            var tf: UInt32
            let b1 = p[offset]
            if b1 < 0x80 {
                tf = UInt32(b1)
                offset += 1
            } else {
                guard let v = VarInt.read(p, &offset) else { return false }
                tf = UInt32(clamping: v)
            }
            ordinal = first ? delta : ordinal + delta
            first = false
            body(ordinal, tf)
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
