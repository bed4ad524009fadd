/// Rules backed by the built-in 公用文 term table, split by what the entry is about.
struct TermTableRule: ProofreadingRule {
    let descriptor: RuleDescriptor
    let dictionary: TermDictionary

    static let koyobunTable = TermDictionary.parse(tsv: KoyobunTerms.tsv)

    static func make(id: String, categories: Set<String>, severity: Severity, ruleCategory: RuleCategory, title: String, summary: String)
        -> TermTableRule
    {
        TermTableRule(
            descriptor: RuleDescriptor(
                id: id, category: ruleCategory, severity: severity, title: title, summary: summary,
                options: ["ignore": "指摘しない語（誤った表記）のリスト（例: 広報で「ご協力」を使う団体は [\"ご協力\"]）"]),
            dictionary: TermDictionary(koyobunTable.filter { categories.contains($0.category) }))
    }

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let disabled = Set(options.strings("ignore", default: []))
        dictionary.matches(in: text) { e, r in
            let found = String(String.UnicodeScalarView(e.pattern))
            guard !disabled.contains(found) else { return }
            var message = "「\(found)」は「\(e.expected)」と書きます。"
            if !e.note.isEmpty { message += e.note }
            if !e.basis.isEmpty { message += "（根拠: \(e.basis)）" }
            findings.add(r, message, replacement: e.expected)
        }
    }
}

/// 配慮した表現: 差別的・不快な表現を言い換える。
struct InclusiveLanguageRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "inclusive-language", category: .inclusive, severity: .warning, title: "配慮した表現",
        summary: "差別的・不快と受け取られる表現と、その言い換えです。各項目の根拠（法令改正・行政の用語見直し・自治体の表現の手引き）を示します。",
        options: ["ignore": "指摘しない語のリスト"])

    static let dictionary = TermDictionary(TermDictionary.parse(tsv: InclusiveTerms.tsv, columns: 5))

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let ignore = Set(options.strings("ignore", default: []))
        Self.dictionary.matches(in: text) { e, r in
            let found = String(String.UnicodeScalarView(e.pattern))
            guard !ignore.contains(found) else { return }
            let alternatives = e.expected.split(separator: "｜").map(String.init)
            var message = "「\(found)」は配慮を欠く表現と受け取られることがあります。「\(alternatives.joined(separator: "」「"))」などに言い換えてください。"
            if !e.note.isEmpty { message += e.note }
            if !e.basis.isEmpty { message += "（根拠: \(e.basis)）" }
            findings.add(r, message, replacement: alternatives.count == 1 ? alternatives[0] : nil)
        }
    }
}

/// 団体の用字用語: 組織が CSV で登録した「誤った表記 → 正しい表記」。
struct TermListRule: ProofreadingRule {
    static let descriptor = RuleDescriptor(
        id: "custom-terms", category: .custom, severity: .warning, title: "団体の用字用語",
        summary: "団体が登録した用字用語リスト（CSV: 誤った表記,正しい表記,説明）に従います。")
    var descriptor: RuleDescriptor { Self.descriptor }
    let dictionary: TermDictionary

    init(entries: [TermEntry]) {
        dictionary = TermDictionary(
            entries.map { TermDictionary.Entry(pattern: Array($0.pattern.unicodeScalars), expected: $0.expected, category: "custom", basis: "", note: $0.note) })
    }

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        dictionary.matches(in: text) { e, r in
            let found = String(String.UnicodeScalarView(e.pattern))
            findings.add(r, "団体の用字用語: 「\(found)」は「\(e.expected)」と書きます。\(e.note)", replacement: e.expected)
        }
    }
}

/// 常用漢字表外の漢字。
struct JoyoKanjiRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "joyo-kanji", category: .koyobun, severity: .warning, title: "常用漢字表外の漢字",
        summary: "公用文は常用漢字表（2010 内閣告示）の漢字で書きます。表外の漢字は仮名にするか言い換えます（推敲 → 文章を練る、聡明 → 賢明）。"
            + "人名・地名などの固有名詞は対象外です。",
        options: ["allow": "使ってよい表外漢字（文字列）", "properNouns": "固有名詞も調べる（既定 false）"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let allow = Set(options.strings("allow", default: []).joined().unicodeScalars.map(\.value))
        let checkProper = options.bool("properNouns", default: false)
        let s = text.scalars
        for i in s.indices {
            let v = s[i].value
            guard CharKind.isKanji(v), v != 0x3005, !JoyoKanji.contains(s[i]), !allow.contains(v) else { continue }
            if !checkProper, let t = text.token(containing: i), text.tokens[t].info.pos1 == "固有名詞" { continue }
            findings.add(i..<(i + 1), "「\(String(s[i]))」は常用漢字表にない漢字です。仮名で書くか言い換えてください。")
        }
    }
}

/// 外来語の表記: 語末の長音（フィルタ → フィルター）と、よくある綴りの誤り（アジヤ → アジア）。
struct LoanwordRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "loanword-notation", category: .koyobun, severity: .warning, title: "外来語の表記",
        summary: "「外来語の表記」(1991 内閣告示) は、英語の語末の -er, -or, -ar などを長音符号「ー」で書くことを原則としています"
            + "（フィルター、コンピューター、ユーザー）。慣用で省く団体は options.ignore に語を挙げてください。",
        options: ["ignore": "指摘しない語のリスト"])

    /// -er/-or/-ar words commonly written without the final 長音 in technical text.
    static let longVowel: [String] = [
        "フィルタ", "サーバ", "ユーザ", "コンピュータ", "プリンタ", "スキャナ", "ブラウザ", "エディタ", "ドライバ", "パラメータ", "モニタ",
        "コントローラ", "プロバイダ", "レイヤ", "ルータ", "メンバ", "マネージャ", "ヘッダ", "フッタ", "カウンタ", "センサ", "プロジェクタ",
        "タイマ", "ポインタ", "コンバータ", "アダプタ", "ジェネレータ", "シミュレータ", "オペレータ", "インジケータ", "カレンダ", "フォルダ",
        "バッファ", "キャラクタ", "コネクタ", "エレベータ", "スピーカ", "ハンマ", "モデレータ", "リーダ", "ライタ",
        "トリガ", "コンテナ", "ファシリテータ", "コーディネータ", "プロデューサ", "デザイナ", "ビューア", "インストーラ", "ランチャ",
    ]

    static let dictionary: TermDictionary = {
        var entries = longVowel.map { TermDictionary.Entry(pattern: Array($0.unicodeScalars), expected: $0 + "ー", category: "loanword", basis: "外来語の表記(1991告示) 留意事項その2(3)", note: "") }
        entries += TermTableRule.koyobunTable.filter { $0.category == "loanword" }
        return TermDictionary(entries)
    }()

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let ignore = Set(options.strings("ignore", default: []))
        let s = text.scalars
        Self.dictionary.matches(in: text) { e, r in
            let found = String(String.UnicodeScalarView(e.pattern))
            guard !ignore.contains(found) else { return }
            // Whole katakana words only: フィルタリング is another word.
            if r.lowerBound > 0, CharKind.isKatakana(s[r.lowerBound - 1].value) { return }
            if r.upperBound < s.count, CharKind.isKatakana(s[r.upperBound].value) { return }
            var message = "外来語「\(found)」は「\(e.expected)」と書きます。"
            if !e.note.isEmpty { message += e.note }
            if !e.basis.isEmpty { message += "（根拠: \(e.basis)）" }
            findings.add(r, message, replacement: e.expected)
        }
    }
}
