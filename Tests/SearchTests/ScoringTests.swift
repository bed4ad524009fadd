import Foundation
import Testing
import JapaneseText
@testable import Search

@Suite("BM25 scoring and metrics")
struct ScoringTests {
    /// Two documents; term 0 in both, term 1 only in the first.
    func segment() -> ScoringSegment {
        var docs = SegmentDocTable()
        docs.append(chunkID: 100, documentID: 1, collectionID: 1, wordLength: 10, gramLength: 0)
        docs.append(chunkID: 200, documentID: 2, collectionID: 2, wordLength: 20, gramLength: 0)
        let t0 = PostingsCodec.encode([(0, 2), (1, 1)])
        let t1 = PostingsCodec.encode([(0, 1)])
        return ScoringSegment(docs: docs, deleted: nil, postings: [t0, t1])
    }

    var stats: CorpusStats { CorpusStats(documentCount: 2, averageWordLength: 15, averageGramLength: 1) }

    @Test func scoresMatchHandComputedBM25() {
        var p = Bm25Parameters()
        p.wordK1 = 1.2
        p.wordB = 0.75
        let terms = [ScoringTerm(field: .word, text: "a", df: 2), ScoringTerm(field: .word, text: "b", df: 1)]
        let result = Bm25Scorer.topK(terms: terms, segments: [segment()], stats: stats, parameters: p, k: 10)
        // idf(df=2,N=2) = ln(1 + 0.5/2.5) = ln 1.2; idf(df=1) = ln(1 + 1.5/1.5) = ln 2
        let norm0 = 1.2 * (1 - 0.75 + 0.75 * 10.0 / 15.0)
        let norm1 = 1.2 * (1 - 0.75 + 0.75 * 20.0 / 15.0)
        let doc0 = log(1.2) * 2 * 2.2 / (2 + norm0) + log(2.0) * 1 * 2.2 / (1 + norm0)
        let doc1 = log(1.2) * 1 * 2.2 / (1 + norm1)
        #expect(result.hits.map(\.chunkID) == [100, 200])
        #expect(abs(Double(result.hits[0].score) - doc0) < 1e-4)
        #expect(abs(Double(result.hits[1].score) - doc1) < 1e-4)
        #expect(result.totalMatches == 2)
    }

    @Test func filtersApplyBeforeRanking() {
        let terms = [ScoringTerm(field: .word, text: "a", df: 2)]
        // Collection filter: only collection 2 may be seen, so k=1 still returns a hit (no post-filtering).
        let filtered = Bm25Scorer.topK(
            terms: terms, segments: [segment()], stats: stats, parameters: Bm25Parameters(), allowedCollections: [2], k: 1)
        #expect(filtered.hits.map(\.chunkID) == [200])
        #expect(filtered.totalMatches == 1)
        // Deleted ordinals never appear.
        var s = segment()
        s.deleted = [true, false]
        let deleted = Bm25Scorer.topK(terms: terms, segments: [s], stats: stats, parameters: Bm25Parameters(), k: 10)
        #expect(deleted.hits.map(\.chunkID) == [200])
    }

    @Test func exclusionsAndRequiredTerms() {
        let excluded = Bm25Scorer.topK(
            terms: [ScoringTerm(field: .word, text: "a", df: 2), ScoringTerm(field: .word, text: "b", df: 1, excluded: true)],
            segments: [segment()], stats: stats, parameters: Bm25Parameters(), k: 10)
        #expect(excluded.hits.map(\.chunkID) == [200])
        let required = Bm25Scorer.topK(
            terms: [ScoringTerm(field: .word, text: "a", df: 2), ScoringTerm(field: .word, text: "b", df: 1, required: true)],
            segments: [segment()], stats: stats, parameters: Bm25Parameters(), k: 10)
        #expect(required.hits.map(\.chunkID) == [100])
    }

    @Test func parameterOverridesParseAndRejectTypos() throws {
        let p = try Bm25Parameters(overrides: "wordK1=1.5,gramWeight=0.25")
        #expect(p.wordK1 == 1.5)
        #expect(p.gramWeight == 0.25)
        #expect(p.gramK1 == Bm25Parameters().gramK1)
        #expect(throws: SearchError.invalidParameter("wordk1=1")) { try Bm25Parameters(overrides: "wordk1=1") }
        #expect(throws: SearchError.invalidParameter("gramB=x")) { try Bm25Parameters(overrides: "gramB=x") }
    }

    @Test func topKKeepsTheBestDeterministically() {
        var heap = TopKHeap(capacity: 3)
        for (i, s) in [5, 1, 9, 3, 9, 7].enumerated() {
            heap.insert(ScoredHit(chunkID: Int64(i), documentID: 0, collectionID: 0, score: Float(s)))
        }
        #expect(heap.sortedDescending().map(\.chunkID) == [2, 4, 5])
    }

    @Test func metricsMatchHandComputedValues() {
        let rel = ["a": 1, "b": 1]
        // Relevant at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3).
        let ranking = ["x", "a", "y", "b"]
        let expected = (1 / log2(3.0) + 1 / log2(5.0)) / (1 + 1 / log2(3.0))
        #expect(abs(RetrievalMetrics.ndcg(ranking: ranking, relevance: rel, k: 10) - expected) < 1e-12)
        #expect(RetrievalMetrics.ndcg(ranking: ranking, relevance: rel, k: 1) == 0)
        #expect(RetrievalMetrics.recall(ranking: ranking, relevance: rel, k: 2) == 0.5)
        #expect(RetrievalMetrics.recall(ranking: ranking, relevance: rel, k: 10) == 1)
        #expect(RetrievalMetrics.reciprocalRank(ranking: ranking, relevance: rel, k: 10) == 0.5)
        #expect(RetrievalMetrics.reciprocalRank(ranking: ["x"], relevance: rel, k: 10) == 0)
        #expect(RetrievalMetrics.ndcg(ranking: ["a", "b"], relevance: rel, k: 10) == 1)
        #expect(RetrievalMetrics.percentile([5, 1, 3, 2, 4], 0.5) == 3)
        #expect(RetrievalMetrics.percentile([5, 1, 3, 2, 4], 0.99) == 5)
    }

    @Test func snippetMarksMatchesAndEscapesHTML() {
        let s = SnippetBuilder.snippet(text: "前文です。<b>支出命令</b>は５日までに入力する。", keywords: ["支出命令", "入力"])
        #expect(s.contains("<mark>支出命令</mark>"))
        #expect(s.contains("&lt;b&gt;"))
        #expect(s.contains("<mark>入力</mark>"))
        #expect(!s.contains("<b>"))
    }
}

@Suite("Pruned scoring equals exhaustive scoring")
struct PruningTests {
    /// Random segments and queries: the pruned top k must equal a brute-force BM25 ranking.
    @Test func prunedTopKMatchesBruteForce() {
        var rng = SplitMix64(seed: 20261126)
        for round in 0..<40 {
            let n = 200 + Int(rng.next() % 3000)
            var docs = SegmentDocTable()
            for i in 0..<n {
                docs.append(chunkID: Int64(i + 1), documentID: Int64(i / 3), collectionID: Int64(i % 4),
                            wordLength: 5 + Int(rng.next() % 120), gramLength: 10 + Int(rng.next() % 200))
            }
            let termCount = 2 + Int(rng.next() % 10)
            var lists: [[(ordinal: UInt32, tf: UInt32)]] = []
            var terms: [ScoringTerm] = []
            for t in 0..<termCount {
                // Mix rare and very common terms, as real queries do.
                let density = [0.002, 0.01, 0.05, 0.3, 0.8][Int(rng.next() % 5)]
                var list: [(ordinal: UInt32, tf: UInt32)] = []
                for i in 0..<n where Double(rng.next() % 10_000) / 10_000 < density {
                    list.append((UInt32(i), 1 + UInt32(rng.next() % 4)))
                }
                lists.append(list)
                terms.append(ScoringTerm(field: t % 2 == 0 ? .word : .gram, text: "t\(t)", df: list.count))
            }
            let blobs = lists.enumerated().map { t, list in
                PostingsCodec.encode(list) { t % 2 == 0 ? docs.wordLengths[Int($0)] : docs.gramLengths[Int($0)] }
            }
            let stats = CorpusStats(
                documentCount: n, averageWordLength: Float(docs.totalWordLength) / Float(n),
                averageGramLength: Float(docs.totalGramLength) / Float(n))
            let params = Bm25Parameters()
            let k = 1 + Int(rng.next() % 20)
            let allowed: Set<Int64>? = round % 3 == 0 ? [1, 2] : nil
            let result = Bm25Scorer.topK(
                terms: terms, segments: [ScoringSegment(docs: docs, deleted: nil, postings: blobs)], stats: stats,
                parameters: params, allowedCollections: allowed, k: k)

            var brute = [Float](repeating: 0, count: n)
            var matched = [Bool](repeating: false, count: n)
            for (t, list) in lists.enumerated() {
                let field = terms[t].field
                let idf = Bm25Parameters.idf(documentCount: n, df: list.count)
                let avg = field == .word ? stats.averageWordLength : stats.averageGramLength
                for p in list {
                    let len = Float(field == .word ? docs.wordLengths[Int(p.ordinal)] : docs.gramLengths[Int(p.ordinal)])
                    let f = Float(p.tf), k1 = params.k1(field), b = params.b(field)
                    brute[Int(p.ordinal)] += idf * params.weight(field) * f * (k1 + 1) / (f + k1 * (1 - b + b * len / avg))
                    matched[Int(p.ordinal)] = true
                }
            }
            let expected = (0..<n).filter { matched[$0] && (allowed?.contains(docs.collectionIDs[$0]) ?? true) }
                .sorted { brute[$0] != brute[$1] ? brute[$0] > brute[$1] : $0 < $1 }.prefix(k)
            #expect(result.hits.count == expected.count, "round \(round)")
            for (hit, ord) in zip(result.hits, expected) {
                #expect(abs(hit.score - brute[ord]) < 1e-3 * max(1, brute[ord]), "round \(round): score")
                // Ties may order differently only when scores are equal within float error.
                if hit.chunkID != Int64(ord + 1) {
                    #expect(abs(brute[Int(hit.chunkID) - 1] - brute[ord]) < 1e-3, "round \(round): rank")
                }
            }
        }
    }

    @Test func cursorSeeksAcrossBlocks() {
        let list = (0..<1000).map { (ordinal: UInt32($0 * 3), tf: UInt32($0 % 7 + 1)) }
        let blob = PostingsCodec.encode(list)
        blob.withUnsafeBufferPointer { p in
            var cursor = PostingsCodec.Cursor(p)!
            #expect(cursor.seek(0) == 1)
            #expect(cursor.seek(1) == 0)
            #expect(cursor.seek(3) == 2)
            #expect(cursor.seek(1500) == UInt32(500 % 7 + 1))
            #expect(cursor.seek(1501) == 0)
            #expect(cursor.seek(2997) == UInt32(999 % 7 + 1))
            #expect(cursor.seek(5000) == 0)
        }
        let header = blob.withUnsafeBufferPointer { PostingsCodec.header($0) }
        #expect(header?.count == 1000)
        #expect(header?.maxTF == 7)
    }
}
