/// ら抜き言葉: 一段・カ変動詞の可能形から「ら」が抜けた形（見れる、食べれる、来れる）。
struct RaNukiRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "ra-nuki", category: .grammar, severity: .error, title: "ら抜き言葉",
        summary: "一段動詞・カ変動詞の可能の形は「〜られる」です（見られる、食べられる、来られる）。"
            + "「見れる」「食べれる」は話し言葉であり、公用文では使いません（文化審議会国語分科会 1995 ほか）。")

    /// Lexicalised ら抜き forms IPAdic lists as verbs of their own (their stem is the 一段/カ変 verb stem).
    static let lexicalised: Set<String> = ["見れる", "来れる", "出れる", "寝れる", "着れる", "居れる", "似れる", "煮れる"]

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let tokens = text.tokens
        for i in tokens.indices {
            let t = tokens[i].info
            guard t.pos == "動詞" else { continue }
            if (t.conjugationType == "一段" || t.conjugationType.hasPrefix("カ変")) && t.conjugationForm == "未然形",
                i + 1 < tokens.count, tokens[i + 1].start == tokens[i].end
            {
                let n = tokens[i + 1].info
                if n.pos == "動詞" && n.pos1 == "接尾" && n.base == "れる" {
                    findings.add(
                        tokens[i].start..<tokens[i + 1].end, "ら抜き言葉です。「\(t.surface)ら\(n.surface)」としてください。",
                        replacement: t.surface + "ら" + n.surface)
                }
            } else if Self.lexicalised.contains(t.base), t.base.hasSuffix("れる") {
                let stem = String(t.base.dropLast(2))
                guard t.surface.hasPrefix(stem) else { continue }
                let fixed = stem + "ら" + t.surface.dropFirst(stem.count)
                findings.add(tokens[i].range, "ら抜き言葉です。「\(fixed)」としてください。", replacement: fixed)
            }
        }
    }
}

/// い抜き言葉: 「〜ている」の「い」が抜けた形（してる、してます）。
struct INukiRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "i-nuki", category: .grammar, severity: .warning, title: "い抜き言葉",
        summary: "「〜ている」「〜ています」の「い」を抜いた「〜てる」「〜てます」は話し言葉です。書き言葉では「い」を入れます。")

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let tokens = text.tokens
        for i in tokens.indices {
            let t = tokens[i].info
            // 「てる／でる」as one auxiliary verb token (笑ってる, 遊んでる, 見てた).
            if t.pos == "動詞" && t.pos1 == "非自立" && (t.base == "てる" || t.base == "でる"), let first = t.surface.first {
                let fixed = String(first) + "い" + t.surface.dropFirst()
                findings.add(tokens[i].range, "い抜き言葉です。「\(fixed)」としてください。", replacement: fixed)
            }
            // 「て／で」+「ます」(開発してます, 困ってません).
            if t.pos == "助詞" && t.pos1 == "接続助詞" && (t.surface == "て" || t.surface == "で"), i + 1 < tokens.count,
                tokens[i + 1].start == tokens[i].end
            {
                let n = tokens[i + 1].info
                if n.pos == "助動詞" && n.base == "ます" {
                    findings.add(
                        tokens[i].start..<tokens[i + 1].end, "い抜き言葉です。「\(t.surface)い\(n.surface)」としてください。",
                        replacement: t.surface + "い" + n.surface)
                }
            }
        }
    }
}

/// さ入れ・さ抜き言葉: 「食べたさそう」「美味しさそう」（不要な「さ」）と「問題無そう」（必要な「さ」の脱落）。
struct SaInsertionRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "sa-ire", category: .grammar, severity: .warning, title: "さ入れ・さ抜き",
        summary: "様態の「そうだ」は形容詞の語幹・動詞の連用形に付きます（美味しそう、食べたそう）。"
            + "「ない」「よい」だけは「さ」を入れます（なさそう、よさそう）: 「問題無そう」は「問題無さそう」です。")

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let tokens = text.tokens
        guard tokens.count >= 2 else { return }
        for i in 0..<(tokens.count - 1) {
            let t = tokens[i].info
            let n = tokens[i + 1].info
            let isSou = { (k: Int) -> Bool in
                k < tokens.count && tokens[k].info.surface == "そう" && tokens[k].info.pos1 == "接尾"
            }
            // Inserted さ: た／たい + さ + そう, and しい-adjectives + さ + そう.
            if n.surface == "さ" && n.pos == "名詞" && n.pos1 == "接尾" && isSou(i + 2) {
                let inserted =
                    (t.pos == "助動詞" && (t.base == "た" || t.base == "たい"))
                    || (t.pos == "形容詞" && t.conjugationType == "形容詞・イ段" && t.surface.hasSuffix("し"))
                if inserted {
                    findings.add(
                        tokens[i].start..<tokens[i + 2].end, "不要な「さ」が入っています。「\(t.surface)そう」としてください。",
                        replacement: t.surface + "そう")
                }
            }
            // Dropped さ: 無／な (ない) + そう after a noun (問題無そう).
            if t.surface == "無" && (t.pos == "接頭詞" || (t.pos == "形容詞" && t.base == "無い")) && isSou(i + 1), i > 0, tokens[i - 1].info.pos == "名詞" {
                findings.add(
                    tokens[i].start..<tokens[i + 1].end, "「さ」が抜けています。「\(t.surface)さそう」としてください。",
                    replacement: t.surface + "さそう")
            }
        }
    }
}

/// 二重否定: 「〜なくもない」「〜ないことはない」など、否定を重ねて肯定する回りくどい表現。
struct DoubleNegativeRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "double-negative", category: .grammar, severity: .warning, title: "二重否定",
        summary: "「〜なくもない」「〜ないことはない」「〜ないわけではない」などの二重否定は意味が取りにくくなります。"
            + "肯定の形で書けないか検討してください（公用文作成の考え方 2022「文の書き方」）。")

    /// Readings between the first ない and the final ない (katakana, alternatives separated by |).
    static let patterns: [(first: String, middle: [Set<String>], name: String)] = [
        ("ナク", [["モ", "ハ"]], "〜なくもない"),
        ("ナイ", [["モノ"], ["デ"], ["モ"]], "〜ないものでもない"),
        ("ナイ", [["コト"], ["ハ", "モ"]], "〜ないことはない"),
        ("ナイ", [["ワケ"], ["デ"], ["ハ", "モ"]], "〜ないわけではない"),
        ("ナイ", [["ト"], ["イイ", "言い"], ["キレ"]], "〜ないとは言い切れない"),
        ("ナイ", [["ト"], ["イイキレ"]], "〜ないとは言い切れない"),
        ("ナイ", [["ト"], ["モ"], ["カギラ"]], "〜ないとも限らない"),
        ("ナイ", [["デ"], ["モ"]], "〜ないでもない"),
    ]

    static func isNai(_ t: TokenInfo) -> Bool {
        (t.base == "ない" || t.base == "無い") && (t.pos == "助動詞" || t.pos == "形容詞")
    }

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let tokens = text.tokens
        for i in tokens.indices where Self.isNai(tokens[i].info) {
            let reading = tokens[i].info.reading
            for p in Self.patterns where reading == p.first {
                var k = i + 1
                var ok = true
                for alternatives in p.middle {
                    guard k < tokens.count, alternatives.contains(tokens[k].info.reading) else {
                        ok = false
                        break
                    }
                    k += 1
                }
                if ok, k < tokens.count, Self.isNai(tokens[k].info) {
                    findings.add(tokens[i].start..<tokens[k].end, "二重否定（\(p.name)）です。肯定の形で書けないか検討してください。")
                    break
                }
            }
        }
    }
}

/// 同じ語の連続: 「これはは」のような、同じ語が続けて現れる入力ミス。
struct SuccessiveWordRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "successive-word", category: .grammar, severity: .error, title: "同じ語の連続",
        summary: "同じ語が続けて現れるのは多くの場合入力ミスです（「これはは」）。数字や擬音語・擬態語（カクカク）は除きます。",
        options: ["allow": "連続してもよい語のリスト", "allowOnomatopoeia": "擬音語・擬態語の繰り返しを許す（既定 true）"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let allow = Set(options.strings("allow", default: []))
        let allowOnomatopoeia = options.bool("allowOnomatopoeia", default: options.bool("allowOnomatopee", default: true))
        let tokens = text.tokens
        guard tokens.count >= 2 else { return }
        for i in 1..<tokens.count {
            let a = tokens[i - 1]
            let b = tokens[i]
            guard a.end == b.start, a.info.surface == b.info.surface else { continue }
            let t = b.info
            if t.pos == "記号" || t.pos1 == "数" || allow.contains(t.surface) { continue }
            if t.surface.unicodeScalars.allSatisfy({ CharKind.isDigitLike($0.value) || $0.value < 0x80 }) { continue }
            if allowOnomatopoeia && t.pos != "助詞" && t.pos != "助動詞" && t.surface.unicodeScalars.count >= 2
                && t.surface.unicodeScalars.allSatisfy({ CharKind.isKana($0.value) })
            {
                continue
            }
            findings.add(b.range, "「\(t.surface)」が続けて2回使われています。", replacement: "")
        }
    }
}
