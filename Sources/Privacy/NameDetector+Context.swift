/// Names found by context alone: the word before an honorific, the words after a form label.
extension NameDetector {
    /// 草彅さん, ヤマダ様, 山田 花子 様, 田中部長様: up to three name-like tokens before an honorific.
    func honorificCandidates(_ t: ScannedText, _ tk: TokenizedText) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let tokens = tk.tokens
        for k in 1..<max(tokens.count, 1) {
            let word = Array(t.folded[tokens[k].range])
            guard NameVocabulary.honorifics.contains(word) else { continue }
            // 様 glued into 様子 / 様式 is a different token, so only a whole token counts.
            var j = k - 1
            var end = tokens[k].range.lowerBound
            if end > 0 && t[end - 1] == 0x20 { end -= 1 }
            // Skip one title between name and honorific (田中部長様).
            if j >= 0, tokens[j].range.upperBound == end, NameVocabulary.titlesAfter.contains(Array(t.folded[tokens[j].range])) {
                end = tokens[j].range.lowerBound
                j -= 1
            }
            var start = end
            var taken = 0
            var tagged = false
            while j >= 0, taken < 3 {
                let token = tokens[j]
                let gap = start - token.range.upperBound
                guard gap == 0 || (gap == 1 && t[token.range.upperBound] == 0x20 && taken > 0) else { break }
                guard isNameLikeToken(t, token) else { break }
                let w = Array(t.folded[token.range])
                if NameVocabulary.notNamesBeforeHonorific.contains(w) || NameVocabulary.rolesBefore.contains(w)
                    || NameVocabulary.labels.contains(w) || Context.endsWithRole(t, token.range)
                {
                    break
                }
                tagged = tagged || POS.isPerson(token.pos)
                start = token.range.lowerBound
                taken += 1
                j -= 1
            }
            guard taken > 0, start < end else { continue }
            // お客様, ご主人様: a prefix before the word means it is not a name.
            if j >= 0, tokens[j].range.upperBound == start, POS.prefixRange.contains(tokens[j].pos) { continue }
            let name = Array(t.folded[start..<end])
            if NameVocabulary.notNamesBeforeHonorific.contains(name) { continue }
            if end - start == 1 && !tagged { continue }
            out.append(start..<end)
        }
        return out
    }

    /// A kanji or katakana word MeCab tags as a noun that could be a name (not a verb stem, not a number).
    func isNameLikeToken(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        let first = t[token.range.lowerBound]
        guard ScannedText.isKanji(first) || (ScannedText.isKatakana(first) && first != 0x30FC) else { return false }
        for i in token.range where !(ScannedText.isKanji(t[i]) || ScannedText.isKatakana(t[i]) || t[i] == 0x30FB) { return false }
        if token.unknown || POS.isPerson(token.pos) { return true }
        switch token.pos {
        // Common nouns only as single-kanji pieces of a name MeCab does not know (草|彅さん); 鮮度くん is a mascot.
        case POS.general: return token.range.count == 1 && ScannedText.isKanji(first)
        case POS.properGeneral, POS.placeGeneral, POS.country: return token.range.count <= 4 || ScannedText.isKatakana(first)
        default: return false
        }
    }

    /// 氏名：山田 太郎, 担当 佐藤, 申請者: ヤマダ タロウ. The label must be followed by a colon, space or bracket.
    func labelCandidates(_ t: ScannedText, _ tk: TokenizedText) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let tokens = tk.tokens
        var k = 0
        while k < tokens.count {
            defer { k += 1 }
            let start = tokens[k].range.lowerBound
            guard Self.labelFirstScalars.contains(t[start]) else { continue }
            // Longest label made of whole tokens starting here.
            var labelEnd = -1
            var e = k
            while e < tokens.count, e - k < 4, tokens[e].range.upperBound - start <= 12 {
                if NameVocabulary.labels.contains(Array(t.folded[start..<tokens[e].range.upperBound])) {
                    labelEnd = tokens[e].range.upperBound
                }
                e += 1
            }
            guard labelEnd > 0 else { continue }
            // Separator: spaces, a colon, closing brackets; at least one.
            var p = labelEnd
            if t[p] == 0x28 {  // 氏名(カナ):
                while p < t.count, t[p] != 0x29, p - labelEnd < 8 { p += 1 }
                p += 1
            }
            var separators = 0
            while p < t.count, [0x20, 0x3A, 0x29, 0x5D, 0x3011, 0x3009].contains(t[p]) || t[p] == 0x9 {
                p += 1
                separators += 1
            }
            guard separators > 0 else { continue }
            if let range = nameAfterLabel(t, tk, from: p) { out.append(range) }
        }
        return out
    }

    static let labelFirstScalars: Set<UInt32> = Set(NameVocabulary.labels.compactMap(\.first))

    /// Up to two words (surname, given name) after a label, in one script each, split by at most one space.
    private func nameAfterLabel(_ t: ScannedText, _ tk: TokenizedText, from p: Int) -> Range<Int>? {
        var end = p
        var words = 0
        var q = p
        while words < 2 {
            let v = t[q]
            let kind: (UInt32) -> Bool
            if ScannedText.isKanji(v) {
                kind = { ScannedText.isKanji($0) }
            } else if ScannedText.isKatakana(v) && v != 0x30FC {
                kind = { ScannedText.isKatakana($0) || $0 == 0x30FB }
            } else if ScannedText.isHiragana(v) {
                kind = { ScannedText.isHiragana($0) }
            } else {
                break
            }
            var r = q
            while r < t.count, kind(t[r]), r - q < 10 {
                // Stop before an honorific or title token (山田様, 佐藤課長).
                if r > q, let token = tk.token(startingAt: r), isTitleOrHonorificToken(t, tk.tokens[token]) { break }
                r += 1
            }
            if ScannedText.isHiragana(v), r < t.count, !(t[r] == 0x20 || ScannedText.isLineBreak(t[r]) || ScannedText.isKanji(t[r]) == false && !ScannedText.isHiragana(t[r]) && !ScannedText.isKatakana(t[r])) {
                break  // hiragana must end at a space, line end or punctuation to be a whole name
            }
            guard r > q else { break }
            end = r
            words += 1
            if t[r] == 0x20 && kind(t[r + 1]) {
                q = r + 1
            } else {
                break
            }
        }
        guard end > p else { return nil }
        let word = Array(t.folded[p..<end])
        if Self.notNamesAfterLabel.contains(word) { return nil }
        return p..<end
    }

    private func isTitleOrHonorificToken(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        let word = Array(t.folded[token.range])
        return NameVocabulary.honorifics.contains(word) || NameVocabulary.titlesAfter.contains(word)
    }

    static let notNamesAfterLabel = NameVocabulary.set([
        "なし", "無し", "未定", "不明", "同上", "本人", "記入", "未記入", "省略", "空欄", "別紙", "後日", "不要", "未", "有",
        "無", "あり", "済", "全員", "各位", "者", "課", "係", "部",
    ])
}
