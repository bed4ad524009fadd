/// The mapping between placeholders and the personal data they stand for, for one conversation.
///
/// Numbering is per kind (`[氏名1]`, `[氏名2]`, `[電話番号1]`) and the same value gets the same placeholder
/// however often and in whichever text it appears: values are compared in their normalised form
/// (digits only for numbers, width and spaces folded for names and addresses).
///
/// The vault holds personal data. Keep it in memory for the request that needs it; never log it.
public struct PIIVault: Sendable, Codable, Hashable {
    /// Placeholder → original text (the first spelling seen).
    public private(set) var originals: [String: String] = [:]
    /// Placeholder → kind.
    public private(set) var kinds: [String: PIIKind] = [:]
    /// Placeholder → normalised value (to reuse the placeholder when the value is found again).
    public private(set) var normalizedValues: [String: String] = [:]
    private var placeholderByKey: [String: String] = [:]
    private var counters: [PIIKind: Int] = [:]

    public init() {}

    /// The placeholder for a value, assigning the next number of its kind the first time.
    public mutating func placeholder(for kind: PIIKind, normalized: String, original: String) -> String {
        let key = kind.rawValue + "\u{1F}" + normalized
        if let existing = placeholderByKey[key] { return existing }
        let n = (counters[kind] ?? 0) + 1
        counters[kind] = n
        let placeholder = PIIPlaceholder.make(kind, n)
        placeholderByKey[key] = placeholder
        originals[placeholder] = original
        kinds[placeholder] = kind
        normalizedValues[placeholder] = normalized
        return placeholder
    }

    /// The original for a placeholder, or nil when this vault never issued it.
    public func original(for placeholder: String) -> String? { originals[placeholder] }

    /// Number of distinct values held.
    public var count: Int { originals.count }
}

/// The placeholder syntax: `[` + Japanese label + number + `]`.
public enum PIIPlaceholder {
    public static func make(_ kind: PIIKind, _ number: Int) -> String { "[\(kind.label)\(number)]" }

    /// The longest placeholder a stream restorer may have to wait for, in scalars.
    static let maxLength: Int = PIIKind.allCases.map { $0.label.unicodeScalars.count }.max()! + 2 + 7

    static let labels: [[UInt32]] = PIIKind.allCases.map { $0.label.unicodeScalars.map(\.value) }

    @inline(__always) static func isOpen(_ v: UInt32) -> Bool { v == 0x5B || v == 0xFF3B }  // [ ［
    @inline(__always) static func isClose(_ v: UInt32) -> Bool { v == 0x5D || v == 0xFF3D }  // ] ］
    @inline(__always) static func digit(_ v: UInt32) -> Int? {
        if v >= 0x30 && v <= 0x39 { return Int(v - 0x30) }
        if v >= 0xFF10 && v <= 0xFF19 { return Int(v - 0xFF10) }  // models sometimes widen digits
        return nil
    }

    /// Parses a placeholder starting at `i` (an opening bracket). Returns the canonical placeholder and the
    /// index after the closing bracket. Accepts full-width brackets and digits, which models produce.
    static func parse(_ s: [Unicode.Scalar], at i: Int) -> (placeholder: String, end: Int)? {
        guard i < s.count, isOpen(s[i].value) else { return nil }
        for (k, label) in labels.enumerated() {
            var p = i + 1
            guard p + label.count < s.count else { continue }
            var ok = true
            for (offset, v) in label.enumerated() where s[p + offset].value != v {
                ok = false
                break
            }
            if !ok { continue }
            p += label.count
            var number = 0
            var digits = 0
            while p < s.count, let d = digit(s[p].value), digits < 6 {
                number = number * 10 + d
                digits += 1
                p += 1
            }
            guard digits > 0, p < s.count, isClose(s[p].value) else { continue }
            return (make(PIIKind.allCases[k], number), p + 1)
        }
        return nil
    }

    /// True when `s[i...]` (which runs to the end) could still grow into a placeholder.
    static func couldBePrefix(_ s: [Unicode.Scalar], from i: Int) -> Bool {
        let rest = s[i...].map(\.value)
        guard let first = rest.first, isOpen(first), rest.count <= maxLength else { return false }
        let body = rest.dropFirst()
        for label in labels {
            if body.count <= label.count {
                if Array(body) == Array(label.prefix(body.count)) { return true }
            } else if Array(body.prefix(label.count)) == label {
                let tail = body.dropFirst(label.count)
                if tail.allSatisfy({ digit($0) != nil }) && tail.count <= 6 { return true }
            }
        }
        return false
    }
}
