import HirobaCore
/// A small JSON writer for the hottest response (search results), which JSONEncoder's reflection-driven
/// encoding made ~5 % of a search request's cost. Output is plain JSON: strings escaped per RFC 8259 (", \,
/// control characters; "/" left alone as `withoutEscapingSlashes` does), numbers as Swift prints them.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []
    /// Per open object or array (bit `depth`, the innermost), whether a value was written in it, so the next one
    /// needs a comma: bits, not an array of flags (an array paid a uniqueness and a bounds check per value).
    private var written: UInt64 = 0
    private var depth = 0

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    private mutating func open(_ bracket: UInt8) {
        value { $0.bytes.append(bracket) }
        precondition(depth < 63, "JSON nested deeper than 63 levels")
        depth += 1
        written &= ~(1 << UInt64(depth))
    }

    private mutating func close(_ bracket: UInt8) {
        precondition(depth > 0, "JSON closed more often than opened")
        depth -= 1
        bytes.append(bracket)
    }

    mutating func beginObject() { open(0x7B) }
    mutating func endObject() { close(0x7D) }
    mutating func beginArray() { open(0x5B) }
    mutating func endArray() { close(0x5D) }

    /// The key of the next member of the current object: written in the code, plain ASCII needing no escapes,
    /// copied as is.
    mutating func key(_ name: StaticString) {
        let bit: UInt64 = 1 << UInt64(depth)
        if written & bit != 0 { bytes.append(0x2C) }
        written &= ~bit
        bytes.append(0x22)
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(0x22)
        bytes.append(0x3A)
    }

    mutating func string(_ s: String) { value { Self.appendString(s, to: &$0.bytes) } }
    /// A string value given as its UTF-8 bytes (which must be valid UTF-8), escaped as `string` escapes.
    mutating func string(utf8 bytes: [UInt8]) {
        value { json in bytes.withUnsafeBufferPointer { Self.appendString(utf8: $0, to: &json.bytes) } }
    }
    /// Decimal digits written straight into the output (a String per number cost more than the rest of it).
    mutating func int(_ n: Int64) { value { DecimalDigits.append(n, to: &$0.bytes) } }

    /// A string value the caller writes as bytes that need no escaping (ASCII text and digits it composes).
    mutating func plainString(_ write: (inout [UInt8]) -> Void) {
        value { json in
            json.bytes.append(0x22)
            write(&json.bytes)
            json.bytes.append(0x22)
        }
    }

    mutating func bool(_ b: Bool) { value { $0.bytes += Array((b ? "true" : "false").utf8) } }
    /// Finite numbers only (JSON has no NaN or infinity): anything else is written as null.
    mutating func double(_ d: Double) {
        value { $0.bytes += Array((d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)) : "null").utf8) }
    }

    /// `d` rounded to `places` (0…9) decimals and written with no trailing zeros: the number JSON readers get
    /// back is exactly `(d · 10^places).rounded() / 10^places` (that division and decimal parsing both round
    /// correctly to the nearest double), as `double` would print it, without building a String.
    mutating func decimal(_ d: Double, places: Int) {
        precondition((0...9).contains(places))
        var unit: Int64 = 1
        for _ in 0..<places { unit *= 10 }
        let scaled = (d * Double(unit)).rounded()
        guard d.isFinite, scaled.magnitude < 9e15 else { return double(d) }
        value { json in
            var n = Int64(scaled)
            if n < 0 {
                json.bytes.append(0x2D)
                n = -n
            }
            DecimalDigits.append(n / unit, to: &json.bytes)
            var fraction = n % unit
            guard fraction != 0 else { return }
            json.bytes.append(0x2E)
            var digits = places
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            var width = 0
            var rest = fraction
            while rest > 0 {
                width += 1
                rest /= 10
            }
            for _ in width..<digits { json.bytes.append(0x30) }
            DecimalDigits.append(fraction, to: &json.bytes)
        }
    }

    private mutating func value(_ write: (inout JSONBytes) -> Void) {
        let bit: UInt64 = 1 << UInt64(depth)
        if written & bit != 0 { bytes.append(0x2C) }
        write(&self)
        written |= bit
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func appendString(_ s: String, to out: inout [UInt8]) {
        var copy = s
        copy.withUTF8 { appendString(utf8: $0, to: &out) }
    }

    static func appendString(utf8 p: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        out.reserveCapacity(out.count + p.count + 1)
        // Runs of bytes that need no escape (all of Japanese text) are copied at once, not byte by byte, and
        // found 8 bytes at a time.
        var run = 0
        func escape(_ i: Int) {
            let byte = p[i]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { return }
            if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<i])) }
            run = i + 1
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            default: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        ByteScan.visitFlagged(p, 0..<p.count, flagged: needsEscape, escape)
        if run < p.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<p.count])) }
        out.append(0x22)
    }

    /// Whether any of the 8 bytes is a control character, `"` or a backslash.
    @inline(__always) static func needsEscape(_ w: UInt64) -> Bool {
        ByteScan.containsBelow(w, 0x20) || ByteScan.contains(w, 0x22) || ByteScan.contains(w, 0x5C)
    }
}
