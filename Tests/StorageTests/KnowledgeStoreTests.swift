import Foundation
import GRDB
import HirobaCore
import Ingest
import Search
import Testing
@testable import Storage
import TestSupport

@Suite("Knowledge store: ingest, replace, delete, bad input")
struct KnowledgeStoreTests {
    let manual = """
        # 財務会計システム操作マニュアル
        ## 4.2 支出命令の入力
        支出命令は支払日の7営業日前までに入力してください。予算残額が不足する場合はエラー E-2031 が表示されます。
        ## 4.3 支出命令の取消
        決裁前の支出命令は起票者が取り消せます。
        """

    func chunkCount(_ store: KnowledgeStore) throws -> Int {
        try store.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM chunks") ?? 0 }
    }

    @Test func ingestSearchAndCite() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let path = try TestEnvironment.write(manual, to: "manual.md", in: dir)
        let outcome = try store.ingestFile(path: path, collection: "財務")
        guard case .added(_, let chunks) = outcome else { Issue.record("expected .added, got \(outcome)"); return }
        #expect(chunks == 2)
        let hits = try store.search(SearchRequest(query: "支出命令の入力期限")).hits
        #expect(hits.first?.locator.section == "4.2 支出命令の入力")
        #expect(hits.first?.citation == "財務会計システム操作マニュアル 「4.2 支出命令の入力」")
        #expect(hits.first?.snippet.contains("<mark>") == true)
    }

    @Test func unchangedFileChangesNothing() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let path = try TestEnvironment.write(manual, to: "manual.md", in: dir)
        _ = try store.ingestFile(path: path, collection: "財務")
        let segments = try store.segmentCount()
        let generation = try store.database.pool.read { try Int.fetchOne($0, sql: "SELECT generation FROM search_state") }
        let again = try store.ingestFile(path: path, collection: "財務")
        guard case .unchanged = again else { Issue.record("expected .unchanged, got \(again)"); return }
        #expect(try store.segmentCount() == segments)
        #expect(try store.database.pool.read { try Int.fetchOne($0, sql: "SELECT generation FROM search_state") } == generation)
        #expect(try chunkCount(store) == 2)
    }

    @Test func changedFileReplacesItsChunks() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let path = try TestEnvironment.write(manual, to: "manual.md", in: dir)
        _ = try store.ingestFile(path: path, collection: "財務")
        try TestEnvironment.write("# 財務会計システム操作マニュアル\n## 5.1 調定\n歳入の調定は収入担当課が行います。", to: "manual.md", in: dir)
        let outcome = try store.ingestFile(path: path, collection: "財務")
        guard case .updated(_, let chunks) = outcome else { Issue.record("expected .updated, got \(outcome)"); return }
        #expect(chunks == 1)
        #expect(try chunkCount(store) == 1)
        #expect(try store.search(SearchRequest(query: "支出命令")).hits.isEmpty)
        #expect(try store.search(SearchRequest(query: "調定")).hits.count == 1)
        #expect(try store.documents(collection: "財務").count == 1)
    }

    @Test func deleteRemovesChunksAndIndexEntries() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let a = try TestEnvironment.write(manual, to: "a.md", in: dir)
        let b = try TestEnvironment.write("# 文書管理\n公文書の保存期間は三十年とする。", to: "b.md", in: dir)
        _ = try store.ingestFile(path: a, collection: "c")
        _ = try store.ingestFile(path: b, collection: "c")
        try store.deleteDocument(collection: "c", source: a)
        #expect(try store.search(SearchRequest(query: "支出命令")).hits.isEmpty)
        #expect(try store.search(SearchRequest(query: "保存期間")).hits.count == 1)
        try store.optimizeIndex()
        let leftovers = try store.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search_deletes")
        }
        #expect(leftovers == 0)
        #expect(try store.segmentCount() == 1)
        #expect(try store.search(SearchRequest(query: "保存期間")).hits.count == 1)
        #expect(throws: StorageError.documentNotFound(a)) { try store.deleteDocument(collection: "c", source: a) }
    }

    @Test func deleteCollectionRemovesEverything() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        _ = try store.ingestFile(path: try TestEnvironment.write(manual, to: "a.md", in: dir), collection: "消すもの")
        try store.deleteCollection("消すもの")
        #expect(try store.collections().isEmpty)
        #expect(try chunkCount(store) == 0)
        // Merging segments whose chunks are all deleted leaves no empty segment behind.
        try store.optimizeIndex()
        #expect(try store.segmentCount() == 0)
        #expect(throws: StorageError.collectionNotFound("消すもの")) { try store.deleteCollection("消すもの") }
    }

    @Test func badInputIsRefusedAndNothingStoredIsLost() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        _ = try store.ingestFile(path: try TestEnvironment.write(manual, to: "good.md", in: dir), collection: "c")
        let empty = try TestEnvironment.write("  \n\n", to: "empty.txt", in: dir)
        #expect(throws: IngestError.emptyFile(empty)) { try store.ingestFile(path: empty, collection: "c") }

        let binary = dir.appendingPathComponent("image.txt").path
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01, 0x02, 0xFF]).write(to: URL(fileURLWithPath: binary))
        #expect(throws: IngestError.binaryFile(binary)) { try store.ingestFile(path: binary, collection: "c") }

        // 「予算の執行」 in Shift_JIS.
        let sjis = dir.appendingPathComponent("sjis.txt").path
        try Data([0x97, 0x5C, 0x8E, 0x5A, 0x82, 0xCC, 0x8E, 0xB7, 0x8D, 0x73, 0x0A]).write(to: URL(fileURLWithPath: sjis))
        #expect(throws: IngestError.notUTF8(sjis, likelyEncoding: "Shift_JIS (CP932)")) { try store.ingestFile(path: sjis, collection: "c") }

        let missing = dir.appendingPathComponent("ない.txt").path
        #expect(throws: IngestError.missingPath(missing)) { try store.ingestFile(path: missing, collection: "c") }

        let doc = try TestEnvironment.write("\u{D0}\u{CF}\u{11}\u{E0}", to: "古い様式.doc", in: dir)
        #expect(throws: IngestError.unsupportedType(doc, ext: "doc")) { try store.ingestFile(path: doc, collection: "c") }

        let big = try TestEnvironment.write(String(repeating: "予算", count: 100), to: "big.txt", in: dir)
        #expect(throws: IngestError.tooLarge(big, bytes: 600, limit: 100)) {
            try store.ingestFile(path: big, collection: "c", limits: ExtractionLimits(maxFileBytes: 100))
        }
        #expect(throws: StorageError.invalidName("")) { try store.ingestFile(path: big, collection: "") }

        #expect(try chunkCount(store) == 2)
        #expect(try store.search(SearchRequest(query: "支出命令")).hits.count == 2)
    }

    @Test func directoryGivenAsAFileIsRefused() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let folder = dir.appendingPathComponent("資料.md").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(throws: IngestError.unreadable(folder, reason: "is a directory")) {
            try store.ingestFile(path: folder, collection: "c")
        }
    }

    @Test func databaseThatCannotBeCreatedIsReported() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let blocker = try TestEnvironment.write("not a folder", to: "file", in: dir)
        let path = blocker + "/sub/hiroba.sqlite"  // a regular file stands where a folder should be
        #expect {
            try AppDatabase(path: path)
        } throws: { error in
            guard case StorageError.cannotOpen(let p, _) = error else { return false }
            return p == path
        }
    }

    @Test func fileThatVanishesBeforeItIsReadIsReported() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let path = try TestEnvironment.write(manual, to: "消える.md", in: dir)
        let listed = [path]  // listed by a folder walk ...
        try FileManager.default.removeItem(atPath: path)  // ... and gone when its turn comes
        #expect(throws: IngestError.missingPath(path)) { try store.ingestFile(path: listed[0], collection: "c") }
        #expect(try chunkCount(store) == 0)
    }

    @Test func pathsWithJapaneseAndSpacesWork() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let path = try TestEnvironment.write(manual, to: "令和7年度 資料/操作 マニュアル.md", in: dir)
        guard case .added = try store.ingestFile(path: path, collection: "財務 2025") else { Issue.record("not added"); return }
        #expect(try store.search(SearchRequest(query: "取消", collections: ["財務 2025"])).hits.first?.source == path)
    }

    @Test func corruptDatabaseIsRefusedAndLeftUntouched() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("broken.sqlite").path
        let garbage = Data(String(repeating: "これはデータベースではありません", count: 400).utf8)
        try garbage.write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.notADatabase(path)) { try AppDatabase(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func twoIngestsAtOnceBothComplete() async throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("shared.sqlite").path
        _ = try AppDatabase(path: path)
        // Two independent stores on one file, as two processes would be.
        let stores = try (0..<2).map { _ in KnowledgeStore(database: try AppDatabase(path: path), model: try TestEnvironment.model()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, store) in stores.enumerated() {
                group.addTask {
                    for i in 0..<15 {
                        let file = try TestEnvironment.write("# 文書\(n)-\(i)\n工程\(n)の記録\(i)。支出と収入の確認。", to: "p\(n)/f\(i).md", in: dir)
                        _ = try store.ingestFile(path: file, collection: "並行\(n)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let check = KnowledgeStore(database: try AppDatabase(path: path), model: try TestEnvironment.model())
        #expect(try check.collections().map(\.documentCount) == [15, 15])
        #expect(try check.search(SearchRequest(query: "支出 収入", k: 100)).hits.count == 30)
    }

    @Test func segmentsMergeAndStayConsistent() throws {
        let (store, dir) = try TestEnvironment.makeStore(maxSegments: 2)
        for i in 0..<7 {
            _ = try store.ingestFile(path: try TestEnvironment.write("# 規程\(i)\n第\(i)号の様式を定める。", to: "r\(i).md", in: dir), collection: "c")
        }
        try store.deleteDocument(collection: "c", source: dir.appendingPathComponent("r3.md").path)
        #expect(try store.segmentCount() <= 2)
        let hits = try store.search(SearchRequest(query: "様式", k: 20)).hits
        #expect(hits.count == 6)
        #expect(!hits.contains { $0.title == "規程3" })
    }

    @Test func segmentsOfOneSizeMergeEightAtATime() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        for i in 0..<9 {
            _ = try store.ingestFile(path: try TestEnvironment.write("# 要綱\(i)\n第\(i)号の申請書を用いる。", to: "y\(i).md", in: dir), collection: "c")
            // Eight one-chunk segments fill level 0 and become one segment; the ninth starts level 0 again.
            #expect(try store.segmentCount() == (i < 7 ? i + 1 : i - 6))
        }
        try store.deleteDocument(collection: "c", source: dir.appendingPathComponent("y2.md").path)
        let hits = try store.search(SearchRequest(query: "申請書", k: 20)).hits
        #expect(hits.count == 8)
        #expect(!hits.contains { $0.title == "要綱2" })
    }

    @Test func phrasesExclusionsAndCollectionFilter() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        _ = try store.ingestFile(path: try TestEnvironment.write(manual, to: "m.md", in: dir), collection: "財務")
        _ = try store.ingestFile(
            path: try TestEnvironment.write("# 人事\n支出命令の研修は四月に行う。残額の確認方法を学ぶ。", to: "h.md", in: dir), collection: "人事")
        #expect(try store.search(SearchRequest(query: "\"予算残額が不足\"")).hits.map(\.collection) == ["財務"])
        // Phrase hits get their snippets after the phrase check, only for the hits kept.
        let phraseHit = try #require(try store.search(SearchRequest(query: "\"予算残額が不足\"")).hits.first)
        #expect(phraseHit.snippet.contains("<mark>予算残額が不足</mark>"))
        var plain = SearchRequest(query: "\"予算残額が不足\"")
        plain.snippets = false
        #expect(try store.search(plain).hits.first?.snippet == "")
        #expect(try store.search(SearchRequest(query: "\"残額が不足する予算\"")).hits.isEmpty)
        #expect(try store.search(SearchRequest(query: "支出命令 -研修")).hits.allSatisfy { $0.collection == "財務" })
        #expect(try store.search(SearchRequest(query: "支出命令", collections: ["人事"])).hits.map(\.collection) == ["人事"])
        #expect(throws: StorageError.collectionNotFound("ない")) { try store.search(SearchRequest(query: "支出", collections: ["ない"])) }
        #expect(throws: SearchError.emptyQuery) { try store.search(SearchRequest(query: "   ")) }
        #expect(throws: SearchError.emptyQuery) { try store.search(SearchRequest(query: "-支出")) }
        // Query syntax characters that would break an FTS MATCH are plain text here.
        _ = try store.search(SearchRequest(query: "支出 OR NEAR( \"* ^ AND"))
    }

    @Test func explanationAddsUpToTheScore() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        _ = try store.ingestFile(path: try TestEnvironment.write(manual, to: "m.md", in: dir), collection: "財務")
        let hit = try #require(try store.search(SearchRequest(query: "支出命令の取消", explain: true)).hits.first)
        let parts = try #require(hit.explanation)
        #expect(!parts.isEmpty)
        #expect(abs(parts.reduce(0) { $0 + $1.score } - hit.score) < 1e-3 * max(hit.score, 1))
        #expect(parts.contains { $0.term == "取消" && $0.field == "word" })
    }
}

@Suite("Citation lookups")
struct CitationTests {
    func store() throws -> KnowledgeStore {
        let (store, _) = try TestEnvironment.makeStore()
        let rules = TestEnvironment.demoDirectory.appendingPathComponent("規程")
        for name in ["みなと市財務規則.txt", "みなと市文書管理規程.txt", "みなと市情報セキュリティ基本規程.txt"] {
            _ = try store.ingestFile(path: rules.appendingPathComponent(name).path, collection: "例規")
        }
        _ = try store.ingestFile(
            path: TestEnvironment.demoDirectory.appendingPathComponent("規程/みなと市生成AI利用ガイドライン.md").path, collection: "指針")
        return store
    }

    /// 「規程名 第N条」 puts that very article first, in any numeral form, with the reason in the explanation.
    @Test func namedDocumentAndArticleComeFirst() throws {
        let store = try store()
        for query in ["みなと市文書管理規程 第三十条", "みなと市文書管理規程第30条の内容", "第３０条 みなと市文書管理規程"] {
            let hits = try store.search(SearchRequest(query: query, k: 5, explain: true)).hits
            #expect(hits.first?.title == "みなと市文書管理規程", "\(query)")
            #expect(hits.first?.locator.article == "第三十条", "\(query)")
            #expect(hits.first?.explanation?.first?.field == "citation")
        }
        // Other documents' 第三十条 still rank by relevance, below the cited one.
        let both = try store.search(SearchRequest(query: "みなと市財務規則 第三十条", k: 10)).hits
        #expect(both.first?.title == "みなと市財務規則")
        #expect(both.first?.locator.article == "第三十条")
    }

    /// An article hit cites the 項 and 号 holding the query's words: 「第三十条第二項第一号」.
    @Test func articleHitsCiteTheirParagraphAndItem() throws {
        let store = try store()
        let hits = try store.search(SearchRequest(query: "工事の請負契約 予定価格 決裁区分", collections: ["例規"], k: 3)).hits
        let hit = try #require(hits.first)
        #expect(hit.locator.article == "第三十条")
        #expect(hit.citation == "みなと市財務規則 第三十条第二項第一号")
        let whole = try store.search(SearchRequest(query: "みなと市財務規則 第三十条", k: 1)).hits
        #expect(whole.first?.citation == "みなと市財務規則 第三十条")
        // Words shared with the title still locate when the query does not name the document.
        let shared = try store.search(SearchRequest(query: "電子文書の管理", collections: ["例規"], k: 3)).hits
        #expect(shared.contains { $0.citation == "みなと市文書管理規程 第二十二条第二項" })
    }

    /// A citation never reaches outside the collections the caller searches.
    @Test func citationsRespectTheCollectionFilter() throws {
        let store = try store()
        let hits = try store.search(SearchRequest(query: "みなと市文書管理規程 第三十条", collections: ["指針"], k: 5)).hits
        #expect(hits.allSatisfy { $0.collection == "指針" })
        // Without a document name, 第N条 alone is ordinary evidence, not a citation.
        let plain = try store.search(SearchRequest(query: "第三十条", k: 5, explain: true)).hits
        #expect(!plain.isEmpty)
        #expect(plain.allSatisfy { $0.explanation != nil && $0.explanation?.first?.field != "citation" })
    }
}
