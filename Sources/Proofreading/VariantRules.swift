/// 表記ゆれ: 一つの文書で同じ語を違う表記で書くこと（サーバ／サーバー、問合せ／問い合わせ、雇入／雇入れ）。
struct NotationVarianceRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "notation-variance", category: .notation, severity: .warning, title: "表記ゆれ",
        summary: "同じ語は一つの文書の中で同じ表記にそろえます（公用文作成の考え方 2022「表記の統一」）。"
            + "カタカナ語の長音（サーバ／サーバー）と送り仮名（問合せ／問い合わせ）のゆれを指摘します。")

    struct Occurrence {
        var surface: String
        var reading: String
        var range: Range<Int>
    }

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        var groups: [String: [Occurrence]] = [:]
        var order: [String] = []
        func add(_ key: String, _ o: Occurrence) {
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(o)
        }
        // Katakana words: the same letters with or without 長音 (ー) or 中点.
        let s = text.scalars
        var i = 0
        while i < s.count {
            guard CharKind.isKatakana(s[i].value), s[i].value != 0x30FC else {
                i += 1
                continue
            }
            var j = i
            while j < s.count && (CharKind.isKatakana(s[j].value) || s[j].value == 0x30FB) { j += 1 }
            if j - i >= 3 {
                var key = String.UnicodeScalarView()
                for k in i..<j where s[k].value != 0x30FC && s[k].value != 0x30FB { key.append(s[k]) }
                let surface = text.string(i..<j)
                add("k:" + String(key), Occurrence(surface: surface, reading: surface, range: i..<j))
            }
            i = j
        }
        // Kanji words with okurigana: runs of adjacent noun tokens sharing the same kanji skeleton.
        let tokens = text.tokens
        var k = 0
        while k < tokens.count {
            guard Self.isWordPart(tokens[k].info) else {
                k += 1
                continue
            }
            var e = k + 1
            while e < tokens.count, tokens[e].start == tokens[e - 1].end, Self.isWordPart(tokens[e].info), tokens[e].info.pos != "接頭詞" { e += 1 }
            let range = tokens[k].start..<tokens[e - 1].end
            var skeleton = String.UnicodeScalarView()
            var kanaOnlyHiragana = true
            for p in range {
                let v = s[p].value
                if CharKind.isKanji(v) { skeleton.append(s[p]) } else if !CharKind.isHiragana(v) { kanaOnlyHiragana = false }
            }
            if skeleton.count >= 2, kanaOnlyHiragana, CharKind.isKanji(s[range.lowerBound].value) {
                let reading = tokens[k..<e].map(\.info.reading).joined()
                add("o:" + String(skeleton), Occurrence(surface: text.string(range), reading: reading, range: range))
            }
            k = e
        }
        for key in order {
            guard let occurrences = groups[key] else { continue }
            var counts: [String: Int] = [:]
            var firstSeen: [String] = []
            for o in occurrences {
                if counts[o.surface] == nil { firstSeen.append(o.surface) }
                counts[o.surface, default: 0] += 1
            }
            guard firstSeen.count >= 2 else { continue }
            let majority = firstSeen.max { (counts[$0]!, -firstSeen.firstIndex(of: $0)!) < (counts[$1]!, -firstSeen.firstIndex(of: $1)!) }!
            let majorityReading = occurrences.first { $0.surface == majority }!.reading
            for o in occurrences where o.surface != majority {
                if key.hasPrefix("o:") && !Self.sameWord(o, majority: majority, majorityReading: majorityReading) { continue }
                findings.add(o.range, "表記ゆれ: 「\(o.surface)」と「\(majority)」が混在しています。どちらかにそろえてください。")
            }
        }
    }

    /// Parts of a kanji compound: nouns and prefixes that contain a kanji (an all-kana suffix such as
    /// ごろ or ごと is another word, not okurigana).
    static func isWordPart(_ t: TokenInfo) -> Bool {
        guard (t.pos == "名詞" && t.pos1 != "数" && t.pos1 != "代名詞" && t.pos1 != "非自立") || t.pos == "接頭詞" else { return false }
        return t.surface.unicodeScalars.contains { CharKind.isKanji($0.value) }
    }

    /// Same word when the readings agree, or when one form only adds up to two kana of okurigana at the end.
    static func sameWord(_ o: Occurrence, majority: String, majorityReading: String) -> Bool {
        if o.reading == majorityReading { return true }
        let (short, long) = o.surface.count < majority.count ? (o.surface, majority) : (majority, o.surface)
        guard long.hasPrefix(short) else { return false }
        let rest = long.unicodeScalars.dropFirst(short.unicodeScalars.count)
        return rest.count <= 2 && rest.allSatisfy { CharKind.isHiragana($0.value) }
    }
}
