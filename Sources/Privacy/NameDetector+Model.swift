import JapaneseText

/// Names the rules left alone, scored by the learned `NameModel`.
///
/// The rules stay in charge: the model only sees spans that overlap no name the rules accepted — katakana runs
/// (ラウリー, アル・ゴア) and kanji spans of whole tokens with a name-like token inside (柳町|光男, lone 宮崎) — and
/// adds those whose probability reaches the model's threshold, best first, never two overlapping.
extension NameDetector {
    struct ModelCandidate {
        var range: Range<Int>
        var features: [UInt64]
        /// A lone word without any sign of a person in its sentence: held to `NameModel.aloneThreshold`.
        var alone = false
    }

    /// Accepted spans from the model, sorted by position.
    func modelNames(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger, raws: [Raw], taken: [Range<Int>], model: NameModel) -> [Range<Int>] {
        let scored = modelCandidates(t, tk, tagger: tagger, raws: raws, taken: taken).map { c in
            let p = model.probability(c.features)
            return (c.range, c.alone && p < model.aloneThreshold ? -1 : p)
        }
        return Self.decode(scored, threshold: model.threshold)
    }

    /// Best first, never overlapping: the spans at or above the threshold.
    static func decode(_ scored: [(Range<Int>, Float)], threshold: Float) -> [Range<Int>] {
        var chosen: [Range<Int>] = []
        var used = [Bool](repeating: false, count: scored.map(\.0.upperBound).max() ?? 0)
        // Higher probability first; on a tie the longer span (杉原千畝 over 杉原千), then the earlier.
        let order = scored.sorted {
            $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.count != $1.0.count ? $0.0.count > $1.0.count : $0.0.lowerBound < $1.0.lowerBound
        }
        for (range, p) in order where p >= threshold {
            if !range.contains(where: { used[$0] }) {
                chosen.append(range)
                for i in range { used[i] = true }
            }
        }
        return chosen.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Every span the model may judge, with its features; none overlaps `taken`.
    func modelCandidates(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger, raws: [Raw], taken: [Range<Int>]) -> [ModelCandidate] {
        // A span may overlap a rule name only by holding all of it (柳町|光男 around the rule's 光男): the model
        // may then widen the name.
        var owner = [Int32](repeating: -1, count: t.count)
        for (n, r) in taken.enumerated() { for i in r { owner[i] = Int32(n) } }
        func allowed(_ r: Range<Int>) -> Bool {
            var inside = false
            for i in r where owner[i] >= 0 {
                let name = taken[Int(owner[i])]
                guard name.lowerBound >= r.lowerBound, name.upperBound <= r.upperBound, name != r else { return false }
                inside = true
            }
            return !inside || ScannedText.isKanji(t[r.lowerBound])
        }
        var spans: [(Range<Int>, CandidateShape, [Range<Int>])] = []
        // Katakana runs joined by ・ ＝ (the same runs the katakana rule reads).
        var i = 0
        while i < t.count {
            guard ScannedText.isKatakana(t[i]), t[i] != 0x30FC, !ScannedText.isKatakana(t[i - 1]) else {
                i += 1
                continue
            }
            let (parts, end) = katakanaRun(t, from: i)
            let range = parts.first!.lowerBound..<parts.last!.upperBound
            // Letters spelled out (ディー・エヌ・エー) are initialisms, as the katakana rule says.
            let letters = parts.filter { Self.letterNames.contains(Array(t.folded[$0])) }.count
            if range.count >= 2, allowed(range), parts.count == 1 || letters * 2 < parts.count {
                spans.append((range, parts.count > 1 ? .katakanaJoined : .katakana, parts))
            }
            i = max(end, i + 1)
        }
        // Kanji spans of whole tokens (one to three tokens, two to six kanji) holding a name-like token.
        for run in t.kanjiRuns() where run.count >= 2 {
            guard let firstToken = tk.token(startingAt: run.lowerBound) else { continue }
            var k = firstToken
            while k < tk.tokens.count, tk.tokens[k].range.lowerBound < run.upperBound {
                defer { k += 1 }
                let start = tk.tokens[k].range.lowerBound
                // As for the rules' pieced names: a prefix or a suffix does not start a name (後|閲, 調|定).
                guard !POS.prefixRange.contains(tk.tokens[k].pos), tk.tokens[k].pos != POS.suffixGeneral, !Self.notInNames(tk.tokens[k].pos)
                else { continue }
                var nameLike = false
                var e = k
                while e < tk.tokens.count, e - k < 3, tk.tokens[e].range.upperBound <= run.upperBound, tk.tokens[e].range.upperBound - start <= 6 {
                    let token = tk.tokens[e]
                    // A one-kanji numeral may end a given name (長崎|啓|二, 杉原|千|畝), never start one.
                    let numeral = e > k && token.pos == POS.number && token.range.count == 1
                    if Self.notInNames(token.pos) && !numeral { break }
                    // A title, honorific or role word ends the name (矢野裕|市長, 山本浩二|監督), and starts none.
                    if Self.isRoleToken(t, token.range) { break }
                    if e > k && token.range.lowerBound != tk.tokens[e - 1].range.upperBound { break }
                    nameLike = nameLike || token.unknown || POS.isPerson(token.pos) || token.alsoSurname || token.alsoGiven
                    let range = start..<token.range.upperBound
                    if nameLike, range.count >= 2, allowed(range) { spans.append((range, .kanji, [])) }
                    e += 1
                }
            }
        }
        // Capitalised Latin words, up to four, single spaces between them (initials allowed: Michael S. Maurer).
        i = 0
        while i < t.count {
            guard Self.isUpper(t[i]), !ScannedText.isASCIILetter(t[i - 1]), !ScannedText.isDigit(t[i - 1]) else {
                i += 1
                continue
            }
            var end = i, words = 0, p = i
            while words < 4, Self.isUpper(t[p]) {
                var q = p + 1
                while ScannedText.isASCIILetter(t[q]) || (t[q] == 0x27 || t[q] == 0x2D) && ScannedText.isASCIILetter(t[q + 1]) { q += 1 }
                if q == p + 1 && t[q] == 0x2E { q += 1 }  // an initial: S.
                if ScannedText.isDigit(t[q]) { break }
                end = q
                words += 1
                guard t[q] == 0x20, Self.isUpper(t[q + 1]) else { break }
                p = q + 1
            }
            if words > 0, end - i >= 2, end - i <= 30, !ScannedText.isASCIILetter(t[end]), allowed(i..<end) {
                spans.append((i..<end, .latin, []))
            }
            i = max(end, i + 1)
        }
        // A kanji surname and a short katakana given name glued to it (桐島ココ, 斉藤ノヴ).
        for token in tk.tokens where (token.pos == POS.surname || token.alsoSurname) && (1...3).contains(token.range.count) {
            let e = token.range.upperBound
            guard ScannedText.isKatakana(t[e]), t[e] != 0x30FC, !ScannedText.isKanji(t[token.range.lowerBound - 1]),
                token.range.allSatisfy({ ScannedText.isKanji(t[$0]) })
            else { continue }
            var q = e
            while ScannedText.isKatakana(t[q]), q - e <= 5 { q += 1 }
            guard q - e <= 5, allowed(token.range.lowerBound..<q) else { continue }
            spans.append((token.range.lowerBound..<q, .mixed, [e..<q]))
        }
        guard !spans.isEmpty else { return [] }
        var rawByRange: [Range<Int>: Raw] = [:]
        for raw in raws where rawByRange[raw.range].map({ $0.strength < raw.strength }) ?? true { rawByRange[raw.range] = raw }
        var sentenceCache: [Int: (keys: [UInt64], cue: Bool)] = [:]
        var lastSentence = 0..<0
        return spans.compactMap { range, shape, parts in
            // Role words, titles and honorifics (コーチ, 監督, 先生) are never names themselves.
            let word = Array(t.folded[range])
            if NameVocabulary.isPersonNoun(word) || NameVocabulary.isTitle(word) || NameVocabulary.nonPersonHeads.contains(word)
                || NameVocabulary.honorifics.contains(word)
            {
                return nil
            }
            var f = NameFeatures()
            let contextBits = describe(t, tk, range, shape, parts, tagger: tagger, into: &f)
            // Candidates come in text order within each kind: the last sentence is usually theirs too (when it
            // was not cut at 400 scalars).
            let reuse = lastSentence.contains(range.lowerBound) && range.upperBound <= lastSentence.upperBound
                && (lastSentence.lowerBound == 0 || Self.endsSentence(t[lastSentence.lowerBound - 1]))
                && (lastSentence.upperBound == t.count || Self.endsSentence(t[lastSentence.upperBound]))
            let sentence = reuse ? lastSentence : sentenceRange(t, around: range)
            lastSentence = sentence
            if sentenceCache[sentence.lowerBound] == nil { sentenceCache[sentence.lowerBound] = sentenceWords(t, tk, sentence) }
            let (words, sentenceCue) = sentenceCache[sentence.lowerBound]!
            let nameInSentence = !Self.overlapping(taken, sentence).isEmpty
            // One word standing alone (a katakana word, a Latin word, one kanji token) with no sign of a person in
            // its sentence — no cue next to it, no person noun, no verb only people do, no other name. Wikipedia
            // prose teaches that "X は、…" is a person half the time; in 公用文 such a topic is a thing
            // (ヌクレオシドは…, マイナンバーカードは…), so these must pass a stricter threshold.
            let single = shape == .katakana || shape == .latin || (shape == .kanji && tk.tokenAt[range.lowerBound] == tk.tokenAt[range.upperBound - 1])
            let alone = single && !sentenceCue && !nameInSentence && contextBits & 0b1110_0001 == 0
            let strength = rawByRange[range].map { UInt32($0.strength.rawValue) + 1 } ?? 0
            f.add(.ruleStrength, shape.rawValue, strength)
            f.add(.strengthContext, shape.rawValue, strength, contextBits)
            if let raw = rawByRange[range] { f.add(.ruleFlags, shape.rawValue, raw.placeLike ? 1 : 0, raw.commonWord ? 1 : 0) }
            f.keys += words
            f.add(.sentenceFlags, shape.rawValue, 1, nameInSentence ? 1 : 0)
            f.add(.sentenceFlags, shape.rawValue, 2, range.lowerBound == sentence.lowerBound ? 1 : 0)
            f.add(.sentenceFlags, shape.rawValue, 3, alone ? 1 : 0)
            return ModelCandidate(range: range, features: f.keys, alone: alone)
        }
    }

    /// First and last scalars a person noun can have (a cheap test before the word lookup), and first scalars
    /// of the human verbs.
    static let personNounFirst = ScalarBitmap((NameVocabulary.rolesBefore.union(NameVocabulary.katakanaProfessions)).compactMap(\.first))
    static let personNounLast = ScalarBitmap(Array(NameVocabulary.personSuffixScalars) + NameVocabulary.katakanaProfessionEndings.compactMap(\.last))
    static let humanVerbFirst = ScalarBitmap(Context.humanVerbs.compactMap(\.first))

    /// The ranges of `sorted` (ordered, not overlapping) that overlap `r`, by binary search.
    static func overlapping(_ sorted: [Range<Int>], _ r: Range<Int>) -> ArraySlice<Range<Int>> {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].upperBound <= r.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        var e = lo
        while e < sorted.count, sorted[e].lowerBound < r.upperBound { e += 1 }
        return sorted[lo..<e]
    }

    @inline(__always) static func isUpper(_ v: UInt32) -> Bool { v >= 0x41 && v <= 0x5A }

    /// Parts of speech that never sit inside a kanji name: anything but ordinary, サ変, adjectival and proper nouns
    /// and general suffixes (numbers, counters, person/place suffixes, pronouns, 非自立 nouns such as 後, 副詞可能
    /// nouns, non-nouns).
    @inline(__always) static func notInNames(_ pos: UInt16) -> Bool {
        !(pos == POS.sahen || pos == POS.general || pos == POS.adjectivalNoun || (41...47).contains(pos) || pos == POS.suffixGeneral)
    }

    static func isRoleToken(_ t: ScannedText, _ r: Range<Int>) -> Bool {
        let word = Array(t.folded[r])
        return NameVocabulary.isTitle(word) || NameVocabulary.honorifics.contains(word) || NameVocabulary.isPersonNoun(word)
            || NameVocabulary.titlesAfter.contains(word)
    }

    @inline(__always) static func endsSentence(_ v: UInt32) -> Bool { v == 0x3002 || ScannedText.isLineBreak(v) }

    /// The sentence around a span: from after the last 。 or line break to the next.
    func sentenceRange(_ t: ScannedText, around r: Range<Int>) -> Range<Int> {
        var s = r.lowerBound
        while s > 0, t[s - 1] != 0x3002, !ScannedText.isLineBreak(t[s - 1]), r.lowerBound - s < 400 { s -= 1 }
        var e = r.upperBound
        while e < t.count, t[e] != 0x3002, !ScannedText.isLineBreak(t[e]), e - r.upperBound < 400 { e += 1 }
        return s..<e
    }

    /// Content words of the sentence (nouns, verbs, adjectives of two characters or more), each once.
    /// Also whether the sentence holds a person noun or a verb only people do (`cue`).
    func sentenceWords(_ t: ScannedText, _ tk: TokenizedText, _ sentence: Range<Int>) -> (keys: [UInt64], cue: Bool) {
        var seen = Set<UInt32>()
        var f = NameFeatures()
        var p = sentence.lowerBound
        while p < sentence.upperBound, tk.token(startingAt: p) == nil { p += 1 }
        guard p < sentence.upperBound, var k = tk.token(startingAt: p) else { return ([], false) }
        while k < tk.tokens.count, tk.tokens[k].range.upperBound <= sentence.upperBound {
            let token = tk.tokens[k]
            k += 1
            // Never proper nouns, katakana or words IPAdic also lists as names: those could be the candidates.
            guard token.range.count >= 2, !token.unknown, !token.alsoSurname, !token.alsoGiven, !(41...47).contains(token.pos),
                !ScannedText.isKatakana(t[token.range.lowerBound]),
                POS.isNoun(token.pos) || POS.verbRange.contains(token.pos) || POS.adjectiveRange.contains(token.pos)
            else { continue }
            let w = NameFeatures.word(t, token.range)
            if seen.insert(w).inserted { f.add(.sentenceWord, w) }
        }
        // What the sentence says: its last content word (…の政治家。 …の一つである。 …からなる。), and whether it
        // holds a person noun or a verb only people do anywhere.
        var last = tk.tokenAt[max(sentence.upperBound - 1, sentence.lowerBound)]
        while last >= 0, tk.tokens[Int(last)].range.lowerBound >= sentence.lowerBound {
            let token = tk.tokens[Int(last)]
            if POS.isNoun(token.pos) || POS.verbRange.contains(token.pos) || POS.adjectiveRange.contains(token.pos), !token.unknown, !POS.isPerson(token.pos) {
                f.add(.predicate, NameFeatures.word(t, token.range), 1)
                f.add(.predicate, UInt32(token.pos), 2)
                f.add(.predicate, NameVocabulary.isPersonNoun(Array(t.folded[token.range])) ? 1 : 0, 3)
                break
            }
            last -= 1
        }
        var personNoun = false, humanVerb = false
        for k in Int(max(tk.tokenAt[sentence.lowerBound], 0))..<tk.tokens.count {
            guard tk.tokens[k].range.upperBound <= sentence.upperBound else { break }
            let r = tk.tokens[k].range
            if POS.isNoun(tk.tokens[k].pos), Self.personNounFirst.contains(t[r.lowerBound]) || Self.personNounLast.contains(t[r.upperBound - 1]),
                NameVocabulary.isPersonNoun(Array(t.folded[r]))
            {
                personNoun = true
                break
            }
        }
        for p in sentence where !humanVerb && Self.humanVerbFirst.contains(t[p]) {
            if let verbs = Context.humanVerbsByFirst[t[p]], verbs.contains(where: { t.matches($0, at: p) }) { humanVerb = true }
        }
        f.add(.predicate, personNoun ? 1 : 0, humanVerb ? 1 : 0, 4)
        return (f.keys, personNoun || humanVerb)
    }

    /// Names the rules accepted, each with its features (shape `.rule`), for the model to confirm or drop.
    func ruleSpanFeatures(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger, raws: [Raw], accepted: [Range<Int>]) -> [ModelCandidate] {
        var strength: [Range<Int>: Strength] = [:]
        for raw in raws where strength[raw.range].map({ $0 < raw.strength }) ?? true { strength[raw.range] = raw.strength }
        let byStart = raws.sorted { $0.range.lowerBound < $1.range.lowerBound }
        return accepted.map { range in
            var f = NameFeatures()
            let bits = describe(t, tk, range, .rule, [], tagger: tagger, into: &f)
            // Where the name came from: a raw candidate of that strength, one inside it, or context alone.
            let own = strength[range].map { UInt32($0.rawValue) + 1 } ?? 0
            var inside: UInt32 = 0
            var lo = 0, hi = byStart.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if byStart[mid].range.lowerBound < range.lowerBound { lo = mid + 1 } else { hi = mid }
            }
            while lo < byStart.count, byStart[lo].range.lowerBound < range.upperBound {
                if byStart[lo].range.upperBound <= range.upperBound { inside = max(inside, UInt32(byStart[lo].strength.rawValue) + 1) }
                lo += 1
            }
            f.add(.source, own, inside)
            f.add(.strengthContext, 4, own, bits)
            let sentence = sentenceRange(t, around: range)
            f.add(.sentenceFlags, 4, 3, Self.overlapping(accepted, sentence).count > 1 ? 1 : 0)
            return ModelCandidate(range: range, features: f.keys)
        }
    }

    /// Shape, parts of speech, endings and neighbours of one span; returns the rules' context bits.
    @discardableResult
    func describe(_ t: ScannedText, _ tk: TokenizedText, _ range: Range<Int>, _ shape: CandidateShape, _ parts: [Range<Int>], tagger: MeCabTagger, into f: inout NameFeatures) -> UInt32 {
        let s = shape.rawValue
        f.add(.shapeLength, s, UInt32(min(range.count, 9)))
        let first = tk.tokenAt[range.lowerBound], last = tk.tokenAt[range.upperBound - 1]
        var previous = -1, next = tk.tokens.count
        if first >= 0, last >= first {
            let tokens = tk.tokens[Int(first)...Int(last)]
            f.add(.shapeTokens, s, UInt32(min(tokens.count, 5)))
            f.add(.firstPOS, s, UInt32(tokens.first!.pos), tokens.first!.unknown ? 1 : 0)
            f.add(.lastPOS, s, UInt32(tokens.last!.pos), tokens.last!.unknown ? 1 : 0)
            if tokens.count <= 3 {
                var h: UInt32 = 0
                for token in tokens { h = h &* 131 &+ UInt32(token.pos) &* 2 &+ (token.unknown ? 1 : 0) }
                f.add(.posSequence, s, h, UInt32(tokens.count))
            }
            let unknowns = tokens.filter(\.unknown).count
            f.add(.unknownPattern, s, unknowns == 0 ? 0 : unknowns == tokens.count ? 2 : 1)
            let firstToken = tokens.first!, lastToken = tokens.last!
            f.add(.lexiconFlags, s, 1, (firstToken.alsoSurname ? 1 : 0) + (firstToken.pos == POS.surname ? 2 : 0))
            f.add(.lexiconFlags, s, 2, (lastToken.alsoGiven ? 1 : 0) + (lastToken.pos == POS.givenName ? 2 : 0))
            f.add(.lexiconFlags, s, 3, UInt32(min(tokens.filter { $0.range.count == 1 }.count, 3)))
            f.add(.lexiconFlags, s, 5, tokens.contains(where: \.alsoPerson) ? 1 : 0)
            // Word cost, coarsely: how common the dictionary thinks the words are.
            let known = tokens.filter { !$0.unknown }
            if let cheapest = known.map(\.cost).min() {
                f.add(.wordCost, s, UInt32(max(0, min(Int(cheapest) / 1000 + 3, 20))), UInt32(min(known.count, 3)))
            }
            previous = Int(first) - 1
            next = Int(last) + 1
            // Tokens that reach outside the span (a katakana run inside a longer unknown word).
            f.add(.lexiconFlags, s, 4, (firstToken.range.lowerBound == range.lowerBound ? 1 : 0) + (lastToken.range.upperBound == range.upperBound ? 2 : 0))
        }
        let word = Array(t.folded[range])
        var unknownPattern: UInt32 = 9
        if first >= 0, last >= first {
            let tokens = tk.tokens[Int(first)...Int(last)]
            let unknowns = tokens.filter(\.unknown).count
            unknownPattern = unknowns == 0 ? 0 : unknowns == tokens.count ? 2 : 1
        }
        if shape == .kanji || (shape == .rule && ScannedText.isKanji(word[0])) {
            f.add(.lastChar, s, word.last!)
            f.add(.kanjiFlags, s, 1, word.allSatisfy { NameVocabulary.givenNameKanji.contains($0) } ? 1 : 0)
            f.add(.kanjiFlags, s, 2, Self.sinosphereSurnames.contains(word[0]) ? 1 : 0)
            f.add(.kanjiFlags, s, 3, word.contains { ScannedText.isKanjiNumeral($0) } ? 1 : 0)
            f.add(.kanjiFlags, s, 4, Self.nonNameSingleKanji.contains(word.last!) || Self.termEnds.contains(word.last!) ? 1 : 0)
            f.add(.kanjiFlags, s, 6, Self.regionNames.contains(word) ? 1 : 0)
        } else if shape == .latin || (shape == .rule && ScannedText.isASCIILetter(word[0])) {
            let words = word.split(separator: 0x20)
            f.add(.latinFlags, s, 1, UInt32(min(words.count, 4)))
            f.add(.latinFlags, s, 2, word.allSatisfy { !ScannedText.isASCIILetter($0) || Self.isUpper($0) } ? 1 : 0)
            f.add(.latinFlags, s, 3, words.contains { $0.count == 2 && $0.last == 0x2E } ? 1 : 0)
            if let lastWord = words.last, lastWord.count >= 4 {
                f.add(.lastTwo, s, lastWord[lastWord.endIndex - 2] | 0x20, lastWord.last! | 0x20)
            }
            f.add(.latinFlags, s, 4, UInt32(min(words.last?.count ?? 0, 10)))
        } else if shape == .mixed {
            let kana = parts.last.map(\.count) ?? 0
            f.add(.mixedFlags, s, UInt32(kana), UInt32(range.count - kana))
            f.add(.mixedFlags, s, 9, t[range.upperBound - 1] == 0x30FC ? 1 : 0)
        } else if shape != .rule || ScannedText.isKatakana(word[0]) {
            let core = parts.last.map { Array(t.folded[$0]) } ?? word
            if core.count >= 2 { f.add(.lastChar, s, core.last!) }
            if core.count >= 4 { f.add(.lastTwo, s, core[core.count - 2], core.last!) }
            f.add(.katakanaFlags, s, 1, ForeignSurnames.all.contains(core) ? 1 : 0)
            f.add(.katakanaFlags, s, 2, ForeignGivenNames.all.contains(Array(t.folded[parts.first ?? range])) ? 1 : 0)
            f.add(.katakanaFlags, s, 3, Self.surnameEndings.contains { core.count > $0.count && core.suffix($0.count).elementsEqual($0) } ? 1 : 0)
            f.add(.katakanaFlags, s, 4, NameVocabulary.isPersonNoun(core) || NameVocabulary.nonPersonHeads.contains(core) ? 1 : 0)
            f.add(.katakanaFlags, s, 5, UInt32(min(core.count, 8)))
            if parts.count > 1 {
                // What MeCab made of the parts in the sentence (the rules parse each part alone; that costs a
                // parse per part): person names, unknown words, other words, name particles (フォン, デ).
                var counts: [UInt32] = [0, 0, 0, 0]
                for part in parts {
                    if NameVocabulary.nameParticles.contains(Array(t.folded[part])) {
                        counts[3] += 1
                        continue
                    }
                    var k = Int(tk.tokenAt[part.lowerBound])
                    var person = false, unknown = false, other = false
                    while k >= 0, k < tk.tokens.count, tk.tokens[k].range.lowerBound < part.upperBound {
                        let token = tk.tokens[k]
                        if POS.isPerson(token.pos) || token.alsoPerson { person = true } else if token.unknown { unknown = true } else { other = true }
                        k += 1
                    }
                    counts[person && !other ? 0 : unknown ? 1 : 2] += 1
                }
                f.add(.katakanaParts, s, min(counts[0], 3) * 16 + min(counts[1], 3) * 4 + min(counts[2], 3), min(counts[3], 1))
                f.add(.katakanaParts, 99, UInt32(min(parts.count, 5)))
            }
        }
        // Neighbours: words (kept by the trainer only when frequent) and parts of speech.
        func neighbour(_ k: Int, _ wordTemplate: NameFeatures.Template, _ posTemplate: NameFeatures.Template) -> (UInt32, UInt32) {
            guard k >= 0, k < tk.tokens.count else {
                f.add(posTemplate, s, 999)
                return (999, 0)
            }
            let token = tk.tokens[k]
            let w = NameFeatures.word(t, token.range)
            let pos = UInt32(token.pos) + (token.unknown ? 500 : 0)
            f.add(posTemplate, s, pos)
            // Unknown words are never kept as words: they are the names themselves, more often than not.
            if !token.unknown && !POS.isPerson(token.pos) { f.add(wordTemplate, s, w) }
            return (pos, w)
        }
        let (pp, _) = neighbour(previous, .previousWord, .previousPOS)
        _ = neighbour(previous - 1, .previousWord2, .previousPOS2)
        let (np, nw) = neighbour(next, .nextWord, .nextPOS)
        let (_, nw2) = neighbour(next + 1, .nextWord2, .nextPOS2)
        if next < tk.tokens.count, !tk.tokens[next].unknown {
            f.add(.nextBigram, s, nw, nw2)
            f.add(.unknownNextWord, s, unknownPattern, nw)
        }
        f.add(.previousNextPOS, s, pp, np)
        f.add(.charClasses, s, Self.charClass(t[range.lowerBound - 1]), Self.charClass(t[range.upperBound]))
        // The rules' reading of the context (honorific, title, role before, human verb later, glued nouns).
        let context = Context(t, tk, range)
        let flags = [context.positive, context.compoundAfter, context.compoundBefore, context.organisationAfter, context.positiveBesidesTitle,
            context.roleOrHonorific, context.agentPhrase, context.humanSubject]
        var bits: UInt32 = 0
        for (n, flag) in flags.enumerated() where flag {
            f.add(.contextFlags, s, UInt32(n))
            bits |= 1 << n
        }
        f.add(.contextFlags, s, 100, bits & 0b111)
        return bits
    }

    /// A coarse class of the character next to a span.
    static func charClass(_ v: UInt32) -> UInt32 {
        if v == 0 { return 0 }
        if ScannedText.isKanji(v) { return 1 }
        if ScannedText.isKatakana(v) { return 2 }
        if ScannedText.isHiragana(v) { return 3 }
        if ScannedText.isASCIILetter(v) || ScannedText.isDigit(v) { return 4 }
        if isJoiner(v) { return 5 }
        if v == 0x20 { return 6 }
        return 7  // other punctuation
    }
}
