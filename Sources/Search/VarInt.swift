/// LEB128 variable-length integers: the postings and doc-table encoding.
public enum VarInt {
    @inline(__always) public static func append(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Reads one value at `offset`, advancing it. Returns nil on truncated input.
    @inline(__always) public static func read(_ p: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> UInt64? {
        // One-byte values (small gaps and term frequencies) are by far the most common.
        if offset < p.count, p[offset] < 0x80 {
            offset += 1
            return UInt64(p[offset - 1])
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < p.count {
            let byte = p[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }
}
