import Foundation
import GRDB
import Search
import Testing
@testable import Storage
import TestSupport

@Suite("Schema migrations")
struct MigrationTests {
    /// A database whose index was written under migration v1 (postings in a WITHOUT ROWID table) is
    /// upgraded in place: every postings row survives, and searches return exactly what they did.
    @Test func postingsMoveToARowidTableWithoutLoss() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("old.sqlite").path
        let queries = ["支出命令の入力期限", "予算残額が不足", "文書の保存期間"]
        var before: [[String]] = []
        var postingsBefore = 0
        do {
            let store = KnowledgeStore(database: try AppDatabase(path: path), model: try TestEnvironment.model())
            try ingestFolder("財務会計システム", into: store, collection: "財務")
            before = try queries.map { q in try store.search(SearchRequest(query: q, k: 5)).hits.map(\.chunkID.rawValue.description) }
            // Put the database back into the v1 layout, as a v1 build would have left it.
            try store.database.pool.write { db in
                postingsBefore = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search_postings") ?? 0
                try db.execute(
                    sql: """
                        CREATE TABLE search_postings_v1 (
                            segment_id INTEGER NOT NULL REFERENCES search_segments(id) ON DELETE CASCADE,
                            term_id INTEGER NOT NULL, df INTEGER NOT NULL, postings BLOB NOT NULL,
                            PRIMARY KEY (segment_id, term_id)) WITHOUT ROWID;
                        INSERT INTO search_postings_v1 SELECT segment_id, term_id, df, postings FROM search_postings;
                        DROP TABLE search_postings;
                        ALTER TABLE search_postings_v1 RENAME TO search_postings;
                        DELETE FROM grdb_migrations WHERE identifier = 'v2-postings-by-rowid';
                        """)
            }
        }
        #expect(postingsBefore > 100)
        #expect(!before.joined().isEmpty)

        let reopened = KnowledgeStore(database: try AppDatabase(path: path), model: try TestEnvironment.model())
        let (withoutRowid, postingsAfter, applied) = try reopened.database.pool.read { db in
            (
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'search_postings'")?.contains("WITHOUT ROWID") ?? true,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search_postings") ?? 0,
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            )
        }
        #expect(!withoutRowid)
        #expect(postingsAfter == postingsBefore)
        #expect(applied.contains("v2-postings-by-rowid"))
        let after = try queries.map { q in try reopened.search(SearchRequest(query: q, k: 5)).hits.map(\.chunkID.rawValue.description) }
        #expect(after == before)
        // Writing and merging still work on the upgraded table.
        try ingestFolder("FAQ", into: reopened, collection: "FAQ")
        try reopened.optimizeIndex()
        #expect(try reopened.segmentCount() == 1)
        // Optimizing checkpoints and truncates the WAL it filled.
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
        let faq = try reopened.search(SearchRequest(query: "支出命令の入力期限", collections: ["FAQ"], k: 5)).hits
        #expect(!faq.isEmpty && faq.allSatisfy { $0.collection == "FAQ" })
    }

    func ingestFolder(_ name: String, into store: KnowledgeStore, collection: String) throws {
        let folder = TestEnvironment.demoDirectory.appendingPathComponent(name)
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            _ = try store.ingestFile(path: folder.appendingPathComponent(file).path, collection: collection)
        }
    }
}
