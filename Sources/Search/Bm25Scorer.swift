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

/// One segment prepared for a query: its doc table, which ordinals are deleted, the postings of each
/// query term (by term index; nil when the term does not occur in the segment or its list is corrupt).
public struct ScoringSegment {
    public var docs: SegmentDocTable
    public var deleted: [Bool]?
    public var postings: [PostingsList?]
    public init(docs: SegmentDocTable, deleted: [Bool]?, postings: [PostingsList?]) {
        self.docs = docs
        self.deleted = deleted
        self.postings = postings
    }

    /// From raw blobs (a corrupt blob counts as absent).
    public init(docs: SegmentDocTable, deleted: [Bool]?, blobs: [[UInt8]?]) {
        self.init(docs: docs, deleted: deleted, postings: blobs.map { $0.flatMap(PostingsList.init) })
    }
}

/// A ranked chunk.
public struct ScoredHit: Sendable, Equatable {
    public var chunkID: Int64
    public var documentID: Int64
    public var collectionID: Int64
    public var score: Float

    public init(chunkID: Int64, documentID: Int64, collectionID: Int64, score: Float) {
        self.chunkID = chunkID
        self.documentID = documentID
        self.collectionID = collectionID
        self.score = score
    }
}

/// Reusable per-thread buffers for scoring one window of ordinals, so a query does not allocate arrays per
/// window. Each window starts from zeroed accumulators (8 KB: a few hundred cycles, less than checking a stamp
/// on every posting), so accumulating is an unconditional add.
public final class ScoringScratch {
    /// Ordinals scored together: small enough for tight per-window bounds, large enough to amortise them.
    static let window = PostingsList.windowSize
    let acc = UnsafeMutablePointer<Float>.allocate(capacity: ScoringScratch.window)
    let requiredHits = UnsafeMutablePointer<UInt8>.allocate(capacity: ScoringScratch.window)
    /// One bit per ordinal of the window, set when an essential term has a posting there: the candidates, read
    /// back in ordinal order without sorting.
    static let words = window / 64
    let touched = UnsafeMutablePointer<UInt64>.allocate(capacity: ScoringScratch.words)
    /// The window's surviving candidates (offsets from its first ordinal), in ordinal order.
    let alive = UnsafeMutablePointer<Int32>.allocate(capacity: ScoringScratch.window)

    public init() {}

    deinit {
        acc.deallocate()
        requiredHits.deallocate()
        touched.deallocate()
        alive.deallocate()
    }

    /// Starts a window of `count` ordinals: accumulators, candidate bits and (when a query has required
    /// terms) required-hit counts zeroed.
    func begin(count: Int, required: Bool) {
        acc.update(repeating: 0, count: count)
        touched.update(repeating: 0, count: (count + 63) >> 6)
        if required { requiredHits.update(repeating: 0, count: count) }
    }
}

/// Document-at-a-time BM25 with block-max MaxScore pruning, over windows of ordinals.
///
/// Per window, each term's bound is the largest block bound it has there. Terms whose bounds together
/// cannot lift a document to the current k-th best score are "non-essential": only documents found through
/// the essential terms are scored, and the non-essential terms are added to them one term at a time (most
/// valuable first, each dropping the documents that can no longer make the top k). A window whose bounds sum below
/// the k-th best score is skipped without decoding. The ranking equals exhaustive BM25.
///
/// Filters (deleted chunks, collection or access restrictions, exclusions, required phrase terms) apply when a
/// window's candidates are listed, before any of them is ranked or counted, so a filtered-out chunk can never
/// take a top-k slot or leak into counts.
public enum Bm25Scorer {
    public struct Result: Sendable {
        public var hits: [ScoredHit]
        /// Number of chunks that matched and passed every filter (a lower bound when `exact` is false).
        public var totalMatches: Int
        /// False when pruning stopped counting matches early (the ranking itself is always exact).
        public var exact: Bool
    }

    public static func topK(
        terms: [ScoringTerm], segments: [ScoringSegment], stats: CorpusStats, parameters: Bm25Parameters,
        allowedCollections: Set<Int64>? = nil, hiddenDocuments: Set<Int64> = [], k: Int,
        scratch: ScoringScratch = ScoringScratch()
    ) -> Result {
        let requiredCount = terms.filter(\.required).count
        var heap = TopKHeap(capacity: max(k, 1))
        var total = 0
        var exact = true
        let idfs = terms.map { Bm25Parameters.idf(documentCount: stats.documentCount, df: $0.df) }
        // BM25's length factor k1·(1 − b + b·length/avg) for each norm byte, per field.
        func table(_ field: TermField) -> NormTable {
            let k1 = parameters.k1(field), b = parameters.b(field)
            let avg = max(field == .word ? stats.averageWordLength : stats.averageGramLength, 1)
            return NormTable.shared(base: k1 * (1 - b), slope: k1 * b / avg)
        }
        let wordTable = table(.word), gramTable = table(.gram)

        for segment in segments {
            let n = segment.docs.count
            if n == 0 { continue }
            var cursors: [BlockCursor] = []
            var exclusions: [BlockCursor] = []
            var missingRequired = false
            for (t, term) in terms.enumerated() {
                guard let list = segment.postings[t] else {
                    if term.required { missingRequired = true }
                    continue
                }
                let field = term.field
                let norms = field == .word ? segment.docs.wordNorms : segment.docs.gramNorms
                let table = field == .word ? wordTable : gramTable
                if term.excluded {
                    exclusions.append(BlockCursor(list, weight: 0, norms: norms, table: table))
                    continue
                }
                let w = idfs[t] * parameters.weight(field) * Float(term.queryFrequency) * (parameters.k1(field) + 1)
                cursors.append(BlockCursor(list, weight: w, norms: norms, table: table, required: term.required))
            }
            // A phrase term absent from the segment means no document here can hold the phrase.
            if missingRequired || cursors.isEmpty { continue }
            // The caller's collections as one flag per distinct collection of the segment; a segment
            // holding none of them is skipped, one holding only readable ones needs no check per posting.
            var allowed = segment.docs.collectionFlags(allowedCollections)
            if let flags = allowed {
                if !flags.contains(true) { continue }
                if !flags.contains(false) { allowed = nil }
            }
            var scan = SegmentScan(
                segment: segment, cursors: cursors, exclusions: exclusions, requiredCount: requiredCount,
                allowedSlots: allowed, hiddenDocuments: hiddenDocuments, scratch: scratch)
            scan.run(heap: &heap)
            total += scan.matches
            exact = exact && scan.exact
        }
        return Result(hits: heap.sortedDescending(), totalMatches: total, exact: exact)
    }
}

/// One segment's pass of `Bm25Scorer`.
struct SegmentScan {
    let segment: ScoringSegment
    let cursors: [BlockCursor]
    let exclusions: [BlockCursor]
    let requiredCount: Int
    /// Per distinct collection of the segment (`SegmentDocTable.collections`): readable (nil: all are).
    let allowedSlots: [Bool]?
    /// Documents narrowed below their collection's visibility that the caller may not read.
    let hiddenDocuments: Set<Int64>
    let scratch: ScoringScratch
    var matches = 0
    var exact = true

    mutating func run(heap: inout TopKHeap) {
        let n = segment.docs.count
        // Statics read once: each access to one is a call that checks its lazy initialisation.
        let windowSize = ScoringScratch.window
        let mergeRatio = Self.mergeRatio
        let acc = scratch.acc, hits = scratch.requiredHits
        let deleted = segment.deleted
        let slots = segment.docs.collectionSlots
        let documents = segment.docs.documentIDs
        let anyHidden = !hiddenDocuments.isEmpty
        // Per-window working arrays, rewritten every window: plain buffers (Swift arrays mutated in these loops
        // pay a uniqueness check and a bounds check per access).
        let termCount = cursors.count
        let windowBounds = UnsafeMutableBufferPointer<Float>.allocate(capacity: termCount)
        // At most how many postings each term has in the window (a non-essential term's cursor does not move
        // between the window's start and the choice between merging and looking up).
        let windowPostings = UnsafeMutableBufferPointer<Int>.allocate(capacity: termCount)
        let sortKeys = UnsafeMutableBufferPointer<Float>.allocate(capacity: termCount)
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: termCount)
        // prefix[j]: the sum of the bounds of order[0..<j], the terms with the smallest bounds.
        let prefix = UnsafeMutableBufferPointer<Float>.allocate(capacity: termCount + 1)
        // The cursors as unretained references (`cursors` keeps them alive for the whole scan) and their required
        // flags: a cursor loaded from the array was retained and released at every use, thousands of times a query.
        let refs = UnsafeMutableBufferPointer<Unmanaged<BlockCursor>>.allocate(capacity: termCount)
        let required = UnsafeMutableBufferPointer<Bool>.allocate(capacity: termCount)
        defer {
            windowBounds.deallocate()
            windowPostings.deallocate()
            sortKeys.deallocate()
            order.deallocate()
            prefix.deallocate()
            refs.deallocate()
            required.deallocate()
        }
        for (i, c) in cursors.enumerated() {
            (refs.baseAddress! + i).initialize(to: .passUnretained(c))
            (required.baseAddress! + i).initialize(to: c.required)
        }
        _ = windowBounds.initialize(from: repeatElement(0, count: termCount))
        _ = windowPostings.initialize(from: repeatElement(0, count: termCount))
        _ = sortKeys.initialize(from: repeatElement(0, count: termCount))
        _ = order.initialize(from: 0..<termCount)
        _ = prefix.initialize(from: repeatElement(0, count: termCount + 1))
        let filtered = deleted != nil || allowedSlots != nil || anyHidden
        func visible(_ ord: Int) -> Bool {
            !(deleted.map { ord < $0.count && $0[ord] } ?? false)
                && (allowedSlots.map { $0[Int(slots[ord])] } ?? true)
                && !(anyHidden && hiddenDocuments.contains(documents[ord]))
        }

        // Windows are aligned to multiples of their size, so each term's bound for one is a memoised array
        // element (`BlockCursor.window(_:before:)`); a stretch without postings is still skipped whole.
        let alignment = ~(windowSize - 1)
        // The window after the one ending at `end` (window `w`): the next one when any term has a block there
        // (from the memo, usually decided by the first term), else the first posting left, found by moving
        // every cursor. Cursors are otherwise moved lazily: each one to a window's start when it is read there.
        func following(_ end: Int, _ w: Int) -> Int {
            if end >= n { return end }
            for i in 0..<termCount where refs[i]._withUnsafeGuaranteedRef({ $0.hasBlocks(inWindow: w + 1) }) {
                return end
            }
            return nextStart(after: end, refs) & alignment
        }
        var start = cursors.reduce(Int.max) { min($0, $1.docLowerBound) } & alignment
        while start < n {
            let end = min(start + windowSize, n)
            let w = start / windowSize
            let threshold: Float = heap.isFull ? heap.minimumScore : 0
            var sum: Float = 0
            for i in 0..<termCount {
                let (bound, postings) = refs[i]._withUnsafeGuaranteedRef { $0.window(w, before: end) }
                windowBounds[i] = bound
                windowPostings[i] = postings
                sum += bound
            }
            if heap.isFull && sum < threshold {
                // Nothing in this window can enter the top k.
                exact = false
                start = following(end, w)
                continue
            }
            // Required terms are never left out of the scan: every hit must contain them. Insertion sort
            // from the previous window's order: bounds change little from one window to the next.
            for i in 0..<termCount { sortKeys[i] = required[i] ? .infinity : windowBounds[i] }
            for j in 1..<max(termCount, 1) {
                let item = order[j]
                let key = sortKeys[item]
                var k = j
                while k > 0 && sortKeys[order[k - 1]] > key {
                    order[k] = order[k - 1]
                    k -= 1
                }
                order[k] = item
            }
            var nonEssential = 0
            for (j, i) in order.enumerated() {
                prefix[j + 1] = prefix[j] + windowBounds[i]
                if heap.isFull && !required[i] && prefix[j + 1] < threshold { nonEssential = j + 1 }
            }
            if nonEssential > 0 { exact = false }

            // Essential terms: accumulate every posting in the window.
            scratch.begin(count: end - start, required: requiredCount > 0)
            for j in nonEssential..<termCount {
                refs[order[j]]._withUnsafeGuaranteedRef { $0.accumulate(start: start, end: end, window: scratch) }
            }

            // Candidates: touched, visible (deleted, unreadable and hidden documents are dropped here, before any
            // can be ranked or counted), holding every required term and no excluded one, and able to reach the
            // threshold with the non-essential terms' bounds.
            let alive = scratch.alive
            var count = 0
            var windowMatches = 0
            let touched = scratch.touched
            let hasExclusions = !exclusions.isEmpty
            let words = (end - start + 63) >> 6
            if !filtered && requiredCount == 0 && !hasExclusions {
                // Nothing to filter (the common case): every touched document matches.
                (count, windowMatches) = Self.listCandidates(
                    touched: touched, words: words, acc: acc, reach: nonEssential > 0 ? prefix[nonEssential] : nil,
                    threshold: threshold, into: alive)
            } else {
                for word in 0..<words {
                    var bits = touched[word]
                    candidates: while bits != 0 {
                        let local = word << 6 | bits.trailingZeroBitCount
                        bits &= bits &- 1
                        if filtered && !visible(start + local) { continue }
                        if requiredCount > 0 && Int(hits[local]) < requiredCount { continue }
                        if hasExclusions {
                            let ord = start + local
                            for x in exclusions {
                                x.advance(to: ord)
                                if x.doc == ord { continue candidates }
                            }
                        }
                        windowMatches += 1
                        if nonEssential > 0 && acc[local] + prefix[nonEssential] < threshold { continue }
                        alive[count] = Int32(local)
                        count += 1
                    }
                }
            }
            matches += windowMatches
            // Non-essential terms, most valuable first, one term at a time over the surviving candidates (in
            // ordinal order, so each list is read forward): a term with few postings in the window is merged,
            // one with many is looked up per candidate, after checking the bound of the block that would hold
            // it. After each term, candidates that can no longer reach the threshold are dropped.
            var j = nonEssential - 1
            while j >= 0 && count > 0 {
                let rest = prefix[j]
                refs[order[j]]._withUnsafeGuaranteedRef { cursor in
                    if windowPostings[order[j]] <= count * mergeRatio {
                        cursor.accumulateAll(start: start, end: end, window: scratch)
                        count = Self.keepReaching(alive, count: count, acc: acc, rest: rest, threshold: threshold)
                    } else {
                        var kept = 0
                        for c in 0..<count {
                            let local = Int(alive[c])
                            let ord = start + local
                            var score = acc[local]
                            let bound = cursor.bound(at: ord)
                            if bound > 0 {
                                if score + bound + rest < threshold { continue }
                                score += cursor.score(at: ord)
                                acc[local] = score
                            }
                            // Kept without a branch, as in `keepReaching`.
                            alive[kept] = Int32(truncatingIfNeeded: local)
                            let margin = (score + rest) - threshold
                            kept &+= Int(truncatingIfNeeded: 1 &- (margin.bitPattern &>> 31))
                        }
                        count = kept
                    }
                }
                j -= 1
            }
            // Below the current k-th score: no need to build the hit (a tie still goes in, for its chunk id).
            var least: Float = heap.isFull ? heap.minimumScore : -.infinity
            for c in 0..<count {
                let local = Int(alive[c])
                let score = acc[local]
                if score < least || (score <= 0 && requiredCount == 0) { continue }
                let ord = start + local
                heap.insert(
                    ScoredHit(
                        chunkID: segment.docs.chunkIDs[ord], documentID: segment.docs.documentIDs[ord],
                        collectionID: segment.docs.collectionIDs[ord], score: score))
                if heap.isFull { least = heap.minimumScore }
            }
            start = following(end, w)
        }
    }

    /// The touched documents of a window with nothing to filter, in ordinal order, kept when the non-essential
    /// terms' bounds (`reach`; nil: there are none) can lift them to the threshold: how many were kept and how many
    /// were touched. Each one's slot is written and kept only when it passes (no branch on a data-dependent
    /// outcome); a function of its own so the loop's pointers stay in registers.
    @inline(never)
    static func listCandidates(
        touched: UnsafeMutablePointer<UInt64>, words: Int, acc: UnsafeMutablePointer<Float>, reach: Float?, threshold: Float,
        into alive: UnsafeMutablePointer<Int32>
    ) -> (kept: Int, touched: Int) {
        var count = 0
        var matches = 0
        for word in 0..<words {
            var bits = touched[word]
            let base = word << 6
            if let reach {
                while bits != 0 {
                    let local = base | bits.trailingZeroBitCount
                    bits &= bits &- 1
                    alive[count] = Int32(truncatingIfNeeded: local)
                    count &+= acc[local] + reach < threshold ? 0 : 1
                    matches &+= 1
                }
            } else {
                while bits != 0 {
                    alive[count] = Int32(truncatingIfNeeded: base | bits.trailingZeroBitCount)
                    bits &= bits &- 1
                    count &+= 1
                }
                matches = count
            }
        }
        return (count, matches)
    }

    /// Drops the candidates (`alive[0..<count]`) whose score plus `rest` stays below the threshold, keeping the
    /// others in order: how many are left. A function of its own so the loop's pointers stay in registers.
    @inline(never)
    static func keepReaching(
        _ alive: UnsafeMutablePointer<Int32>, count: Int, acc: UnsafeMutablePointer<Float>, rest: Float, threshold: Float
    ) -> Int {
        var kept = 0
        for c in 0..<count {
            let local = alive[c]
            alive[kept] = local
            // Kept when the difference is not negative (its sign bit clear): a data-dependent branch here
            // mispredicts on about every other candidate. x − y is ±0 only when x == y, and then +0: ties stay.
            let margin = (acc[Int(local)] + rest) - threshold
            kept &+= Int(truncatingIfNeeded: 1 &- (margin.bitPattern &>> 31))
        }
        return kept
    }

    /// A non-essential term is merged into the window when it has at most this many postings there per
    /// surviving candidate (a sequential read costs a few ns a posting, a lookup tens to hundreds).
    static let mergeRatio = 64

    /// The next window starts at the first posting left at or after `end`, skipping empty stretches.
    private func nextStart(after end: Int, _ refs: UnsafeMutableBufferPointer<Unmanaged<BlockCursor>>) -> Int {
        var next = Int.max
        for i in 0..<refs.count {
            next = min(next, refs[i]._withUnsafeGuaranteedRef { c in
                c.advance(to: end)
                return c.docLowerBound
            })
        }
        return next
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
