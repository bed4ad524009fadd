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
    /// Scoring buffers for searches run on the same thread as this analyzer.
    public let scoringScratch = ScoringScratch()
    public private(set) var interner = TermInterner()
    /// Per-chunk term frequency by local id (zeroed again after each chunk) and the ids touched.
    private var frequencies: UnsafeMutablePointer<Int32>
    private var frequencyCapacity = 1 << 16
    private var touched: [Int32] = []

    public init(model: MeCabModel) throws {
        analyzer = try Analyzer(model: model)
        frequencies = .allocate(capacity: frequencyCapacity)
        frequencies.initialize(repeating: 0, count: frequencyCapacity)
    }

    deinit { frequencies.deallocate() }

    private func growFrequencies(to minimum: Int) {
        var capacity = frequencyCapacity * 2
        while capacity <= minimum { capacity *= 2 }
        let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        grown.initialize(repeating: 0, count: capacity)
        grown.update(from: frequencies, count: frequencyCapacity)
        frequencies.deallocate()
        frequencies = grown
        frequencyCapacity = capacity
    }

    /// Analyzes `text` (the searchable text of a chunk: title, headings and body). `extraWords` are word
    /// terms taken as they are (such as the chunk's own article key); they do not count toward its length.
    public func analyze(_ text: String, extraWords: [String] = []) -> AnalyzedChunk {
        var normalized = TextNormalizer.normalize(text)
        var wordLength = 0
        var gramLength = 0
        var touched = self.touched
        touched.removeAll(keepingCapacity: true)
        let interner = self.interner
        func count(_ field: TermField, _ bytes: UnsafeBufferPointer<UInt8>) {
            let id = Int(interner.intern(field: field.rawValue, bytes))
            if id >= frequencyCapacity { growFrequencies(to: id) }
            let f = frequencies
            if f[id] == 0 { touched.append(Int32(id)) }
            f[id] += 1
        }
        normalized.withUTF8 { buffer in
            analyzer.analyze(normalized: buffer, role: .index) { field, bytes in
                count(field, bytes)
                if field == .word { wordLength += 1 } else { gramLength += 1 }
            }
        }
        for var word in extraWords {
            word.withUTF8 { count(.word, $0) }
        }
        var terms: [(Int32, Int32)] = []
        terms.reserveCapacity(touched.count)
        for id in touched {
            terms.append((id, frequencies[Int(id)]))
            frequencies[Int(id)] = 0
        }
        self.touched = touched
        return AnalyzedChunk(terms: terms, wordLength: wordLength, gramLength: gramLength)
    }

    /// The dictionary key of a local term id.
    public func key(_ localID: Int32) -> String {
        TermKey.make(TermField(rawValue: interner.field(localID)) ?? .word, interner.text(localID))
    }

    /// Global term ids by local id, filled in by the store (0 = not resolved yet). Valid as long as the
    /// interner lives and no transaction that added terms rolled back.
    public var globalIDs: [Int64] = []

    /// Forgets interned terms (between large batches, to bound memory).
    public func resetInterner() {
        interner = TermInterner()
        globalIDs = []
    }
}
