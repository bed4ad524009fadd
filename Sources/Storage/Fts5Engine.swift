import Foundation
import GRDB
import JapaneseText
import Search

/// The alternative design measured against the segment index (ARCHITECTURE.md): the same analyzer's
/// word and bigram terms stored in an SQLite FTS5 table (one column per field) and ranked by FTS5's
/// built-in bm25(). Used by `hiroba eval retrieval --engine fts5` and `hiroba bench search --engine fts5`;
/// the product itself uses the segment index.
public final class Fts5Engine: @unchecked Sendable {
    let queue: DatabaseQueue
    let analyzer: IndexingAnalyzer

    public init(path: String, model: MeCabModel) throws {
        queue = try DatabaseQueue(path: path)
        analyzer = try IndexingAnalyzer(model: model)
        try queue.write { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            // Terms are pre-analyzed and space-separated; unicode61 only splits them at spaces (term text has
            // no other separators once ':' is dropped from the key).
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
                        source UNINDEXED, words, grams, tokenize = "unicode61 remove_diacritics 0 separators ' '")
                    """)
        }
    }

    func fields(_ text: String, role: AnalysisRole) -> (words: String, grams: String) {
        var words: [String] = [], grams: [String] = []
        analyzer.analyzer.analyze(text, role: role) { field, bytes in
            let term = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"", with: "")
            if field == .word { words.append("w" + term) } else { grams.append("g" + term) }
        }
        return (words.joined(separator: " "), grams.joined(separator: " "))
    }

    /// Indexes (source, text) pairs in one transaction.
    public func index(_ rows: [(source: String, text: String)]) throws {
        try queue.write { db in
            let insert = try db.makeStatement(sql: "INSERT INTO fts (source, words, grams) VALUES (?, ?, ?)")
            for row in rows {
                let f = fields(row.text, role: .index)
                try insert.execute(arguments: [row.source, f.words, f.grams])
            }
        }
    }

    /// Sources of the top k rows for a free-text query.
    public func search(_ query: String, k: Int) throws -> [String] {
        let f = fields(query, role: .query)
        let terms = Set((f.words + " " + f.grams).split(separator: " ").map(String.init))
        guard !terms.isEmpty else { return [] }
        let match = terms.sorted().map { "\"\($0)\"" }.joined(separator: " OR ")
        return try queue.read { db in
            try String.fetchAll(
                db, sql: "SELECT source FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, 1.0, 1.0) LIMIT ?",
                arguments: [match, k])
        }
    }

    public var fileBytes: Int {
        [queue.path, queue.path + "-wal"].reduce(0) { sum, p in
            sum + ((try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0)
        }
    }
}
