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
    }

    func detect(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger) -> [Candidate] {
        var raws = katakanaCandidates(t, tk, tagger: tagger)
        raws += personTokenCandidates(t, tk)
        var accepted: [Range<Int>] = []
        for raw in raws where accept(raw, t, tk) { accepted.append(raw.range) }
        accepted += honorificCandidates(t, tk)
        accepted += labelCandidates(t, tk)
        return merge(accepted).map { Candidate(.personName, $0, normalized: normalizedName(t, $0)) }
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
            // A surname followed by one or two single kanji MeCab left untagged: 岡部|冬|彦, 白石|晃|士.
            if tokens[j - 1].pos == POS.surname && !hasGiven {
                var e = j
                while e < tokens.count, e - j < 2, isGivenNamePiece(t, tokens[e]),
                    tokens[e].range.lowerBound == tokens[e - 1].range.upperBound
                {
                    e += 1
                }
                if e > j, e == tokens.count || !POS.isCompoundNoun(tokens[e].pos) || isTitleOrHonorific(t, tokens[e].range) {
                    range = range.lowerBound..<tokens[e - 1].range.upperBound
                    strength = max(strength, .medium)
                    j = e
                }
            }
            out.append(Raw(range: range, strength: strength))
            k = j
        }
        return out
    }

    /// One kanji (not a numeral, not a suffix such as 家, 氏, 駅) that could be part of a given name.
    private func isGivenNamePiece(_ t: ScannedText, _ token: TokenizedText.Token) -> Bool {
        guard token.range.count == 1 else { return false }
        let v = t[token.range.lowerBound]
        guard ScannedText.isKanji(v), !ScannedText.isKanjiNumeral(v) else { return false }
        guard token.pos == POS.general || token.pos == POS.properGeneral || token.pos == POS.suffixGeneral
            || POS.isPerson(token.pos) || token.pos == POS.placeGeneral || token.unknown
        else { return false }
        let word = [v]
        return !NameVocabulary.nonPersonHeads.contains(word) && !NameVocabulary.titlesAfter.contains(word)
            && !NameVocabulary.honorifics.contains(word) && !Self.nonNameSingleKanji.contains(v)
    }

    static let nonNameSingleKanji: Set<UInt32> = Set(Array(folding: "家側邸宅内外中上下前後間等的性化式版本論説法学史部課局社会店屋館院園校場所氏様君殿"))

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
                if Self.isJoiner(t[p]) && (ScannedText.isKatakana(t[p + 1]) || (ScannedText.isASCIILetter(t[p + 1]) && t[p + 1] < 0x5B)) {
                    p += 1
                } else {
                    break
                }
            }
            let range = parts.first!.lowerBound..<parts.last!.upperBound
            // Glued to other letters (ホンダF1 is fine, but not a katakana tail of a kanji word): skip.
            if let raw = classifyKatakana(t, tk, parts: parts, range: range, tagger: tagger) { out.append(raw) }
            i = max(p, i + 1)
        }
        return out
    }

    @inline(__always) static func isJoiner(_ v: UInt32) -> Bool { v == 0x30FB || v == 0x3D || v == 0x30A0 }

    private enum PartStatus { case name, unknown, particle, known }

    private func classifyKatakana(
        _ t: ScannedText, _ tk: TokenizedText, parts: [Range<Int>], range: Range<Int>, tagger: MeCabTagger
    ) -> Raw? {
        if parts.count >= 2 {
            var names = 0, unknowns = 0, substantive = 0
            for part in parts {
                switch partStatus(t, part, tagger: tagger) {
                case .name: names += 1; substantive += 1
                case .unknown: unknowns += 1; substantive += 1
                case .particle: break
                case .known: return nil
                }
            }
            guard substantive >= 2 || (substantive == 1 && parts.count >= 2 && names == 1) else { return nil }
            return Raw(range: range, strength: names > 0 ? .strong : .medium)
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

    private func partStatus(_ t: ScannedText, _ part: Range<Int>, tagger: MeCabTagger) -> PartStatus {
        let word = Array(t.folded[part])
        if NameVocabulary.nameParticles.contains(word) { return .particle }
        if part.count == 1 || (part.count == 2 && t[part.upperBound - 1] == 0x2E) { return .unknown }  // initials
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
        if count == 1 && persons == 1 { return .name }
        if others == 0 && unknowns > 0 { return .unknown }
        if count >= 2 && others == 0 { return .name }
        return .known
    }

    private func isKatakanaWord(_ t: ScannedText, _ range: Range<Int>) -> Bool {
        ScannedText.isKatakana(t[range.lowerBound])
    }

    // MARK: context

    private func accept(_ raw: Raw, _ t: ScannedText, _ tk: TokenizedText) -> Bool {
        let context = Context(t, tk, raw.range)
        if context.organisationAfter { return false }
        switch raw.strength {
        case .strong:
            return true
        case .medium:
            return context.positive || !context.compoundAfter
        case .weak:
            return context.positive || (!context.compoundAfter && !context.compoundBefore)
        case .veryWeak, .contextOnly:
            return context.positive && !context.compoundBefore
        }
    }

    /// What surrounds a candidate.
    struct Context {
        var positive = false
        var compoundAfter = false
        var compoundBefore = false
        var organisationAfter = false

        init(_ t: ScannedText, _ tk: TokenizedText, _ range: Range<Int>) {
            // After: honorific or title (positive), or a noun that makes a compound (negative).
            if let next = tk.token(startingAt: range.upperBound) {
                let token = tk.tokens[next]
                let word = Array(t.folded[token.range])
                if NameVocabulary.honorifics.contains(word) || NameVocabulary.titlesAfter.contains(word) || token.pos == POS.suffixPerson {
                    positive = true
                } else if NameVocabulary.nonPersonHeads.contains(word) {
                    organisationAfter = true
                } else if POS.isCompoundNoun(token.pos) || token.pos == POS.number || POS.isPerson(token.pos) {
                    // Two-token titles (副|大統領, 外務|大臣) still count as titles.
                    if next + 1 < tk.tokens.count, tk.tokens[next + 1].range.lowerBound == token.range.upperBound,
                        NameVocabulary.titlesAfter.contains(Array(t.folded[token.range.lowerBound..<tk.tokens[next + 1].range.upperBound]))
                            || NameVocabulary.titlesAfter.contains(Array(t.folded[tk.tokens[next + 1].range]))
                    {
                        positive = true
                    } else if !NameVocabulary.titlesAfter.contains(word) {
                        compoundAfter = true
                    }
                }
                if !positive, Self.isAgentPhrase(t, at: range.upperBound) { positive = true }
            }
            // Before: a role (父の, 作家, 漫画家・, 教育者) is positive; another noun glued on is negative.
            var p = range.lowerBound
            var separated = false
            if t[p - 1] == 0x306E || t[p - 1] == 0x30FB || t[p - 1] == 0x20 {  // の ・ space
                p -= 1
                separated = true
            }
            if let previous = tk.token(endingAt: p) {
                let token = tk.tokens[previous]
                let word = Array(t.folded[token.range])
                let role = NameVocabulary.rolesBefore.contains(word)
                    || (NameVocabulary.roleSuffixes.contains(word) && token.pos == POS.suffixGeneral && previous > 0)
                    || Self.endsWithRole(t, token.range)
                if role && (separated || t[p - 1] != 0x306E) {
                    positive = true
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
            guard range.count >= 2 else { return false }
            let last = [t[range.upperBound - 1]]
            return ["者", "家", "手"].map { Array(folding: $0) }.contains(last) && ScannedText.isKanji(t[range.upperBound - 2])
        }

        /// Verbs that take a person: と結婚, が死去, に師事, が就任, が主演.
        static let agentPhrases: [[UInt32]] = [
            "と結婚", "が結婚", "は結婚", "が死去", "は死去", "に師事", "が就任", "は就任", "に就任", "が主演", "が監督", "が担当",
            "が演じ", "を演じ", "が生まれ", "は生まれ", "が誕生", "の長男", "の次男", "の長女", "の次女", "の妻", "の夫", "の息子",
            "の娘", "の父", "の母", "の弟子", "と共演", "が率いる", "率いる", "が語", "は語", "が述べ", "は述べ", "が出演", "は出演",
        ].map { Array(folding: $0) }

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
            if let last = out.last, r.lowerBound < last.upperBound {
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
