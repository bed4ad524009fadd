import Foundation
import JapaneseText
import Search

/// MeCab taggers are per thread; this hands one out per call and takes it back, so concurrent searches
/// and ingests never share a tagger.
final class AnalyzerPool: @unchecked Sendable {
    private let model: MeCabModel
    private let lock = NSLock()
    private var idle: [IndexingAnalyzer] = []

    init(model: MeCabModel) { self.model = model }

    func with<T>(_ body: (IndexingAnalyzer) throws -> T) throws -> T {
        let analyzer = try lock.withLock { idle.popLast() } ?? IndexingAnalyzer(model: model)
        defer {
            // Interned terms only grow; drop them now and then so a long-lived server stays bounded.
            if analyzer.interner.count > 2_000_000 { analyzer.resetInterner() }
            lock.withLock { idle.append(analyzer) }
        }
        return try body(analyzer)
    }
}
