/// A forward cursor over one postings list (`PostingsCodec`) for document-at-a-time scoring.
///
/// It reads every block header once (last ordinal, payload range, and the block's BM25 bound), then
/// decodes a block only when a posting in it is actually needed: jumping over ordinals (`advance(to:)`)
/// just moves between block headers, so a term that is only looked up for a few candidates decodes only
/// the blocks holding them.
final class BlockCursor {
    let weight: Float
    let required: Bool
    /// The term's field lengths as `LengthNorm` bytes, by ordinal.
    let norms: [UInt8]
    /// BM25's `k1·(1 − b + b·length/avg)` for each norm byte.
    let denominators: [Float]
    /// The whole contribution of a posting with tf 1 (most of them) for each norm byte: no division.
    let single: [Float]

    private let list: PostingsList
    /// Per block: last ordinal, payload byte range, and the most the block can add to a score.
    private struct Block {
        var last: Int
        var start: Int32
        var end: Int32
        var bound: Float
    }
    private var blocks: [Block] = []
    /// Blocks usable: all of them, unless a corrupt block ended the list early.
    private var blockCount = 0

    /// The block that holds the next posting at or after `floor` (`blockCount` when exhausted).
    private var block = 0
    /// No posting before this ordinal is of interest any more.
    private var floor = 0
    /// Which block the buffers hold (-1: none), how many postings, and the current one.
    private var decoded = -1
    private var count = 0
    private var position = 0
    /// True when `current` is the next posting at or after `floor`.
    private var settled = false
    private var current = Int.max
    private let ordinals = UnsafeMutablePointer<Int>.allocate(capacity: PostingsCodec.blockSize)
    private let tfs = UnsafeMutablePointer<UInt32>.allocate(capacity: PostingsCodec.blockSize)

    /// A cursor over a parsed list. `denominators` must have 256 entries.
    init(_ list: PostingsList, weight: Float, norms: [UInt8], denominators: [Float], required: Bool = false) {
        precondition(denominators.count == 256)
        self.list = list
        self.weight = weight
        self.norms = norms
        self.denominators = denominators
        single = denominators.map { weight / (1 + $0) }
        self.required = required
        // Bounds are inflated by a few ulps so float rounding can never prune a document that ties.
        let scale = weight * 1.000_01
        let impactTFs = list.impactTFs, impactNorms = list.impactNorms
        blocks = list.blocks.map { b in
            var best: Float = 0
            for i in Int(b.impactStart)..<Int(b.impactEnd) {
                let f = impactTFs[i]
                best = max(best, f / (f + denominators[Int(impactNorms[i])]))
            }
            return Block(last: b.last, start: b.start, end: b.end, bound: scale * best)
        }
        blockCount = blocks.count
    }

    /// Nil when the blob is not a valid postings list. `denominators` must have 256 entries.
    convenience init?(_ blob: [UInt8], weight: Float, norms: [UInt8], denominators: [Float], required: Bool = false) {
        guard let list = PostingsList(blob) else { return nil }
        self.init(list, weight: weight, norms: norms, denominators: denominators, required: required)
    }

    deinit {
        ordinals.deallocate()
        tfs.deallocate()
    }

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
        let tf = tfs[position]
        let norm = Int(norms[current])
        if tf == 1 { return single[norm] }
        let f = Float(tf)
        return weight * f / (f + denominators[norm])
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
    /// block there).
    func bound(before end: Int) -> Float {
        if docLowerBound >= end { return 0 }
        var result = blocks[block].bound
        var b = block + 1
        // Block b starts right after block b-1's last ordinal.
        while b < blockCount && blocks[b - 1].last + 1 < end {
            result = max(result, blocks[b].bound)
            b += 1
        }
        return result
    }

    /// The bound of the block that would hold `ordinal` (0 when the list has nothing there), moving the
    /// cursor to it without decoding. Ordinals must not decrease.
    func bound(at ordinal: Int) -> Float {
        advance(to: ordinal)
        return docLowerBound > ordinal ? 0 : blocks[block].bound
    }

    /// Adds this term's contribution for every posting before `end` to the window's accumulators
    /// (indexed by ordinal − `start`). A document seen for the first time in this window is stamped,
    /// recorded in `touched`, and starts at 0, or at −∞ when `visible` refuses it.
    func accumulate(start: Int, end: Int, window: ScoringScratch, touched: inout [Int32], visible: (Int) -> Bool) {
        let epoch = window.epoch
        let stamp = window.stamp, acc = window.acc, hits = window.requiredHits
        let w = weight, required = required
        let (norms, denominators, single) = (self.norms, self.denominators, self.single)
        while doc < end {
            var i = position
            let n = count
            while i < n {
                let ord = ordinals[i]
                if ord >= end { break }
                let local = ord &- start
                if stamp[local] != epoch {
                    stamp[local] = epoch
                    hits[local] = 0
                    acc[local] = visible(ord) ? 0 : -Float.infinity
                    touched.append(Int32(truncatingIfNeeded: local))
                }
                let tf = tfs[i]
                let norm = Int(norms[ord])
                if tf == 1 {
                    acc[local] += single[norm]
                } else {
                    let f = Float(tf)
                    acc[local] += w * f / (f + denominators[norm])
                }
                if required { hits[local] &+= 1 }
                i &+= 1
            }
            if i < n {
                position = i
                current = ordinals[i]
                floor = current
                return
            }
            // The block is used up: the next posting lies in a later block.
            block += 1
            settled = false
        }
    }

    /// Decodes as needed to find the first posting at or after `floor`.
    private func settle() -> Int {
        while block < blockCount {
            if decoded != block {
                decode(block)
                position = 0
            }
            while position < count && ordinals[position] < floor { position += 1 }
            if position < count {
                current = ordinals[position]
                settled = true
                return current
            }
            block += 1
        }
        current = Int.max
        settled = true
        return current
    }

    /// True when no byte of `p[start..<end]` has its high bit set (8 bytes at a time).
    @inline(__always) static func allSingleBytes(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let base = p.baseAddress else { return start == end }
        var i = start
        var acc: UInt64 = 0
        while i + 8 <= end {
            acc |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < end {
            acc |= UInt64(p[i])
            i += 1
        }
        return acc & 0x8080_8080_8080_8080 == 0
    }

    /// Decodes block `index` into the buffers. Ordinals past the segment's documents (corrupt input) end
    /// the list after the valid prefix.
    private func decode(_ index: Int) {
        var previous = index == 0 ? -1 : blocks[index - 1].last
        var n = 0
        let limit = norms.count
        var corrupt = false
        let ordinals = ordinals, tfs = tfs
        list.bytes.withUnsafeBufferPointer { p in
            var offset = Int(blocks[index].start)
            let end = Int(blocks[index].end)
            // Dense lists: every gap and tf is one byte (below 0x80), so pairs decode without branches.
            let size = end - offset
            if size & 1 == 0 && size <= 2 * PostingsCodec.blockSize && Self.allSingleBytes(p, offset, end) {
                let pairs = size / 2
                var at = offset
                var last = previous
                for i in 0..<pairs {
                    last += Int(p[at]) + 1
                    ordinals[i] = last
                    tfs[i] = UInt32(p[at + 1])
                    at += 2
                }
                if last < limit {
                    n = pairs
                    offset = end
                    return
                }
                // An ordinal past the segment: fall through to the checked loop, which ends the list.
            }
            while offset < end && n < PostingsCodec.blockSize {
                // VarInt.read is inlined with a one-byte fast path: gaps and tfs are almost always one byte.
                guard let g = VarInt.read(p, &offset), offset < end, let t = VarInt.read(p, &offset) else {
                    corrupt = true
                    break
                }
                let gap = Int(truncatingIfNeeded: g)
                let tf = UInt32(clamping: t)
                previous += gap + 1
                guard previous < limit, gap >= 0 else {
                    corrupt = true
                    break
                }
                ordinals[n] = previous
                tfs[n] = tf
                n += 1
            }
        }
        decoded = index
        count = n
        if corrupt { blockCount = index + 1 }
    }
}
