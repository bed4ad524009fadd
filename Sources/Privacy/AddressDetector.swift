/// Street addresses, without a gazetteer.
///
/// An address starts at a prefecture (one of the 47) or at a municipality — a place name followed by 市, 区,
/// 町, 村 or 郡 that MeCab tags as a place suffix (名詞,接尾,地域) — and runs over place-name characters, block
/// numbers (1-2-3, 三丁目, 17番地の2, 壱丿３, A-5), Kyoto street directions (上る, 東入) and an attached
/// building, until a particle, punctuation or the end of the text.
///
/// What counts as an address: a block number (digits not followed by a quantity unit such as 万 or 人, or a
/// kanji numeral with 丁目/番地/番/号/地割); or a prefecture, a municipality *and* a town after it. A bare
/// 東京都千代田区 or 紀尾井町 counts only in context: after a label (住所：, 所在地) or before a moving or
/// living verb (…に転居, …在住).
struct AddressDetector {
    /// The result of reading an address body from a start position.
    struct Body {
        var end: Int
        var hasNumber = false
        /// Ends of municipality suffix tokens (市区町村郡) inside the body.
        var municipalityEnds: [Int] = []
        var hasPlaceToken = false
    }

    static let maxLength = 80

    func detect(_ t: ScannedText, _ tk: TokenizedText) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var coveredUntil = -1
        // Prefecture and municipality anchors, left to right.
        var p = 0
        while p < t.count {
            if p >= coveredUntil, let range = anchored(t, tk, at: p) {
                found.append(range)
                coveredUntil = range.upperBound
                p = range.upperBound
                continue
            }
            p += 1
        }
        found += labelled(t, tk)
        found += beforePhrases(t, tk)
        return Self.union(found)
    }

    // MARK: anchors

    /// An address starting at `p` with a prefecture or a municipality name, if the evidence is there.
    private func anchored(_ t: ScannedText, _ tk: TokenizedText, at p: Int) -> Range<Int>? {
        if let prefectures = AddressVocabulary.prefecturesByFirst[t[p]], let pref = prefectures.first(where: { t.matches($0, at: p) }) {
            let body = read(t, tk, from: p)
            let afterPref = p + pref.count
            // A municipality must follow the prefecture (東京都大学…, 長野県道407号 are not addresses), and a
            // town-level address needs a name after the last municipality suffix (…郡栄村 is a municipality).
            guard let firstMunicipality = body.municipalityEnds.first, firstMunicipality - afterPref <= 12 else { return nil }
            if body.hasNumber || body.end > Self.municipalityChainEnd(body.municipalityEnds) { return withBuilding(t, tk, p..<body.end, body) }
            return nil
        }
        // A municipality name starting here: its suffix token must follow within the name tokens.
        guard let first = tk.token(startingAt: p), isPlaceNameToken(t, tk.tokens[first]) else { return nil }
        var k = first
        var taken = 0
        while k < tk.tokens.count, taken < 3, isPlaceNameToken(t, tk.tokens[k]),
            k == first || tk.tokens[k].range.lowerBound == tk.tokens[k - 1].range.upperBound
        {
            k += 1
            taken += 1
        }
        // Either a suffix token follows (千代田|区), or MeCab knows the whole town name (紀尾井町).
        let wholeName = taken == 1 && tk.tokens[first].pos == POS.placeGeneral && tk.tokens[first].range.count >= 3
            && AddressVocabulary.municipalitySuffixes.contains(t[tk.tokens[first].range.upperBound - 1])
        if wholeName {
            let body = read(t, tk, from: p)
            guard body.hasNumber, body.end > tk.tokens[first].range.upperBound else { return nil }
            return withBuilding(t, tk, p..<body.end, body)
        }
        guard k < tk.tokens.count, isMunicipalitySuffix(t, tk.tokens[k]), tk.tokens[k].range.lowerBound == tk.tokens[k - 1].range.upperBound
        else { return nil }
        let nameRange = p..<tk.tokens[k].range.lowerBound
        if nameRange.count == 1 && AddressVocabulary.notMunicipalityNames.contains(t[p]) { return nil }
        if isLabelOrStopWord(t, nameRange) { return nil }
        let body = read(t, tk, from: p)
        guard body.hasNumber else { return nil }
        return withBuilding(t, tk, p..<body.end, body)
    }

    /// Place names before 市区町村郡: MeCab's 地域 names, unknown words, and short kanji or katakana nouns.
    private func isPlaceNameToken(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        let v = t[token.range.lowerBound]
        guard ScannedText.isKanji(v) || ScannedText.isKatakana(v) || ScannedText.isHiragana(v) else { return false }
        if ScannedText.isHiragana(v) && !(token.pos == POS.placeGeneral || token.unknown) { return false }
        switch token.pos {
        case POS.placeGeneral, POS.country, POS.properGeneral, POS.surname, POS.givenName, POS.personGeneral, POS.organization: return true
        case POS.general: return token.range.count <= 4
        default: return token.unknown
        }
    }

    private func isMunicipalitySuffix(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        token.range.count == 1 && token.pos == POS.suffixPlace && AddressVocabulary.municipalitySuffixes.contains(t[token.range.lowerBound])
    }

    private func isLabelOrStopWord(_ t: ScannedText, _ range: Range<Int>) -> Bool {
        let word = Array(t.folded[range])
        return AddressVocabulary.labels.contains(word) || Self.stopWords.contains { $0 == word }
    }

    // MARK: context

    /// 住所：…, 所在地 …, 住所は…: the body after the label counts when it holds any place evidence.
    private func labelled(_ t: ScannedText, _ tk: TokenizedText) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for token in tk.tokens where Self.labelFirst.contains(t[token.range.lowerBound]) {
            let s = token.range.lowerBound
            guard let label = AddressVocabulary.labels.filter({ t.matches($0, at: s) }).max(by: { $0.count < $1.count }),
                tk.token(endingAt: s + label.count) != nil
            else { continue }
            var q = s + label.count
            var separators = 0
            while q < t.count, separators < 4, [0x20, 0x3A, 0x306F, 0x304C, 0x3011, 0x29, 0x5D, 0x3092].contains(t[q]) {  // space : は が 】 ) ] を
                q += 1
                separators += 1
            }
            q = Self.skipPostalCode(t, from: q)
            guard separators > 0 || AddressVocabulary.prefecturesByFirst[t[q]] != nil else { continue }
            if let range = relaxed(t, tk, from: q) { out.append(range) }
        }
        return out
    }

    /// …に転居, …在住: the body right before the phrase counts when it holds any place evidence.
    private func beforePhrases(_ t: ScannedText, _ tk: TokenizedText) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for token in tk.tokens {
            let q = token.range.lowerBound
            guard Self.phraseFirst.contains(t[q]), AddressVocabulary.phrasesAfter.contains(where: { t.matches($0, at: q) }) else { continue }
            // Walk left over address characters to the start of the body.
            var s = q
            while s > 0, q - s < Self.maxLength, isBodyScalarBackward(t, tk, s - 1) { s -= 1 }
            // Skip leading time words (先月, 昨年) and labels.
            while s < q, let k = tk.token(startingAt: s), tk.tokens[k].pos == POS.adverbialNoun || isLabelOrStopWord(t, tk.tokens[k].range) {
                s = tk.tokens[k].range.upperBound
            }
            guard s < q else { continue }
            // The body read forward from some token start must reach the phrase exactly.
            var start = s
            while start < q {
                let body = read(t, tk, from: start)
                if body.end == q, qualifies(t, tk, start..<q, body) {
                    out.append(start..<q)
                    break
                }
                guard let k = tk.token(startingAt: start) else { break }
                start = tk.tokens[k].range.upperBound
            }
        }
        return out
    }

    private func relaxed(_ t: ScannedText, _ tk: TokenizedText, from q: Int) -> Range<Int>? {
        guard q < t.count, let k = tk.token(startingAt: q), !isLabelOrStopWord(t, tk.tokens[k].range) else { return nil }
        let body = read(t, tk, from: q)
        guard body.end - q >= 2, qualifies(t, tk, q..<body.end, body) else { return nil }
        return withBuilding(t, tk, q..<body.end, body)
    }

    /// Place evidence in context: a prefecture, a municipality suffix, a block number, or a place name that
    /// ends like a town (紀尾井町); a bare city or country name (パリ, ボストン) is not an address.
    private func qualifies(_ t: ScannedText, _ tk: TokenizedText, _ range: Range<Int>, _ body: Body) -> Bool {
        if !ScannedText.isDigit(t[range.lowerBound]) && (body.hasNumber || !body.municipalityEnds.isEmpty) { return true }
        if ScannedText.isDigit(t[range.lowerBound]) && range.contains(where: { t[$0] == 0x2D }) { return true }  // 中の島 omitted: 2-2-5-20
        if body.hasPlaceToken && AddressVocabulary.municipalitySuffixes.contains(t[range.upperBound - 1]) { return true }
        if body.hasPlaceToken && range.count >= 4 { return true }
        return range.contains { i in AddressVocabulary.prefecturesByFirst[t[i]]?.contains(where: { t.matches($0, at: i) }) ?? false }
    }

    /// Characters that can end an address body, seen from the right (for the walk back from a phrase).
    private func isBodyScalarBackward(_ t: ScannedText, _ tk: TokenizedText, _ i: Int) -> Bool {
        let v = t[i]
        if ScannedText.isKanji(v) || ScannedText.isKatakana(v) || ScannedText.isDigit(v) || v == 0xFFFD { return true }
        if v == 0x2D { return ScannedText.isDigit(t[i - 1]) || ScannedText.isKanji(t[i - 1]) }
        if ScannedText.isASCIILetter(v) { return ScannedText.isDigit(t[i + 1]) || t[i + 1] == 0x2D || ScannedText.isDigit(t[i - 1]) }
        if ScannedText.isHiragana(v), tk.tokenAt[i] >= 0 {
            let token = tk.tokens[Int(tk.tokenAt[i])]
            return token.range.count >= 2 && (token.pos == POS.placeGeneral || token.pos == POS.properGeneral || token.unknown)
                || (v == 0x306E && (ScannedText.isDigit(t[i + 1]) || ScannedText.isKanjiNumeral(t[i + 1])))
        }
        return false
    }

    static let labelFirst: Set<UInt32> = Set(AddressVocabulary.labels.map { $0[0] })
    static let phraseFirst: Set<UInt32> = Set(AddressVocabulary.phrasesAfter.map { $0[0] })

    /// Words that follow a label but are not addresses (住所は下記, 所在地：未定).
    static let stopWords: [[UInt32]] = AddressVocabulary.list([
        "下記", "上記", "別紙", "不明", "未定", "同上", "変更", "省略", "以下", "次", "記載", "前記", "後記", "別記", "不要", "なし",
        "無し", "非公開", "同じ", "都内", "県内", "市内", "区内", "町内", "村内", "国内", "海外", "当地", "地元", "現地", "自宅",
    ])

    /// The end of the leading run of municipality units (山武郡|横芝光町, 大阪市|福島区): each next suffix at
    /// most six characters after the previous one.
    static func municipalityChainEnd(_ ends: [Int]) -> Int {
        var end = ends[0]
        for e in ends.dropFirst() where e - end <= 6 { end = e }
        return end
    }

    /// 〒100-0001 (and the spaces after it) between a label and the address.
    static func skipPostalCode(_ t: ScannedText, from q: Int) -> Int {
        var p = q
        if t[p] == 0x3012 { p += 1 }
        while t[p] == 0x20 { p += 1 }
        var digits = 0
        let start = p
        while ScannedText.isDigit(t[p]) || (t[p] == 0x2D && p > start) {
            if t[p] != 0x2D { digits += 1 }
            p += 1
        }
        guard digits == 7 else { return q }
        while t[p] == 0x20 { p += 1 }
        return p
    }

    /// Overlapping or touching ranges become one.
    static func union(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
            if let last = out.last, r.lowerBound < last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}
