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
        return ScoringSegment(docs: docs, deleted: nil, blobs: [t0, t1])
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

    @Test func snippetPicksTheBusiestSentenceAndKeepsEveryCharacter() {
        let filler = String(repeating: "前置きの文章がここに長く続いています。", count: 30)
        let text = filler + "支出命令は\n「入力」画面で𠮷田さんが入力する。" + filler
        let s = SnippetBuilder.snippet(text: text, keywords: ["支出命令", "入力"], maxCharacters: 30)
        #expect(s.hasPrefix("…<mark>支出命令</mark>は 「<mark>入力</mark>」画面で𠮷田さんが<mark>入力</mark>する。"))
        #expect(s.hasSuffix("…"))
        #expect(SnippetBuilder.snippet(text: "a\"b&c", keywords: ["Ｂ"]) == "a&quot;<mark>b</mark>&amp;c")
        #expect(SnippetBuilder.snippet(text: "", keywords: ["x"]) == "")
        // No match: the text's beginning.
        #expect(SnippetBuilder.snippet(text: "短い文。", keywords: ["無関係"]) == "短い文。")
    }

    @Test func snippetsFromUTF8BytesEqualTheScalarByScalarBuild() {
        // The reference: the scalar-array build snippets used before they worked on UTF-8 bytes.
        func reference(_ text: String, _ keywords: [String], _ maxCharacters: Int) -> String {
            let scalars = Array(text.unicodeScalars)
            let folded = scalars.map { SnippetBuilder.fold($0.value) }
            let marks = SnippetBuilder.matchRanges(folded: folded, keywords: keywords)
            var best = 0, bestCount = -1
            func consider(_ start: Int) {
                let end = min(start + maxCharacters, scalars.count)
                let count = marks.filter { $0.lowerBound >= start && $0.upperBound <= end }.count
                if count > bestCount { (best, bestCount) = (start, count) }
            }
            consider(0)
            for i in 0..<max(scalars.count - 1, 0) where [0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F, 0x0A].contains(scalars[i].value) {
                consider(i + 1)
            }
            while best < scalars.count && (scalars[best] == "\n" || scalars[best] == " ") { best += 1 }
            let window = best..<min(best + maxCharacters, scalars.count)
            func escaped(_ slice: ArraySlice<Unicode.Scalar>) -> String {
                slice.map { s -> String in
                    switch s {
                    case "<": return "&lt;"
                    case ">": return "&gt;"
                    case "&": return "&amp;"
                    case "\"": return "&quot;"
                    case "\n": return " "
                    default: return String(s)
                    }
                }.joined()
            }
            var out = window.lowerBound > 0 ? "…" : ""
            var cursor = window.lowerBound
            for mark in marks where mark.lowerBound >= window.lowerBound && mark.upperBound <= window.upperBound {
                if mark.lowerBound < cursor { continue }
                out += escaped(scalars[cursor..<mark.lowerBound]) + "<mark>" + escaped(scalars[mark]) + "</mark>"
                cursor = mark.upperBound
            }
            out += escaped(scalars[cursor..<window.upperBound])
            return window.upperBound < scalars.count ? out + "…" : out
        }
        var rng = SplitMix64(seed: 23)
        let alphabet = Array("支出命令入力ＡaBé市の予算。！？!?\n <>&\"𠮷😀ｂ　")
        func pick() -> Character { alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        // One set of working buffers for every round (as a search reuses them from hit to hit): texts longer
        // and shorter than the previous one must not see its leftovers.
        let buffers = SnippetBuilder.Buffers()
        for round in 0..<400 {
            let text = String((0..<Int(rng.next() % 120)).map { _ in pick() })
            let keywords = (0..<Int(1 + rng.next() % 4)).map { _ in String((0..<Int(1 + rng.next() % 3)).map { _ in pick() }) }
            let width = 5 + Int(rng.next() % 40)
            let expected = reference(text, keywords, width)
            #expect(SnippetBuilder.snippet(text: text, keywords: keywords, maxCharacters: width) == expected, "round \(round)")
            #expect(
                SnippetBuilder.snippet(text: text, keywords: SnippetBuilder.Keywords(keywords), maxCharacters: width, buffers: buffers)
                    == expected, "round \(round), reused buffers")
        }
    }

    @Test func matchRangesEqualTheKeywordByKeywordScan() {
        // The reference: each keyword (longest first) scanned over the whole text, as snippets did before.
        func reference(_ folded: [UInt32], _ keywords: [String]) -> [Range<Int>] {
            var taken = [Bool](repeating: false, count: folded.count)
            var ranges: [Range<Int>] = []
            let ordered = Set(keywords.filter { !$0.isEmpty }).map { $0.unicodeScalars.map { SnippetBuilder.fold($0.value) } }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
            for key in ordered where key.count <= folded.count {
                var i = 0
                while i + key.count <= folded.count {
                    if folded[i] == key[0] && !taken[i] {
                        var j = 1
                        while j < key.count && folded[i + j] == key[j] && !taken[i + j] { j += 1 }
                        if j == key.count {
                            for t in i..<(i + j) { taken[t] = true }
                            ranges.append(i..<(i + j))
                            i += j
                            continue
                        }
                    }
                    i += 1
                }
            }
            return ranges.sorted { $0.lowerBound < $1.lowerBound }
        }
        var rng = SplitMix64(seed: 11)
        let alphabet = Array("支出命令入力ＡaBb市の予算")
        for round in 0..<300 {
            let text = String((0..<Int(rng.next() % 60)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            let keywords = (0..<Int(1 + rng.next() % 5)).map { _ in
                String((0..<Int(1 + rng.next() % 3)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            }
            let folded = text.unicodeScalars.map { SnippetBuilder.fold($0.value) }
            #expect(SnippetBuilder.matchRanges(folded: folded, keywords: keywords) == reference(folded, keywords), "round \(round)")
        }
    }

    @Test func denseAndSparseBlocksDecodeAlike() {
        var rng = SplitMix64(seed: 7)
        for density in [1, 3, 100, 400] {
            // Gaps below 128 and tfs below 128 take the one-byte path; larger ones the checked loop.
            var ordinal: UInt32 = 0
            var list: [(ordinal: UInt32, tf: UInt32)] = []
            for _ in 0..<1000 {
                ordinal += 1 + UInt32(rng.next() % UInt64(density))
                list.append((ordinal, rng.next() % 50 == 0 ? 200 : 1 + UInt32(rng.next() % 4)))
            }
            let lengths = [UInt32](repeating: 10, count: Int(ordinal) + 1)
            let blob = PostingsCodec.encode(list) { lengths[Int($0)] }
            let cursor = BlockCursor(blob, weight: 1, base: 1, slope: 0, lengths: lengths)!
            var seen: [(UInt32, Float)] = []
            while cursor.doc != Int.max {
                let doc = cursor.doc
                seen.append((UInt32(doc), cursor.score(at: doc)))
                cursor.advance(to: doc + 1)
            }
            #expect(seen.map(\.0) == list.map(\.ordinal), "density \(density)")
            #expect(seen.map(\.1) == list.map { Float($0.tf) / (Float($0.tf) + 1) }, "density \(density)")
        }
    }

    @Test func decodedListsEqualTheCodecAndClampHugeTFs() throws {
        var rng = SplitMix64(seed: 11)
        for density in [1, 2, 50, 300, 70_000] {
            var ordinal: UInt32 = 0
            var list: [(ordinal: UInt32, tf: UInt32)] = []
            for i in 0..<700 {
                ordinal += 1 + UInt32(rng.next() % UInt64(density))
                list.append((ordinal, i == 5 ? 100_000 : 1 + UInt32(rng.next() % 300)))
            }
            let blob = PostingsCodec.encode(list)
            let decoded = try #require(PostingsList(blob))
            #expect(decoded.count == 700)
            var seen: [(Int, UInt32)] = []
            decoded.forEach { seen.append(($0, $1)) }
            #expect(seen.map(\.0) == PostingsCodec.decode(blob).map { Int($0.ordinal) }, "density \(density)")
            #expect(seen.map(\.1) == list.map { min($0.tf, 65_535) }, "density \(density)")
        }
    }

    @Test func queriesSharingAListDecodeItsBlocksOnceAndAllSeeThem() throws {
        // Threads walk one shared list at once, each from a different starting point, so blocks are first
        // decoded by whichever thread gets there: every thread must see every posting.
        var rng = SplitMix64(seed: 5)
        var ordinal: UInt32 = 0
        let list: [(ordinal: UInt32, tf: UInt32)] = (0..<5000).map { _ in
            ordinal += 1 + UInt32(rng.next() % 200)
            return (ordinal, 1 + UInt32(rng.next() % 9))
        }
        let shared = try #require(PostingsList(PostingsCodec.encode(list)))
        let top = Int(ordinal)
        let norms = [UInt8](repeating: 0, count: top + 1)
        let table = LengthNorm.table(base: 1, slope: 0)
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var byThread: [Int: [Int]] = [:]
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let cursor = BlockCursor(shared, weight: 1, norms: norms, denominators: table)
            var seen: [Int] = []
            var start = thread * top / 8
            cursor.advance(to: start)
            while cursor.doc != Int.max {
                seen.append(cursor.doc)
                start = cursor.doc + 1
                cursor.advance(to: start)
            }
            results.lock.withLock { results.byThread[thread] = seen }
        }
        for thread in 0..<8 {
            let from = UInt32(thread * top / 8)
            #expect(results.byThread[thread] == list.map(\.ordinal).filter { $0 >= from }.map { Int($0) }, "thread \(thread)")
        }
        #expect(shared.count == 5000)
    }

    @Test func aCorruptPayloadEndsTheListAfterItsValidPrefix() throws {
        let list = (0..<300).map { (ordinal: UInt32($0 * 2), tf: UInt32(1)) }
        var blob = PostingsCodec.encode(list)
        // The last payload bytes become varint continuations that run past the block: the third block
        // (postings 256..<300) is corrupt from there on, the first two blocks are intact.
        for i in (blob.count - 6)..<blob.count { blob[i] = 0xFF }
        let decoded = try #require(PostingsList(blob))
        #expect(decoded.count >= 256 && decoded.count < 300)
        let lengths = [UInt32](repeating: 1, count: 600)
        let cursor = try #require(BlockCursor(blob, weight: 1, base: 1, slope: 0, lengths: lengths))
        var visited = 0
        var previous = -1
        while cursor.doc != Int.max {
            #expect(cursor.doc > previous)
            previous = cursor.doc
            visited += 1
            cursor.advance(to: cursor.doc + 1)
        }
        #expect(visited == decoded.count)
        let fresh = try #require(BlockCursor(blob, weight: 1, base: 1, slope: 0, lengths: lengths))
        #expect(fresh.score(at: 100) > 0)
        #expect(fresh.score(at: 101) == 0)
    }

    @Test func aWindowEndingInsideACutShortBlockStopsAtItsLastValidPosting() throws {
        // The third block's header says its last ordinal is 598, but its payload breaks after a valid prefix:
        // a window ending between that prefix's last posting and 598 must take that posting and nothing more
        // (in particular nothing read past the decoded postings).
        let list = (0..<300).map { (ordinal: UInt32($0 * 2), tf: UInt32(1)) }
        var blob = PostingsCodec.encode(list)
        for i in (blob.count - 6)..<blob.count { blob[i] = 0xFF }
        let decoded = try #require(PostingsList(blob))
        var ordinals: [Int] = []
        decoded.forEach { ordinal, _ in ordinals.append(ordinal) }
        let lastValid = try #require(ordinals.last)
        #expect(lastValid >= 512 && lastValid < 596)
        let lengths = [UInt32](repeating: 1, count: 600)
        let cursor = try #require(BlockCursor(blob, weight: 1, base: 1, slope: 0, lengths: lengths))
        let scratch = ScoringScratch()
        scratch.begin(count: 2048, required: false)
        cursor.accumulate(start: lastValid, end: lastValid + 2, window: scratch)
        #expect(scratch.acc[0] > 0)
        #expect(scratch.acc[1] == 0)
        #expect(cursor.doc == Int.max)
    }

    @Test func probesFindPostingsInsideBlocksAndBoundsFollowTheLengthTable() throws {
        // Every third ordinal: probes at, between and past postings, jumping within and across blocks.
        let list = (0..<1000).map { (ordinal: UInt32($0 * 3), tf: UInt32($0 % 5 + 1)) }
        let lengths = (0..<3000).map { UInt32($0 % 40) }
        let blob = PostingsCodec.encode(list) { lengths[Int($0)] }
        let cursor = try #require(BlockCursor(blob, weight: 2, base: 0.3, slope: 0.02, lengths: lengths))
        let table = LengthNorm.table(base: 0.3, slope: 0.02)
        for target in [0, 1, 2, 3, 300, 301, 383, 384, 385, 1500, 2997] {
            let expected: Float = target % 3 == 0 ? {
                let f = Float(target / 3 % 5 + 1)
                return 2 * f / (f + table[Int(LengthNorm.encode(lengths[target]))])
            }() : 0
            #expect(cursor.score(at: target) == expected, "ordinal \(target)")
        }
        // Bounds are memoised per length table: another table gives other bounds, the first its own again.
        let parsed = try #require(PostingsList(blob))
        let other = LengthNorm.table(base: 1.5, slope: 0.5)
        let first = parsed.blockParts(table, documents: 3000)
        #expect(parsed.blockParts(other, documents: 3000) != first)
        #expect(parsed.blockParts(table, documents: 3000) == first)
        #expect(first.blocks.count == 8 && first.blocks.allSatisfy { $0 > 0 && $0 < 1 })
        // Windows of 2,048 ordinals: blocks 0–5 (ordinals 0…2301) overlap window 0, blocks 5–7 window 1.
        #expect(first.windows.count == 2 && first.windowBlocks == [6, 3])
        #expect(first.windows[0] == first.blocks[0..<6].max() && first.windows[1] == first.blocks[5..<8].max())
    }

    @Test func snippetMarksMatchesAndEscapesHTML() {
        let s = SnippetBuilder.snippet(text: "前文です。<b>支出命令</b>は５日までに入力する。", keywords: ["支出命令", "入力"])
        #expect(s.contains("<mark>支出命令</mark>"))
        #expect(s.contains("&lt;b&gt;"))
        #expect(s.contains("<mark>入力</mark>"))
        #expect(!s.contains("<b>"))
    }
}

extension BlockCursor {
    /// A cursor over raw field lengths with BM25's length factor `base + slope·length`.
    convenience init?(_ blob: [UInt8], weight: Float, base: Float, slope: Float, lengths: [UInt32]) {
        self.init(
            blob, weight: weight, norms: lengths.map(LengthNorm.encode), denominators: LengthNorm.table(base: base, slope: slope))
    }
}

@Suite("Pruned scoring equals exhaustive scoring")
struct PruningTests {
    /// Random segments and queries: the pruned top k must equal a brute-force BM25 ranking, with deleted
    /// chunks, collection filters, exclusions and required (phrase) terms applied the same way.
    @Test func prunedTopKMatchesBruteForce() {
        var rng = SplitMix64(seed: 20261126)
        var prunedRounds = 0
        for round in 0..<60 {
            // Some rounds span many scoring windows; lengths and tfs are skewed like real text.
            let segmentCount = 1 + Int(rng.next() % 3)
            let perSegment = round % 4 == 0 ? 10_000 + Int(rng.next() % 20_000) : 200 + Int(rng.next() % 3000)
            let termCount = 2 + Int(rng.next() % 12)
            let fields: [TermField] = (0..<termCount).map { $0 % 2 == 0 ? .word : .gram }
            let densities = (0..<termCount).map { _ in [0.0005, 0.002, 0.01, 0.05, 0.3, 0.8][Int(rng.next() % 6)] }
            var terms = (0..<termCount).map { ScoringTerm(field: fields[$0], text: "t\($0)") }
            if round % 5 == 1 { terms[termCount - 1].excluded = true }
            if round % 7 == 2 { terms[0].required = true }
            var segments: [ScoringSegment] = []
            var lists: [[[(ordinal: UInt32, tf: UInt32)]]] = []
            var chunk: Int64 = 0
            for _ in 0..<segmentCount {
                var docs = SegmentDocTable()
                for _ in 0..<perSegment {
                    chunk += 1
                    let long = rng.next() % 10 == 0
                    docs.append(
                        chunkID: chunk, documentID: chunk / 3, collectionID: Int64(rng.next() % 4),
                        wordLength: long ? 200 + Int(rng.next() % 800) : 5 + Int(rng.next() % 120),
                        gramLength: long ? 400 + Int(rng.next() % 1600) : 10 + Int(rng.next() % 200))
                }
                var segmentLists: [[(ordinal: UInt32, tf: UInt32)]] = []
                for t in 0..<termCount {
                    var list: [(ordinal: UInt32, tf: UInt32)] = []
                    for i in 0..<perSegment where Double(rng.next() % 100_000) / 100_000 < densities[t] {
                        let tf = rng.next() % 20 == 0 ? 5 + UInt32(rng.next() % 30) : 1 + UInt32(rng.next() % 3)
                        list.append((UInt32(i), tf))
                    }
                    segmentLists.append(list)
                }
                let deleted: [Bool]? = round % 3 == 1 ? (0..<perSegment).map { _ in rng.next() % 10 == 0 } : nil
                let blobs = segmentLists.enumerated().map { t, list -> [UInt8]? in
                    list.isEmpty ? nil : PostingsCodec.encode(list) {
                        fields[t] == .word ? docs.wordLengths[Int($0)] : docs.gramLengths[Int($0)]
                    }
                }
                segments.append(ScoringSegment(docs: docs, deleted: deleted, blobs: blobs))
                lists.append(segmentLists)
            }
            let n = segmentCount * perSegment
            for t in 0..<termCount { terms[t].df = lists.reduce(0) { $0 + $1[t].count } }
            let totalWords = segments.reduce(0) { $0 + $1.docs.totalWordLength }
            let totalGrams = segments.reduce(0) { $0 + $1.docs.totalGramLength }
            let stats = CorpusStats(
                documentCount: n, averageWordLength: Float(totalWords) / Float(n), averageGramLength: Float(totalGrams) / Float(n))
            let params = Bm25Parameters()
            let k = 1 + Int(rng.next() % 20)
            let allowed: Set<Int64>? = round % 3 == 0 ? [1, 2] : nil
            let result = Bm25Scorer.topK(
                terms: terms, segments: segments, stats: stats, parameters: params, allowedCollections: allowed, k: k)

            // Brute force over every document of every segment.
            var expected: [(chunk: Int64, score: Float)] = []
            for (s, segment) in segments.enumerated() {
                var score = [Float](repeating: 0, count: perSegment)
                var matched = [Bool](repeating: false, count: perSegment)
                var excluded = [Bool](repeating: false, count: perSegment)
                var requiredHits = [Int](repeating: 0, count: perSegment)
                for (t, list) in lists[s].enumerated() {
                    let field = terms[t].field
                    let idf = Bm25Parameters.idf(documentCount: n, df: terms[t].df)
                    let avg = field == .word ? stats.averageWordLength : stats.averageGramLength
                    for p in list {
                        let o = Int(p.ordinal)
                        if terms[t].excluded {
                            excluded[o] = true
                            continue
                        }
                        // Scoring reads one-byte norms: the brute force uses the same decoded lengths.
                        let raw = field == .word ? segment.docs.wordLengths[o] : segment.docs.gramLengths[o]
                        let len = Float(LengthNorm.decode(LengthNorm.encode(raw)))
                        let f = Float(p.tf), k1 = params.k1(field), b = params.b(field)
                        score[o] += idf * params.weight(field) * f * (k1 + 1) / (f + k1 * (1 - b + b * len / avg))
                        matched[o] = true
                        if terms[t].required { requiredHits[o] += 1 }
                    }
                }
                let requiredCount = terms.filter(\.required).count
                for o in 0..<perSegment where matched[o] && !excluded[o] && requiredHits[o] >= requiredCount {
                    if segment.deleted?[o] == true { continue }
                    if let allowed, !allowed.contains(segment.docs.collectionIDs[o]) { continue }
                    expected.append((segment.docs.chunkIDs[o], score[o]))
                }
            }
            let byChunk = Dictionary(uniqueKeysWithValues: expected.map { ($0.chunk, $0.score) })
            expected.sort { $0.score != $1.score ? $0.score > $1.score : $0.chunk < $1.chunk }
            let top = expected.prefix(k)
            #expect(result.hits.count == top.count, "round \(round)")
            #expect(result.totalMatches <= expected.count, "round \(round): count")
            if result.exact {
                #expect(result.totalMatches == expected.count, "round \(round): exact count")
            } else {
                prunedRounds += 1
            }
            for (hit, want) in zip(result.hits, top) {
                #expect(abs(hit.score - want.score) < 1e-3 * max(1, want.score), "round \(round): score")
                // Ties may order differently only when scores are equal within float error.
                if hit.chunkID != want.chunk {
                    #expect(abs((byChunk[hit.chunkID] ?? -1) - want.score) < 1e-3 * max(1, want.score), "round \(round): rank")
                }
            }
        }
        // The rounds must actually exercise pruning, or the comparison proves nothing about it.
        #expect(prunedRounds >= 20, "pruned rounds: \(prunedRounds)")
    }

    /// Each posting's contribution, read from the length table for tf up to `NormTable.maxTableTF` and computed
    /// beyond it, is BM25's `w·tf / (tf + k1·(1 − b + b·length/avg))` for the posting's (one-byte) length, and never
    /// above the bound of its block.
    @Test func contributionsMatchBM25ForEveryTFInAndBeyondTheTable() {
        let list = (0..<600).map { (ordinal: UInt32($0 * 2), tf: UInt32($0 % 40 + 1)) }
        let lengths = (0..<1200).map { UInt32(1 + ($0 * 37) % 900) }
        let blob = PostingsCodec.encode(list) { lengths[Int($0)] }
        let cursor = BlockCursor(blob, weight: 3.5, base: 0.3, slope: 0.004, lengths: lengths)!
        var beyondTable = 0
        for (ordinal, tf) in list {
            let length = Float(LengthNorm.decode(LengthNorm.encode(lengths[Int(ordinal)])))
            let f = Float(tf)
            let want = 3.5 * f / (f + 0.3 + 0.004 * length)
            let bound = cursor.bound(at: Int(ordinal))
            let got = cursor.score(at: Int(ordinal))
            #expect(abs(got - want) <= 1e-6 * want, "tf \(tf)")
            #expect(got <= bound, "tf \(tf)")
            if Int(tf) > NormTable.maxTableTF { beyondTable += 1 }
        }
        #expect(beyondTable > 100)
    }

    @Test func cursorAdvancesAcrossBlocksAndBoundsWindows() {
        let list = (0..<1000).map { (ordinal: UInt32($0 * 3), tf: UInt32($0 % 7 + 1)) }
        let lengths = [UInt32](repeating: 10, count: 3000)
        let blob = PostingsCodec.encode(list) { lengths[Int($0)] }
        let cursor = BlockCursor(blob, weight: 2, base: 0.5, slope: 0.05, lengths: lengths)!
        func exact(_ tf: UInt32) -> Float { 2 * Float(tf) / (Float(tf) + 0.5 + 0.05 * 10) }
        #expect(cursor.doc == 0)
        #expect(cursor.score(at: 0) == exact(1))
        #expect(cursor.score(at: 1) == 0)
        #expect(cursor.doc == 3)
        #expect(cursor.score(at: 1500) == exact(UInt32(500 % 7 + 1)))
        #expect(cursor.score(at: 1501) == 0)
        // Within one block the bound is the block's best score: tf 7 occurs in every block.
        #expect(abs(cursor.window(before: 1600).bound - exact(7)) < 1e-4)
        // From ordinal 1503 (block 3: ordinals 1152…1533) to 1600 the postings lie in blocks 3 and 4: at most 256.
        #expect(cursor.window(before: 1600).postings == 2 * PostingsCodec.blockSize)
        #expect(cursor.score(at: 2997) == exact(UInt32(999 % 7 + 1)))
        #expect(cursor.score(at: 5000) == 0)
        #expect(cursor.doc == Int.max)
        #expect(cursor.window(before: 10_000).bound == 0)
        let header = blob.withUnsafeBufferPointer { PostingsCodec.header($0) }
        #expect(header?.count == 1000)
        #expect(header?.maxTF == 7)
    }

    @Test func memoisedWindowBoundsEqualAPassOverTheBlockHeaders() throws {
        // Random lists over random segment sizes: for every aligned window, a cursor moved to its start (as the
        // scorer's are) gives the same bound and block count from the memo as from a pass over its block
        // headers; one moved further into the window gets a bound at least that.
        var rng = SplitMix64(seed: 41)
        var compared = 0, memoised = 0, sparse = 0
        for round in 0..<40 {
            // Every third list sparse (a rare term in a larger segment): a few hundred postings at most.
            let sparseRound = round % 3 == 0
            let n = sparseRound ? 20_000 + Int(rng.next() % 60_000) : Int(rng.next() % 20_000) + 1
            let density = sparseRound ? Double(rng.next() % 10 + 1) / 2000 : Double(rng.next() % 100 + 1) / 400
            var list: [(ordinal: UInt32, tf: UInt32)] = []
            for ordinal in 0..<n where Double(rng.next() % 10_000) / 10_000 < density {
                list.append((UInt32(ordinal), UInt32(rng.next() % 6 + 1)))
            }
            if list.isEmpty { continue }
            let lengths = (0..<n).map { _ in UInt32(rng.next() % 300 + 1) }
            let blob = PostingsCodec.encode(list) { lengths[Int($0)] }
            let window = ScoringScratch.window
            // Lists with fewer blocks than an eighth of the windows keep no memo (their headers are read instead).
            let windowCount = (n + window - 1) / window
            let blocks = (list.count + PostingsCodec.blockSize - 1) / PostingsCodec.blockSize
            let parts = try #require(PostingsList(blob)).blockParts(LengthNorm.table(base: 0.4, slope: 0.01), documents: n)
            #expect(parts.windows.count == (blocks * 8 >= windowCount ? windowCount : 0), "round \(round)")
            if parts.windows.isEmpty { sparse += 1 } else { memoised += 1 }
            for w in 0..<windowCount {
                let start = w * window, end = min(start + window, n)
                let cursor = try #require(BlockCursor(blob, weight: 1.5, base: 0.4, slope: 0.01, lengths: lengths))
                cursor.advance(to: start)
                let headers = cursor.window(before: end), memo = cursor.window(w, before: end)
                #expect(memo.bound == headers.bound && memo.postings == headers.postings, "round \(round) window \(w)")
                if headers.bound > 0 { compared += 1 }
                let inside = start + Int(rng.next() % UInt64(end - start))
                cursor.advance(to: inside)
                #expect(cursor.window(w, before: end).bound >= cursor.window(before: end).bound, "round \(round) window \(w)")
            }
        }
        #expect(compared > 100 && memoised > 5 && sparse > 5, "\(compared) \(memoised) \(sparse)")
    }

    @Test func blockBoundsAreExactWhereTheLooseBoundIsNot() {
        // One block: a long document with tf 5 and a short one with tf 1. The true best is the long one
        // (0.5·5/(5+…)) or the short one, never "tf 5 at the short length".
        let lengths: [UInt32] = [100, 2]
        let blob = PostingsCodec.encode([(0, 5), (1, 1)]) { lengths[Int($0)] }
        let (w, base, slope): (Float, Float, Float) = (1, 0.2, 0.05)
        let cursor = BlockCursor(blob, weight: w, base: base, slope: slope, lengths: lengths)!
        let long = w * 5 / (5 + base + slope * 100)
        let short = w * 1 / (1 + base + slope * 2)
        let loose = w * 5 / (5 + base + slope * 2)
        let bound = cursor.window(before: 2).bound
        #expect(abs(bound - max(long, short)) < 1e-4)
        #expect(bound < loose)
        var pairs: [(tf: UInt32, length: UInt32)] = [(1, 5), (3, 9), (3, 7), (2, 4), (1, 3)]
        #expect(PostingsCodec.frontier(&pairs).map { [$0.tf, $0.length] } == [[3, 7], [2, 4], [1, 3]])
    }

    @Test func legacyVersion2ListsStillRead() {
        // 0x02, count 2, maxTF 3, minLength 4; one block: last 7, 4 payload bytes, maxTF 3, minLength 4.
        let v2: [UInt8] = [2, 2, 3, 4, 7, 4, 3, 4, 2, 1, 4, 3]
        #expect(PostingsCodec.decode(v2).map { [$0.ordinal, $0.tf] } == [[2, 1], [7, 3]])
        let lengths = [UInt32](repeating: 4, count: 8)
        let cursor = BlockCursor(v2, weight: 1, base: 0, slope: 0, lengths: lengths)!
        #expect(cursor.doc == 2)
        #expect(cursor.score(at: 7) == 1)
    }

    @Test func corruptListsEndCleanly() throws {
        // Ordinals past the segment's documents end the list instead of reading out of bounds.
        let blob = PostingsCodec.encode([(0, 1), (5, 1), (50, 1)])
        let cursor = BlockCursor(blob, weight: 1, base: 1, slope: 0, lengths: [1, 1, 1, 1, 1, 1])!
        #expect(cursor.doc == 0)
        #expect(cursor.score(at: 5) > 0)
        #expect(cursor.score(at: 50) == 0)
        #expect(cursor.doc == Int.max)
        #expect(BlockCursor([3, 9], weight: 1, base: 1, slope: 0, lengths: []) == nil)
        // A payload reaching past its block header's last ordinal (50 where the header says 10) ends the list at
        // the header's word, whether the segment is larger (100 documents) or smaller (20) than the payload says:
        // cursors check blocks against the segment from the header alone.
        var lying = blob
        let first = try #require(lying.withUnsafeBufferPointer { PostingsCodec.header($0) }).start
        #expect(lying[first] == 50)
        lying[first] = 10
        for documents in [100, 20] {
            let cursor = BlockCursor(lying, weight: 1, base: 1, slope: 0, lengths: Array(repeating: 1, count: documents))!
            #expect(cursor.score(at: 5) > 0)
            #expect(cursor.score(at: 50) == 0)
            #expect(cursor.doc == Int.max)
        }
        var kept: [Int] = []
        PostingsList(lying)!.forEach { ordinal, _ in kept.append(ordinal) }
        #expect(kept == [0, 5])
        #expect(BlockCursor(Array(blob.dropLast(1)), weight: 1, base: 1, slope: 0, lengths: [1]) == nil)
    }
}
