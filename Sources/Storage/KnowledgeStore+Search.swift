import Foundation
import GRDB
import HirobaCore
import Ingest
import JapaneseText
import Search

extension KnowledgeStore {
    /// Query terms built from a parsed query.
    struct PlannedQuery {
        var terms: [ScoringTerm]
        var keys: [String]
        var keywords: [String]
        var phrases: [String]
        /// Article keys (`§N`) the query names, in order.
        var articles: [String]
    }

    func plan(_ parsed: ParsedQuery, analyzer: Analyzer) -> PlannedQuery {
        var keys: [String] = []
        var terms: [ScoringTerm] = []
        var index: [UTF8Key: Int] = [:]
        index.reserveCapacity(64)
        func add(_ field: TermField, _ text: String, required: Bool = false, excluded: Bool = false) {
            let key = TermKey.make(field, text)
            if let i = index[UTF8Key(key)] {
                if !excluded { terms[i].queryFrequency += 1 }
                terms[i].required = terms[i].required || required
                terms[i].excluded = terms[i].excluded || excluded
            } else {
                index[UTF8Key(key)] = terms.count
                keys.append(key)
                terms.append(ScoringTerm(field: field, text: text, required: required, excluded: excluded))
            }
        }
        let analysed = analyzer.queryTermsAndKeywords(parsed.text)
        for (field, term) in analysed.terms { add(field, term) }
        // 第N条 in a query also asks for the article itself (its chunks carry the key; citing ones do not).
        let articles = ArticleNumber.references(in: parsed.text)
        for key in articles { add(.word, key) }
        for phrase in parsed.phrases {
            // Bigrams are required, not words: MeCab may cut a phrase alone differently from the same
            // words in context, while bigrams do not depend on context. The text check follows ranking.
            for (field, term) in analyzer.terms(phrase, role: .index) { add(field, term, required: field == .gram) }
        }
        for exclusion in parsed.exclusions {
            let terms = analyzer.terms(exclusion, role: .index)
            let words = terms.filter { $0.field == .word }
            for (field, term) in (words.isEmpty ? terms : words) { add(field, term, excluded: true) }
        }
        var keywords = analysed.keywords + parsed.phrases
        keywords.removeAll { $0.isEmpty }
        return PlannedQuery(
            terms: terms, keys: keys, keywords: keywords,
            phrases: parsed.phrases.map { TextNormalizer.normalize($0) }, articles: articles)
    }

    /// Ranked, citable chunks for a query. Collection filters apply inside scoring, before ranking.
    public func search(_ request: SearchRequest) throws -> SearchResponse {
        let parsed = QueryParser.parse(request.query)
        guard !parsed.isEmpty else { throw SearchError.emptyQuery }
        let k = min(max(request.k, 1), 1000)
        return try analyzers.with { indexing in
            let planned = plan(parsed, analyzer: indexing.analyzer)
            guard planned.terms.contains(where: { !$0.excluded }) else { throw SearchError.emptyQuery }
            // Read before the read transaction starts, so rows cached under it are never older than it says.
            let version = try request.dataVersion ?? database.dataVersion()
            // `db` nil: everything from the caches kept for this data version (no read transaction, whose pool
            // checkout, BEGIN and COMMIT cost a search ~9 % of its CPU); a cache that lacks what the search needs
            // throws `CacheMiss`, and the search runs again in a read transaction.
            func run(_ db: Database?) throws -> SearchResponse {
                var allowed: Set<Int64>? = request.scope
                if !request.collections.isEmpty {
                    guard let db else { throw CacheMiss() }
                    var ids = Set<Int64>()
                    for name in request.collections {
                        // A collection the caller may not read is reported exactly like one that does not exist.
                        guard let id = try collectionID(named: name, create: false, in: db),
                            request.scope?.contains(id) ?? true
                        else { throw StorageError.collectionNotFound(name) }
                        ids.insert(id)
                    }
                    allowed = ids
                }
                if let allowed, allowed.isEmpty { return SearchResponse(hits: [], totalMatches: 0, parsed: parsed) }
                let state = try index.state(version: version, in: db)
                let termIDs = try terms.lookup(planned.keys, generation: state.generation, in: db)
                // A required term that no chunk has means no hit can satisfy the phrase.
                if zip(planned.terms, termIDs).contains(where: { $0.required && $1 == nil }) {
                    return SearchResponse(hits: [], totalMatches: 0, parsed: parsed)
                }
                let (lists, df) = try index.postings(termIDs: termIDs, segments: state.segments, in: db)
                var scoring = planned.terms
                for i in scoring.indices { scoring[i].df = df[i] }
                let segments = zip(state.segments, lists).map {
                    ScoringSegment(docs: $0.docs, deleted: $0.deleted, postings: $1)
                }
                // Phrases are verified on text after ranking, so over-fetch enough candidates.
                let fetch = planned.phrases.isEmpty ? k : min(k * 5 + 20, 5000)
                let result = Bm25Scorer.topK(
                    terms: scoring, segments: segments, stats: state.stats, parameters: parameters,
                    allowedCollections: allowed, hiddenDocuments: request.hiddenDocuments, k: fetch, scratch: indexing.scoringScratch)
                var ranked = result.hits
                var total = result.totalMatches
                // A citation of a named document's article goes first, above every BM25 score.
                // (Only a query citing an article reads rows for it: such a query runs in a read transaction.)
                if !planned.articles.isEmpty && db == nil { throw CacheMiss() }
                let cited = try db.map { db in
                    try citedChunks(
                        query: parsed.text, references: planned.articles,
                        articleHits: planned.articles.isEmpty ? [:] : articleHits(scoring, segments),
                        allowed: allowed, hidden: request.hiddenDocuments, in: db)
                } ?? []
                if !cited.isEmpty {
                    let top = (ranked.first?.score ?? 0) + 1
                    let ids = Set(cited.map(\.chunkID))
                    total += cited.filter { c in !ranked.contains { $0.chunkID == c.chunkID } }.count
                    ranked = cited.enumerated().map { i, hit in
                        var hit = hit
                        hit.score = top + Float(cited.count - i) * 0.001
                        return hit
                    } + ranked.filter { !ids.contains($0.chunkID) }
                }
                // With phrases, up to 5k + 20 hits are read to verify them on their text: snippets wait for the k kept.
                let deferSnippets = request.snippets && !planned.phrases.isEmpty
                var hits = try hydrate(
                    ranked, planned: planned, snippets: request.snippets && !deferSnippets,
                    query: TextNormalizer.normalize(request.query), version: version, in: db)
                if !planned.phrases.isEmpty {
                    let before = hits.count
                    hits = hits.filter { hit in
                        let text = TextNormalizer.normalize(
                            Self.searchableText(title: hit.title, chunk: ChunkDraft(ordinal: 0, text: hit.text, headingPath: hit.headingPath, locator: hit.locator)))
                        return planned.phrases.allSatisfy { Self.contains(text, $0) }
                    }
                    if result.hits.count < fetch { total = hits.count } else { total -= before - hits.count }
                }
                hits = Array(hits.prefix(k))
                if deferSnippets {
                    let marked = SnippetBuilder.Keywords(planned.keywords)
                    let buffers = SnippetBuilder.Buffers()
                    for i in hits.indices {
                        hits[i].snippetUTF8 = SnippetBuilder.snippetUTF8(text: hits[i].text, keywords: marked, buffers: buffers)
                    }
                }
                if request.explain {
                    let citedIDs = Set(cited.map(\.chunkID))
                    for i in hits.indices {
                        hits[i].explanation = explain(hits[i], terms: scoring, stats: state.stats, analyzer: indexing)
                        if citedIDs.contains(hits[i].chunkID.rawValue) {
                            let citation = TermContribution(
                                term: "引用一致: \(hits[i].title) \(hits[i].locator.article ?? "")", field: "citation", tf: 1, df: 0,
                                idf: 0, score: hits[i].score)
                            hits[i].explanation = [citation] + (hits[i].explanation ?? [])
                        }
                    }
                }
                return SearchResponse(hits: hits, totalMatches: total, parsed: parsed, totalIsExact: result.exact)
            }
            do {
                let response = try run(nil)
                searchesFromCaches.add(1, ordering: .relaxed)
                return response
            } catch is CacheMiss {}
            return try database.read { db in try run(db) }
        }
    }

    /// Chunks found another way (vector search) as citable hits, in the given order, with snippets for `query`.
    public func hits(_ ranked: [(chunkID: Int64, score: Double)], query: String) throws -> [SearchHit] {
        guard !ranked.isEmpty else { return [] }
        let parsed = QueryParser.parse(query)
        return try analyzers.with { indexing in
            let planned = plan(parsed, analyzer: indexing.analyzer)
            let version = try database.dataVersion()
            return try database.read { db in
                try hydrate(
                    ranked.map { ScoredHit(chunkID: $0.chunkID, documentID: 0, collectionID: 0, score: Float($0.score)) },
                    planned: planned, snippets: true, query: TextNormalizer.normalize(query), version: version, in: db)
            }
        }
    }

    /// The collection ids a search may read: the named ones (each must be readable, else "not found", as
    /// for search) within `scope`, or the whole scope (nil: unrestricted).
    public func searchableCollections(_ names: [String], scope: Set<Int64>?) throws -> Set<Int64>? {
        guard !names.isEmpty else { return scope }
        return try database.read { db in
            var ids = Set<Int64>()
            for name in names {
                guard let id = try collectionID(named: name, create: false, in: db), scope?.contains(id) ?? true else {
                    throw StorageError.collectionNotFound(name)
                }
                ids.insert(id)
            }
            return ids
        }
    }

    /// The chunks carrying each article key (`§…` word terms) of the query, read from their postings.
    private func articleHits(_ terms: [ScoringTerm], _ segments: [ScoringSegment]) -> [String: [ScoredHit]] {
        var out: [String: [ScoredHit]] = [:]
        // By bytes: String.hasPrefix compares Unicode-canonically, far slower for Japanese terms.
        let prefix = Array(ArticleNumber.prefix.utf8)
        for (t, term) in terms.enumerated() where term.field == .word && term.text.utf8.starts(with: prefix) {
            for segment in segments {
                guard let list = segment.postings[t] else { continue }
                let docs = segment.docs
                list.forEach { ord, _ in
                    guard ord < docs.count, !(segment.deleted.map { ord < $0.count && $0[ord] } ?? false) else { return }
                    out[term.text, default: []].append(
                        ScoredHit(
                            chunkID: docs.chunkIDs[ord], documentID: docs.documentIDs[ord],
                            collectionID: docs.collectionIDs[ord], score: 0))
                }
            }
        }
        return out
    }

    /// `version` is the database's data version read before `db`'s transaction began (`AppDatabase.dataVersion`).
    /// `db` nil (a search served from the caches): rows missing from the row cache are read in a read transaction
    /// of their own, which begins after `version` was read like the search's would.
    private func hydrate(
        _ scored: [ScoredHit], planned: PlannedQuery, snippets: Bool, query: String, version: Int64, in db: Database?
    ) throws -> [SearchHit] {
        guard !scored.isEmpty else { return [] }
        var byID = chunkRows.rows(scored.map(\.chunkID), version: version)
        let missing = scored.filter { byID[$0.chunkID] == nil }
        if !missing.isEmpty {
            let read = try db.map { try readRows(missing, in: $0) } ?? database.read { try readRows(missing, in: $0) }
            for (id, row) in read { byID[id] = row }
            chunkRows.store(read, version: version)
        }
        // Folded and indexed once for every hit's snippet.
        let marked = SnippetBuilder.Keywords(planned.keywords)
        let buffers = SnippetBuilder.Buffers()
        return scored.compactMap { hit in
            guard let row = byID[hit.chunkID] else { return nil }
            let text = row.text
            let path = row.headingPath
            var locator = row.locator
            // An article hit cites the 項/号 where the query's words are (第二条第一号), not just the article.
            // When the query names the document (「みなと市財務規則 第三十条」), its title's words name it and do
            // not locate a 項.
            if locator.article != nil {
                let title = TextNormalizer.normalize(row.title)
                let keywords = query.contains(title) ? planned.keywords.filter { !title.contains($0) } : planned.keywords
                locator = StatutePosition.refine(locator, text: text, keywords: keywords)
            }
            return SearchHit(
                chunkID: ChunkID(hit.chunkID), documentID: DocumentID(row.documentID), collection: row.collection,
                title: row.title, source: row.source, headingPath: path, locator: locator,
                score: Double(hit.score),
                snippetUTF8: snippets ? SnippetBuilder.snippetUTF8(text: text, keywords: marked, buffers: buffers) : [],
                text: text, explanation: nil)
        }
    }

    /// The rows of `missing` hits for the row cache, read in `db`.
    private func readRows(_ missing: [ScoredHit], in db: Database) throws -> [(Int64, ChunkRowCache.Row)] {
        // One cached statement for any number of ids (a literal IN list would be compiled per search).
        let ids = "[" + missing.map { String($0.chunkID) }.joined(separator: ",") + "]"
        // Read straight off a live cursor (no row copies), columns by position: name lookups cost more than the rest.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT k.id, k.text, k.heading_path, k.locator, d.id AS doc_id, d.title, d.source, c.name
                    FROM chunks k JOIN documents d ON d.id = k.document_id JOIN collections c ON c.id = d.collection_id
                    WHERE k.id IN (SELECT value FROM json_each(?))
                    """), arguments: [ids])
        var read: [(Int64, ChunkRowCache.Row)] = []
        read.reserveCapacity(missing.count)
        let decoder = JSONDecoder()
        while let row = try rows.next() {
            read.append(
                (
                    row[0],
                    ChunkRowCache.Row(
                        text: row[1], headingPath: Self.decodeHeadingPath(row[2], decoder), locator: Self.decodeLocator(row[3], decoder),
                        documentID: row[4], title: row[5], source: row[6], collection: row[7])
                ))
        }
        return read
    }

    /// Whether `text` holds `phrase`, both normalized (`TextNormalizer`), compared as UTF-8 bytes: valid UTF-8
    /// matches byte for byte exactly where it matches scalar for scalar. (Foundation's `contains` compared them as
    /// graphemes with locale rules: ~90k instructions a hit, on up to 5k + 20 hits of a phrase search.)
    static func contains(_ text: String, _ phrase: String) -> Bool {
        var text = text, phrase = phrase
        return text.withUTF8 { t in
            phrase.withUTF8 { p in
                if p.isEmpty { return true }
                guard t.count >= p.count else { return false }
                let first = p[0]
                var i = 0
                while i <= t.count - p.count {
                    if t[i] == first && memcmp(t.baseAddress! + i, p.baseAddress!, p.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }

    /// A stored heading path; the common empty one without a JSON decoder (it is on every search hit).
    static func decodeHeadingPath(_ json: String, _ decoder: JSONDecoder) -> [String] {
        if json == "[]" { return [] }
        return (try? decoder.decode([String].self, from: Data(json.utf8))) ?? []
    }

    /// A stored locator; `{}` and `{"page":N}` (most chunks) without a JSON decoder.
    static func decodeLocator(_ json: String, _ decoder: JSONDecoder) -> Locator {
        if json == "{}" { return Locator() }
        let prefix = #"{"page":"#
        if json.hasPrefix(prefix), json.hasSuffix("}") {
            let digits = json.utf8.dropFirst(prefix.utf8.count).dropLast()
            if digits.count <= 9, !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let page = Int(String(decoding: digits, as: UTF8.self))
            {
                return Locator(page: page)
            }
        }
        return (try? decoder.decode(Locator.self, from: Data(json.utf8))) ?? Locator()
    }

    /// Recomputes each query term's BM25 contribution from the hit's text (the same analyzer built the
    /// index, so the numbers are the ones that ranked it).
    private func explain(_ hit: SearchHit, terms: [ScoringTerm], stats: CorpusStats, analyzer: IndexingAnalyzer)
        -> [TermContribution]
    {
        let analyzed = Self.analyze(
            ChunkDraft(ordinal: 0, text: hit.text, headingPath: hit.headingPath, locator: hit.locator), title: hit.title,
            with: analyzer)
        var tf: [String: Int] = [:]
        for t in analyzed.terms { tf[analyzer.key(t.localID), default: 0] += Int(t.tf) }
        let wordLength = analyzed.wordLength, gramLength = analyzed.gramLength
        return terms.compactMap { term in
            guard !term.excluded, let f = tf[TermKey.make(term.field, term.text)], f > 0 else { return nil }
            let idf = Bm25Parameters.idf(documentCount: stats.documentCount, df: term.df)
            let k1 = parameters.k1(term.field), b = parameters.b(term.field)
            let avg = max(term.field == .word ? stats.averageWordLength : stats.averageGramLength, 1)
            // The index keeps lengths as norm bytes; explain with the very length that ranked the hit.
            let dl = LengthNorm.decodedLengths[Int(LengthNorm.encode(UInt32(term.field == .word ? wordLength : gramLength)))]
            let ff = Float(f)
            let score = idf * parameters.weight(term.field) * Float(term.queryFrequency) * ff * (k1 + 1)
                / (ff + k1 * (1 - b + b * dl / avg))
            return TermContribution(
                term: term.text, field: term.field == .word ? "word" : "bigram", tf: f, df: term.df, idf: Double(idf),
                score: Double(score))
        }.sorted { $0.score > $1.score }
    }
}

/// Thrown by a search served from the caches alone (`KnowledgeStore.search` with no database) when a cache lacks
/// something the search needs: the search runs again in a read transaction.
struct CacheMiss: Error {}

/// Stored fields of chunks recently returned by searches, keyed by chunk id and valid for one data version of
/// the database (`AppDatabase.dataVersion`): any commit, by this process or another, empties it. The knowledge
/// database is not written by searches (the audit log has its own file), so under search load it stays valid;
/// popular chunks (a manual's few pages that answer most questions) are then read without SQL, JSON decoding or
/// UTF-8 validation of their text. Bounded by count; emptied when full (rows are cheap to read again).
final class ChunkRowCache: @unchecked Sendable {
    struct Row {
        var text: String
        var headingPath: [String]
        var locator: Locator
        var documentID: Int64
        var title: String
        var source: String
        var collection: String
    }

    private let lock = NSLock()
    private var version: Int64 = -1
    private var rows: [Int64: Row] = [:]
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The cached rows among `ids` for data version `version` (none once the database has changed).
    func rows(_ ids: [Int64], version: Int64) -> [Int64: Row] {
        lock.withLock {
            var out: [Int64: Row] = [:]
            guard self.version == version, !rows.isEmpty else { return out }
            out.reserveCapacity(ids.count)
            for id in ids { if let row = rows[id] { out[id] = row } }
            return out
        }
    }

    /// Keeps rows read in a transaction that began after `version` was read.
    func store(_ read: [(Int64, Row)], version: Int64) {
        lock.withLock {
            if self.version != version {
                // Rows of an older version must go; rows tagged older than the cache's are not kept.
                guard version > self.version else { return }
                rows.removeAll(keepingCapacity: true)
                self.version = version
            }
            guard read.count <= capacity else { return }
            if rows.count + read.count > capacity { rows.removeAll(keepingCapacity: true) }
            for (id, row) in read { rows[id] = row }
        }
    }

    var count: Int { lock.withLock { rows.count } }
}
