import JapaneseText

/// Groups comments that are the same text (after width, case, space and punctuation folding) or nearly the
/// same (an organised campaign's template with small edits): MinHash over character 3-grams with banded
/// locality-sensitive hashing proposes pairs, and each pair is confirmed by the true Jaccard similarity of
/// the two 3-gram sets. Deterministic: groups and their members are in input order.
public struct Deduplicator: Sendable {
    /// Jaccard similarity of character 3-gram sets from which two comments are near duplicates.
    public var threshold: Double
    /// Comments shorter than this (after folding) are only grouped when identical: short texts such as
    /// 「賛成です」 resemble each other without being a campaign.
    public var minimumNearLength: Int

    static let hashes = 64
    static let bands = 16

    public init(threshold: Double = 0.8, minimumNearLength: Int = 20) {
        self.threshold = threshold
        self.minimumNearLength = minimumNearLength
    }

    /// Groups of two or more comment indices (first member = representative), in order of first member.
    public func groups(_ texts: [String]) -> [DuplicateGroup] {
        let keys = texts.map(Self.fold)
        var parent = Array(texts.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a)
            let rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        // Exact duplicates.
        var firstByKey: [[UInt32]: Int] = [:]
        for (i, key) in keys.enumerated() where !key.isEmpty {
            if let first = firstByKey[key] { union(first, i) } else { firstByKey[key] = i }
        }
        // Near duplicates among the distinct long texts.
        let distinct = firstByKey.values.sorted().filter { keys[$0].count >= minimumNearLength }
        let shingles = distinct.map { Self.shingles(keys[$0]) }
        let rows = Self.hashes / Self.bands
        var buckets: [[UInt64]: [Int]] = [:]
        for (d, set) in shingles.enumerated() {
            let signature = Self.minHash(set)
            for band in 0..<Self.bands {
                var key = Array(signature[(band * rows)..<((band + 1) * rows)])
                key.append(UInt64(band))
                buckets[key, default: []].append(d)
            }
        }
        var checked = Set<Int64>()
        for members in buckets.values where members.count > 1 {
            // A huge bucket means one campaign: compare to its first member instead of every pair.
            let pairs: [(Int, Int)] =
                members.count > 50
                ? members.dropFirst().map { (members[0], $0) }
                : members.indices.flatMap { a in members[(a + 1)...].map { (members[a], $0) } }
            for (a, b) in pairs {
                let code = Int64(min(a, b)) << 32 | Int64(max(a, b))
                guard checked.insert(code).inserted else { continue }
                if Self.jaccard(shingles[a], shingles[b]) >= threshold { union(distinct[a], distinct[b]) }
            }
        }
        var members: [Int: [Int]] = [:]
        for i in texts.indices where !keys[i].isEmpty { members[find(i), default: []].append(i) }
        let ordered = members.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
        return ordered.enumerated().map { id, group in
            let exact = group.allSatisfy { keys[$0] == keys[group[0]] }
            return DuplicateGroup(id: id, kind: exact ? .exact : .near, representative: group[0], members: group)
        }
    }

    /// NFKC, lower case, and no whitespace or punctuation: the text as a campaign's copies share it.
    static func fold(_ text: String) -> [UInt32] {
        TextNormalizer.normalize(text).lowercased().unicodeScalars.compactMap { s in
            s.properties.isWhitespace || s.properties.generalCategory.isPunctuationOrSymbol ? nil : s.value
        }
    }

    static func shingles(_ key: [UInt32]) -> [UInt64] {
        guard key.count >= 3 else { return [] }
        var set = Set<UInt64>()
        for i in 0..<(key.count - 2) {
            set.insert(mix(UInt64(key[i]) << 42 ^ UInt64(key[i + 1]) << 21 ^ UInt64(key[i + 2])))
        }
        return set.sorted()
    }

    static func minHash(_ shingles: [UInt64]) -> [UInt64] {
        var signature = [UInt64](repeating: .max, count: hashes)
        for s in shingles {
            for h in 0..<hashes {
                let v = mix(s &+ UInt64(h) &* 0x9E37_79B9_7F4A_7C15)
                if v < signature[h] { signature[h] = v }
            }
        }
        return signature
    }

    /// Jaccard similarity of two sorted sets.
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        var i = 0
        var j = 0
        var common = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                common += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        let union = a.count + b.count - common
        return union == 0 ? 0 : Double(common) / Double(union)
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49EB_133F_B8EB
        return z ^ (z >> 31)
    }
}

extension Unicode.GeneralCategory {
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            true
        default: false
        }
    }
}
