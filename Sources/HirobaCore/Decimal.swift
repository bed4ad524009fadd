/// Decimal digits of integers written straight into byte buffers (JSON responses, audit fields): no String per
/// number.
public enum DecimalDigits {
    /// Appends `n` in decimal (with a leading "-" when negative) to `out`.
    public static func append(_ n: Int64, to out: inout [UInt8]) {
        var magnitude = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, filled from the end
        withUnsafeMutableBytes(of: &digits) { buffer in
            var i = buffer.count
            repeat {
                i -= 1
                buffer[i] = UInt8(truncatingIfNeeded: 0x30 &+ magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if n < 0 { out.append(0x2D) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[i...]))
        }
    }
}
