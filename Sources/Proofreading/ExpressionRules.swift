/// 冗長な表現: 「〜することができる」「〜を行う」「〜であると考えている」。
struct RedundantExpressionRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "redundant-expression", category: .readability, severity: .info, title: "冗長な表現",
        summary: "「解析することができる」は「解析できる」、「表示を行う」は「表示する」と簡潔に書けます"
            + "（公用文作成の考え方 2022「文書の目的に合った読みやすい文を」）。")

    static let commas: Set<String> = ["、", "，", ","]

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let tokens = text.tokens
        func info(_ k: Int) -> TokenInfo? { k < tokens.count ? tokens[k].info : nil }
        for i in tokens.indices {
            let t = tokens[i].info
            // する + こと + が/は/も + (、) + できる/可能/不可能
            if t.pos == "動詞" && t.base == "する" && t.conjugationForm == "基本形", let koto = info(i + 1),
                koto.reading == "コト" && koto.pos == "名詞", let particle = info(i + 2),
                particle.pos == "助詞" && ["が", "は", "も"].contains(particle.surface)
            {
                var k = i + 3
                if let c = info(k), Self.commas.contains(c.surface) { k += 1 }
                guard let last = info(k) else { continue }
                if last.base == "できる" || last.surface == "可能" || last.surface == "不可能" {
                    let certain = i > 0 && tokens[i - 1].info.pos1 == "サ変接続" && tokens[i - 1].end == tokens[i].start
                    let phrase = text.string(tokens[i].start..<tokens[k].end)
                    findings.add(
                        tokens[i].start..<tokens[k].start,
                        "「\(phrase)」は冗長です。「\(text.string(tokens[i].start..<tokens[k].start))」を省いて簡潔にしてください。",
                        replacement: certain && last.base == "できる" ? "" : nil)
                }
            }
            // である + と + (、) + 言える/考える/思う
            if t.pos == "助動詞" && t.surface == "で", let aru = info(i + 1), aru.base == "ある", let to = info(i + 2), to.surface == "と",
                to.pos == "助詞"
            {
                var k = i + 3
                if let c = info(k), Self.commas.contains(c.surface) { k += 1 }
                if let verb = info(k), ["言える", "いえる", "考える", "思う", "思える"].contains(verb.base) {
                    findings.add(
                        tokens[i].start..<tokens[k].end,
                        "「\(text.string(tokens[i].start..<tokens[k].end))」は冗長です。「である」か「と\(verb.surface)…」のどちらかで足ります。")
                }
            }
            // サ変名詞 + を + 行う／実行 (表示を行う → 表示する)
            if t.pos == "名詞" && t.pos1 == "サ変接続", let wo = info(i + 1), wo.surface == "を", wo.pos == "助詞", let verb = info(i + 2) {
                let isDo = (verb.pos == "動詞" && (verb.base == "行う" || verb.base == "行なう")) || (verb.surface == "実行" && info(i + 3)?.base == "する")
                if isDo {
                    findings.add(
                        tokens[i].start..<tokens[i + 2].end,
                        "「\(t.surface)を\(verb.surface)…」は冗長です。「\(t.surface)する」と簡潔に書けます。")
                }
            }
        }
    }
}

/// 弱い表現: 「〜と思う」「〜かもしれない」など、断定を避ける表現。
struct WeakPhraseRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "weak-phrase", category: .readability, severity: .info, title: "弱い表現",
        summary: "「〜と思います」「〜かもしれない」は、行政の文書では根拠や責任の所在を曖昧にします。事実なら言い切り、推測なら根拠を示してください。")

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let tokens = text.tokens
        for i in tokens.indices {
            let t = tokens[i].info
            if t.pos == "動詞" && t.base == "思う" && i > 0 && tokens[i - 1].info.surface == "と" {
                // 思われる (passive/spontaneous) is not the weak first-person 思う.
                if i + 1 < tokens.count, tokens[i + 1].info.pos1 == "接尾" { continue }
                var end = tokens[i].end
                if i + 1 < tokens.count, tokens[i + 1].info.base == "ます", tokens[i + 1].start == end { end = tokens[i + 1].end }
                findings.add(tokens[i].start..<end, "弱い表現「\(text.string(tokens[i].start..<end))」が使われています。")
            }
            if t.surface == "かも" && t.pos == "助詞", i + 1 < tokens.count, tokens[i + 1].info.base == "しれる" {
                findings.add(tokens[i].start..<tokens[i + 1].end, "弱い表現「かもしれない」が使われています。")
            }
            if t.surface == "可能" && i + 3 < tokens.count && tokens[i + 1].info.surface == "性" && tokens[i + 2].info.surface == "を"
                && tokens[i + 3].info.surface == "示唆"
            {
                findings.add(
                    tokens[i].start..<tokens[i + 3].end, "「可能性を示唆」は弱い表現の重なりです。「可能性がある」か「〜を示唆している」のどちらかにしてください。")
            }
        }
    }
}
