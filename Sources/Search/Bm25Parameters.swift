import JapaneseText

/// BM25 parameters for the two fields and how their scores combine.
///
/// Words carry meaning; character bigrams catch what MeCab splits differently in query and passage
/// (compounds, unknown words, 表記ゆれ). Both are scored with BM25 and summed with weights.
public struct Bm25Parameters: Sendable, Equatable, Codable {
    // Chosen on the JSQuAD development set (ARCHITECTURE.md records the sweeps); equal field weights and
    // a low k1 (Lucene's default is 1.2), so repeated terms saturate soon and a passage that matches more
    // of the question's distinct terms ranks above one that repeats a few of them.
    public var wordK1: Float = 0.6
    public var wordB: Float = 0.75
    public var gramK1: Float = 0.6
    public var gramB: Float = 0.75
    public var wordWeight: Float = 1.0
    public var gramWeight: Float = 1.0

    public init() {}

    /// Parses overrides such as "wordK1=1.0,gramWeight=0.4" (for tuning experiments; unknown keys are errors).
    public init(overrides: String) throws {
        self.init()
        for pair in overrides.split(separator: ",") {
            let kv = pair.split(separator: "=")
            guard kv.count == 2, let value = Float(kv[1]) else { throw SearchError.invalidParameter(String(pair)) }
            switch kv[0] {
            case "wordK1": wordK1 = value
            case "wordB": wordB = value
            case "gramK1": gramK1 = value
            case "gramB": gramB = value
            case "wordWeight": wordWeight = value
            case "gramWeight": gramWeight = value
            default: throw SearchError.invalidParameter(String(pair))
            }
        }
    }

    public func k1(_ field: TermField) -> Float { field == .word ? wordK1 : gramK1 }
    public func b(_ field: TermField) -> Float { field == .word ? wordB : gramB }
    public func weight(_ field: TermField) -> Float { field == .word ? wordWeight : gramWeight }

    /// Lucene's BM25 idf, always positive.
    @inline(__always) public static func idf(documentCount: Int, df: Int) -> Float {
        let n = Float(max(documentCount, 1))
        let d = Float(min(max(df, 0), max(documentCount, 1)))
        return logf(1 + (n - d + 0.5) / (d + 0.5))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
