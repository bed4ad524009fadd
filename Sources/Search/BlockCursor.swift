import Synchronization

/// A forward cursor over one decoded postings list (`PostingsList`) for document-at-a-time scoring.
///
/// It takes every block's BM25 bound from the list (memoised per length table) and reads postings from the
/// list's decoded arrays, asking the list to decode a block the first time any query needs it: jumping over
/// ordinals (`advance(to:)`) just moves between block headers, and finding a posting inside a block is a
/// gallop and a binary search, so a term that is only looked up for a few candidates touches only the
/// postings it needs.
/// BM25's length factor `k1·(1 − b + b·length/avg)` for each norm byte, and a posting's part `tf / (tf + factor)`
/// for each norm byte and tf up to `maxTableTF`, computed once per query and field and shared by its cursors (one
/// table per cursor was 35 allocations and ~9k divisions a query). The scoring loops read a posting's part from the
/// table instead of dividing (a division for every posting with tf > 1, and a branch on tf == 1 that mispredicts
/// on common words). Read without bounds checks: a norm byte is always < 256.
final class NormTable: @unchecked Sendable {  // immutable once built
    let denominators: [Float]
    /// Postings with at most this tf (nearly all) read their part from the table.
    static let maxTableTF = 8
    /// `tf / (tf + denominators[n])` at `(tf − 1)·256 + n` for tf 1...`maxTableTF`, then `denominators[n]` at
    /// `maxTableTF·256 + n`.
    let values: UnsafeMutablePointer<Float>

    init(_ denominators: [Float]) {
        precondition(denominators.count == 256)
        self.denominators = denominators
        values = .allocate(capacity: (Self.maxTableTF + 1) * 256)
        for (i, d) in denominators.enumerated() {
            for tf in 1...Self.maxTableTF {
                let f = Float(tf)
                values[(tf - 1) * 256 + i] = f / (f + d)
            }
            values[Self.maxTableTF * 256 + i] = d
        }
    }

    deinit { values.deallocate() }

    /// The table for BM25's `base + slope·length` factor, shared by the queries that need the same one: it
    /// changes only when a write moves the corpus's average lengths, and building it (256 lengths decoded, a
    /// division each) was ~12k instructions a query. Sharing the object also lets each postings list recognise
    /// its memoised bounds' table by identity (`PostingsList.blockParts`).
    static func shared(base: Float, slope: Float) -> NormTable {
        if let hit = recent.withLock({ $0.first { $0.base == base && $0.slope == slope }?.table }) { return hit }
        let table = NormTable(LengthNorm.table(base: base, slope: slope))
        recent.withLock { recent in
            recent.insert((base, slope, table), at: 0)
            if recent.count > 4 { recent.removeLast() }
        }
        return table
    }

    /// The last few tables built, newest first (a query needs two: words and bigrams).
    private static let recent = Mutex<[(base: Float, slope: Float, table: NormTable)]>([])
}

final class BlockCursor {
    let weight: Float
    let required: Bool
    /// The term's field lengths as `LengthNorm` bytes, by ordinal.
    let norms: [UInt8]
    /// The query's length table for the term's field, shared by its cursors (`NormTable`).
    private let table: NormTable
    /// The table's parts by tf and norm, and its denominators (`NormTable.values`).
    private let tfParts: UnsafePointer<Float>
    private let denominators: UnsafePointer<Float>

    private let list: PostingsList
    private let ordinals: UnsafeMutablePointer<UInt32>
    private let tfs: UnsafeMutablePointer<UInt16>
    /// The list's blocks (last ordinal, from the headers), shared, not copied, and each block's bound
    /// before the term's weight (`PostingsList.blockParts`).
    private let blocks: [PostingsList.Block]
    private let parts: [Float]
    /// Per aligned window of the scorer, the largest block bound there and how many blocks overlap it
    /// (`PostingsList.Parts`).
    private let windowParts: [Float]
    private let windowBlocks: [Int32]
    /// The weight applied to `parts`, inflated by a few ulps so float rounding can never prune a document
    /// that ties.
    private let scale: Float
    /// Blocks usable: all of them, unless corrupt input (a bad payload, ordinals past the segment's
    /// documents) ended the list.
    private var blockCount: Int
    private let limit: Int

    /// The block that holds the next posting at or after `floor` (`blockCount` when exhausted).
    private var block = 0
    /// No posting before this ordinal is of interest any more.
    private var floor = 0
    /// Which block's postings `loaded` holds (-1: none): their index range in the list's arrays.
    private var loadedBlock = -1
    private var loadedStart = 0
    private var loadedEnd = 0
    /// The current posting's index in the list's arrays (valid when `settled`).
    private var position = 0
    /// True when `current` is the next posting at or after `floor`.
    private var settled = false
    private var current = Int.max

    /// A cursor over a parsed list, with the query's length table for the term's field.
    init(_ list: PostingsList, weight: Float, norms: [UInt8], table: NormTable, required: Bool = false) {
        self.list = list
        ordinals = list.ordinals
        tfs = list.tfs
        self.weight = weight
        self.norms = norms
        self.table = table
        tfParts = UnsafePointer(table.values)
        denominators = UnsafePointer(table.values + NormTable.maxTableTF * 256)
        self.required = required
        scale = weight * 1.000_01
        let bounds = list.blockParts(table.denominators, documents: norms.count)
        parts = bounds.blocks
        windowParts = bounds.windows
        windowBlocks = bounds.windowBlocks
        blocks = list.blocks
        blockCount = blocks.count
        limit = norms.count
    }

    /// A cursor with a length table of its own. `denominators` must have 256 entries.
    convenience init(_ list: PostingsList, weight: Float, norms: [UInt8], denominators: [Float], required: Bool = false) {
        self.init(list, weight: weight, norms: norms, table: NormTable(denominators), required: required)
    }

    /// Makes `block`'s postings available (decoding them in the shared list if no query has yet). False
    /// when the block holds none, which for a corrupt list also ends it here.
    private func load() -> Bool {
        if loadedBlock == block { return loadedEnd > loadedStart }
        let (n, ends) = list.decodedBlock(block)
        let start = block * PostingsCodec.blockSize
        var end = start + n
        // Ordinals past the segment's documents (corrupt input) end the list after the valid prefix. No decoded
        // posting lies beyond its block header's last ordinal (`PostingsList.decodedBlock`).
        if n > 0 && blocks[block].last >= limit {
            var low = start
            while low < end {
                let mid = (low + end) >> 1
                if Int(ordinals[mid]) < limit { low = mid + 1 } else { end = mid }
            }
            blockCount = block + 1
        }
        if ends { blockCount = block + 1 }
        loadedBlock = block
        loadedStart = start
        loadedEnd = end
        return end > start
    }

    /// Nil when the blob is not a valid postings list. `denominators` must have 256 entries.
    convenience init?(_ blob: [UInt8], weight: Float, norms: [UInt8], denominators: [Float], required: Bool = false) {
        guard let list = PostingsList(blob) else { return nil }
        self.init(list, weight: weight, norms: norms, denominators: denominators, required: required)
    }

    @inline(__always) private func bound(ofBlock b: Int) -> Float { scale * parts[b] }

    /// Ordinal of the next posting at or after every target so far; `Int.max` once exhausted.
    var doc: Int { settled ? current : settle() }

    /// A lower bound of `doc` that never decodes.
    var docLowerBound: Int {
        if settled { return current }
        if block >= blockCount { return Int.max }
        return max(floor, block == 0 ? 0 : blocks[block - 1].last + 1)
    }

    /// BM25 contribution of the posting at `doc` (which must not be exhausted).
    @inline(__always) var score: Float {
        // `current` is below `limit`, the norms' count (`load` ends a list at the first ordinal beyond it).
        norms.withUnsafeBufferPointer { contribution(position, current, $0.baseAddress!) }
    }

    /// This term's contribution to document `ordinal` (0 when absent). Ordinals must not decrease.
    @inline(__always) func score(at ordinal: Int) -> Float {
        advance(to: ordinal)
        return doc == ordinal ? score : 0
    }

    /// Moves past every posting before `target` without decoding anything.
    func advance(to target: Int) {
        if target <= floor || (settled && current >= target) { return }
        floor = target
        settled = false
        guard block < blockCount, blocks[block].last < target else { return }
        // Gallop, then binary search, over block last ordinals.
        var low = block + 1
        var step = 1
        var high = low
        while high < blockCount && blocks[high].last < target {
            low = high + 1
            high += step
            step *= 2
        }
        high = min(high, blockCount)
        while low < high {
            let mid = (low + high) / 2
            if blocks[mid].last < target { low = mid + 1 } else { high = mid }
        }
        block = low
    }

    /// The most this term can add to any document with ordinal in `docLowerBound..<end` (0 when it has no
    /// block there), and at most how many postings of the list lie there (whole blocks), in one pass over the
    /// block headers.
    func window(before end: Int) -> (bound: Float, postings: Int) {
        if docLowerBound >= end { return (0, 0) }
        var result = bound(ofBlock: block)
        var b = block + 1
        // Block b starts right after block b-1's last ordinal.
        while b < blockCount && blocks[b - 1].last + 1 < end {
            result = max(result, bound(ofBlock: b))
            b += 1
        }
        return (result, (b - block) * PostingsCodec.blockSize)
    }

    /// `window(before:)` for the scorer's aligned window `w` (ordinals `w·ScoringScratch.window ..< end`), read
    /// from the list's memoised window bounds instead of the block headers, wherever the cursor is before `end`
    /// (the scorer moves cursors lazily). The same as `window(before: end)` for a cursor at the window's start;
    /// for one moved further in, the blocks it passed still count (a looser bound, never a lower one).
    @inline(__always) func window(_ w: Int, before end: Int) -> (bound: Float, postings: Int) {
        if windowParts.isEmpty {
            // A sparse list keeps no window memo (`PostingsList.Parts`): its few headers are read instead.
            advance(to: w * PostingsList.windowSize)
            return window(before: end)
        }
        if docLowerBound >= end || w >= windowParts.count { return (0, 0) }
        return windowParts.withUnsafeBufferPointer { parts in
            windowBlocks.withUnsafeBufferPointer { counts in
                (scale * parts[w], Int(counts[w]) * PostingsCodec.blockSize)
            }
        }
    }

    /// True when a block of the list overlaps the scorer's aligned window `w` (from the memo; the cursor may
    /// already be past them). False when the list keeps no memo: the scorer then looks for the next posting.
    @inline(__always) func hasBlocks(inWindow w: Int) -> Bool {
        w < windowBlocks.count && windowBlocks[w] > 0
    }

    /// The bound of the block that would hold `ordinal` (0 when the list has nothing there), moving the
    /// cursor to it without decoding. Ordinals must not decrease.
    func bound(at ordinal: Int) -> Float {
        advance(to: ordinal)
        return docLowerBound > ordinal ? 0 : bound(ofBlock: block)
    }

    /// Adds this term's contribution for every posting before `end` to the window's accumulators (indexed by
    /// ordinal − `start`, zeroed when the window began) and marks each document in the window's `touched` bits;
    /// a required term also counts its documents in `requiredHits`. Filters apply later, once per candidate.
    func accumulate(start: Int, end: Int, window: ScoringScratch) {
        let acc = window.acc, touched = window.touched
        // Two loops: the common one never touches the required-hit counts.
        if required {
            let hits = window.requiredHits
            forEachPosting(start: start, end: end) { local, contribution in
                acc[local] += contribution
                touched[local &>> 6] |= 1 &<< UInt64(local & 63)
                hits[local] &+= 1
            }
        } else {
            forEachPosting(start: start, end: end) { local, contribution in
                acc[local] += contribution
                touched[local &>> 6] |= 1 &<< UInt64(local & 63)
            }
        }
    }

    /// Adds this term's contribution for every posting before `end` to the window's accumulators, candidates
    /// or not: only the candidates' (listed before this merge) are read afterwards, and the next window starts
    /// from zeroed accumulators, so a check per posting would only cost.
    func accumulateAll(start: Int, end: Int, window: ScoringScratch) {
        let acc = window.acc
        forEachPosting(start: start, end: end) { local, contribution in acc[local] += contribution }
    }

    /// Calls `body(ordinal − start, contribution)` for every posting from `start` (a cursor left behind by
    /// earlier windows first moves there: the scorer advances cursors lazily) to before `end`, and leaves the
    /// cursor on the first posting at or after `end`. The loop keeps the list's arrays and the length table in
    /// locals and compares no posting with `end`: `run(before:)` finds where a block's run ends from its last
    /// ordinal or a binary search.
    @inline(__always) private func forEachPosting(start: Int, end: Int, _ body: (Int, Float) -> Void) {
        advance(to: start)
        let ordinals = ordinals, tfs = tfs, weight = weight, tfParts = tfParts, denominators = denominators
        norms.withUnsafeBufferPointer { buffer in
            let norms = buffer.baseAddress!
            while let (from, to) = run(before: end) {
                for i in from..<to {
                    let ord = Int(ordinals[i])
                    body(ord &- start, Self.contribution(tfs[i], norms[ord], weight, tfParts, denominators))
                }
            }
        }
    }

    /// The next run of postings before `end` within one block, as an index range into the list's arrays, and
    /// the cursor moved past it (to the first posting at or after `end`, or to the next block); nil when no
    /// posting before `end` is left. Every ordinal in the run is below the norms' count (see `score`).
    @inline(__always) private func run(before end: Int) -> (Int, Int)? {
        if doc >= end { return nil }
        let from = position
        let last = loadedEnd - 1
        // Decided from the block's header where it can be (its last decoded posting is the first touch of a cache
        // line far from `from`, often a miss): no decoded posting lies beyond the header's last ordinal.
        if blocks[block].last < end {
            // The block is used up: the next posting lies in a later block.
            block += 1
            settled = false
            return (from, last + 1)
        }
        // The first posting at or after `end` lies in this block: binary search for it.
        var low = from + 1, high = last
        while low < high {
            let mid = (low + high) >> 1
            if Int(ordinals[mid]) < end { low = mid + 1 } else { high = mid }
        }
        if low > last || Int(ordinals[low]) < end {
            // Only a block cut short by corrupt input ends before its header's last ordinal (`low` is past
            // `last` when its only posting left is the one at `from`: nothing beyond the block may be read).
            block += 1
            settled = false
            return (from, last + 1)
        }
        position = low
        current = Int(ordinals[low])
        floor = current
        return (from, low)
    }

    /// BM25 contribution of the posting at `index` (document `ordinal`).
    @inline(__always) private func contribution(_ index: Int, _ ordinal: Int, _ norms: UnsafePointer<UInt8>) -> Float {
        Self.contribution(tfs[index], norms[ordinal], weight, tfParts, denominators)
    }

    /// BM25 contribution of a posting with term frequency `tf` in a document with length norm `norm`, from
    /// values the scoring loops keep in registers: `weight · tf / (tf + denominator)`, the part read from the table.
    @inline(__always) private static func contribution(
        _ tf: UInt16, _ norm: UInt8, _ weight: Float, _ tfParts: UnsafePointer<Float>, _ denominators: UnsafePointer<Float>
    ) -> Float {
        // tf 1...maxTableTF (nearly every posting; a tf of 0, only from corrupt input, wraps above it): from the table.
        let row = UInt(tf) &- 1
        if row < UInt(NormTable.maxTableTF) { return weight * tfParts[Int(row) &<< 8 | Int(norm)] }
        let f = Float(tf)
        return weight * (f / (f + denominators[Int(norm)]))
    }

    /// Finds the first posting at or after `floor` in the block that holds it.
    private func settle() -> Int {
        while block < blockCount {
            if load() {
                var low = loadedStart
                if position > low && position < loadedEnd && Int(ordinals[position]) <= floor { low = position }
                // Gallop from the last position (probes for ascending candidates usually land a few postings
                // ahead), then binary search the last step.
                var step = 1
                while low + step < loadedEnd && Int(ordinals[low + step]) < floor {
                    low += step
                    step <<= 1
                }
                var high = min(low + step + 1, loadedEnd)
                while low < high {
                    let mid = (low + high) >> 1
                    if Int(ordinals[mid]) < floor { low = mid + 1 } else { high = mid }
                }
                if low < loadedEnd {
                    position = low
                    current = Int(ordinals[low])
                    settled = true
                    return current
                }
            }
            // Only a block cut short by corrupt input can lack a posting up to its header's last ordinal.
            block += 1
        }
        current = Int.max
        settled = true
        return current
    }
}
