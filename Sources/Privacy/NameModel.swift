/// A logistic-regression scorer for name candidates the rules left alone.
///
/// Features are hashed to 64-bit keys (`NameFeatures`), so the model is a sparse table of key → weight and
/// never holds a word: the features describe a candidate by its shape and its surroundings (parts of speech,
/// MeCab's verdict, endings, neighbouring words frequent in training), not by its own spelling, so the
/// model cannot act as a list of the names it was trained on.
///
/// The weights ship as generated Swift source (`NameModelWeights.swift`, written by `hiroba train names`),
/// parsed once on first use.
public struct NameModel: Sendable, Equatable {
    public let weights: [UInt64: Float]
    /// The same weights for scoring (see `WeightTable`).
    let table: WeightTable
    public var bias: Float
    /// Candidates whose probability reaches this are names (chosen on held-out articles of the training data).
    public var threshold: Float
    /// Names the rules accept are dropped when their probability is below this (0 keeps them all).
    public var rejectThreshold: Float
    /// A lone word with no sign of a person in its sentence needs this much (chosen so that such words are names
    /// with high precision on held-out articles).
    public var aloneThreshold: Float

    public init(weights: [UInt64: Float], bias: Float, threshold: Float, rejectThreshold: Float = 0, aloneThreshold: Float = 0) {
        self.weights = weights
        self.table = WeightTable(weights)
        self.bias = bias
        self.threshold = threshold
        self.rejectThreshold = rejectThreshold
        self.aloneThreshold = aloneThreshold
    }

    /// The probability that a candidate with these features is a name.
    func probability(_ features: [UInt64]) -> Float {
        var z = bias
        for f in features { z += table.weight(f) }
        return Self.sigmoid(z)
    }

    public static func == (a: NameModel, b: NameModel) -> Bool {
        a.weights == b.weights && a.bias == b.bias && a.threshold == b.threshold && a.rejectThreshold == b.rejectThreshold
            && a.aloneThreshold == b.aloneThreshold
    }

    /// The model shipped with Hiroba (nil only if the generated weights were emptied).
    public static let shipped: NameModel? = {
        let text = NameModelWeights.text
        return text.isEmpty ? nil : try? NameModel(parsing: text)
    }()

    // MARK: text form

    static let header = "hiroba-name-model 1"

    /// Line-based text: the header, `bias B`, `threshold T`, `reject R`, `alone A`, then one `key weight` line per feature (hex key,
    /// keys sorted, so the same model always gives the same bytes).
    public func serialized() -> String {
        var out = Self.header + "\nbias \(bias)\nthreshold \(threshold)\nreject \(rejectThreshold)\nalone \(aloneThreshold)\n"
        for key in weights.keys.sorted() {
            out += Self.hex(key) + " " + String(weights[key]!) + "\n"
        }
        return out
    }

    public init(parsing text: String) throws {
        var lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })[...]
        guard lines.first.map(String.init) == Self.header else { throw PrivacyError.invalidNameModel("missing header \"\(Self.header)\"") }
        lines = lines.dropFirst()
        var bias: Float?, threshold: Float?, reject: Float = 0, alone: Float = 0
        var weights: [UInt64: Float] = [:]
        for (n, line) in lines.enumerated() {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { throw PrivacyError.invalidNameModel("line \(n + 2): expected two fields") }
            if fields[0] == "bias" {
                bias = Float(fields[1])
            } else if fields[0] == "threshold" {
                threshold = Float(fields[1])
            } else if fields[0] == "reject" {
                guard let r = Float(fields[1]), r.isFinite else { throw PrivacyError.invalidNameModel("line \(n + 2): bad reject threshold") }
                reject = r
            } else if fields[0] == "alone" {
                guard let a = Float(fields[1]), a.isFinite else { throw PrivacyError.invalidNameModel("line \(n + 2): bad alone threshold") }
                alone = a
            } else {
                guard let key = UInt64(fields[0], radix: 16), let w = Float(fields[1]), w.isFinite else {
                    throw PrivacyError.invalidNameModel("line \(n + 2): bad feature \"\(line)\"")
                }
                weights[key] = w
            }
        }
        guard let b = bias, let th = threshold, b.isFinite, th.isFinite else { throw PrivacyError.invalidNameModel("bias or threshold missing") }
        self.init(weights: weights, bias: b, threshold: th, rejectThreshold: reject, aloneThreshold: alone)
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

extension NameModel {
    static func sigmoid(_ z: Float) -> Float { Float(1 / (1 + naturalExp(-Double(z)))) }

    /// e^x without Foundation: range reduction (x = k·ln2 + r) and a short series; plenty for scoring.
    static func naturalExp(_ x: Double) -> Double {
    if x > 700 { return .infinity }
    if x < -700 { return 0 }
    let k = (x / 0.6931471805599453).rounded()
    let r = x - k * 0.6931471805599453
    var term = 1.0, sum = 1.0
    for n in 1...12 {
        term *= r / Double(n)
        sum += term
    }
    return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }
}

/// Weights in an open-addressing table keyed by the feature hashes themselves: a lookup is a few instructions,
/// where `Dictionary` would hash every key again (scoring runs on every candidate of every text).
struct WeightTable: Sendable {
    private var keys: [UInt64]
    private var values: [Float]
    private let mask: Int
    /// The weight of key 0, which marks empty slots.
    private var zero: Float = 0

    init(_ weights: [UInt64: Float]) {
        var capacity = 16
        while capacity < weights.count * 2 { capacity *= 2 }
        keys = [UInt64](repeating: 0, count: capacity)
        values = [Float](repeating: 0, count: capacity)
        mask = capacity - 1
        for (key, w) in weights {
            if key == 0 {
                zero = w
                continue
            }
            var i = Int(truncatingIfNeeded: key) & mask
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = key
            values[i] = w
        }
    }

    @inline(__always) func weight(_ key: UInt64) -> Float {
        if key == 0 { return zero }
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == 0 { return 0 }
            i = (i + 1) & mask
        }
    }
}
