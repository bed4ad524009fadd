import JapaneseText

/// BM25 parameters for the two fields and how their scores combine.
///
/// Words carry meaning; character bigrams catch what MeCab splits differently in query and passage
/// (compounds, unknown words, 表記ゆれ). Both are scored with BM25 and summed with weights.
public struct Bm25Parameters: Sendable, Equatable, Codable {
    public var wordK1: Float = 1.2
    public var wordB: Float = 0.75
    public var gramK1: Float = 1.2
    public var gramB: Float = 0.75
    public var wordWeight: Float = 1.0
    public var gramWeight: Float = 0.5

    public init() {}

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
