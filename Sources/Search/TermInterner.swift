/// Maps term bytes to dense local ids without allocating per lookup: an open-addressing hash table
/// over a byte arena. The indexing path interns every token through this instead of building Strings.
public struct TermInterner {
    private var arena: [UInt8] = []
    private var starts: [Int32] = []  // id → arena offset
    private var lengths: [Int32] = []
    private var fields: [UInt8] = []
    private var slots: [Int32]  // hash slot → id + 1, 0 when empty
    private var mask: Int

    public init(capacity: Int = 1 << 14) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    public var count: Int { starts.count }

    @inline(__always) static func hash(_ field: UInt8, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(field)
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h ^ (h >> 29)
    }

    /// The id of (field, bytes), adding it when new.
    public mutating func intern(field: UInt8, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if starts.count * 2 >= slots.count { grow() }
        var slot = Int(truncatingIfNeeded: Self.hash(field, bytes)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 {
                let id = Int32(starts.count)
                starts.append(Int32(arena.count))
                lengths.append(Int32(bytes.count))
                fields.append(field)
                arena.append(contentsOf: bytes)
                slots[slot] = id + 1
                return id
            }
            let id = Int(entry - 1)
            if fields[id] == field && Int(lengths[id]) == bytes.count && equalsArena(id, bytes) { return Int32(id) }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always) private func equalsArena(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[id])
        return arena.withUnsafeBufferPointer { a in
            for i in 0..<bytes.count where a[start + i] != bytes[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        arena.withUnsafeBufferPointer { a in
            for id in 0..<starts.count {
                let bytes = UnsafeBufferPointer(rebasing: a[Int(starts[id])..<Int(starts[id] + lengths[id])])
                var slot = Int(truncatingIfNeeded: Self.hash(fields[id], bytes)) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(id + 1)
            }
        }
    }

    /// The field of a local id.
    public func field(_ id: Int32) -> UInt8 { fields[Int(id)] }

    /// The term text of a local id (built once per distinct term, when it is stored).
    public func text(_ id: Int32) -> String {
        let start = Int(starts[Int(id)])
        return String(decoding: arena[start..<(start + Int(lengths[Int(id)]))], as: UTF8.self)
    }
}
