import JapaneseText

/// One query term as the scorer sees it.
public struct ScoringTerm: Sendable, Equatable {
    public var field: TermField
    public var text: String
    /// Occurrences in the query.
    public var queryFrequency: Int
    /// Collection-wide document frequency.
    public var df: Int
    /// Part of a quoted phrase: every hit must contain it.
    public var required: Bool
    /// From an exclusion: no hit may contain it; it adds nothing to scores.
    public var excluded: Bool

    public init(field: TermField, text: String, queryFrequency: Int = 1, df: Int = 0, required: Bool = false, excluded: Bool = false) {
        self.field = field
        self.text = text
        self.queryFrequency = queryFrequency
        self.df = df
        self.required = required
        self.excluded = excluded
    }
}

/// Collection statistics for BM25.
public struct CorpusStats: Sendable, Equatable {
    public var documentCount: Int
    public var averageWordLength: Float
    public var averageGramLength: Float
    public init(documentCount: Int, averageWordLength: Float, averageGramLength: Float) {
        self.documentCount = documentCount
        self.averageWordLength = averageWordLength
        self.averageGramLength = averageGramLength
    }
}

/// One segment prepared for a query: its doc table, which ordinals are deleted, the postings blob of
/// each query term (by term index; nil when the term does not occur in the segment).
public struct ScoringSegment {
    public var docs: SegmentDocTable
    public var deleted: [Bool]?
    public var postings: [[UInt8]?]
    public init(docs: SegmentDocTable, deleted: [Bool]?, postings: [[UInt8]?]) {
        self.docs = docs
        self.deleted = deleted
        self.postings = postings
    }
}

/// A ranked chunk.
public struct ScoredHit: Sendable, Equatable {
    public var chunkID: Int64
    public var documentID: Int64
    public var collectionID: Int64
    public var score: Float
}

/// Reusable per-thread buffers for scoring, so a query does not allocate and zero arrays the size of
/// the index. Epoch stamps mark which accumulators belong to the current segment pass.
public final class ScoringScratch {
    var capacity = 0
    var epoch: UInt32 = 0
    var stamp: UnsafeMutablePointer<UInt32> = .allocate(capacity: 1)
    var acc: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var requiredHits: UnsafeMutablePointer<UInt8> = .allocate(capacity: 1)
    var touched: [Int32] = []

    public init() {}

    deinit {
        stamp.deallocate()
        acc.deallocate()
        requiredHits.deallocate()
    }

    /// Starts a pass over a segment of `n` documents.
    func begin(_ n: Int) {
        if n > capacity {
            stamp.deallocate()
            acc.deallocate()
            requiredHits.deallocate()
            capacity = max(n, capacity * 2)
            stamp = .allocate(capacity: capacity)
            stamp.initialize(repeating: 0, count: capacity)
            acc = .allocate(capacity: capacity)
            requiredHits = .allocate(capacity: capacity)
            epoch = 0
        }
        epoch &+= 1
        if epoch == 0 {
            stamp.update(repeating: 0, count: capacity)
            epoch = 1
        }
        touched.removeAll(keepingCapacity: true)
    }
}

/// Term-at-a-time BM25 over segments with accumulators. Filters (deleted chunks, collection or access
/// restrictions, exclusions, required phrase terms) apply while accumulating, before any ranking, so a
/// filtered-out chunk can never take a top-k slot or leak into counts.
public enum Bm25Scorer {
    public struct Result: Sendable {
        public var hits: [ScoredHit]
        /// Number of chunks that matched and passed every filter (a lower bound when `exact` is false).
        public var totalMatches: Int
        /// False when pruning stopped counting matches early (the ranking itself is always exact).
        public var exact: Bool
    }

    struct PlannedTerm {
        var index: Int
        var w: Float
        var base: Float
        var slope: Float
        var bound: Float
        var required: Bool
        var field: TermField
    }

    /// The k-th largest accumulator among `ordinals` (0 when fewer than k): a safe lower bound of the
    /// final k-th best score.
    static func kthLargest(_ ordinals: ArraySlice<Int32>, acc: UnsafeMutablePointer<Float>, k: Int) -> Float {
        guard ordinals.count >= k, k > 0 else { return 0 }
        var heap = TopKHeap(capacity: k)
        for ord in ordinals {
            let score = acc[Int(ord)]
            if score > 0 { heap.insert(ScoredHit(chunkID: Int64(ord), documentID: 0, collectionID: 0, score: score)) }
        }
        return heap.isFull ? heap.minimumScore : 0
    }

    public static func topK(
        terms: [ScoringTerm], segments: [ScoringSegment], stats: CorpusStats, parameters: Bm25Parameters,
        allowedCollections: Set<Int64>? = nil, k: Int, scratch: ScoringScratch = ScoringScratch()
    ) -> Result {
        let requiredCount = terms.filter(\.required).count
        var heap = TopKHeap(capacity: max(k, 1))
        var total = 0
        var exact = true
        let idfs = terms.map { Bm25Parameters.idf(documentCount: stats.documentCount, df: $0.df) }
        let blockedScore = -Float.infinity

        for segment in segments {
            let n = segment.docs.count
            if n == 0 { continue }
            scratch.begin(n)
            let epoch = scratch.epoch
            let stamp = scratch.stamp, acc = scratch.acc, hits = scratch.requiredHits
            // Exclusions first: their documents are stamped with a score no addition can raise.
            for (t, term) in terms.enumerated() where term.excluded {
                guard let blob = segment.postings[t] else { continue }
                _ = blob.withUnsafeBufferPointer { p in
                    PostingsCodec.forEach(p) { ord, _ in
                        if ord < n {
                            stamp[ord] = epoch
                            acc[ord] = blockedScore
                        }
                    }
                }
            }
            let deleted = segment.deleted
            let collections = segment.docs.collectionIDs
            var touched = scratch.touched
            var maxAcc: Float = 0

            // Scoring terms ordered by the most they can add to any document (rarest first), with the
            // suffix sums of those bounds: once the k-th best score so far exceeds what the remaining terms
            // could add, no unseen document can reach the top k, and the remaining terms are only looked
            // up for the surviving candidates (skipping whole blocks). The ranking stays exact.
            var plan: [PlannedTerm] = []
            for (t, term) in terms.enumerated() where !term.excluded {
                guard let blob = segment.postings[t] else { continue }
                let field = term.field
                let k1 = parameters.k1(field)
                let b = parameters.b(field)
                let avg = max(field == .word ? stats.averageWordLength : stats.averageGramLength, 1)
                let w = idfs[t] * parameters.weight(field) * Float(term.queryFrequency) * (k1 + 1)
                let base = k1 * (1 - b)
                let slope = k1 * b / avg
                let header = blob.withUnsafeBufferPointer { PostingsCodec.header($0) }
                let maxTF = Float(header?.maxTF ?? 1)
                let bound = w * maxTF / (maxTF + base + slope * Float(header?.minLength ?? 0))
                plan.append(PlannedTerm(index: t, w: w, base: base, slope: slope, bound: bound, required: term.required, field: field))
            }
            plan.sort { $0.bound > $1.bound }
            var remaining = [Float](repeating: 0, count: plan.count + 1)
            for i in stride(from: plan.count - 1, through: 0, by: -1) { remaining[i] = remaining[i + 1] + plan[i].bound }
            let canPrune = requiredCount == 0
            var candidates: [Int32]? = nil
            var threshold: Float = heap.isFull ? heap.minimumScore : 0
            var lastCheck = Float.infinity

            for (i, term) in plan.enumerated() {
                let blob = segment.postings[term.index]!
                let lengths = term.field == .word ? segment.docs.wordLengths : segment.docs.gramLengths
                let w = term.w, base = term.base, slope = term.slope, required = term.required
                if canPrune && candidates == nil && i > 0 && remaining[i] < maxAcc && remaining[i] < lastCheck * 0.9
                    && touched.count >= k
                {
                    lastCheck = remaining[i]
                    threshold = max(threshold, kthLargest(touched.prefix(8192), acc: acc, k: k))
                    if threshold > remaining[i] {
                        candidates = touched.filter { acc[Int($0)] + remaining[i] >= threshold }.sorted()
                    }
                }
                if var current = candidates {
                    blob.withUnsafeBufferPointer { p in
                        lengths.withUnsafeBufferPointer { len in
                            guard var cursor = PostingsCodec.Cursor(p) else { return }
                            for ord32 in current {
                                let ord = Int(ord32)
                                let tf = cursor.seek(ord)
                                if tf > 0 {
                                    let f = Float(tf)
                                    acc[ord] += w * f / (f + base + slope * Float(len[ord]))
                                }
                            }
                        }
                    }
                    threshold = max(threshold, kthLargest(current[...], acc: acc, k: k))
                    let rest = remaining[i + 1]
                    current.removeAll { acc[Int($0)] + rest < threshold }
                    candidates = current
                    continue
                }
                blob.withUnsafeBufferPointer { p in
                    lengths.withUnsafeBufferPointer { len in
                        _ = PostingsCodec.forEach(p) { ord, tf in
                            guard ord < n else { return }
                            if stamp[ord] != epoch {
                                stamp[ord] = epoch
                                hits[ord] = 0
                                let visible = !(deleted.map { ord < $0.count && $0[ord] } ?? false)
                                    && (allowedCollections?.contains(collections[ord]) ?? true)
                                if visible {
                                    acc[ord] = 0
                                    touched.append(Int32(ord))
                                } else {
                                    acc[ord] = blockedScore
                                    return
                                }
                            }
                            let f = Float(tf)
                            let score = acc[ord] + w * f / (f + base + slope * Float(len[ord]))
                            acc[ord] = score
                            if score > maxAcc { maxAcc = score }
                            if required { hits[ord] &+= 1 }
                        }
                    }
                }
            }
            if let survivors = candidates {
                // Pruned: only survivors can enter the top k; the match count is a lower bound.
                exact = false
                total += touched.count
                for ord32 in survivors {
                    let ord = Int(ord32)
                    guard acc[ord] > 0 else { continue }
                    heap.insert(
                        ScoredHit(
                            chunkID: segment.docs.chunkIDs[ord], documentID: segment.docs.documentIDs[ord],
                            collectionID: segment.docs.collectionIDs[ord], score: acc[ord]))
                }
                scratch.touched = touched
                continue
            }
            for ord32 in touched {
                let ord = Int(ord32)
                let score = acc[ord]
                if score == blockedScore { continue }
                if requiredCount > 0 && Int(hits[ord]) < requiredCount { continue }
                if score <= 0 && requiredCount == 0 { continue }
                total += 1
                heap.insert(
                    ScoredHit(
                        chunkID: segment.docs.chunkIDs[ord], documentID: segment.docs.documentIDs[ord],
                        collectionID: segment.docs.collectionIDs[ord], score: score))
            }
            scratch.touched = touched
        }
        return Result(hits: heap.sortedDescending(), totalMatches: total, exact: exact)
    }
}

/// Bounded min-heap keeping the k best hits; ties broken by chunk id so rankings are deterministic.
struct TopKHeap {
    let capacity: Int
    private(set) var items: [ScoredHit] = []

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity)
    }

    @inline(__always) static func better(_ a: ScoredHit, _ b: ScoredHit) -> Bool {
        a.score != b.score ? a.score > b.score : a.chunkID < b.chunkID
    }

    mutating func insert(_ hit: ScoredHit) {
        if items.count < capacity {
            items.append(hit)
            siftUp(items.count - 1)
        } else if Self.better(hit, items[0]) {
            items[0] = hit
            siftDown(0)
        }
    }

    func sortedDescending() -> [ScoredHit] { items.sorted(by: Self.better) }

    var isFull: Bool { items.count >= capacity }
    /// The worst kept score (the root of the min-heap).
    var minimumScore: Float { items.first?.score ?? 0 }

    private mutating func siftUp(_ index: Int) {
        var i = index
        while i > 0 {
            let parent = (i - 1) / 2
            // Min-heap on "better": the worst hit sits at the root.
            if Self.better(items[parent], items[i]) {
                items.swapAt(parent, i)
                i = parent
            } else { return }
        }
    }

    private mutating func siftDown(_ index: Int) {
        var i = index
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < items.count && Self.better(items[worst], items[l]) { worst = l }
            if r < items.count && Self.better(items[worst], items[r]) { worst = r }
            if worst == i { return }
            items.swapAt(i, worst)
            i = worst
        }
    }
}
