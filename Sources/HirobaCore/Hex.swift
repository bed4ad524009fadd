/// Lower-case hexadecimal of bytes (digests in the audit chain, token hashes, content hashes).
public enum Hex {
    /// The hex of raw bytes, written straight into the string's storage (every request hashes a token and an
    /// audit entry: the generic sequence path cost more than the SHA-256 itself).
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for i in 0..<bytes.count {
                let byte = bytes[i]
                out[2 * i] = digit(byte >> 4)
                out[2 * i + 1] = digit(byte & 0xF)
            }
            return bytes.count * 2
        }
    }

    public static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let array = Array(bytes)
        return array.withUnsafeBytes { string($0) }
    }

    @inline(__always) private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // "0"…"9", "a"…"f"
    }
}
