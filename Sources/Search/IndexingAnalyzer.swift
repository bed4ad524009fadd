import Foundation
import JapaneseText

/// The terms of one chunk: local term ids (see `TermInterner`) with their frequencies, and field lengths.
public struct AnalyzedChunk: Sendable {
    public var terms: [(localID: Int32, tf: Int32)]
    public var wordLength: Int
    public var gramLength: Int
}

/// How a term is keyed in the term dictionary: a field prefix and the term text.
public enum TermKey {
    public static func make(_ field: TermField, _ text: String) -> String {
        (field == .word ? "w:" : "g:") + text
    }

    public static func parse(_ key: String) -> (field: TermField, text: String)? {
        guard key.count >= 2 else { return nil }
        let prefix = key.prefix(2)
        let text = String(key.dropFirst(2))
        if prefix == "w:" { return (.word, text) }
        if prefix == "g:" { return (.gram, text) }
        return nil
    }
}

/// Analyzes chunks for indexing on one thread: normalise once per chunk, then MeCab and bigrams over the
/// bytes, interning every term without building Strings. Keep one per thread.
public final class IndexingAnalyzer {
    public let analyzer: Analyzer
    public private(set) var interner = TermInterner()
    private var frequencies: [Int32] = []
    private var touched: [Int32] = []

    public init(model: MeCabModel) throws {
        analyzer = try Analyzer(model: model)
    }

    /// Analyzes `text` (the searchable text of a chunk: title, headings and body).
    public func analyze(_ text: String) -> AnalyzedChunk {
        var normalized = Array(TextNormalizer.normalize(text).utf8)
        var wordLength = 0
        var gramLength = 0
        touched.removeAll(keepingCapacity: true)
        normalized.withUnsafeMutableBufferPointer { buffer in
            analyzer.analyze(normalized: UnsafeBufferPointer(buffer), role: .index) { field, bytes in
                let id = interner.intern(field: field.rawValue, bytes)
                if Int(id) >= frequencies.count {
                    frequencies.append(contentsOf: repeatElement(0, count: Int(id) + 1 - frequencies.count + 1024))
                }
                if frequencies[Int(id)] == 0 { touched.append(id) }
                frequencies[Int(id)] += 1
                if field == .word { wordLength += 1 } else { gramLength += 1 }
            }
        }
        var terms: [(Int32, Int32)] = []
        terms.reserveCapacity(touched.count)
        for id in touched {
            terms.append((id, frequencies[Int(id)]))
            frequencies[Int(id)] = 0
        }
        return AnalyzedChunk(terms: terms, wordLength: wordLength, gramLength: gramLength)
    }

    /// The dictionary key of a local term id.
    public func key(_ localID: Int32) -> String {
        TermKey.make(TermField(rawValue: interner.field(localID)) ?? .word, interner.text(localID))
    }

    /// Forgets interned terms (between large batches, to bound memory).
    public func resetInterner() {
        interner = TermInterner()
        frequencies.removeAll(keepingCapacity: true)
    }
}
