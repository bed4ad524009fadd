/// Finding the few bytes that need attention (escaping) in long UTF-8 text, 8 bytes at a time: most words of
/// Japanese text hold none of them, and the classic zero-byte tests below tell exactly whether a word does.
public enum ByteScan {
    /// Calls `visit(i)` for every index of `range` in an 8-byte word that `flagged` reports, and for every index
    /// of the tail shorter than a word; the other indices are skipped a word at a time.
    @inlinable @inline(__always)
    public static func visitFlagged(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, flagged: (UInt64) -> Bool, _ visit: (Int) -> Void
    ) {
        var i = range.lowerBound
        if let base = bytes.baseAddress {
            while i + 8 <= range.upperBound {
                if flagged(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    for j in i..<(i + 8) { visit(j) }
                }
                i += 8
            }
        }
        while i < range.upperBound {
            visit(i)
            i += 1
        }
    }

    /// Whether any byte of `w` equals `byte`.
    @inlinable @inline(__always)
    public static func contains(_ w: UInt64, _ byte: UInt8) -> Bool {
        let x = w ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// Whether any byte of `w` is below `limit` (at most 128).
    @inlinable @inline(__always)
    public static func containsBelow(_ w: UInt64, _ limit: UInt8) -> Bool {
        (w &- 0x0101_0101_0101_0101 &* UInt64(limit)) & ~w & 0x8080_8080_8080_8080 != 0
    }
}
