extension ProofText {
    /// Calls `body` with the scalar range of every occurrence of `needle` (non-overlapping, left to right).
    func forEachOccurrence(of needle: String, _ body: (Range<Int>) -> Void) {
        let n = Array(needle.unicodeScalars)
        guard let first = n.first, n.count <= scalars.count else { return }
        var i = 0
        let last = scalars.count - n.count
        while i <= last {
            if scalars[i] == first {
                var k = 1
                while k < n.count && scalars[i + k] == n[k] { k += 1 }
                if k == n.count {
                    body(i..<(i + n.count))
                    i += n.count
                    continue
                }
            }
            i += 1
        }
    }
}

extension ProofText {
    /// Index of the token covering scalar `i`, if any.
    public func token(containing i: Int) -> Int? {
        let t = firstToken(atOrAfter: i + 1) - 1
        return t >= 0 && tokens[t].start <= i && i < tokens[t].end ? t : nil
    }
}

extension ProofText {
    /// True when scalar `i` exists and is kana or kanji.
    func isJapaneseLetter(_ i: Int) -> Bool {
        i >= 0 && i < scalars.count && (CharKind.isKana(scalars[i].value) || CharKind.isKanji(scalars[i].value))
    }
}

extension ProofText {
    /// The text cut after each of `separators` and at line breaks, for rules whose sentence ends are
    /// configured (e.g. 「。」 only, so a 「．」 does not end a sentence).
    func units(separatedBy separators: Set<UInt32>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for (i, s) in scalars.enumerated() where separators.contains(s.value) || s.value == 0x0A {
            result.append(start..<i + 1)
            start = i + 1
        }
        if start < scalars.count { result.append(start..<scalars.count) }
        return result
    }
}
