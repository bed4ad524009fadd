import Foundation
import Synchronization

/// One term's postings in one segment: the blob with its block headers parsed once, and the postings
/// decoded into flat arrays block by block, the first time any query needs a block. Shared by every query
/// that names the term (the store caches lists by segment and term; segments never change once written).
///
/// Decoding once per cached list instead of once per query: the varint payload cost ~30 instructions a
/// posting to decode (blocks with a gap over 127 miss the one-byte fast path), which was a third of the
/// scoring time. Decoding stays lazy per block, so a long list probed for a few candidates decodes only the
/// blocks holding them (at a million chunks, lists of hundreds of thousands of postings are common).
public final class PostingsList: @unchecked Sendable {
    public let bytes: [UInt8]
    struct Block {
        /// The block's last ordinal, from its header.
        var last: Int
        var payloadStart: Int32
        var payloadEnd: Int32
        /// This block's impacts: `impactTFs[impactStart..<impactEnd]` with their length norm bytes.
        var impactStart: Int32
        var impactEnd: Int32
    }
    let blocks: [Block]
    let impactTFs: [Float]
    let impactNorms: [UInt8]
    /// Decoded postings: block b's are at `b·blockSize ..< b·blockSize + decodedCount(b)`, ascending
    /// ordinals with their term frequencies (clamped to 65,535: BM25 saturates long before). Memory for
    /// blocks never decoded is reserved but never touched.
    let ordinals: UnsafeMutablePointer<UInt32>
    let tfs: UnsafeMutablePointer<UInt16>
    /// Per block: −1 until decoded, then its posting count; −2 − count when the block is corrupt (the list
    /// ends after its valid prefix). Written under `lock` after the postings (release), read without it
    /// (acquire): a decoded block costs a reader one atomic load.
    private let state: UnsafeMutablePointer<Atomic<Int16>>
    private let lock = NSLock()

    /// The last `blockParts` result, by the length table it was computed for. Tables change only when the
    /// corpus's average lengths do (a write), so nearly every query finds its table here.
    private var memoTable: [Float] = []
    private var memoParts: Parts?

    /// Nil when the blob's header or block headers are not a valid postings list.
    public init?(_ blob: [UInt8]) {
        var blocks: [Block] = []
        var impactTFs: [Float] = []
        var impactNorms: [UInt8] = []
        let parsed: Bool = blob.withUnsafeBufferPointer { p in
            guard let header = PostingsCodec.header(p) else { return false }
            // Every block takes at least a few bytes, so a lying count cannot make us reserve more.
            blocks.reserveCapacity(min((header.count + PostingsCodec.blockSize - 1) / PostingsCodec.blockSize, p.count / 4))
            // Blobs are far below 2 GB (one term of one segment), so offsets fit 32 bits.
            guard p.count < Int(Int32.max) else { return false }
            var offset = header.start
            while offset < p.count {
                let first = Int32(impactTFs.count)
                guard
                    let block = PostingsCodec.readBlock(p, &offset, version: header.version, impact: { tf, norm in
                        impactTFs.append(Float(tf))
                        impactNorms.append(norm)
                    })
                else { return false }
                blocks.append(
                    Block(
                        last: block.last, payloadStart: Int32(block.payloadStart), payloadEnd: Int32(block.payloadEnd),
                        impactStart: first, impactEnd: Int32(impactTFs.count)))
            }
            return true
        }
        guard parsed else { return nil }
        bytes = blob
        self.blocks = blocks
        self.impactTFs = impactTFs
        self.impactNorms = impactNorms
        let capacity = max(blocks.count * PostingsCodec.blockSize, 1)
        ordinals = .allocate(capacity: capacity)
        tfs = .allocate(capacity: capacity)
        state = .allocate(capacity: max(blocks.count, 1))
        for b in 0..<max(blocks.count, 1) { (state + b).initialize(to: Atomic(-1)) }
    }

    deinit {
        ordinals.deallocate()
        tfs.deallocate()
        state.deinitialize(count: max(blocks.count, 1))
        state.deallocate()
    }

    /// Block `b`'s postings, decoded now if no query has needed them before: how many there are (at
    /// `b·blockSize` in `ordinals` and `tfs`) and whether the list ends with this block because it is corrupt.
    /// None of them lies beyond the block header's last ordinal.
    func decodedBlock(_ b: Int) -> (count: Int, endsList: Bool) {
        var s = Int(state[b].load(ordering: .acquiring))
        if s == -1 { s = decodeOnce(b) }
        return s >= 0 ? (s, false) : (-2 - s, true)
    }

    /// Decodes block `b` under the lock unless another query just did; its state.
    private func decodeOnce(_ b: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let s = Int(state[b].load(ordering: .acquiring))
        if s != -1 { return s }
        let previous = b == 0 ? -1 : blocks[b - 1].last
        let block = blocks[b]
        var (n, complete) = bytes.withUnsafeBufferPointer { p in
            Self.decodePayload(
                p, Int(block.payloadStart), Int(block.payloadEnd), previous: previous,
                into: ordinals + b * PostingsCodec.blockSize, tfs + b * PostingsCodec.blockSize)
        }
        // No posting beyond the header's last ordinal (corrupt input ends the list there), so a cursor can
        // check a block against the segment's size from the header it already read instead of loading the
        // block's last posting (a likely cache miss on every block a query enters).
        let base = ordinals + b * PostingsCodec.blockSize
        if n > 0 && Int(base[n - 1]) > block.last {
            while n > 0 && Int(base[n - 1]) > block.last { n -= 1 }
            complete = false
        }
        let decoded = complete ? n : -2 - n
        // Published after the postings are written, so a reader that sees the count sees them too.
        state[b].store(Int16(decoded), ordering: .releasing)
        return decoded
    }

    /// Decodes one block's (gap, tf) varint pairs into the buffers (room for a block): how many, and false
    /// when the payload is corrupt (a truncated varint, more than a block's postings, or an ordinal beyond
    /// 32 bits), after its valid prefix.
    static func decodePayload(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, previous: Int, into ordinals: UnsafeMutablePointer<UInt32>,
        _ tfs: UnsafeMutablePointer<UInt16>
    ) -> (Int, Bool) {
        var offset = start
        var previous = previous
        // Dense blocks: every gap and tf is one byte (below 0x80), so pairs decode without branches.
        let size = end - start
        if size & 1 == 0 && size <= 2 * PostingsCodec.blockSize && allSingleBytes(p, start, end) {
            var last = previous
            for i in 0..<(size / 2) {
                last += Int(p[offset]) + 1
                ordinals[i] = UInt32(truncatingIfNeeded: last)
                tfs[i] = UInt16(p[offset + 1])
                offset += 2
            }
            if last <= Int(UInt32.max) { return (size / 2, true) }
            offset = start
        }
        var n = 0
        while offset < end {
            guard n < PostingsCodec.blockSize, let g = VarInt.read(p, &offset), offset < end, let t = VarInt.read(p, &offset),
                offset <= end, g < UInt64(UInt32.max)
            else { return (n, false) }
            let next = previous + Int(g) + 1
            guard next <= Int(UInt32.max) else { return (n, false) }
            previous = next
            ordinals[n] = UInt32(next)
            tfs[n] = UInt16(clamping: t)
            n += 1
        }
        return (n, true)
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

    /// A list's score bounds for one length table, before the term's weight.
    struct Parts: Equatable {
        /// Per block, the largest `tf / (tf + denominators[norm])` over its impacts: the block's bound.
        var blocks: [Float]
        /// Per aligned window of `windowSize` ordinals (window w: `w·windowSize ..< (w+1)·windowSize`), the
        /// largest bound of the blocks whose ordinal range overlaps it (a block's range runs from the ordinal
        /// after the previous block's last, 0 for the first, to its own last), and how many blocks those are.
        /// Empty for a list with fewer blocks than an eighth of the segment's windows.
        var windows: [Float]
        var windowBlocks: [Int32]
    }

    /// The scorer's window of ordinals (`ScoringScratch.window`): `Parts.windows` are aligned to it.
    static let windowSize = 2048

    /// The list's bounds for a length table. Computed once per table, not once per query: a query reads a
    /// term's bound for a window as one array element instead of a pass over the window's block headers.
    /// `documents` is the segment's document count (ordinals beyond it are corrupt input and get no window).
    func blockParts(_ denominators: [Float], documents: Int) -> Parts {
        lock.lock()
        defer { lock.unlock() }
        // The same shared table (`NormTable.shared`) is the same array buffer: no need to compare its values.
        let same = memoTable.count == denominators.count
            && memoTable.withUnsafeBytes { a in
                denominators.withUnsafeBytes { b in
                    a.baseAddress == b.baseAddress || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
                }
            }
        if same, let memo = memoParts { return memo }
        var parts = [Float](repeating: 0, count: blocks.count)
        for (b, block) in blocks.enumerated() {
            var best: Float = 0
            for i in Int(block.impactStart)..<Int(block.impactEnd) {
                let f = impactTFs[i]
                best = max(best, f / (f + denominators[Int(impactNorms[i])]))
            }
            parts[b] = best
        }
        let size = Self.windowSize
        // Only for a list with at least one block per eight windows (the memo then stays under 8 % of the
        // list's decoded postings): for a sparse list (a rare term in a large segment) it could outweigh the
        // postings, and a pass over its few headers costs little.
        let segmentWindows = (max(documents, 0) + size - 1) / size
        let windowCount = blocks.count * 8 >= segmentWindows ? segmentWindows : 0
        var windows = [Float](repeating: 0, count: windowCount)
        var windowBlocks = [Int32](repeating: 0, count: windowCount)
        var first = 0
        for (b, block) in blocks.enumerated() where windowCount > 0 {
            // Clamped: a corrupt list's block may end beyond the segment or before the previous one.
            let low = first / size, high = min(block.last / size, windowCount - 1)
            if low <= high {
                for w in low...high {
                    windows[w] = max(windows[w], parts[b])
                    windowBlocks[w] += 1
                }
            }
            first = max(first, block.last + 1)
        }
        let result = Parts(blocks: parts, windows: windows, windowBlocks: windowBlocks)
        memoTable = denominators
        memoParts = result
        return result
    }

    /// Calls `body(ordinal, tf)` for every posting, in order (up to a corrupt block's valid prefix).
    public func forEach(_ body: (Int, UInt32) -> Void) {
        for b in blocks.indices {
            let (n, ends) = decodedBlock(b)
            let base = b * PostingsCodec.blockSize
            for i in base..<(base + n) { body(Int(ordinals[i]), UInt32(tfs[i])) }
            if ends { return }
        }
    }

    /// Postings, as far as they decode cleanly (decodes every block).
    public var count: Int {
        var total = 0
        for b in blocks.indices {
            let (n, ends) = decodedBlock(b)
            total += n
            if ends { break }
        }
        return total
    }

    /// Approximate memory held once decoded, for cache budgets: the blob and 6 bytes a posting.
    public var byteCount: Int { bytes.count + blocks.count * (PostingsCodec.blockSize * 6 + 40) + impactTFs.count * 5 + 128 }
}
