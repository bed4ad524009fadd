import JapaneseText

/// Person names from MeCab's 人名 tags, foreign names in katakana, and context.
///
/// Candidates come from three places: runs of IPAdic 名詞,固有名詞,人名 tokens (a surname may take one or two
/// single-kanji given-name pieces MeCab left untagged: 岡部|冬|彦); katakana runs joined by ・ or ＝ whose
/// parts are names or unknown words (ジュリー・ミッチャム); and words before honorifics or after form labels
/// (草彅さん, 氏名：ヤマダ タロウ) that MeCab does not know as names at all.
///
/// Precision comes from context. A candidate that MeCab is sure of (surname + given name) stands on its own
/// unless an organisation or place word follows (住友|化学, 京極|騒乱). A lone surname or given name — which
/// IPAdic also assigns to places and companies (中山, 三井) — must not be glued into a compound noun on either
/// side, and a lone katakana word needs a title, honorific or role next to it.
struct NameDetector {
    enum Strength: Int, Comparable {
        case contextOnly = 0, veryWeak, weak, medium, strong
        static func < (a: Strength, b: Strength) -> Bool { a.rawValue < b.rawValue }
    }

    struct Raw {
        var range: Range<Int>
        var strength: Strength
        /// A word MeCab reads as a place: a title after it names a post there (欧州|委員, 関西|駐在), so
        /// only a role before, an honorific or a human verb makes it a name.
        var placeLike = false
    }

    func detect(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger) -> [Candidate] {
        var raws = katakanaCandidates(t, tk, tagger: tagger)
        raws += personTokenCandidates(t, tk)
        raws += unknownKanjiNames(t, tk)
        raws += placeTaggedNames(t, tk)
        var accepted: [Range<Int>] = []
        // Names sure enough to look for again elsewhere in the text: full names, names with an honorific,
        // a form label or a definition. A lone surname accepted only because nothing argued against it is
        // not (調定 in an accounting manual would otherwise spread through the whole document).
        var reliable: [Range<Int>] = []
        for raw in raws where accept(raw, t, tk) {
            accepted.append(raw.range)
            if raw.strength >= .medium { reliable.append(raw.range) }
        }
        let contextual = honorificCandidates(t, tk) + labelCandidates(t, tk) + definitionSubjects(t, tk)
        accepted = merge(accepted + contextual)
        reliable += contextual
        accepted = merge(accepted + listedWith(t, tk, names: accepted))
        accepted = merge(accepted + repeatedMentions(t, tk, of: merge(reliable)))
        accepted = merge(accepted + readings(t, after: accepted))
        return accepted.map { Candidate(.personName, $0, normalized: normalizedName(t, $0)) }
    }

    /// The reading in brackets right after a name: 鈴木 一郎（スズキ イチロウ）. It spells the name out.
    func readings(_ t: ScannedText, after names: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for r in names {
            var p = r.upperBound
            guard t[p] == 0x28 || t[p] == 0xFF08 else { continue }  // ( （ (full-width folds to ASCII)
            p += 1
            let start = p
            while p < t.count, p - start <= 24, ScannedText.isKatakana(t[p]) || ScannedText.isHiragana(t[p]) || t[p] == 0x20 || t[p] == 0x30FB {
                p += 1
            }
            guard p > start, t[p] == 0x29 || t[p] == 0xFF09, (start..<p).contains(where: { t[$0] != 0x20 }) else { continue }
            out.append(start..<p)
        }
        return out
    }

    /// Later mentions of a name found once: the same full name, its surname (the first token when MeCab
    /// tags it 姓) or the last part of a katakana name (ロバート・フリップ → フリップ), wherever MeCab
    /// makes them whole tokens. Names are consistent within a document even where context is missing.
    func repeatedMentions(_ t: ScannedText, _ tk: TokenizedText, of names: [Range<Int>]) -> [Range<Int>] {
        var aliases: [UInt32: Set<[UInt32]>] = [:]
        func add(_ word: [UInt32]) {
            guard word.count >= 2, !NameVocabulary.notNamesBeforeHonorific.contains(word) else { return }
            aliases[word[0], default: []].insert(word)
        }
        for r in names {
            add(Array(t.folded[r]))
            if let k = tk.token(startingAt: r.lowerBound), tk.tokens[k].pos == POS.surname, tk.tokens[k].range.upperBound < r.upperBound {
                add(Array(t.folded[tk.tokens[k].range]))
            }
            if let dot = r.last(where: { Self.isJoiner(t[$0]) }), r.upperBound - dot - 1 >= 3 { add(Array(t.folded[(dot + 1)..<r.upperBound])) }
        }
        guard !aliases.isEmpty else { return [] }
        var covered = [Bool](repeating: false, count: t.count)
        for r in names { for i in r { covered[i] = true } }
        var out: [Range<Int>] = []
        var i = 0
        while i < t.count {
            if !covered[i], let candidates = aliases[t[i]], tk.token(startingAt: i) != nil {
                if let word = candidates.filter({ t.matches($0, at: i) && tk.token(endingAt: i + $0.count) != nil }).max(by: { $0.count < $1.count }),
                    !ScannedText.isKatakana(t[i - 1]) || !ScannedText.isKatakana(word[0]), !(i + word.count < t.count && ScannedText.isKatakana(t[i + word.count]) && ScannedText.isKatakana(word[word.count - 1])),
                    !covered[i + word.count - 1]
                {
                    out.append(i..<(i + word.count))
                    i += word.count
                    continue
                }
            }
            i += 1
        }
        return out
    }

    // MARK: candidates from MeCab's 人名 tags (kanji and hiragana names)

    private func personTokenCandidates(_ t: ScannedText, _ tk: TokenizedText) -> [Raw] {
        var out: [Raw] = []
        let tokens = tk.tokens
        var k = 0
        while k < tokens.count {
            let token = tokens[k]
            guard POS.isPerson(token.pos), !isKatakanaWord(t, token.range) else {
                k += 1
                continue
            }
            var j = k + 1
            var hasSurname = token.pos == POS.surname
            var hasGiven = token.pos == POS.givenName
            // Consecutive 人名 tokens, also across one space ("山田 太郎").
            while j < tokens.count, POS.isPerson(tokens[j].pos), !isKatakanaWord(t, tokens[j].range) {
                let gap = tokens[j].range.lowerBound - tokens[j - 1].range.upperBound
                guard gap == 0 || (gap == 1 && t[tokens[j - 1].range.upperBound] == 0x20 && hasSurname && tokens[j].pos == POS.givenName)
                else { break }
                hasSurname = hasSurname || tokens[j].pos == POS.surname
                hasGiven = hasGiven || tokens[j].pos == POS.givenName
                j += 1
            }
            var range = token.range.lowerBound..<tokens[j - 1].range.upperBound
            var strength: Strength
            if j - k >= 2 && (hasSurname || hasGiven) {
                strength = .strong
            } else if range.count == 1 {
                strength = .veryWeak
            } else {
                strength = .weak
            }
            // A surname followed by pieces MeCab left untagged: 岡部|冬|彦, 樺山|資|紀, 西尾|末広.
            if tokens[j - 1].pos == POS.surname && !hasGiven {
                var e = j
                while e < tokens.count, e - j < 2, adjacent(tokens, e), isGivenNamePiece(t, tokens[e]) { e += 1 }
                var given = false
                if e < tokens.count, adjacent(tokens, e), tokens[e].pos == POS.givenName, !isKatakanaWord(t, tokens[e].range) {
                    e += 1
                    given = true
                } else if e == j, e < tokens.count, adjacent(tokens, e), isGivenNameWord(t, tokens[e]) {
                    e += 1  // 鈴木|啓示, 西尾|末広: a common word spelt with given-name kanji
                }
                if e > j, e == tokens.count || !POS.isCompoundNoun(tokens[e].pos) || isTitleOrHonorific(t, tokens[e].range)
                    || POS.isPerson(tokens[e].pos)
                {
                    range = range.lowerBound..<tokens[e - 1].range.upperBound
                    strength = given ? .strong : max(strength, .medium)
                    j = e
                }
            }
            // A given name after an untagged surname: 名城|信男, 兵庫|慎司, 鄧|小平.
            if k > 0, tokens[k].pos == POS.givenName || (tokens[k].pos == POS.surname && tokens[k].range.count == 1 && hasGiven),
                adjacent(tokens, k), isSurnameLike(t, tokens[k - 1]), k < 2 || !adjacent(tokens, k - 1) || !POS.isCompoundNoun(tokens[k - 2].pos)
            {
                range = tokens[k - 1].range.lowerBound..<range.upperBound
                strength = .strong
            }
            out.append(Raw(range: range, strength: strength))
            k = j
        }
        return out
    }

    /// Kanji runs that MeCab splits into pieces (湯口|徹, 飛|雄|馬, 黄|基|鉄): names it does not know. They
    /// count only with a role before or a title after (鉄道趣味者の湯口徹は, 黄基鉄海軍参謀総長).
    private func unknownKanjiNames(_ t: ScannedText, _ tk: TokenizedText) -> [Raw] {
        var out: [Raw] = []
        var i = 0
        while i < t.count {
            guard ScannedText.isKanji(t[i]), i == 0 || !ScannedText.isKanji(t[i - 1]) else {
                i += 1
                continue
            }
            var e = i
            while e < t.count, ScannedText.isKanji(t[e]) { e += 1 }
            if (2...5).contains(e - i), isPieceworkName(t, tk, i..<e) { out.append(Raw(range: i..<e, strength: .contextOnly)) }
            i = e
        }
        return out
    }

    /// A surname MeCab reads as a place or a proper noun (瀬戸, 川上, 嘉納): two or three kanji, one token,
    /// only with context (瀬戸は…落選した, ボーカルの川上, 嘉納館長).
    private func placeTaggedNames(_ t: ScannedText, _ tk: TokenizedText) -> [Raw] {
        var out: [Raw] = []
        for (k, token) in tk.tokens.enumerated() where token.pos == POS.placeGeneral || token.pos == POS.properGeneral {
            guard (2...3).contains(token.range.count), token.range.allSatisfy({ ScannedText.isKanji(t[$0]) && !ScannedText.isKanjiNumeral(t[$0]) })
            else { continue }
            // Not glued to other kanji or katakana (大阪府, 瀬戸内海 are other tokens).
            if k > 0, tk.tokens[k - 1].range.upperBound == token.range.lowerBound, isLetterToken(t, tk.tokens[k - 1]) { continue }
            if Self.regionNames.contains(Array(t.folded[token.range])) { continue }
            out.append(Raw(range: token.range, strength: .contextOnly, placeLike: true))
        }
        return out
    }

    /// Prefectures (with and without 都道府県) and regions, which are never surnames in practice.
    static let regionNames: Set<[UInt32]> = {
        var out = Set(AddressVocabulary.prefectures)
        for p in AddressVocabulary.prefectures where p.count >= 3 { out.insert(Array(p.dropLast())) }
        for w in ["東北", "関東", "関西", "中部", "近畿", "中国", "四国", "九州", "北陸", "東海", "山陰", "山陽", "信越", "甲信", "欧州",
            "米国", "英国", "日本", "全国", "東京", "大阪", "京都", "北海", "南米", "北米", "中東", "東欧", "西欧", "北欧", "南欧", "東洋", "西洋"]
        {
            out.insert(Array(folding: w))
        }
        return out
    }()

    private func isLetterToken(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        let v = t[token.range.upperBound - 1]
        return ScannedText.isKanji(v) || ScannedText.isKatakana(v)
    }

    /// Whole tokens, at least two, each a single kanji or a name, place or unknown word: never a common
    /// word of two kanji or more, and no numerals.
    private func isPieceworkName(_ t: ScannedText, _ tk: TokenizedText, _ range: Range<Int>) -> Bool {
        guard let first = tk.token(startingAt: range.lowerBound), let last = tk.token(endingAt: range.upperBound), last > first else { return false }
        var untagged = 0
        // 調|定, 後|閲: a suffix or a prefix does not start a name.
        if tk.tokens[first].pos == POS.suffixGeneral || POS.prefixRange.contains(tk.tokens[first].pos) { return false }
        for token in tk.tokens[first...last] {
            if token.range.contains(where: { ScannedText.isKanjiNumeral(t[$0]) }) { return false }
            if [POS.suffixPerson, POS.suffixPlace, POS.suffixCounter].contains(token.pos) || isTitleOrHonorific(t, token.range) { return false }
            if !POS.isPerson(token.pos) { untagged += 1 }
            if token.unknown || POS.isPerson(token.pos) || token.pos == POS.placeGeneral { continue }
            // Single kanji read as ordinary nouns (飛|雄|馬, 黄|基|鉄), not grammatical ones (後 非自立, 等, 中).
            if token.range.count == 1 && Self.pieceParts.contains(token.pos) { continue }
            return false
        }
        guard untagged > 0 else { return false }  // a fully tagged name has its own candidate
        let word = Array(t.folded[range])
        return !NameVocabulary.isPersonNoun(word) && !NameVocabulary.titlesAfter.contains(word)
    }

    static let pieceParts: Set<UInt16> = [POS.general, POS.sahen, POS.properGeneral, POS.country, POS.suffixGeneral, POS.adjectivalNoun]

    @inline(__always) private func adjacent(_ tokens: [TokenizedText.Token], _ e: Int) -> Bool {
        e > 0 && tokens[e].range.lowerBound == tokens[e - 1].range.upperBound
    }

    /// A two-kanji common noun after a surname whose kanji are both typical of given names (啓示, 末広, 正則,
    /// 大司), unlike the business words that follow surnames in company names (鉄鋼, 電力, 製紙, 農園).
    private func isGivenNameWord(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        guard token.range.count == 2, token.pos == POS.general || token.pos == POS.sahen || token.pos == POS.adjectivalNoun else { return false }
        let word = Array(t.folded[token.range])
        guard word.allSatisfy({ NameVocabulary.givenNameKanji.contains($0) }) else { return false }
        return !NameVocabulary.nonPersonHeads.contains(word) && !NameVocabulary.isTitle(word) && !NameVocabulary.isPersonNoun(word)
    }

    /// An untagged word before a given name that can be its surname: one to three kanji, a place or common
    /// noun, not a role, title or organisation word.
    private func isSurnameLike(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        guard (1...3).contains(token.range.count), token.range.allSatisfy({ ScannedText.isKanji(t[$0]) }) else { return false }
        guard token.unknown || [POS.placeGeneral, POS.general, POS.properGeneral, POS.organization].contains(token.pos) else { return false }
        let word = Array(t.folded[token.range])
        return !NameVocabulary.rolesBefore.contains(word) && !NameVocabulary.titlesAfter.contains(word)
            && !NameVocabulary.nonPersonHeads.contains(word) && !NameVocabulary.labels.contains(word)
            && !NameVocabulary.notNamesBeforeHonorific.contains(word)
    }

    /// One kanji (not a numeral, not a suffix such as 家, 氏, 駅) that could be part of a given name.
    private func isGivenNamePiece(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        guard token.range.count == 1 else { return false }
        let v = t[token.range.lowerBound]
        guard ScannedText.isKanji(v), !ScannedText.isKanjiNumeral(v) else { return false }
        guard token.unknown || (POS.isNoun(token.pos) && ![POS.number, POS.suffixCounter, POS.suffixPerson, POS.suffixPlace].contains(token.pos)
            && !POS.pronounRange.contains(token.pos))
        else { return false }
        let word = [v]
        return !NameVocabulary.nonPersonHeads.contains(word) && !NameVocabulary.titlesAfter.contains(word)
            && !NameVocabulary.honorifics.contains(word) && !Self.nonNameSingleKanji.contains(v)
    }

    /// Single kanji that end place, organisation and event names rather than given names (近江|国, 根子|岳,
    /// 嘉吉|の|乱, 小川|町).
    static let nonNameSingleKanji: Set<UInt32> = Set(Array(folding:
        "家側邸宅内外中上下前後間等的性化式版本論説法学史部課局社会店屋館院園校場所氏様君殿国州県郡村町市区島岳山川岬湾浜峠池湖沼丘台橋駅港寺社城砦塚堂線道通街方出向祭乱戦変軍隊派党組座劇号丸艦系流賞杯展"))

    // MARK: katakana names

    private func katakanaCandidates(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger) -> [Raw] {
        var out: [Raw] = []
        var i = 0
        while i < t.count {
            guard ScannedText.isKatakana(t[i]), t[i] != 0x30FC else {
                i += 1
                continue
            }
            // A run of katakana words joined by ・ ＝ = (single capital letters allowed as parts: ジョージ・W・ブッシュ).
            var parts: [Range<Int>] = []
            var p = i
            while true {
                let a = p
                if ScannedText.isKatakana(t[p]) {
                    while p < t.count, ScannedText.isKatakana(t[p]) { p += 1 }
                } else if ScannedText.isASCIILetter(t[p]) && t[p] < 0x5B && !ScannedText.isASCIILetter(t[p + 1]) {
                    p += 1
                    if t[p] == 0x2E { p += 1 }
                } else {
                    break
                }
                parts.append(a..<p)
                // One joiner (two when a middle initial was lost: ジェームズ・・バリンジャー).
                let skip = Self.isJoiner(t[p]) && Self.isJoiner(t[p + 1]) ? 2 : 1
                if Self.isJoiner(t[p]) && (ScannedText.isKatakana(t[p + skip]) || (ScannedText.isASCIILetter(t[p + skip]) && t[p + skip] < 0x5B)) {
                    p += skip
                } else {
                    break
                }
            }
            var range = parts.first!.lowerBound..<parts.last!.upperBound
            if var raw = classifyKatakana(t, tk, parts: parts, range: range, tagger: tagger) {
                // A regnal number (ヨハネ・パウロ2世, ルイ十四世) belongs to the name and confirms it.
                var q = range.upperBound
                while ScannedText.isDigit(t[q]) || ScannedText.isKanjiNumeral(t[q]) { q += 1 }
                if q > range.upperBound, t[q] == 0x4E16 {  // 世
                    range = range.lowerBound..<(q + 1)
                    raw = Raw(range: range, strength: .strong)
                }
                out.append(raw)
            }
            i = max(p, i + 1)
        }
        return out
    }

    @inline(__always) static func isJoiner(_ v: UInt32) -> Bool { v == 0x30FB || v == 0x3D || v == 0x30A0 }

    private enum PartStatus { case name, unknown, mixed, particle, known }

    /// Parts of a ・-joined katakana run. Measured on Wikipedia: with a part MeCab knows as a person name
    /// and at most one other known word the run is nearly always a person (ジョン・ワトソン, ロバート・フリップ);
    /// with only unknown parts it is a person about two times in three (ジュリー・ミッチャム vs ボルチモア・
    /// レイブンズ), so it needs the usual context checks; with two known words it is a team, a company
    /// or an event (ニューヨーク・ヤンキース, ツール・ド・フランス).
    private func classifyKatakana(
        _ t: ScannedText, _ tk: TokenizedText, parts: [Range<Int>], range: Range<Int>, tagger: MeCabTagger
    ) -> Raw? {
        if parts.count >= 2 {
            var names = 0, unknowns = 0, known = 0
            for part in parts {
                switch partStatus(t, part, tagger: tagger) {
                case .name: names += 1
                case .unknown, .mixed: unknowns += 1
                case .particle: break
                case .known: known += 1
                }
            }
            // Letters spelled out (ディー・エヌ・エー, エス・ジー) are initialisms, not names.
            if parts.filter({ Self.letterNames.contains(Array(t.folded[$0])) }).count * 2 >= parts.count { return nil }
            if names >= 1 && known <= 1 && names + unknowns >= 1 && names + unknowns + known >= 2 { return Raw(range: range, strength: .strong) }
            if names == 0 && known == 0 && unknowns >= 2 { return Raw(range: range, strength: .medium) }
            // Known words make a team or a product more likely, but a role or title still makes it a person
            // (計算機科学者アラン・ケイ, マイロ・ラドゥロヴィッチ中尉).
            return Raw(range: range, strength: .contextOnly)
        }
        // One katakana word: MeCab's verdict on the run inside the sentence.
        guard let first = tk.token(startingAt: range.lowerBound), let last = tk.token(endingAt: range.upperBound) else { return nil }
        let tokens = tk.tokens[first...last]
        if tokens.allSatisfy({ POS.isPerson($0.pos) }) {
            return Raw(range: range, strength: tokens.count >= 2 ? .medium : .weak)
        }
        if tokens.count == 1 && tokens.first!.unknown && range.count >= 3 { return Raw(range: range, strength: .contextOnly) }
        return nil
    }

    static let letterNames = NameVocabulary.set([
        "エー", "ビー", "シー", "ディー", "イー", "エフ", "ジー", "エイチ", "アイ", "ジェー", "ジェイ", "ケー", "ケイ", "エル", "エム",
        "エヌ", "オー", "ピー", "キュー", "アール", "エス", "ティー", "ユー", "ブイ", "ヴィー", "ダブリュー", "エックス", "ワイ", "ゼット",
    ])

    private func partStatus(_ t: ScannedText, _ part: Range<Int>, tagger: MeCabTagger) -> PartStatus {
        let word = Array(t.folded[part])
        if NameVocabulary.nameParticles.contains(word) { return .particle }
        if ForeignGivenNames.all.contains(word) { return .name }
        if part.count == 1 || (part.count == 2 && t[part.upperBound - 1] == 0x2E) {  // initials: D・H・ヒル
            return ScannedText.isASCIILetter(t[part.lowerBound]) ? .name : .unknown
        }
        var bytes: [UInt8] = []
        for v in word { TokenizedText.appendUTF8(v, to: &bytes) }
        var persons = 0, unknowns = 0, others = 0, count = 0
        bytes.withUnsafeBufferPointer { buffer in
            tagger.parse(buffer) { node in
                count += 1
                if node.isUnknown {
                    unknowns += 1
                } else if POS.isPerson(node.posID) {
                    persons += 1
                } else {
                    others += 1
                }
            }
        }
        if count == 1 { return persons == 1 ? .name : (unknowns == 1 ? .unknown : .known) }
        if others == 0 { return persons > 0 && unknowns == 0 ? .name : .unknown }
        return unknowns > 0 ? .mixed : .known
    }

    private func isKatakanaWord(_ t: ScannedText, _ range: Range<Int>) -> Bool {
        ScannedText.isKatakana(t[range.lowerBound])
    }

    // MARK: context

    private func accept(_ raw: Raw, _ t: ScannedText, _ tk: TokenizedText) -> Bool {
        if NameVocabulary.nonPersonHeads.contains(Array(t.folded[raw.range])) { return false }  // ジム, ビル as words
        let context = Context(t, tk, raw.range)
        if context.organisationAfter && (raw.strength < .strong || context.organisationWordLength >= 2) { return false }
        switch raw.strength {
        case .strong:
            // 姓+名 in kanji stands alone; a katakana name glued to a noun names a thing (ジョン・C・ステニス宇宙センター).
            return context.positive || !context.compoundAfter || !ScannedText.isKatakana(t[raw.range.lowerBound])
        case .medium:
            return context.positive || !context.compoundAfter
        case .weak:
            return context.positive || (!context.compoundAfter && !context.compoundBefore)
        case .veryWeak, .contextOnly:
            if raw.placeLike && !context.positiveBesidesTitle { return false }
            return context.positive && !context.compoundBefore
        }
    }

    /// What surrounds a candidate.
    struct Context {
        var positive = false
        var compoundAfter = false
        var compoundBefore = false
        var organisationAfter = false
        var organisationWordLength = 0
        /// Positive for a reason other than a title after the candidate.
        var positiveBesidesTitle = false

        init(_ t: ScannedText, _ tk: TokenizedText, _ range: Range<Int>) {
            // After: honorific or title (positive), or a noun that makes a compound (negative).
            if let next = tk.token(startingAt: range.upperBound) {
                let token = tk.tokens[next]
                let word = Array(t.folded[token.range])
                if NameVocabulary.honorifics.contains(word) || NameVocabulary.isTitle(word) || token.pos == POS.suffixPerson {
                    positive = true
                } else if NameVocabulary.nonPersonHeads.contains(word) {
                    organisationAfter = true
                    organisationWordLength = word.count
                } else if POS.isPerson(token.pos) && ScannedText.isKatakana(t[range.upperBound - 1]) != ScannedText.isKatakana(t[range.upperBound]) {
                    positive = true  // 赤城|マリ子, ジャニー|喜多川
                    positiveBesidesTitle = true
                } else if POS.isCompoundNoun(token.pos) || token.pos == POS.number {
                    // Two-token titles (副|大統領, 外務|大臣, 撮影|所長) still count as titles.
                    if next + 1 < tk.tokens.count, tk.tokens[next + 1].range.lowerBound == token.range.upperBound,
                        NameVocabulary.isTitle(Array(t.folded[token.range.lowerBound..<tk.tokens[next + 1].range.upperBound]))
                            || NameVocabulary.isTitle(Array(t.folded[tk.tokens[next + 1].range]))
                    {
                        positive = true
                    } else {
                        compoundAfter = true
                    }
                }
                if NameVocabulary.honorifics.contains(word) || token.pos == POS.suffixPerson { positiveBesidesTitle = true }
                if Self.isAgentPhrase(t, at: range.upperBound) || Self.isHumanSubject(t, at: range.upperBound) {
                    positive = true
                    positiveBesidesTitle = true
                }
            }
            // Before: a role (父の, 作家, 漫画家・, 教育者) is positive; another noun glued on is negative.
            var p = range.lowerBound
            var separated = false
            if t[p - 1] == 0x306E || t[p - 1] == 0x30FB || t[p - 1] == 0x20 {  // の ・ space
                p -= 1
                separated = true
            } else if let copula = Self.copulas.first(where: { t.matches($0, endingAt: p) }) {  // 秘書であった|X
                p -= copula.count
                separated = true
            }
            if let previous = tk.token(endingAt: p) {
                let token = tk.tokens[previous]
                let word = Array(t.folded[token.range])
                let role = NameVocabulary.isPersonNoun(word)
                    || (NameVocabulary.roleSuffixes.contains(word) && token.pos == POS.suffixGeneral && previous > 0)
                if role && (separated || t[p - 1] != 0x306E) {
                    positive = true
                    positiveBesidesTitle = true
                } else if !separated && POS.isPerson(token.pos) && ScannedText.isKatakana(t[p - 1]) != ScannedText.isKatakana(t[p]) {
                    // A name in the other script right before: テリー|伊藤, 土屋|アンナ.
                    positive = true
                    positiveBesidesTitle = true
                } else if !separated && (POS.isCompoundNoun(token.pos) || POS.prefixRange.contains(token.pos) || POS.isPerson(token.pos)) {
                    compoundBefore = true
                }
            } else if range.lowerBound > 0 && !separated {
                let v = t[range.lowerBound - 1]
                if ScannedText.isKanji(v) || ScannedText.isKatakana(v) { compoundBefore = true }
            }
        }

        /// 漫画家, 教育者, 作曲家: a compound token ending in a role suffix.
        static func endsWithRole(_ t: ScannedText, _ range: Range<Int>) -> Bool {
            NameVocabulary.isPersonNoun(Array(t.folded[range]))
        }

        static let copulas: [[UInt32]] = ["であった", "である", "だった", "であり"].map { Array(folding: $0) }

        /// Verbs that take a person: と結婚, が死去, に師事, が就任, が主演.
        static let agentPhrases: [[UInt32]] = [
            "と結婚", "が結婚", "は結婚", "が死去", "は死去", "に師事", "が就任", "は就任", "に就任", "が主演", "が監督", "が担当",
            "が演じ", "を演じ", "が生まれ", "は生まれ", "が誕生", "の長男", "の次男", "の長女", "の次女", "の妻", "の夫", "の息子",
            "の娘", "の父", "の母", "の弟子", "と共演", "が率いる", "率いる", "が語", "は語", "が述べ", "は述べ", "が出演", "は出演",
            "の死", "の遺言", "の葬儀", "の墓", "の遺体", "の自伝", "の著書", "の演技", "の発言", "の指導", "の息女", "の遺族",
            "のアドバイス", "の後継", "の養子", "の側近", "の死後", "の生前", "の没後", "の門下", "の肖像", "の銅像", "の生家", "の旧宅",
        ].map { Array(folding: $0) }

        /// "X は/が … 語った": the subject of a verb that only people do, in the same sentence.
        static func isHumanSubject(_ t: ScannedText, at i: Int) -> Bool {
            guard t[i] == 0x306F || t[i] == 0x304C else { return false }  // は が
            var p = i + 1
            var quoted = 0  // 。 inside 「…」 does not end the sentence
            while p < t.count, p - i < 160, quoted > 0 || t[p] != 0x3002, !ScannedText.isLineBreak(t[p]) {
                if t[p] == 0x300C || t[p] == 0x300E { quoted += 1 }
                if (t[p] == 0x300D || t[p] == 0x300F) && quoted > 0 {
                    quoted -= 1
                    // 「…」と語った: a verb of saying after a quote.
                    if quoted == 0, t[p + 1] == 0x3068, let verbs = sayingVerbsByFirst[t[p + 2]], verbs.contains(where: { t.matches($0, at: p + 2) }) {
                        return true
                    }
                }
                if quoted == 0, let first = humanVerbsByFirst[t[p]], first.contains(where: { t.matches($0, at: p) }) { return true }
                p += 1
            }
            return false
        }

        static let humanVerbs: [[UInt32]] = [
            "語っ", "語り", "語る", "述べ", "話し", "発言", "回想", "証言", "告白", "結婚", "離婚", "生まれ", "死去", "亡くな", "逝去",
            "就任", "辞任", "引退", "入団", "退団", "移籍", "出演", "主演", "共演", "師事", "留学", "卒業", "入学", "逮捕", "当選", "落選",
            "出馬", "立候補", "演じ", "歌っ", "作曲し", "作詞し", "執筆", "指揮し", "暗殺", "戦死", "即位", "亡命", "帰国", "来日", "渡米",
            "入社", "退社", "在籍", "雇わ", "師匠", "弟子入り", "プロポーズ", "批判し", "称賛し", "絶賛し", "激怒", "感銘", "憧れ",
            "彼は", "彼の", "彼が", "彼女", "歌唱", "指示し", "辞職", "退任", "退役", "出家", "改名", "改姓", "婚約", "出産", "誕生し",
            "受賞し", "入籍", "来訪", "訪日", "渡航", "一緒に", "恋人", "自宅",
        ].map { Array(folding: $0) }
        static let humanVerbsByFirst: [UInt32: [[UInt32]]] = Dictionary(grouping: humanVerbs, by: { $0[0] })
        static let sayingVerbs: [[UInt32]] = ["語", "述べ", "話", "言っ", "言い", "明か", "主張", "強調", "批判", "回想", "説明", "発言", "証言",
            "評し", "答え", "コメント", "嘆", "笑", "叫", "振り返"].map { Array(folding: $0) }
        static let sayingVerbsByFirst: [UInt32: [[UInt32]]] = Dictionary(grouping: sayingVerbs, by: { $0[0] })

        static func isAgentPhrase(_ t: ScannedText, at i: Int) -> Bool {
            agentPhrases.contains { t.matches($0, at: i) }
        }
    }

    private func isTitleOrHonorific(_ t: ScannedText, _ range: Range<Int>) -> Bool {
        let word = Array(t.folded[range])
        return NameVocabulary.honorifics.contains(word) || NameVocabulary.titlesAfter.contains(word)
    }

    // MARK: helpers

    /// Overlapping or touching ranges become one.
    func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var out: [Range<Int>] = []
        for r in sorted where !r.isEmpty {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        sorted.removeAll()
        return out
    }

    /// Spaces and ・ removed so 山田 太郎 and 山田太郎 share a placeholder.
    func normalizedName(_ t: ScannedText, _ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        for v in t.folded[range] where v != 0x20 && v != 0x30FB && v != 0x3D {
            if let u = Unicode.Scalar(v) { s.append(u) }
        }
        return String(s)
    }
}
