/// 文体の混在: 「です・ます」体と「だ・である」体が一つの文書に混ざること。
struct StyleMixRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "style-mix", category: .readability, severity: .warning, title: "文体の混在（です・ます／である）",
        summary: "本文の文末は「です・ます」体か「だ・である」体のどちらかにそろえます（公用文作成の考え方 2022: "
            + "法令・告示などは「である」体、通知・依頼・広報などは「です・ます」体）。見出しや箇条書き（句点のない行）は対象外です。",
        options: [
            "prefer": "そろえる文体: \"ですます\" または \"である\"（既定: 多い方、同数なら先に出た方）",
            "strict": "文中の「〜ですが」「〜であるが」も数える（既定 false）",
        ])

    enum Style { case polite, plain }

    static let finalParticles: Set<String> = ["ね", "よ", "な", "か", "わ", "ぞ", "ぜ", "の", "かな", "よね"]

    /// Style of the predicate ending just before token index `end` (exclusive), skipping symbols and
    /// sentence-final particles.
    static func style(_ tokens: [ProofToken], from lower: Int, to end: Int) -> Style? {
        var k = end - 1
        while k >= lower, tokens[k].info.pos == "記号" || (tokens[k].info.pos == "助詞" && tokens[k].info.pos1 == "終助詞") { k -= 1 }
        guard k >= lower else { return nil }
        for j in stride(from: k, through: max(lower, k - 3), by: -1) {
            let t = tokens[j].info
            if t.pos == "助動詞" && (t.base == "です" || t.base == "ます") { return .polite }
            if t.pos == "動詞" && (t.base == "くださる" || t.base == "下さる") { return .polite }
            if t.pos == "名詞" || t.pos == "助詞" { break }
        }
        let last = tokens[k].info
        if last.pos == "助動詞" && ["だ", "た", "ない", "ある", "ぬ", "う", "まい", "らしい", "べし"].contains(last.base) { return .plain }
        if (last.pos == "動詞" || last.pos == "形容詞") && last.conjugationForm == "基本形" { return .plain }
        return nil
    }

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let strict = options.bool("strict", default: false)
        let preferName = options.string("prefer", default: options.string("preferInBody", default: ""))
        let prefer: Style? =
            ["ですます", "です・ます", "polite"].contains(preferName) ? .polite : ["である", "だ・である", "plain"].contains(preferName) ? .plain : nil
        let tokens = text.tokens
        var marks: [(style: Style, range: Range<Int>)] = []
        for sentence in text.sentences {
            guard let lastScalar = text.scalars[sentence].last(where: { !ProofText.isClosing($0.value) }),
                ProofText.isTerminator(lastScalar.value)
            else { continue }  // headings and list items carry no sentence style
            let range = text.tokenIndices(in: sentence)
            if strict {
                for k in range where tokens[k].info.pos == "助詞" && tokens[k].info.pos1 == "接続助詞"
                    && ["が", "けれど", "けれども", "けど"].contains(tokens[k].info.surface)
                {
                    if let s = Self.style(tokens, from: range.lowerBound, to: k) {
                        marks.append((s, Self.predicateRange(tokens, before: k, lower: range.lowerBound)))
                    }
                }
            }
            if let s = Self.style(tokens, from: range.lowerBound, to: range.upperBound) {
                marks.append((s, Self.predicateRange(tokens, before: range.upperBound, lower: range.lowerBound)))
            }
        }
        let polite = marks.filter { $0.style == .polite }.count
        let plain = marks.count - polite
        guard let chosen = prefer ?? (polite == 0 || plain == 0 ? nil : polite > plain ? .polite : plain > polite ? .plain : marks.first?.style)
        else { return }
        let chosenName = chosen == .polite ? "です・ます" : "だ・である"
        for mark in marks where mark.style != chosen {
            findings.add(mark.range, "文体が混在しています。この文書は「\(chosenName)」体にそろえてください。")
        }
    }

    /// The last few tokens of the predicate (for highlighting).
    static func predicateRange(_ tokens: [ProofToken], before end: Int, lower: Int) -> Range<Int> {
        var k = end - 1
        while k > lower, tokens[k].info.pos == "記号" || (tokens[k].info.pos == "助詞" && tokens[k].info.pos1 == "終助詞") { k -= 1 }
        var start = k
        while start > lower, start > k - 3, ["助動詞", "動詞"].contains(tokens[start - 1].info.pos) || tokens[start].info.pos == "助動詞" {
            start -= 1
            if tokens[start].info.pos != "助動詞" && tokens[start].info.pos != "動詞" { break }
        }
        return tokens[start].start..<tokens[k].end
    }
}

/// 文末の句点: 和文の文末が「。」以外（. や ．）で終わる、「。」の後に絵文字などが続く、または（設定により）句点がない。
struct SentenceEndRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "sentence-end", category: .notation, severity: .warning, title: "句点の混在",
        summary: "和文の文末は「。」で終えます（公用文作成の考え方 2022: 句点は「。」）。「.」「．」や、句点の後の絵文字を指摘します。",
        options: [
            "requirePeriod": "句点のない行も指摘する（既定 false。見出し・箇条書きの多い文書では false のまま）",
            "period": "文末に使う記号（既定 「。」）",
            "allowEndings": "句点の代わりに許す文末（例: [\"OK\"]）",
        ])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let requirePeriod = options.bool("requirePeriod", default: options.bool("forceAppendPeriod", default: false))
        let period = options.string("period", default: options.string("periodMark", default: "。"))
        let allowEndings = options.strings("allowEndings", default: options.strings("allowPeriodMarks", default: []))
        let s = text.scalars
        let okEndings: Set<UInt32> = [0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F, 0x300D, 0x300F, 0xFF09, 0x29, 0x3011]
        let periodValue = period.unicodeScalars.first?.value ?? 0x3002
        for (n, start) in text.lineStarts.enumerated() {
            var end = n + 1 < text.lineStarts.count ? text.lineStarts[n + 1] - 1 : s.count
            while end > start && (CharKind.isSpace(s[end - 1].value) || s[end - 1].value == 0x0D) { end -= 1 }
            guard end > start, s[start..<end].contains(where: { CharKind.isKana($0.value) || CharKind.isKanji($0.value) }) else { continue }
            let line = text.string(start..<end)
            if allowEndings.contains(where: { line.hasSuffix($0) }) { continue }
            let last = s[end - 1].value
            if (last == 0x2E || last == 0xFF0E) && periodValue != last && end - 2 >= start && CharKind.isJapanese(s[end - 2].value) {
                findings.add((end - 1)..<end, "文末が「\(period)」で終わっていません。", replacement: period)
                continue
            }
            // 。 followed only by emoji or other symbols.
            if let p = (start..<end).last(where: { s[$0].value == periodValue }), p < end - 1,
                s[(p + 1)..<end].allSatisfy({ $0.properties.isEmoji && $0.value > 0xFF })
            {
                findings.add((p + 1)..<end, "句点「\(period)」の後に文字が続いています。文末は「\(period)」で終えてください。")
                continue
            }
            if requirePeriod && last != periodValue && !okEndings.contains(last) {
                findings.add(end..<end, "文末が「\(period)」で終わっていません。", replacement: period)
            }
        }
    }
}
