/// Every built-in rule, in the order findings are produced.
enum RuleCatalog {
    static let builtIn: [any ProofreadingRule] = [
        // 文法・語法
        RaNukiRule(), INukiRule(), SaInsertionRule(), DoubledParticleRule(), DoubleNegativeRule(), DoubledConjunctionRule(),
        DoubledConjunctiveGaRule(), SuccessiveWordRule(),
        TermTableRule.make(
            id: "word-misuse", categories: ["misuse"], severity: .error, ruleCategory: .grammar, title: "誤用",
            summary: "意味の取り違えや慣用句の誤り（法律を適応する → 適用する、的を得る → 的を射る、読みずらい → 読みづらい）。"),
        TermTableRule.make(
            id: "double-honorific", categories: ["honorific"], severity: .warning, ruleCategory: .grammar, title: "不要な敬語の重ね",
            summary: "同じ種類の敬語を重ねた二重敬語（おっしゃられる、ご覧になられる）は「敬語の指針」(2007) で不適切とされます。"),
        // 読みやすさ
        RedundantExpressionRule(), WeakPhraseRule(), SentenceLengthRule(), CommaCountRule(), KanjiRunRule(), StyleMixRule(),
        // 表記
        SentenceEndRule(), HalfwidthKanaRule(), FullwidthAlphanumericRule(), NotationVarianceRule(), UnnaturalAlphabetRule(),
        ControlCharacterRule(), NumberPunctuationRule(), SymbolWidthRule(), UnusedSymbolRule(), BracketPairRule(),
        HalfFullSpacingRule(), FullwidthSpacingRule(), PeriodBeforeClosingBracketRule(),
        // 公用文
        TermTableRule.make(
            id: "koyobun-terms", categories: ["kana", "kanji", "okurigana", "compound"], severity: .warning, ruleCategory: .koyobun,
            title: "公用文の用字用語",
            summary: "「公用文における漢字使用等について」(2010 内閣訓令)・「公用文作成の考え方」(2022)・「送り仮名の付け方」に従い、"
                + "仮名で書く語（かつ、ただし、ほか、ほど、など、ください…）と漢字で書く語（及び、並びに、又は、若しくは…）、送り仮名を示します。"),
        JoyoKanjiRule(), LoanwordRule(), NumeralStyleRule(), CounterKaRule(), PunctuationMarksRule(),
        // 配慮した表現
        InclusiveLanguageRule(),
    ]
}
