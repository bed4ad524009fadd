/// Field lengths as one byte per document, the way Lucene stores norms: exact below 128 tokens, then 16
/// steps per doubling (at most 6 % low) up to 32,768, and clamped above.
///
/// Scoring reads a field length for every posting it touches; at a million chunks four-byte lengths no
/// longer stay in cache and those loads dominated query time. A byte per document keeps them close, and
/// with 256 possible values the BM25 length factor becomes a per-query table lookup. The index, the
/// bounds, the explanation and the tests all use the decoded length, so scores stay consistent.
public enum LengthNorm {
    /// The byte for a length.
    @inline(__always) public static func encode(_ length: UInt32) -> UInt8 {
        if length < 128 { return UInt8(length) }
        var octave = 0
        var floor: UInt32 = 128
        while octave < 7 && length >= floor * 2 {
            floor *= 2
            octave += 1
        }
        let step = floor / 16
        let code = 128 + octave * 16 + min(Int((length - floor) / step), 15)
        return UInt8(code)
    }

    /// The length a byte stands for: the smallest length with that byte, never more than the true length.
    public static func decode(_ code: UInt8) -> UInt32 {
        if code < 128 { return UInt32(code) }
        let octave = Int(code - 128) / 16
        let mantissa = UInt32(Int(code - 128) % 16)
        let floor = UInt32(128) << UInt32(octave)
        return floor + mantissa * (floor / 16)
    }

    /// The decoded length of every byte.
    public static let decodedLengths: [Float] = (0..<256).map { Float(decode(UInt8($0))) }

    /// `base + slope · length` for every byte: BM25's denominator without the tf.
    public static func table(base: Float, slope: Float) -> [Float] {
        decodedLengths.map { base + slope * $0 }
    }
}
