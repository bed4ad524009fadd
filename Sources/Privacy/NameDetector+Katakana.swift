import JapaneseText

/// Foreign names written in katakana.
extension NameDetector {


    func katakanaCandidates(_ t: ScannedText, _ tk: TokenizedText, tagger: MeCabTagger) -> [Raw] {
        var out: [Raw] = []
        var i = 0
        while i < t.count {
            guard ScannedText.isKatakana(t[i]), t[i] != 0x30FC else {
                i += 1
                continue
            }
            let (parts, p) = katakanaRun(t, from: i)
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

    /// A run of katakana words joined by ・ ＝ = from `i` (single capital letters allowed as parts: ジョージ・W・ブッシュ),
    /// and where scanning stopped.
    func katakanaRun(_ t: ScannedText, from i: Int) -> (parts: [Range<Int>], end: Int) {
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
        return (parts, p)
    }

    @inline(__always) static func isJoiner(_ v: UInt32) -> Bool { v == 0x30FB || v == 0x3D || v == 0x30A0 }

    enum PartStatus { case name, unknown, mixed, particle, known }

    /// Parts of a ・-joined katakana run. Measured on Wikipedia: with a part MeCab knows as a person name
    /// and at most one other known word the run is nearly always a person (ジョン・ワトソン, ロバート・フリップ);
    /// with only unknown parts it is a person about two times in three (ジュリー・ミッチャム vs ボルチモア・
    /// レイブンズ), so it needs the usual context checks; with two known words it is a team, a company
    /// or an event (ニューヨーク・ヤンキース, ツール・ド・フランス).
    func classifyKatakana(
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
        // One katakana word that is a common foreign surname or given name stands as a name unless glued to a
        // noun (スミス社, ジョンソン賞): foreign residents are often written by one name alone.
        let word = Array(t.folded[range])
        if ForeignSurnames.all.contains(word) || ForeignGivenNames.all.contains(word) { return Raw(range: range, strength: .weak) }
        // One katakana word: MeCab's verdict on the run inside the sentence.
        guard let first = tk.token(startingAt: range.lowerBound), let last = tk.token(endingAt: range.upperBound) else { return nil }
        let tokens = tk.tokens[first...last]
        if tokens.allSatisfy({ POS.isPerson($0.pos) }) {
            return Raw(range: range, strength: tokens.count >= 2 ? .medium : .weak)
        }
        if tokens.count == 1 && tokens.first!.unknown && range.count >= 3 {
            // Slavic and German surname endings (ドストエフスキー, チュブコフ, ミロシェヴィッチ, アインシュタイン) are
            // names on their own: no everyday loanword ends so.
            if range.count >= 4, Self.surnameEndings.contains(where: { word.count > $0.count && word.suffix($0.count).elementsEqual($0) }) {
                return Raw(range: range, strength: .weak)
            }
            return Raw(range: range, strength: .contextOnly)
        }
        return nil
    }

    static let surnameEndings: [[UInt32]] = ["スキー", "ツキー", "ヴィチ", "ビッチ", "ヴィッチ", "ビチ", "ノフ", "コフ", "ロフ", "ーエフ",
        "コヴァ", "ロヴァ", "シュタイン", "シヴィリ"].map { Array(folding: $0) }

    static let letterNames = NameVocabulary.set([
        "エー", "ビー", "シー", "ディー", "イー", "エフ", "ジー", "エイチ", "アイ", "ジェー", "ジェイ", "ケー", "ケイ", "エル", "エム",
        "エヌ", "オー", "ピー", "キュー", "アール", "エス", "ティー", "ユー", "ブイ", "ヴィー", "ダブリュー", "エックス", "ワイ", "ゼット",
    ])

    func partStatus(_ t: ScannedText, _ part: Range<Int>, tagger: MeCabTagger) -> PartStatus {
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

    func isKatakanaWord(_ t: ScannedText, _ range: Range<Int>) -> Bool {
        ScannedText.isKatakana(t[range.lowerBound])
    }
}
