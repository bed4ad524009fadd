/// Whether a candidate counts: its strength against what surrounds it.
extension NameDetector {


    func accept(_ raw: Raw, _ t: ScannedText, _ tk: TokenizedText) -> Bool {
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
            if raw.commonWord && !context.roleOrHonorific { return false }
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
        /// An honorific after or a role right before (ボーカルの|X, X|さん): the only cues that make a common word a name.
        var roleOrHonorific = false
        /// A verb that takes a person right after (と結婚, の長男), or a verb only people do later in the sentence.
        var agentPhrase = false, humanSubject = false

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
                if NameVocabulary.honorifics.contains(word) || token.pos == POS.suffixPerson {
                    positiveBesidesTitle = true
                    roleOrHonorific = true
                }
                agentPhrase = Self.isAgentPhrase(t, at: range.upperBound)
                humanSubject = !agentPhrase && Self.isHumanSubject(t, at: range.upperBound)
                if agentPhrase || humanSubject {
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
                    roleOrHonorific = true
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
            "亡き後", "の代理人", "の命令", "の研究室", "の指揮下", "の曽孫", "の孫", "の甥", "の姪", "の兄", "の姉", "の弟", "の妹",
            "の夫人", "の未亡人", "の愛人", "の秘書", "の補佐", "のソロ", "のブログ", "の伝記", "の回想録", "の作品では", "と対立", "と親交",
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
            "受賞し", "入籍", "来訪", "訪日", "渡航", "一緒に", "恋人", "自宅", "記して", "記した", "書い", "働い", "働き", "働く",
            "結成し", "脱退", "埋葬", "授か", "崇拝", "投獄", "処刑さ", "退位", "崩御", "薨去", "学ん", "任命さ", "昇進", "を訪ね",
            "を訪れ", "生涯", "晩年", "幼少", "少年時代", "青年時代", "妻と", "夫と", "息子", "娘を", "娘と", "父親", "母親", "信じ",
            "考えて", "考えた", "思っ", "望んで", "嫌って", "愛して", "亡くし", "育て", "育っ", "暮らし", "住んで", "移り住",
            "指名さ", "選出さ", "推薦", "要請し", "依頼し", "率いて",
        ].map { Array(folding: $0) }
        static let humanVerbsByFirst: [UInt32: [[UInt32]]] = Dictionary(grouping: humanVerbs, by: { $0[0] })
        static let sayingVerbs: [[UInt32]] = ["語", "述べ", "話", "言っ", "言い", "明か", "主張", "強調", "批判", "回想", "説明", "発言", "証言",
            "評し", "答え", "コメント", "嘆", "笑", "叫", "振り返"].map { Array(folding: $0) }
        static let sayingVerbsByFirst: [UInt32: [[UInt32]]] = Dictionary(grouping: sayingVerbs, by: { $0[0] })

        static func isAgentPhrase(_ t: ScannedText, at i: Int) -> Bool {
            guard let phrases = agentPhrasesByFirst[t[i]] else { return false }
            return phrases.contains { t.matches($0, at: i) }
        }

        static let agentPhrasesByFirst: [UInt32: [[UInt32]]] = Dictionary(grouping: agentPhrases, by: { $0[0] })
    }

    func isTitleOrHonorific(_ t: ScannedText, _ range: Range<Int>) -> Bool {
        let word = Array(t.folded[range])
        return NameVocabulary.honorifics.contains(word) || NameVocabulary.titlesAfter.contains(word)
    }
}
