/// One term's postings in one segment with its block headers parsed once: the last ordinal, payload
/// range and impacts of every block. Immutable, so one parsed list can serve every query that names the
/// term (the store caches them by segment and term; segments never change once written).
public final class PostingsList: @unchecked Sendable {
    public let bytes: [UInt8]
    struct Block {
        var last: Int
        var start: Int32
        var end: Int32
        /// This block's impacts: `impactTFs[impactStart..<impactEnd]` with their length norm bytes.
        var impactStart: Int32
        var impactEnd: Int32
    }
    let blocks: [Block]
    let impactTFs: [Float]
    let impactNorms: [UInt8]

    /// Nil when the blob is not a valid postings list.
    public init?(_ blob: [UInt8]) {
        var blocks: [Block] = []
        var tfs: [Float] = []
        var norms: [UInt8] = []
        let parsed: Bool = blob.withUnsafeBufferPointer { p in
            guard let header = PostingsCodec.header(p) else { return false }
            blocks.reserveCapacity((header.count + PostingsCodec.blockSize - 1) / PostingsCodec.blockSize)
            // Blobs are far below 2 GB (one term of one segment), so offsets fit 32 bits.
            guard p.count < Int(Int32.max) else { return false }
            var offset = header.start
            while offset < p.count {
                let first = Int32(tfs.count)
                guard
                    let block = PostingsCodec.readBlock(p, &offset, version: header.version, impact: { tf, norm in
                        tfs.append(Float(tf))
                        norms.append(norm)
                    })
                else { return false }
                blocks.append(
                    Block(
                        last: block.last, start: Int32(block.payloadStart), end: Int32(block.payloadEnd), impactStart: first,
                        impactEnd: Int32(tfs.count)))
            }
            return true
        }
        guard parsed else { return nil }
        bytes = blob
        self.blocks = blocks
        impactTFs = tfs
        impactNorms = norms
    }

    /// Approximate memory held, for cache budgets.
    public var byteCount: Int { bytes.count + blocks.count * 32 + impactTFs.count * 5 + 64 }
}
