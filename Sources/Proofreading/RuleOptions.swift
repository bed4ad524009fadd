/// A JSON value: rule options come from configuration files and API requests.
public enum OptionValue: Sendable, Equatable, Codable {
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([OptionValue])
    case object([String: OptionValue])
    case null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let l = try? c.decode([OptionValue].self) {
            self = .list(l)
        } else {
            self = .object(try c.decode([String: OptionValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .list(let l): try c.encode(l)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }
}

/// The options of one rule, with typed accessors that fall back to the rule's default when an option is
/// absent or of another type (option names are checked by `ProofreadingConfiguration.parse`).
public struct RuleOptions: Sendable, Equatable {
    public var values: [String: OptionValue]

    public init(_ values: [String: OptionValue] = [:]) { self.values = values }

    public func int(_ key: String, default value: Int) -> Int {
        if case .number(let n) = values[key] { return Int(n) }
        return value
    }

    public func bool(_ key: String, default value: Bool) -> Bool {
        if case .bool(let b) = values[key] { return b }
        return value
    }

    public func string(_ key: String, default value: String) -> String {
        if case .string(let s) = values[key] { return s }
        return value
    }

    /// A list of strings; a single string counts as a one-element list.
    public func strings(_ key: String, default value: [String]) -> [String] {
        switch values[key] {
        case .list(let l): return l.compactMap { if case .string(let s) = $0 { s } else { nil } }
        case .string(let s): return [s]
        default: return value
        }
    }

    public func has(_ key: String) -> Bool { values[key] != nil }

    /// These options with `other`'s values taking precedence.
    public func merging(_ other: RuleOptions) -> RuleOptions {
        RuleOptions(values.merging(other.values) { _, new in new })
    }
}
