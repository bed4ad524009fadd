import Foundation
import GRDB
import HirobaCore
import JapaneseText
import Search
import Testing
@testable import Storage
import TestSupport

@Suite("Postings cache, segment ids and stored-field decoding")
struct SearchCacheTests {
    @Test func cachedPostingsNeverOutliveTheirSegment() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let a = try TestEnvironment.write("# 旧規程\n公印の管理は総務課長が行う。", to: "a.md", in: dir)
        _ = try store.ingestFile(path: a, collection: "c")
        #expect(try store.search(SearchRequest(query: "公印")).hits.first?.title == "旧規程")  // cached now
        let oldTop = try store.database.pool.read { try Int64.fetchOne($0, sql: "SELECT MAX(id) FROM search_segments") } ?? 0
        try store.deleteDocument(collection: "c", source: a)
        try store.optimizeIndex()  // the only segment goes, none replaces it
        #expect(try store.segmentCount() == 0)
        // No search in between: a reused segment id would now serve the old segment's cached postings.
        let b = try TestEnvironment.write("# 別表\n備品の一覧。\n\n# 新規程\n公印は文書法制課長が管理する。", to: "b.md", in: dir)
        _ = try store.ingestFile(path: b, collection: "c")
        let newTop = try store.database.pool.read { try Int64.fetchOne($0, sql: "SELECT MAX(id) FROM search_segments") } ?? 0
        #expect(newTop > oldTop)
        let hits = try store.search(SearchRequest(query: "公印")).hits
        #expect(hits.count == 1)
        #expect(hits.first?.text.contains("文書法制課長") == true)
    }

    @Test func unknownQueryTermsAreRememberedOnlyUntilTheIndexChanges() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        _ = try store.ingestFile(path: try TestEnvironment.write("# 規程\n公印の管理。", to: "a.md", in: dir), collection: "c")
        #expect(try store.search(SearchRequest(query: "鳥獣保護")).hits.isEmpty)
        #expect(try store.search(SearchRequest(query: "鳥獣保護")).hits.isEmpty)  // from the unknown-term cache
        // Written by this store…
        _ = try store.ingestFile(path: try TestEnvironment.write("# 鳥獣\n鳥獣保護の許可。", to: "b.md", in: dir), collection: "c")
        #expect(try store.search(SearchRequest(query: "鳥獣保護")).hits.first?.title == "鳥獣")
        // …or by another process on the same file (the server keeps running while `hiroba ingest` writes).
        #expect(try store.search(SearchRequest(query: "狩猟免許")).hits.isEmpty)
        let other = KnowledgeStore(database: try AppDatabase(path: store.database.path), model: try TestEnvironment.model())
        _ = try other.ingestFile(path: try TestEnvironment.write("# 狩猟\n狩猟免許の更新。", to: "c.md", in: dir), collection: "c")
        #expect(try store.search(SearchRequest(query: "狩猟免許")).hits.first?.title == "狩猟")
    }

    @Test func phrasesAreFoundByteForByteInNormalizedText() {
        #expect(KnowledgeStore.contains("第二次世界大戦の後、日本は", "世界大戦"))
        #expect(KnowledgeStore.contains("abc", ""))
        #expect(!KnowledgeStore.contains("世界", "世界大戦"))
        // Not across a character boundary: 界 (E7 95 8C) and 大 (E5 A4 A7) share no byte run with another kanji here.
        #expect(!KnowledgeStore.contains("第二次世界大戦", "次大"))
        #expect(KnowledgeStore.contains(TextNormalizer.normalize("ＡＢＣ銀行"), TextNormalizer.normalize("abc")) == TextNormalizer.normalize("ＡＢＣ銀行").contains(TextNormalizer.normalize("abc")))
    }

    @Test func cachedChunkRowsNeverOutliveAChangeToTheDatabase() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let path = try TestEnvironment.write("# 公印規程\n公印の管理は総務課長が行う。", to: "a.md", in: dir)
        _ = try store.ingestFile(path: path, collection: "c")
        #expect(try store.search(SearchRequest(query: "公印")).hits.first?.text.contains("総務課長") == true)
        #expect(store.chunkRows.count > 0)
        #expect(try store.search(SearchRequest(query: "公印")).hits.first?.text.contains("総務課長") == true)  // from the cache
        // The same document replaced by this store…
        try TestEnvironment.write("# 公印規程\n公印の管理は文書法制課長が行う。", to: "a.md", in: dir)
        _ = try store.ingestFile(path: path, collection: "c")
        #expect(try store.search(SearchRequest(query: "公印")).hits.first?.text.contains("文書法制課長") == true)
        // …or by another process writing the same file.
        try TestEnvironment.write("# 公印規程\n公印の管理は会計管理者が行う。", to: "a.md", in: dir)
        let other = KnowledgeStore(database: try AppDatabase(path: store.database.path), model: try TestEnvironment.model())
        _ = try other.ingestFile(path: path, collection: "c")
        let hits = try store.search(SearchRequest(query: "公印")).hits
        #expect(hits.count == 1 && hits.first?.text.contains("会計管理者") == true)
    }

    @Test func chunkRowCacheKeepsOnlyTheNewestVersionAndStaysBounded() {
        let cache = ChunkRowCache(capacity: 3)
        func row(_ t: String) -> ChunkRowCache.Row {
            .init(text: t, headingPath: [], locator: Locator(), documentID: 1, title: "t", source: "s", collection: "c")
        }
        cache.store([(1, row("a")), (2, row("b"))], version: 5)
        #expect(cache.rows([1, 2, 3], version: 5).mapValues(\.text) == [1: "a", 2: "b"])
        #expect(cache.rows([1, 2], version: 6).isEmpty)  // the database changed since
        cache.store([(1, row("old"))], version: 4)  // read under an older version: not kept
        #expect(cache.rows([1], version: 5)[1]?.text == "a")
        cache.store([(3, row("c")), (4, row("d"))], version: 5)  // over capacity: emptied, then filled
        #expect(cache.count <= 3)
        cache.store([(9, row("z"))], version: 7)
        #expect(cache.rows([1, 9], version: 7).mapValues(\.text) == [9: "z"])
    }

    @Test func termKeysCompareByTheirBytes() {
        #expect(UTF8Key("支出命令") == UTF8Key(String("支出命令".reversed().reversed())))
        #expect(UTF8Key("") == UTF8Key(""))
        #expect(UTF8Key("が") != UTF8Key("か"))
        #expect(UTF8Key("支出") != UTF8Key("支出命令"))
        // Canonically equivalent but different bytes: two keys, as SQLite sees them.
        #expect(UTF8Key("\u{304C}") != UTF8Key("\u{304B}\u{3099}"))
        #expect(Set([UTF8Key("予算"), UTF8Key("予算"), UTF8Key("決算")]).count == 2)
    }

    @Test func repeatedQueriesReadTheCacheAndGiveTheSameHits() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        for i in 0..<3 {
            _ = try store.ingestFile(
                path: try TestEnvironment.write("# 規程\(i)\n第\(i)号の様式で支出命令を入力する。", to: "r\(i).md", in: dir), collection: "c")
        }
        let first = try store.search(SearchRequest(query: "支出命令 様式", k: 10)).hits
        let cached = store.index.postingsCache.count
        #expect(cached > 0)
        let second = try store.search(SearchRequest(query: "支出命令 様式", k: 10)).hits
        #expect(second.map(\.chunkID) == first.map(\.chunkID))
        #expect(second.map(\.score) == first.map(\.score))
        #expect(store.index.postingsCache.count == cached)
    }

    /// A repeated search is served from the caches with no read transaction, and gives what the transaction gave;
    /// any commit — by this store or another process, to the index, a document or access — sends the next search
    /// back to a transaction, so it never sees stale state.
    @Test func searchesServedFromTheCachesMatchTransactionsAndNeverOutliveACommit() throws {
        let (store, dir) = try TestEnvironment.makeStore()
        let a = try TestEnvironment.write("# 公印規程\n公印の管理は総務課長が行う。\n\n# 備品\n備品台帳の様式。", to: "a.md", in: dir)
        _ = try store.ingestFile(path: a, collection: "c")
        func served() -> Int { store.searchesFromCaches.load(ordering: .relaxed) }
        let first = try store.search(SearchRequest(query: "公印の管理", k: 10))
        #expect(served() == 0)  // cold: term ids, postings and the index state are read in a transaction
        let again = try store.search(SearchRequest(query: "公印の管理", k: 10))
        #expect(served() == 1)
        #expect(again.hits.map(\.chunkID) == first.hits.map(\.chunkID))
        #expect(again.hits.map(\.score) == first.hits.map(\.score))
        #expect(again.hits.map(\.snippet) == first.hits.map(\.snippet))
        #expect(again.totalMatches == first.totalMatches)
        // An unknown word is remembered as unknown: served from the caches too, still with no hit.
        _ = try store.search(SearchRequest(query: "ゾヌケペ"))
        #expect(try store.search(SearchRequest(query: "ゾヌケペ")).hits.isEmpty)
        #expect(served() == 2)
        // A commit by this store: the next search reads in a transaction and sees the new chunk.
        let b = try TestEnvironment.write("# 公印の管理要領\n公印の管理は文書法制課長が補助する。", to: "b.md", in: dir)
        _ = try store.ingestFile(path: b, collection: "c")
        let afterWrite = try store.search(SearchRequest(query: "公印の管理", k: 10))
        #expect(served() == 2)
        #expect(afterWrite.hits.contains { $0.title == "公印の管理要領" })
        _ = try store.search(SearchRequest(query: "公印の管理", k: 10))
        #expect(served() == 3)
        // A delete by another process on the same file: no cached state, row or list may bring the chunk back.
        let other = KnowledgeStore(database: try AppDatabase(path: store.database.path), model: try TestEnvironment.model())
        try other.deleteDocument(collection: "c", source: b)
        let afterDelete = try store.search(SearchRequest(query: "公印の管理", k: 10))
        #expect(served() == 3)
        #expect(!afterDelete.hits.contains { $0.title == "公印の管理要領" })
        #expect(afterDelete.hits.map(\.chunkID) == first.hits.map(\.chunkID))
        // A query naming an article cites rows read for it: always in a transaction.
        _ = try store.search(SearchRequest(query: "第三条 公印", k: 10))
        _ = try store.search(SearchRequest(query: "第三条 公印", k: 10))
        #expect(served() == 3)
    }

    /// A search looks all its lists up at once: in their order, nil where not cached, each hit then the most
    /// recently used (dropped last).
    @Test func severalListsAreLookedUpAtOnce() throws {
        let list = try #require(PostingsList(PostingsCodec.encode((0..<10).map { (UInt32($0 * 3), 1) })))
        let size = list.byteCount + 48
        let cache = PostingsCache(budget: 4 * size)
        func key(_ t: Int64) -> PostingsCache.Key { .init(segment: 1, term: t) }
        for t in 0..<4 { cache.put(key(Int64(t)), .init(list: list, df: 10 + t)) }
        #expect(cache.get([key(3), key(9), key(0)]).map { $0?.df } == [13, nil, 10])
        #expect(cache.get([]).isEmpty)
        // Over budget: the least recently used go until three quarters of it are left: 1 and 2, not 0 or 3.
        cache.put(key(4), .init(list: list, df: 14))
        #expect(cache.get([key(1), key(2)]).map { $0 == nil } == [true, true])
        #expect(cache.get([key(0), key(3), key(4)]).map { $0?.df } == [10, 13, 14])
    }

    @Test func cacheDropsTheLeastRecentlyUsedBeyondItsBudget() throws {
        let cache = PostingsCache(budget: 10_000)
        let list = try #require(PostingsList(PostingsCodec.encode((0..<200).map { (UInt32($0 * 2), 1) })))
        let size = list.byteCount + 48
        let fit = 10_000 / size
        for i in 0..<fit { cache.put(.init(segment: 1, term: Int64(i)), .init(list: list, df: 200)) }
        #expect(cache.count == fit)
        #expect(cache.byteCount <= 10_000)
        _ = cache.get(.init(segment: 1, term: 0))  // the oldest becomes the newest
        cache.put(.init(segment: 1, term: 999), .init(list: list, df: 200))
        #expect(cache.byteCount <= 10_000)
        #expect(cache.get(.init(segment: 1, term: 0)) != nil)
        #expect(cache.get(.init(segment: 1, term: 1)) == nil)
        #expect(cache.get(.init(segment: 1, term: 999))?.df == 200)
        // An absent term is remembered as absent.
        cache.put(.init(segment: 2, term: 5), .init(list: nil, df: 0))
        #expect(cache.get(.init(segment: 2, term: 5)).map { $0.list == nil } == true)
        cache.retain(segments: [2])
        #expect(cache.count == 1)
        // A list larger than a quarter of the budget is not cached at all.
        let big = try #require(PostingsList(PostingsCodec.encode((0..<5000).map { (UInt32($0 * 300), 3) })))
        cache.put(.init(segment: 2, term: 6), .init(list: big, df: 5000))
        #expect(cache.get(.init(segment: 2, term: 6)) == nil)
    }

    @Test(arguments: [
        Locator(), Locator(page: 1), Locator(page: 123_456), Locator(page: 3, section: "4.2 支出命令"),
        Locator(article: "第三十条", paragraph: 2, item: 1), Locator(section: "はじめに"),
    ])
    func storedLocatorsDecodeAsWritten(_ locator: Locator) throws {
        let json = String(decoding: try JSONEncoder().encode(locator), as: UTF8.self)
        #expect(KnowledgeStore.decodeLocator(json, JSONDecoder()) == locator)
    }

    @Test func oddLocatorsAndHeadingPathsFallBackToTheDecoder() {
        let decoder = JSONDecoder()
        #expect(KnowledgeStore.decodeLocator(#"{"page":}"#, decoder) == Locator())
        #expect(KnowledgeStore.decodeLocator(#"{"page":12345678901234567890}"#, decoder) == Locator())
        #expect(KnowledgeStore.decodeLocator(#"{"page":-2}"#, decoder) == Locator(page: -2))
        #expect(KnowledgeStore.decodeLocator("not json", decoder) == Locator())
        #expect(KnowledgeStore.decodeHeadingPath("[]", decoder) == [])
        #expect(KnowledgeStore.decodeHeadingPath(#"["第1章","第2節"]"#, decoder) == ["第1章", "第2節"])
        #expect(KnowledgeStore.decodeHeadingPath("[", decoder) == [])
    }
}
