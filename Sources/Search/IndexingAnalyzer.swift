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
        var lengths = (word: 0, gram: 0)
        accumulate(text, &lengths)
        for word in extraWords { accumulate(word: word) }
        return collect(lengths)
    }

    /// Analyzes a chunk made of its document's title (counted `titleWeight` times), its context (heading
    /// path and article label) and its body. Consecutive chunks of one document share the title and often
    /// the context, so their analyses are cached: MeCab reads each title once per document, not twice per
    /// chunk. The terms are the same as analyzing the parts one after the other.
    public func analyze(
        title: String, titleWeight: Int, context: String, body: String, extraWords: [String] = []
    ) -> AnalyzedChunk {
        let titlePart = cachedPart(title, &titleCache)
        let contextPart = cachedPart(context, &contextCache)
        var lengths = (word: titlePart.wordLength * titleWeight, gram: titlePart.gramLength * titleWeight)
        add(titlePart.terms, times: titleWeight)
        lengths.word += contextPart.wordLength
        lengths.gram += contextPart.gramLength
        add(contextPart.terms, times: 1)
        accumulate(body, &lengths)
        for word in extraWords { accumulate(word: word) }
        return collect(lengths)
    }

    private var titleCache: (text: String, part: AnalyzedChunk)? = nil
    private var contextCache: (text: String, part: AnalyzedChunk)? = nil

    private func cachedPart(_ text: String, _ cache: inout (text: String, part: AnalyzedChunk)?) -> AnalyzedChunk {
        if let cache, cache.text == text { return cache.part }
        var lengths = (word: 0, gram: 0)
        accumulate(text, &lengths)
        let part = collect(lengths)
        cache = (text, part)
        return part
    }

    @inline(__always) private func count(_ id: Int, _ times: Int32) {
        if id >= frequencyCapacity { growFrequencies(to: id) }
        let f = frequencies
        if f[id] == 0 { touched.append(Int32(id)) }
        f[id] += times
    }

    private func add(_ terms: [(localID: Int32, tf: Int32)], times: Int) {
        for t in terms { count(Int(t.localID), t.tf * Int32(times)) }
    }

    private func accumulate(word: String) {
        var word = word
        let interner = self.interner
        word.withUTF8 { count(Int(interner.intern(field: TermField.word.rawValue, $0)), 1) }
    }

    private func accumulate(_ text: String, _ lengths: inout (word: Int, gram: Int)) {
        guard !text.isEmpty else { return }
        var normalized = TextNormalizer.normalize(text)
        let interner = self.interner
        var wordLength = 0, gramLength = 0
        normalized.withUTF8 { buffer in
            analyzer.analyze(normalized: buffer, role: .index) { field, bytes in
                count(Int(interner.intern(field: field.rawValue, bytes)), 1)
                if field == .word { wordLength += 1 } else { gramLength += 1 }
            }
        }
        lengths.word += wordLength
        lengths.gram += gramLength
    }

    /// The counted terms since the last collect, clearing the counts.
    private func collect(_ lengths: (word: Int, gram: Int)) -> AnalyzedChunk {
        var terms: [(Int32, Int32)] = []
        terms.reserveCapacity(touched.count)
        for id in touched {
            terms.append((id, frequencies[Int(id)]))
            frequencies[Int(id)] = 0
        }
        touched.removeAll(keepingCapacity: true)
        return AnalyzedChunk(terms: terms, wordLength: lengths.word, gramLength: lengths.gram)
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
        titleCache = nil
        contextCache = nil
    }
}
