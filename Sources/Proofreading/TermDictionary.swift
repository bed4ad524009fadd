/// A literal-pattern dictionary with token conditions (from the built-in tables or an organisation's list),
/// matched in one pass over the scalars.
struct TermDictionary: Sendable {
    struct Entry: Sendable {
        var pattern: [Unicode.Scalar]
        var expected: String
        var category: String
        var basis: String
        var note: String
        var tokenAligned = false
        var reading: String? = nil
        var pos: String? = nil
        var previous: Set<String>? = nil
        var notPrevious: Set<String>? = nil
    }

    private(set) var entries: [Entry] = []
    /// First scalar → entry indices, longest pattern first.
    private var index: [UInt32: [Int]] = [:]

    init(_ entries: [Entry]) {
        self.entries = entries
        for (n, e) in entries.enumerated() where !e.pattern.isEmpty { index[e.pattern[0].value, default: []].append(n) }
        for key in index.keys { index[key]!.sort { entries[$0].pattern.count > entries[$1].pattern.count } }
    }

    /// Parses TSV lines `pattern, expected, conditions, category, basis, note` (conditions `-` for none).
    static func parse(tsv: String, columns: Int = 6) -> [Entry] {
        var out: [Entry] = []
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 3, !f[0].isEmpty else { continue }
            var e = Entry(
                pattern: Array(f[0].unicodeScalars), expected: f[1], category: columns == 6 && f.count > 3 ? f[3] : "inclusive",
                basis: columns == 6 ? (f.count > 4 ? f[4] : "") : (f.count > 3 ? f[3] : ""),
                note: columns == 6 ? (f.count > 5 ? f[5] : "") : (f.count > 4 ? f[4] : ""))
            for condition in f[2].split(separator: ",") where condition != "-" {
                let parts = condition.split(separator: "=", maxSplits: 1).map(String.init)
                switch parts[0] {
                case "token": e.tokenAligned = true
                case "reading" where parts.count == 2: e.reading = parts[1]; e.tokenAligned = true
                case "pos" where parts.count == 2: e.pos = parts[1]; e.tokenAligned = true
                case "prev" where parts.count == 2: e.previous = Set(parts[1].split(separator: "|").map(String.init))
                case "notprev" where parts.count == 2: e.notPrevious = Set(parts[1].split(separator: "|").map(String.init))
                default: continue
                }
            }
            out.append(e)
        }
        return out
    }

    /// Calls `body` for every match whose conditions hold (leftmost-longest, non-overlapping).
    func matches(in text: ProofText, _ body: (Entry, Range<Int>) -> Void) {
        let s = text.scalars
        var i = 0
        while i < s.count {
            guard let candidates = index[s[i].value] else {
                i += 1
                continue
            }
            var matched = 0
            for n in candidates {
                let e = entries[n]
                let p = e.pattern
                guard i + p.count <= s.count else { continue }
                var k = 1
                while k < p.count && s[i + k] == p[k] { k += 1 }
                guard k == p.count, holds(e, text, i..<(i + p.count)) else { continue }
                body(e, i..<(i + p.count))
                matched = p.count
                break
            }
            i += max(1, matched)
        }
    }

    private func holds(_ e: Entry, _ text: ProofText, _ r: Range<Int>) -> Bool {
        if e.previous != nil || e.notPrevious != nil {
            let prev = text.token(endingAt: r.lowerBound).map { text.tokens[$0].info.surface }
            if let required = e.previous, !(prev.map { required.contains($0) } ?? false) { return false }
            if let forbidden = e.notPrevious, let p = prev, forbidden.contains(p) { return false }
        }
        guard e.tokenAligned else { return true }
        guard let first = text.token(startingAt: r.lowerBound), let last = text.token(endingAt: r.upperBound) else { return false }
        if let pos = e.pos, text.tokens[first].info.pos != pos { return false }
        if let reading = e.reading {
            var joined = ""
            for t in first...last { joined += text.tokens[t].info.reading }
            if joined != reading { return false }
        }
        return true
    }
}
