#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps term bytes to dense local ids without allocating per lookup: an open-addressing hash table over
/// a byte arena, with raw buffers so the hot path has no copy-on-write or exclusivity checks. The
/// indexing path interns every token through this instead of building Strings.
public final class TermInterner {
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    private var starts: [Int32] = []  // id → arena offset
    private var lengths: [Int32] = []
    private var fields: [UInt8] = []
    private var hashes: [UInt64] = []
    /// Hash slot → (high 32 bits of the term's hash) << 32 | (id + 1); 0 when empty. The tag rejects
    /// almost every non-matching slot without touching the term arrays (a cache miss each).
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotCount: Int
    private var mask: Int

    public init(capacity: Int = 1 << 14) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slotCount = size
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        arenaCapacity = max(capacity * 8, 1024)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    public var count: Int { starts.count }

    /// 64-bit multiplicative hash reading 8 bytes at a time (terms are mostly 6-byte kanji bigrams).
    @inline(__always) static func hash(_ field: UInt8, _ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(field) << 56) ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
        }
        return h
    }

    /// The id of (field, bytes), adding it when new.
    @inline(__always)
    public func intern(field: UInt8, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return intern(field: field, empty: ()) }
        let h = Self.hash(field, base, n)
        var slot = Int(truncatingIfNeeded: h) & mask
        let tag = h >> 32
        while true {
            let entry = slots[slot]
            if entry == 0 { return insert(field: field, base, n, hash: h, slot: slot) }
            if entry >> 32 == tag {
                let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if hashes[id] == h && Int(lengths[id]) == n && fields[id] == field
                    && memcmp(arena + Int(starts[id]), base, n) == 0
                {
                    return Int32(id)
                }
            }
            slot = (slot + 1) & mask
        }
    }

    private func intern(field: UInt8, empty: Void) -> Int32 {
        var byte: UInt8 = 0
        return withUnsafeMutablePointer(to: &byte) { intern(field: field, UnsafeBufferPointer(start: $0, count: 0)) }
    }

    private func insert(field: UInt8, _ base: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64, slot: Int) -> Int32 {
        if arenaCount + n > arenaCapacity {
            var capacity = arenaCapacity * 2
            while capacity < arenaCount + n { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = capacity
        }
        (arena + arenaCount).update(from: base, count: n)
        let id = Int32(starts.count)
        starts.append(Int32(arenaCount))
        lengths.append(Int32(n))
        fields.append(field)
        hashes.append(h)
        arenaCount += n
        slots[slot] = Self.entry(hash: h, id: Int(id))
        if starts.count * 2 >= slotCount { grow() }
        return id
    }

    private func grow() {
        let size = slotCount * 2
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        slotCount = size
        mask = size - 1
        for id in 0..<starts.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.entry(hash: hashes[id], id: id)
        }
    }

    @inline(__always) private static func entry(hash: UInt64, id: Int) -> UInt64 {
        (hash >> 32) << 32 | UInt64(id + 1)
    }

    /// The field of a local id.
    public func field(_ id: Int32) -> UInt8 { fields[Int(id)] }

    /// The term text of a local id (built once per distinct term, when it is stored).
    public func text(_ id: Int32) -> String {
        String(decoding: UnsafeBufferPointer(start: arena + Int(starts[Int(id)]), count: Int(lengths[Int(id)])), as: UTF8.self)
    }
}
