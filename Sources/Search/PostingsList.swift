import Foundation

/// One term's postings in one segment, decoded once: ordinals and term frequencies in flat arrays, with
/// every block's last ordinal, posting range and impacts. Immutable, so one list can serve every query
/// that names the term (the store caches them by segment and term; segments never change once written).
///
/// Decoding at parse time instead of per query: a cached list is read by many queries, and the varint
/// payload cost ~30 instructions a posting to decode (blocks with a gap over 127 miss the one-byte fast
/// path), which was a third of scoring. The decoded form takes 6 bytes a posting (the blob ~2–3).
public final class PostingsList: @unchecked Sendable {
    struct Block {
        /// The block's last ordinal (as decoded, not as its header claims).
        var last: Int
        /// The block's postings: `ordinals[start..<end]`.
        var start: Int32
        var end: Int32
        /// This block's impacts: `impactTFs[impactStart..<impactEnd]` with their length norm bytes.
        var impactStart: Int32
        var impactEnd: Int32
    }
    let blocks: [Block]
    let impactTFs: [Float]
    let impactNorms: [UInt8]
    /// Ascending ordinals and their term frequencies (clamped to 65,535: BM25 saturates long before).
    let ordinals: UnsafeMutablePointer<UInt32>
    let tfs: UnsafeMutablePointer<UInt16>
    /// Postings decoded; a corrupt block ends the list after its valid prefix.
    public let count: Int

    /// The last `blockParts` result, by the length table it was computed for. Tables change only when the
    /// corpus's average lengths do (a write), so nearly every query finds its table here.
    private let memoLock = NSLock()
    private var memoTable: [Float] = []
    private var memoParts: [Float] = []

    /// Nil when the blob's header or block headers are not a valid postings list.
    public init?(_ blob: [UInt8]) {
        var blocks: [Block] = []
        var impactTFs: [Float] = []
        var impactNorms: [UInt8] = []
        var ordinals: [UInt32] = []
        var tfs: [UInt16] = []
        let parsed: Bool = blob.withUnsafeBufferPointer { p in
            guard let header = PostingsCodec.header(p) else { return false }
            blocks.reserveCapacity((header.count + PostingsCodec.blockSize - 1) / PostingsCodec.blockSize)
            // Every posting takes at least two bytes, so a lying count cannot make us reserve more.
            ordinals.reserveCapacity(min(header.count, p.count / 2))
            tfs.reserveCapacity(min(header.count, p.count / 2))
            // Blobs are far below 2 GB (one term of one segment), so offsets fit 32 bits.
            guard p.count < Int(Int32.max) else { return false }
            var offset = header.start
            var previous = -1
            while offset < p.count {
                let first = Int32(impactTFs.count)
                guard
                    let block = PostingsCodec.readBlock(p, &offset, version: header.version, impact: { tf, norm in
                        impactTFs.append(Float(tf))
                        impactNorms.append(norm)
                    })
                else { return false }
                let start = ordinals.count
                let complete = Self.decodePayload(p, block.payloadStart, block.payloadEnd, previous: &previous, &ordinals, &tfs)
                if ordinals.count > start {
                    blocks.append(
                        Block(
                            last: previous, start: Int32(start), end: Int32(ordinals.count), impactStart: first,
                            impactEnd: Int32(impactTFs.count)))
                }
                // A corrupt payload ends the list after what decoded cleanly, as a reader stopping there would.
                if !complete { break }
            }
            return true
        }
        guard parsed else { return nil }
        self.blocks = blocks
        self.impactTFs = impactTFs
        self.impactNorms = impactNorms
        count = ordinals.count
        self.ordinals = .allocate(capacity: max(count, 1))
        self.tfs = .allocate(capacity: max(count, 1))
        ordinals.withUnsafeBufferPointer { self.ordinals.initialize(from: $0.baseAddress!, count: count) }
        tfs.withUnsafeBufferPointer { self.tfs.initialize(from: $0.baseAddress!, count: count) }
    }

    deinit {
        ordinals.deallocate()
        tfs.deallocate()
    }

    /// Decodes one block's (gap, tf) varint pairs, appending them. False when the payload is corrupt (a
    /// truncated varint, more than a block's postings, or an ordinal overflowing 32 bits).
    static func decodePayload(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, previous: inout Int, _ ordinals: inout [UInt32],
        _ tfs: inout [UInt16]
    ) -> Bool {
        var offset = start
        var n = 0
        // Dense blocks: every gap and tf is one byte (below 0x80), so pairs decode without branches.
        let size = end - start
        if size & 1 == 0 && size <= 2 * PostingsCodec.blockSize && allSingleBytes(p, start, end) {
            var last = previous
            for _ in 0..<(size / 2) {
                last += Int(p[offset]) + 1
                ordinals.append(UInt32(truncatingIfNeeded: last))
                tfs.append(UInt16(p[offset + 1]))
                offset += 2
            }
            if last <= Int(UInt32.max) {
                previous = last
                return true
            }
            ordinals.removeLast(size / 2)
            tfs.removeLast(size / 2)
            offset = start
        }
        while offset < end {
            guard n < PostingsCodec.blockSize, let g = VarInt.read(p, &offset), offset < end, let t = VarInt.read(p, &offset), offset <= end,
                g < UInt64(UInt32.max)
            else { return false }
            let next = previous + Int(g) + 1
            guard next <= Int(UInt32.max) else { return false }
            previous = next
            ordinals.append(UInt32(next))
            tfs.append(UInt16(clamping: t))
            n += 1
        }
        return true
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

    /// Per block, the largest `tf / (tf + denominators[norm])` over its impacts: the block's BM25 bound
    /// before the term's weight. Computed once per length table, not once per query.
    func blockParts(_ denominators: [Float]) -> [Float] {
        memoLock.lock()
        defer { memoLock.unlock() }
        let same = memoTable.count == denominators.count
            && memoTable.withUnsafeBytes { a in denominators.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
        if same { return memoParts }
        var parts = [Float](repeating: 0, count: blocks.count)
        for (b, block) in blocks.enumerated() {
            var best: Float = 0
            for i in Int(block.impactStart)..<Int(block.impactEnd) {
                let f = impactTFs[i]
                best = max(best, f / (f + denominators[Int(impactNorms[i])]))
            }
            parts[b] = best
        }
        memoTable = denominators
        memoParts = parts
        return parts
    }

    /// Calls `body(ordinal, tf)` for every posting, in order.
    @inline(__always) public func forEach(_ body: (Int, UInt32) -> Void) {
        for i in 0..<count { body(Int(ordinals[i]), UInt32(tfs[i])) }
    }

    /// Approximate memory held, for cache budgets.
    public var byteCount: Int { count * 6 + blocks.count * 24 + impactTFs.count * 5 + 96 }
}
