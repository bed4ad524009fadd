/// Names found from the shape of a sentence: a definition of a person (X は、日本の実業家。) and lists
/// that already hold a name (谷村新司、チョー・ヨンピル、ワン・ジェなど).
extension NameDetector {
    /// "X は、…の<person noun>。": the subject of a sentence that says what person it is. X may be any word
    /// MeCab does not know (三宅川百太郎, KOTOKO, ロッキー・ロメロ), as long as it is one unbroken run.
    func definitionSubjects(_ t: ScannedText, _ tk: TokenizedText) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var sentenceStart = 0
        var i = 0
        while i <= t.count {
            let v = t[i]
            if i == t.count || v == 0x3002 || ScannedText.isLineBreak(v) {
                if let subject = definitionSubject(t, tk, sentenceStart..<i) { out.append(subject) }
                sentenceStart = i + 1
            }
            i += 1
        }
        return out
    }

    private func definitionSubject(_ t: ScannedText, _ tk: TokenizedText, _ sentence: Range<Int>) -> Range<Int>? {
        var s = sentence.lowerBound
        while s < sentence.upperBound, t[s] == 0x20 || t[s] == 0x300C || t[s] == 0x300E { s += 1 }
        // The subject: one run of letters (any script but hiragana) up to は、
        var e = s
        while e < sentence.upperBound, e - s <= 20, !ScannedText.isHiragana(t[e]) || t[e] == 0x30FC {
            let v = t[e]
            guard ScannedText.isKanji(v) || ScannedText.isKatakana(v) || ScannedText.isASCIILetter(v) || ScannedText.isDigit(v)
                || NameDetector.isJoiner(v) || v == 0x20 || v == 0x2E
            else { return nil }
            e += 1
        }
        guard e > s, e - s <= 20, t[e] == 0x306F, t[e + 1] == 0x3001 || t[e + 1] == 0x2C else { return nil }  // は、
        // The predicate ends with a person noun (…の実業家。 …の女優、歌手。 …の政治家である。).
        var end = sentence.upperBound
        for copula in Self.sentenceEndCopulas where t.matches(copula, endingAt: end) {
            end -= copula.count
            break
        }
        guard let last = tk.token(endingAt: end), tk.tokens[last].range.lowerBound > e + 1 else { return nil }
        // The whole noun compound before the end (女性シンガーソングライター, SF作家).
        var k = last
        var start = tk.tokens[k].range.lowerBound
        while k > 0, tk.tokens[k - 1].range.upperBound == start, POS.isNoun(tk.tokens[k - 1].pos), start - tk.tokens[k - 1].range.lowerBound < 12 {
            k -= 1
            if NameVocabulary.isPersonNoun(Array(t.folded[tk.tokens[k].range.lowerBound..<tk.tokens[last].range.upperBound])) { break }
            start = tk.tokens[k].range.lowerBound
        }
        let head = Array(t.folded[tk.tokens[last].range])
        let compound = Array(t.folded[tk.tokens[k].range.lowerBound..<tk.tokens[last].range.upperBound])
        guard NameVocabulary.isPersonNoun(head) || NameVocabulary.isPersonNoun(compound)
            || (last > 0 && NameVocabulary.isPersonNoun(Array(t.folded[tk.tokens[last - 1].range.lowerBound..<tk.tokens[last].range.upperBound])))
        else { return nil }
        // Not a pronoun or a generic subject (同氏, 彼, 本人).
        let subject = Array(t.folded[s..<e])
        if NameVocabulary.notNamesBeforeHonorific.contains(subject) || NameVocabulary.isPersonNoun(subject) { return nil }
        if let k = tk.token(startingAt: s), POS.pronounRange.contains(tk.tokens[k].pos) || POS.prefixRange.contains(tk.tokens[k].pos) { return nil }
        return s..<e
    }

    static let sentenceEndCopulas: [[UInt32]] = ["である", "であった", "です", "でした", "だ", "だった"].map { Array(folding: $0) }

    /// Items listed next to a name (、 と や) that look like names themselves: katakana words MeCab does not
    /// know or knows as names, and short kanji runs with a name or unknown token. Repeated until stable.
    func listedWith(_ t: ScannedText, _ tk: TokenizedText, names: [Range<Int>]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var frontier = names
        var known = Set(names.map(\.lowerBound))
        var rounds = 0
        while !frontier.isEmpty, rounds < 12 {
            rounds += 1
            var next: [Range<Int>] = []
            for r in frontier {
                for item in [listItem(t, tk, after: r), listItem(t, tk, before: r)].compactMap({ $0 }) where !known.contains(item.lowerBound) {
                    known.insert(item.lowerBound)
                    next.append(item)
                }
            }
            found += next
            frontier = next
        }
        return found
    }

    static let listSeparators: Set<UInt32> = Set(Array(folding: "、,と"))
    static let listEnds: Set<UInt32> = Set(Array(folding: "、,とやらがはをにのも。)」"))

    private func listItem(_ t: ScannedText, _ tk: TokenizedText, after r: Range<Int>) -> Range<Int>? {
        let sep = r.upperBound
        guard Self.listSeparators.contains(t[sep]) || t[sep] == 0x3084 else { return nil }  // 、 , と や
        let start = sep + 1
        var end = start
        while end < t.count, end - start < 16, isItemScalar(t[end]) { end += 1 }
        guard end > start, Self.listEnds.contains(t[end]) || end == t.count || t[end] == 0x306A else { return nil }  // …など
        return plausibleItem(t, tk, start..<end) ? start..<end : nil
    }

    private func listItem(_ t: ScannedText, _ tk: TokenizedText, before r: Range<Int>) -> Range<Int>? {
        let sep = r.lowerBound - 1
        guard sep > 0, Self.listSeparators.contains(t[sep]) || t[sep] == 0x3084 else { return nil }
        let end = sep
        var start = end
        while start > 0, end - start < 16, isItemScalar(t[start - 1]) { start -= 1 }
        guard start < end, start == 0 || Self.listStarts.contains(t[start - 1]) else { return nil }
        return plausibleItem(t, tk, start..<end) ? start..<end : nil
    }

    static let listStarts: Set<UInt32> = Set(Array(folding: "、,はがをにとや「(・ "))

    @inline(__always) private func isItemScalar(_ v: UInt32) -> Bool {
        ScannedText.isKanji(v) || ScannedText.isKatakana(v) || NameDetector.isJoiner(v)
    }

    /// A list item that could be a name: whole tokens, at least one of them a name or unknown to MeCab, and
    /// no common word of two characters or more (so 東京、大阪と名古屋 stays a list of places).
    private func plausibleItem(_ t: ScannedText, _ tk: TokenizedText, _ range: Range<Int>) -> Bool {
        guard range.count >= 2, let first = tk.token(startingAt: range.lowerBound), let last = tk.token(endingAt: range.upperBound) else { return false }
        var nameLike = 0
        for token in tk.tokens[first...last] {
            if POS.isPerson(token.pos) || token.unknown {
                nameLike += 1
            } else if token.range.count >= 2 && !(token.range.count == 1 || NameDetector.isJoiner(t[token.range.lowerBound])) {
                if token.pos != POS.properGeneral { return false }
            } else if POS.symbolRange.contains(token.pos) && !NameDetector.isJoiner(t[token.range.lowerBound]) {
                return false
            }
        }
        let word = Array(t.folded[range])
        return nameLike > 0 && !NameVocabulary.isPersonNoun(word) && !NameVocabulary.notNamesBeforeHonorific.contains(word)
    }
}
