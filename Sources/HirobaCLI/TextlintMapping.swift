import Proofreading

/// How a textlint-ja rule id maps onto Hiroba rules for `hiroba eval proofread`: which Hiroba rules answer
/// for it, the options that reproduce textlint's defaults where ours differ (e.g. max-kanji-continuous-len
/// allows 5 kanji; Hiroba's 公用文 default is 8), and how a test case's textlint options translate.
struct TextlintMapping: Sendable {
    var rules: [String]
    var options: [String: RuleOptions] = [:]
    /// textlint option name → Hiroba option name of the first rule; nil value = the option may be ignored
    /// because Hiroba already behaves that way.
    var optionNames: [String: String?] = [:]
    /// Extra checks for option values Hiroba cannot honour (returns false to skip the case).
    var accepts: @Sendable ([String: Any]) -> Bool = { _ in true }

    /// The case's options as Hiroba options, or nil when one cannot be honoured (the case is skipped).
    func translate(_ given: [String: Any]) -> [String: RuleOptions]? {
        guard accepts(given) else { return nil }
        var values: [String: OptionValue] = [:]
        for (key, value) in given {
            guard let mapped = optionNames[key] else { return nil }
            guard let name = mapped else { continue }
            guard let v = Self.optionValue(value) else { return nil }
            values[name] = v
        }
        return [rules[0]: RuleOptions(values)]
    }

    static func optionValue(_ any: Any) -> OptionValue? {
        switch any {
        case let b as Bool: return .bool(b)
        case let n as Int: return .number(Double(n))
        case let n as Double: return .number(n)
        case let s as String: return .string(s)
        case let l as [Any]:
            let values = l.compactMap(optionValue)
            return values.count == l.count ? .list(values) : nil
        default: return nil
        }
    }

    static let table: [String: TextlintMapping] = {
        var t: [String: TextlintMapping] = [
            "ja-no-abusage": .init(rules: ["word-misuse"]),
            "ja-no-mixed-period": .init(
                rules: ["sentence-end"],
                optionNames: ["forceAppendPeriod": "requirePeriod", "periodMark": "period", "allowPeriodMarks": "allowEndings"]),
            "ja-no-redundant-expression": .init(rules: ["redundant-expression"]),
            "ja-no-successive-word": .init(rules: ["successive-word"], optionNames: ["allow": "allow", "allowOnomatopee": "allowOnomatopoeia"]),
            "ja-no-weak-phrase": .init(rules: ["weak-phrase"]),
            "ja-unnatural-alphabet": .init(rules: ["unnatural-alphabet"], optionNames: ["allow": "allow"]),
            "max-kanji-continuous-len": .init(
                rules: ["kanji-run"], options: ["kanji-run": RuleOptions(["max": .number(5)])], optionNames: ["max": "max", "allow": "allow"]),
            "max-ten": .init(
                rules: ["comma-count"], options: ["comma-count": RuleOptions(["max": .number(3), "commas": .list([.string("、")])])],
                optionNames: ["max": "max", "touten": "commas", "kuten": "periods"]),
            "no-double-negative-ja": .init(rules: ["double-negative"]),
            "no-doubled-conjunction": .init(rules: ["doubled-conjunction"]),
            "no-doubled-conjunctive-particle-ga": .init(rules: ["doubled-conjunctive-ga"], optionNames: ["separatorChars": "separators"]),
            "no-doubled-joshi": .init(
                rules: ["doubled-particle"],
                optionNames: ["strict": "strict", "allow": "allow", "separatorCharacters": "separators", "commaCharacters": "commas"]),
            "no-dropping-i": .init(rules: ["i-nuki"]),
            "no-dropping-the-ra": .init(rules: ["ra-nuki"]),
            "no-hankaku-kana": .init(rules: ["halfwidth-kana"]),
            "no-insert-dropping-sa": .init(rules: ["sa-ire"]),
            "no-mix-dearu-desumasu": .init(rules: ["style-mix"], optionNames: ["preferInBody": "prefer", "strict": "strict"]),
            "no-synonyms": .init(rules: ["notation-variance"]),
            "preset-ja-spacing/ja-nakaguro-or-halfwidth-space-between-katakana": .init(rules: ["fullwidth-spacing"]),
            "preset-ja-spacing/ja-no-space-around-parentheses": .init(rules: ["fullwidth-spacing"]),
            "preset-ja-spacing/ja-no-space-between-full-width": .init(rules: ["fullwidth-spacing"]),
            "preset-ja-spacing/ja-space-after-exclamation": .init(rules: ["fullwidth-spacing"]),
            "preset-ja-spacing/ja-space-after-question": .init(rules: ["fullwidth-spacing"]),
            "preset-ja-spacing/ja-space-between-half-and-full-width": .init(
                rules: ["half-full-spacing"], optionNames: ["space": "space", "allows": "allow", "exceptPunctuation": nil],
                accepts: { o in (o["exceptPunctuation"] as? Bool) ?? true }),
        ]
        let jtf: [String: TextlintMapping] = [
            "1.1.1.本文": .init(rules: ["style-mix"]),
            "1.2.1.句点(。)と読点(、)": .init(rules: ["punctuation-marks"]),
            "1.2.2.ピリオド(.)とカンマ(,)": .init(rules: ["number-punctuation"]),
            "2.1.10.算用数字の位取りの表記": .init(rules: ["number-punctuation"]),
            "2.1.2.漢字": .init(rules: ["joyo-kanji"]),
            "2.1.5.カタカナ": .init(rules: ["loanword-notation"]),
            "2.1.6.カタカナの長音": .init(rules: ["loanword-notation"]),
            "2.1.8.算用数字": .init(rules: ["fullwidth-alphanumeric"]),
            "2.1.9.アルファベット": .init(rules: ["fullwidth-alphanumeric"]),
            "2.2.1.ひらがなと漢字の使い分け": .init(rules: ["koyobun-terms"]),
            "2.2.2.算用数字と漢数字の使い分け": .init(rules: ["numeral-style"]),
            "2.2.3.一部の助数詞の表記": .init(rules: ["counter-ka"]),
            "3.1.1.全角文字と半角文字の間": .init(rules: ["half-full-spacing"]),
            "3.1.2.全角文字どうし": .init(rules: ["fullwidth-spacing"]),
            "3.2.カタカナ語間のスペースの有無": .init(rules: ["fullwidth-spacing"]),
            "3.3.かっこ類と隣接する文字の間のスペースの有無": .init(
                rules: ["fullwidth-spacing"],
                optionNames: ["allowOutsideHalfParentheses": "allowOutsideHalfParentheses", "requireOutsideHalfParentheses": "requireOutsideHalfParentheses"]),
            "4.1.1.句点(。)": .init(rules: ["period-before-closing-bracket"]),
            "4.1.3.ピリオド(.)、カンマ(,)": .init(rules: ["punctuation-marks"]),
            "4.2.1.感嘆符(!)": .init(rules: ["symbol-width"]),
            "4.2.2.疑問符(?)": .init(rules: ["symbol-width", "fullwidth-spacing"]),
            "4.2.4.中黒(・)": .init(rules: ["halfwidth-kana"]),
            "4.2.5.波線(~)": .init(rules: ["symbol-width"]),
            "4.2.6.ハイフン(-)": .init(rules: ["unused-symbols"]),
            "4.2.7.コロン(：)": .init(rules: ["symbol-width"]),
            "4.2.8.セミコロン(;)": .init(rules: ["unused-symbols"]),
            "4.3.1.丸かっこ()": .init(rules: ["symbol-width"]),
            "4.3.2.大かっこ［］": .init(rules: ["symbol-width"]),
            "4.3.3.かぎかっこ「」": .init(rules: ["bracket-pairs"]),
            "4.3.4.二重かぎかっこ『』": .init(rules: ["bracket-pairs"]),
            "4.3.6.中かっこ{}": .init(rules: ["bracket-pairs"]),
            "4.3.7.山かっこ<>": .init(rules: ["bracket-pairs"]),
        ]
        for (k, v) in jtf { t["preset-JTF-style/" + k] = v }
        return t
    }()
}
