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
