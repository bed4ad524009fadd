/// Reading an address body character by character.
extension AddressDetector {
    /// Reads place-name characters and block numbers from `s`. `end` is the last position the body can end
    /// at: never after a connector (-, の) and never inside a number that turned out to be a quantity.
    func read(_ t: ScannedText, _ tk: TokenizedText, from s: Int) -> Body {
        var body = Body(end: s)
        var p = s
        var numberSeen = false
        let limit = min(t.count, s + Self.maxLength)
        while p < limit {
            let c = t[p]
            if p > s, Self.bodyStops.contains(where: { t.matches($0, at: p) }) { break }
            // After 市区町村: the municipality as an institution (市長, 町議会, 市規則第3号, 市立病院), not a place.
            if p > s, let last = body.municipalityEnds.last, last == p, isInstitutionAfterMunicipality(t, at: p) { break }
            if numberSeen, Self.afterNumberStops.contains(where: { t.matches($0, at: p) }) { break }
            if let direction = AddressVocabulary.kyotoDirections.first(where: { t.matches($0, at: p) }), p > s {
                p += direction.count
                // 寺町通四条上るより六角下るまで裏寺町: a range of streets.
                if let joint = Self.streetRangeWords.first(where: { t.matches($0, at: p) }) { p += joint.count }
                continue
            }
            if ScannedText.isDigit(c) {
                var q = p
                while q < limit, ScannedText.isDigit(t[q]) { q += 1 }
                if AddressVocabulary.quantityUnits.contains(t[q]) && !AddressVocabulary.numberUnits.contains(where: { t.matches($0, at: q) }) {
                    break  // 10万人, 3年: a quantity, the address (if any) ended before it
                }
                if NumberContext.unitScalars.contains(t[q]) && t[q] != 0x756A && t[q] != 0x53F7 && t[q] != 0x968E && t[q] != 0x5BA4 {
                    break  // 円, 件, 個 … but not 番, 号, 階, 室
                }
                // 第2区, 23区: a numbered district, not a block number; 第2号 is a legal reference.
                let district = (AddressVocabulary.municipalitySuffixes.contains(t[q]) && t[q] != 0x6761) || (t[p - 1] == 0x7B2C && t[q] == 0x53F7)
                p = q
                if let unit = AddressVocabulary.numberUnits.filter({ t.matches($0, at: p) }).max(by: { $0.count < $1.count }) {
                    p += unit.count
                }
                if !district {
                    numberSeen = true
                    body.hasNumber = true
                }
                body.end = p
                continue
            }
            if ScannedText.isKanji(c) || ScannedText.isKanjiNumeral(c) || (ScannedText.isKatakana(c) && !(c == 0x30FC && p == s)) || c == 0xFFFD {
                // A kanji numeral with a block unit (三丁目, 壱番地, 十七番) or a numeral pair (一の三, 壱丿３).
                if ScannedText.isKanjiNumeral(c) {
                    var q = p
                    while q < limit, ScannedText.isKanjiNumeral(t[q]) { q += 1 }
                    if t[p - 1] == 0x7B2C && t[q] == 0x53F7 {
                        // 第十二号: a legal or ordinal reference, not a block number.
                    } else if AddressVocabulary.blockUnits.contains(where: { t.matches($0, at: q) })
                        || (Self.numberConnectors.contains(t[q]) && (ScannedText.isDigit(t[q + 1]) || ScannedText.isKanjiNumeral(t[q + 1])) && q > p)
                        || (q == limit || !(ScannedText.isKanji(t[q]) || ScannedText.isKatakana(t[q]))) && q - p >= 2 && p > s
                    {
                        body.hasNumber = true
                        numberSeen = true
                    }
                }
                if AddressVocabulary.municipalitySuffixes.contains(c), p > s, isMunicipalitySuffix(t, tk, at: p) {
                    body.municipalityEnds.append(p + 1)
                }
                if let k = tk.token(startingAt: p), tk.tokens[k].pos == POS.placeGeneral { body.hasPlaceToken = true }
                p += 1
                body.end = p
                continue
            }
            if c == 0x2D {  // between numbers, letters or a numeral and a number: 1-3, A-5, 一-3
                let before = t[p - 1], after = t[p + 1]
                let ok = (ScannedText.isDigit(before) || ScannedText.isKanjiNumeral(before) || ScannedText.isASCIILetter(before))
                    && (ScannedText.isDigit(after) || ScannedText.isKanjiNumeral(after) || ScannedText.isASCIILetter(after))
                guard ok, p > s else { break }
                p += 1
                continue
            }
            if ScannedText.isHiragana(c) {
                // A hiragana municipality name (いわき市, つがる市) may start the body; other hiragana only
                // continue one.
                var q = p
                while q < limit, ScannedText.isHiragana(t[q]), q - p < 7 { q += 1 }
                if (2...6).contains(q - p), AddressVocabulary.municipalitySuffixes.contains(t[q]),
                    (p > s && AddressVocabulary.unitSuffixes.contains(t[p - 1]))
                        || (p == s && (!ScannedText.isKanji(t[q + 1]) || (tk.token(startingAt: q).map { tk.tokens[$0].pos == POS.suffixPlace } ?? false)))
                {
                    p = q + 1
                    body.municipalityEnds.append(p)
                    body.end = p
                    continue
                }
                if p == s, tk.tokenAt[p] >= 0, tk.tokens[Int(tk.tokenAt[p])].pos == POS.placeGeneral, tk.tokens[Int(tk.tokenAt[p])].range.lowerBound == p {
                    p = tk.tokens[Int(tk.tokenAt[p])].range.upperBound
                    continue
                }
                guard p > s, let advance = hiraganaAdvance(t, tk, at: p) else { break }
                p += advance
                continue
            }
            if ScannedText.isASCIILetter(c) {
                // Block letters: 上町A-5, Ｃ‐３, 2F, 301C. At most two letters, touching a digit or a hyphen.
                var q = p
                while q < limit, ScannedText.isASCIILetter(t[q]) { q += 1 }
                guard q - p <= 2, p > s,
                    ScannedText.isDigit(t[p - 1]) || t[q] == 0x2D || ScannedText.isDigit(t[q]) || t[p - 1] == 0x2D
                else { break }
                p = q
                body.end = p
                continue
            }
            if c == 0x20 {
                // One space between administrative parts before any number: 東京都 千代田区 紀尾井町 1-3.
                let before = t[p - 1], after = t[p + 1]
                guard !numberSeen, p > s, AddressVocabulary.unitSuffixes.contains(before) || before == 0x76EE,
                    ScannedText.isKanji(after) || ScannedText.isDigit(after) || ScannedText.isKatakana(after)
                else { break }
                p += 1
                continue
            }
            break
        }
        return body
    }

    /// 市区町村郡 at `p` as a municipality suffix: MeCab's 名詞,接尾,地域 token; or inside a run MeCab could not
    /// analyse (it lumps 千葉県山武郡横芝光町… into one unknown token); or in 市町村 read as one word
    /// (富山市町村: the town 町村 of 富山市).
    private func isMunicipalitySuffix(_ t: ScannedText, _ tk: TokenizedText, at p: Int) -> Bool {
        guard tk.tokenAt[p] >= 0 else { return false }
        let token = tk.tokens[Int(tk.tokenAt[p])]
        if token.range.count == 1 { return token.pos == POS.suffixPlace }
        if token.unknown { return true }
        return token.range.allSatisfy { AddressVocabulary.municipalitySuffixes.contains(t[$0]) }
    }

    private func isInstitutionAfterMunicipality(_ t: ScannedText, at p: Int) -> Bool {
        if t[p] == 0x9577 { return !ScannedText.isKanji(t[p + 1]) || t[p + 1] == 0x9078 }  // 長 (市長が, 市長選; not 区長町)
        return Self.institutionWords.contains { t.matches($0, at: p) }
    }

    static let institutionWords: [[UInt32]] = AddressVocabulary.list([
        "議会", "議員", "役所", "役場", "規則", "条例", "訓令", "告示", "要綱", "規程", "職員", "教育委員会", "選挙管理委員会", "当局",
        "公報", "広報", "民", "営", "政", "章", "歌", "制", "域", "全域", "内", "外", "立病院", "立学校", "立小学校", "立中学校",
        "立高校", "立高等学校", "立図書館", "立博物館", "立美術館", "立体育館", "立保育所", "立保育園", "立幼稚園", "立大学", "立総合",
        "立病", "長選", "長室",
    ])

    /// How many hiragana to take at `p` inside an address, or nil to stop: の joining numbers or names
    /// (17番地の2, 中の島), が before a place word (つつじが丘), and hiragana inside a place token (いわき).
    private func hiraganaAdvance(_ t: ScannedText, _ tk: TokenizedText, at p: Int) -> Int? {
        let c = t[p]
        let next = t[p + 1]
        if c == 0x306E {  // の
            // 17番地の2, 一の三, ハの74 — but not 熊本市の3政令市 or 西富田の三幸 (a word starting with a numeral).
            if ScannedText.isDigit(next) || ScannedText.isKanjiNumeral(next) {
                if AddressVocabulary.unitSuffixes.contains(t[p - 1]) { return nil }
                if ScannedText.isKanjiNumeral(next) {
                    var q = p + 1
                    while ScannedText.isKanjiNumeral(t[q]) { q += 1 }
                    if ScannedText.isKanji(t[q]) && !AddressVocabulary.blockUnits.contains(where: { t.matches($0, at: q) }) { return nil }
                }
                return 1
            }
            // 太田５の通り: a bare number inside a town name (no hyphen or unit before it).
            if ScannedText.isKanji(next), ScannedText.isDigit(t[p - 1]) {
                var q = p - 1
                while q > 0, ScannedText.isDigit(t[q - 1]) { q -= 1 }
                if p - q <= 2, ScannedText.isKanji(t[q - 1]) { return 1 }
            }
            if tk.tokenAt[p] >= 0, tk.tokens[Int(tk.tokenAt[p])].range.count >= 2, ScannedText.isKanji(next) || ScannedText.isKatakana(next) { return 1 }
            return nil
        }
        if c == 0x304C, AddressVocabulary.gaPlaceHeads.contains(next) { return 1 }  // が
        if let word = Self.hiraganaPlaceWords.first(where: { t.matches($0, at: p) }) { return word.count }  // 字熊ケ谷その二
        guard tk.tokenAt[p] >= 0 else { return nil }
        let token = tk.tokens[Int(tk.tokenAt[p])]
        guard token.range.count >= 2, token.pos == POS.placeGeneral || token.unknown || token.pos == POS.properGeneral else { return nil }
        return token.range.upperBound - p
    }

    static let floorUnits: [[UInt32]] = AddressVocabulary.list(["階", "号室", "F", "号"])

    static let streetRangeWords: [[UInt32]] = AddressVocabulary.list(["より", "まで"])
    /// Hiragana inside place names MeCab reads as grammar: 通り (五の通り), その (熊ケ谷その二).
    static let hiraganaPlaceWords: [[UInt32]] = AddressVocabulary.list(["り", "その"])

    static let numberConnectors: Set<UInt32> = Set(Array(folding: "のノ之丿-"))

    /// Words where a body stops even though they are kanji (…1-3在住, …付近).
    static let bodyStops: [[UInt32]] = AddressVocabulary.list([
        "在住", "在勤", "在学", "付近", "周辺", "地先", "方面", "出身", "所在", "在中", "様方", "気付", "御中", "電話", "携帯",
        "TEL", "Tel", "tel", "FAX", "Fax", "fax",
    ])
    /// Single kanji that end a body only after its block number (…1-3山田方, …5番地内); before it they are
    /// part of place names (上戸町南方, 城ノ内).
    static let afterNumberStops: [[UInt32]] = AddressVocabulary.list(["地内", "方", "内", "宛", "他", "等", "外"])

    /// After a body with a block number: a building name and floor or room, on the same line.
    /// (…1-3 東京ガーデンテラス紀尾井町 19階, …5-2 三田マンション９９９, …1-3 2F).
    func withBuilding(_ t: ScannedText, _ tk: TokenizedText, _ range: Range<Int>, _ body: Body) -> Range<Int> {
        guard body.hasNumber else { return range }
        var p = range.upperBound
        if t[p] == 0x20 { p += 1 }
        let start = p
        var lastGood = -1
        while p < t.count, p - start < 30 {
            let c = t[p]
            // Hiragana only inside a noun (みなとハイツ), never a particle or verb (…1-3 にある会館).
            let nounKana = ScannedText.isHiragana(c) && tk.tokenAt[p] >= 0 && POS.isNoun(tk.tokens[Int(tk.tokenAt[p])].pos)
            guard ScannedText.isKanji(c) || ScannedText.isKatakana(c) || ScannedText.isDigit(c) || ScannedText.isASCIILetter(c) || c == 0x2D
                || nounKana || (c == 0x20 && p > start && !ScannedText.isLineBreak(t[p + 1]))
            else { break }
            if let word = AddressVocabulary.buildingWords.first(where: { t.matches($0, endingAt: p + 1) }), p + 1 - word.count >= start {
                lastGood = p + 1
            }
            if let unit = Self.floorUnits.first(where: { t.matches($0, endingAt: p + 1) }), p + 1 - unit.count > start,
                ScannedText.isDigit(t[p - unit.count])
            {
                lastGood = p + 1
            }
            p += 1
        }
        return lastGood > range.upperBound ? range.lowerBound..<lastGood : range
    }
}
