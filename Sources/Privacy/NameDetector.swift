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
        /// A common word IPAdic also lists as a surname (小栗, 植木, 仲間, 本名): only a role right before it or an
        /// honorific after it makes it a name, never a verb later in the sentence.
        var commonWord = false
    }

    /// Scores what the rules leave; nil for the rules alone.
    var model: NameModel? = nil

    func detect(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger) -> [Candidate] {
        let (rules, raws) = ruleNames(t, tk, tagger: tagger)
        var accepted = rules
        if let model {
            if model.rejectThreshold > 0 {
                accepted = ruleSpanFeatures(t, tk, tagger: tagger, raws: raws, accepted: rules)
                    .filter { model.probability($0.features) >= model.rejectThreshold }.map(\.range)
            }
            // Candidates overlapping any rule name (kept or dropped) are not the model's to add.
            accepted = merge(accepted + modelNames(t, tk, tagger: tagger, raws: raws, taken: rules, model: model))
        }
        return accepted.map { Candidate(.personName, $0, normalized: normalizedName(t, $0)) }
    }

    /// The names the rules accept, and the raw candidates they judged (the model reads their strength).
    func ruleNames(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger) -> (accepted: [Range<Int>], raws: [Raw]) {
        var raws = katakanaCandidates(t, tk, tagger: tagger)
        raws += personTokenCandidates(t, tk)
        raws += unknownKanjiNames(t, tk)
        raws += placeTaggedNames(t, tk)
        raws += lexiconFullNames(t, tk)
        raws += sinosphereNames(t, tk)
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
        return (accepted, raws)
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

    func personTokenCandidates(_ t: ScannedText, _ tk: TokenizedText) -> [Raw] {
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
                // A numeral may be one of them (岡本|三|司, 松田|岳|二) but never all of them (山田|一|人).
                var numerals = 0
                while e < tokens.count, e - j < 2, adjacent(tokens, e) {
                    if isGivenNamePiece(t, tokens[e]) {
                        e += 1
                    } else if isNumeralPiece(t, tokens[e]) {
                        numerals += 1
                        e += 1
                    } else {
                        break
                    }
                }
                if numerals > 0 && (numerals == e - j || (e < tokens.count && adjacent(tokens, e) && tokens[e].pos == POS.suffixCounter)) { e = j }
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
    func unknownKanjiNames(_ t: ScannedText, _ tk: TokenizedText) -> [Raw] {
        var out: [Raw] = []
        for run in t.kanjiRuns() where (2...5).contains(run.count) && isPieceworkName(t, tk, run) {
            out.append(Raw(range: run, strength: .contextOnly))
        }
        return out
    }

    /// A surname MeCab reads as a place or a proper noun (瀬戸, 川上, 嘉納): two or three kanji, one token,
    /// only with context (瀬戸は…落選した, ボーカルの川上, 嘉納館長).
    func placeTaggedNames(_ t: ScannedText, _ tk: TokenizedText) -> [Raw] {
        var out: [Raw] = []
        for (k, token) in tk.tokens.enumerated()
        where token.pos == POS.placeGeneral || token.pos == POS.properGeneral || (token.pos == POS.general && token.alsoSurname) {
            guard (2...3).contains(token.range.count), token.range.allSatisfy({ ScannedText.isKanji(t[$0]) && !ScannedText.isKanjiNumeral(t[$0]) })
            else { continue }
            // Not glued to other kanji or katakana (大阪府, 瀬戸内海 are other tokens).
            if k > 0, tk.tokens[k - 1].range.upperBound == token.range.lowerBound, isLetterToken(t, tk.tokens[k - 1]) { continue }
            if Self.regionNames.contains(Array(t.folded[token.range])) { continue }
            let common = token.pos == POS.general
            out.append(Raw(range: token.range, strength: .contextOnly, placeLike: !common, commonWord: common))
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

    func isLetterToken(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        let v = t[token.range.upperBound - 1]
        return ScannedText.isKanji(v) || ScannedText.isKatakana(v)
    }

    /// Whole tokens, at least two, each a single kanji or a name, place or unknown word: never a common
    /// word of two kanji or more, and no numerals.
    func isPieceworkName(_ t: ScannedText, _ tk: TokenizedText, _ range: Range<Int>) -> Bool {
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
    func isGivenNameWord(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        guard token.range.count == 2, token.pos == POS.general || token.pos == POS.sahen || token.pos == POS.adjectivalNoun else { return false }
        let word = Array(t.folded[token.range])
        guard word.allSatisfy({ NameVocabulary.givenNameKanji.contains($0) }) else { return false }
        return !NameVocabulary.nonPersonHeads.contains(word) && !NameVocabulary.isTitle(word) && !NameVocabulary.isPersonNoun(word)
    }

    /// An untagged word before a given name that can be its surname: one to three kanji, a place or common
    /// noun, not a role, title or organisation word.
    func isSurnameLike(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        guard (1...3).contains(token.range.count), token.range.allSatisfy({ ScannedText.isKanji(t[$0]) }) else { return false }
        guard token.unknown || [POS.placeGeneral, POS.general, POS.properGeneral, POS.organization].contains(token.pos) else { return false }
        let word = Array(t.folded[token.range])
        return !NameVocabulary.rolesBefore.contains(word) && !NameVocabulary.titlesAfter.contains(word)
            && !NameVocabulary.nonPersonHeads.contains(word) && !NameVocabulary.labels.contains(word)
            && !NameVocabulary.notNamesBeforeHonorific.contains(word)
    }

    /// One kanji (not a numeral, not a suffix such as 家, 氏, 駅) that could be part of a given name.
    func isGivenNamePiece(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
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

    /// 一 to 十 read as a number: part of many given names (三司, 岳二, 熊四郎), never a name alone.
    func isNumeralPiece(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        token.range.count == 1 && token.pos == POS.number && Self.smallNumerals.contains(t[token.range.lowerBound])
    }

    static let smallNumerals: Set<UInt32> = Set(Array(folding: "一二三四五六七八九十"))

    /// Single kanji that end place, organisation and event names rather than given names (近江|国, 根子|岳,
    /// 嘉吉|の|乱, 小川|町).
    static let nonNameSingleKanji: Set<UInt32> = Set(Array(folding:
        "家側邸宅内外中上下前後間等的性化式版本論説法学史部課局社会店屋館院園校場所氏様君殿国州県郡村町市区島岳山川岬湾浜峠池湖沼丘台橋駅港寺社城砦塚堂線道通街方出向祭乱戦変軍隊派党組座劇号丸艦系流賞杯展"))

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
