import Foundation
import Testing

@testable import Proofreading

/// Findings of one rule (all others off) on a text.
func findings(_ rule: String, _ text: String, options: [String: OptionValue] = [:]) throws -> [PlacedFinding] {
    var enabled: [String: Bool] = [:]
    for d in Proofreader.catalog { enabled[d.id] = d.id == rule }
    let config = ProofreadingConfiguration(enabled: enabled, options: [rule: RuleOptions(options)])
    return try Proofreader(configuration: config).check(text).findings
}

func excerpts(_ rule: String, _ text: String, options: [String: OptionValue] = [:]) throws -> [String] {
    try findings(rule, text, options: options).map(\.excerpt)
}

func fixed(_ rule: String, _ text: String) throws -> String {
    Fixer.apply(try findings(rule, text).map(\.finding), to: text).text
}

@Suite struct GrammarRuleTests {
    @Test func raNuki() throws {
        #expect(try fixed("ra-nuki", "お刺身を食べれない。") == "お刺身を食べられない。")
        #expect(try fixed("ra-nuki", "ここからでも見れる。") == "ここからでも見られる。")
        #expect(try excerpts("ra-nuki", "見られる。出られる。書ける。入れる。").isEmpty)
    }

    @Test func iNuki() throws {
        #expect(try fixed("i-nuki", "開発してます。") == "開発しています。")
        #expect(try fixed("i-nuki", "笑ってる。") == "笑っている。")
        #expect(try excerpts("i-nuki", "見ています。休んでいました。").isEmpty)
    }

    @Test func saInsertionAndDrop() throws {
        #expect(try fixed("sa-ire", "寿司が美味しさそう。") == "寿司が美味しそう。")
        #expect(try fixed("sa-ire", "これは問題無そう。") == "これは問題無さそう。")
        #expect(try excerpts("sa-ire", "食べなさそうだ。よさそうだ。").isEmpty)
    }

    @Test func doubleNegative() throws {
        #expect(try excerpts("double-negative", "それが発端だったといえなくもない。").count == 1)
        #expect(try excerpts("double-negative", "懸念はないことはない。").count == 1)
        #expect(try excerpts("double-negative", "問題ないと言い切れない").count == 1)
        #expect(try excerpts("double-negative", "問題はない。少なくない。").isEmpty)
    }

    @Test func doubledParticleRespectsCommasQuotesAndPredicates() throws {
        #expect(try excerpts("doubled-particle", "材料不足で代替素材で製品を作った。") == ["で"])
        #expect(try excerpts("doubled-particle", "あなたは「私は彼は好きだ」と言った。") == ["は"])
        #expect(try excerpts("doubled-particle", "ナイフで切断した後、ハンマーで破砕した。").isEmpty)
        #expect(try excerpts("doubled-particle", "オブジェクトを返す関数を公開した").isEmpty)
        #expect(try excerpts("doubled-particle", "既存のコードの利用").isEmpty)
        #expect(try excerpts("doubled-particle", "既存のコードの利用", options: ["strict": .bool(true)]) == ["の"])
        #expect(try excerpts("doubled-particle", "短距離でも長距離でも早い。", options: ["allow": .list([.string("でも")])]).isEmpty)
    }

    @Test func conjunctionsAndGa() throws {
        #expect(try excerpts("doubled-conjunction", "そして朝起きた。昼は仕事をした。そして夜に寝た。") == ["そして"])
        #expect(try excerpts("doubled-conjunction", "そして朝起きた。\n\nそして夜に寝た。").isEmpty)  // another paragraph
        #expect(try excerpts("doubled-conjunctive-ga", "規模は小さいが、収益は多いが、実益は小さい。") == ["が"])
        #expect(try excerpts("doubled-conjunctive-ga", "出発したが、間に合わなかった。が、到着した。").isEmpty)
    }

    @Test func successiveWord() throws {
        #expect(try fixed("successive-word", "これはは問題です。") == "これは問題です。")
        #expect(try excerpts("successive-word", "すもももももももものうち。111回目。カクカクする。").isEmpty)
    }
}

@Suite struct ReadabilityRuleTests {
    @Test func commaCountSkipsLists() throws {
        #expect(try excerpts("comma-count", "これは、これは、これは、これは、これはだめ。").count == 1)
        #expect(try excerpts("comma-count", "名詞、名詞、名詞、名詞、名詞の場合は例外。").isEmpty)
    }

    @Test func kanjiRunAndSentenceLength() throws {
        #expect(try excerpts("kanji-run", "地方公共団体情報処理機構の資料。") == ["地方公共団体情報処理機構"])
        #expect(try excerpts("kanji-run", "個人情報保護条例を改正する。").isEmpty)  // 8 kanji: a normal 公用文 compound
        let long = String(repeating: "あ", count: 120) + "。"
        #expect(try findings("sentence-length", long).count == 1)
    }

    @Test func styleMix() throws {
        #expect(try excerpts("style-mix", "今日はいい天気ですね。\n今日はいい天気である。\n").count == 1)
        #expect(try excerpts("style-mix", "これはペンです。\nこれもペンです。").isEmpty)
        // A heading without a period carries no style.
        #expect(try excerpts("style-mix", "第1章 概要である\n本書は手順を説明します。").isEmpty)
        #expect(try findings("style-mix", "手続を説明します。", options: ["prefer": .string("である")]).count == 1)
    }
}

@Suite struct NotationRuleTests {
    @Test func widthAndKana() throws {
        #expect(try fixed("halfwidth-kana", "ﾊﾟﾝﾀﾞ") == "パンダ")
        #expect(try fixed("fullwidth-alphanumeric", "２００円のＡＢＣ") == "200円のABC")
        #expect(try fixed("counter-ka", "3ヶ月と5ケ所") == "3か月と5か所")
        #expect(try fixed("numeral-style", "二十回目") == "20回目")
        #expect(try excerpts("numeral-style", "一時的に一部分を数十万行、何十万").isEmpty)
        #expect(try fixed("numeral-style", "数10億円") == "数十億円")
        #expect(try fixed("number-punctuation", "0,1分と785，105") == "0.1分と785,105")
    }

    @Test func punctuationAndSymbols() throws {
        #expect(try fixed("punctuation-marks", "これは,見本です.") == "これは、見本です。")
        #expect(try excerpts("punctuation-marks", "This is a pen. 1,000円").isEmpty)
        #expect(try fixed("punctuation-marks", "これは，見本です．") == "これは、見本です。")
        #expect(try fixed("symbol-width", "本当?クォーク(素粒子)") == "本当？クォーク（素粒子）")
        #expect(try excerpts("symbol-width", "これは (English only) です").isEmpty)
        #expect(try excerpts("unused-symbols", "A市-B市;").count == 2)
        #expect(try excerpts("unused-symbols", "千代田区一番町 1-1-1、03-5555-0000").isEmpty)
        #expect(try excerpts("bracket-pairs", "『多重で『閉じる』かっこが足りない").count == 1)
        #expect(try excerpts("bracket-pairs", "彼は『『×××』を参照』と言った。1) 手順").isEmpty)
    }

    @Test func spacing() throws {
        #expect(try fixed("half-full-spacing", "JTF 標準") == "JTF標準")
        #expect(try excerpts("half-full-spacing", "JTF標準").isEmpty)
        #expect(try findings("half-full-spacing", "JTF標準", options: ["space": .string("always")]).count == 1)
        #expect(try fixed("fullwidth-spacing", "これは どういうこと？") == "これはどういうこと？")
        #expect(try excerpts("fullwidth-spacing", "ユーザー インターフェース").isEmpty)
        #expect(try fixed("fullwidth-spacing", "驚きの速さ！ これが新製品") == "驚きの速さ！\u{3000}これが新製品")
        #expect(try fixed("fullwidth-spacing", "これは 「ダメ」です") == "これは「ダメ」です")
    }

    @Test func variance() throws {
        #expect(try excerpts("notation-variance", "サーバとサーバーとサーバー") == ["サーバ"])
        #expect(try excerpts("notation-variance", "問合せ先と問い合わせ先、問い合わせ").count == 1)
        #expect(try excerpts("notation-variance", "インターフェースとインターフェース、上下と上り下り").isEmpty)
    }

    @Test func controlCharactersAndUnnaturalAlphabet() throws {
        #expect(try fixed("control-character", "申請\u{0007}書\u{200B}です") == "申請書です")
        #expect(try excerpts("unnatural-alphabet", "かいsじょう").count == 1)
        #expect(try excerpts("unnatural-alphabet", "A氏とビタミンC、aiueo").isEmpty)
    }

    @Test func joyoKanjiAndLoanwords() throws {
        #expect(try excerpts("joyo-kanji", "文章を推敲する。私は聡明でありたい。") == ["敲", "聡"])
        #expect(try excerpts("joyo-kanji", "俺は誰だ。鬱屈する。").isEmpty)
        #expect(try fixed("loanword-notation", "フィルタをかける。") == "フィルターをかける。")
        #expect(try excerpts("loanword-notation", "フィルタリングする。フィルター。").isEmpty)
    }
}

@Suite struct VarianceRegressionTests {
    @Test func kanaSuffixesAreNotOkurigana() throws {
        // ごろ and ごと are words of their own: 「6月上旬ごろ」 and 「6月上旬」 are not a spelling variance.
        #expect(try excerpts("notation-variance", "6月上旬ごろから7月上旬に、地域ごとに地域の").isEmpty)
        #expect(try excerpts("notation-variance", "この雇入と雇入れの違い").count == 1)
    }
}

@Suite struct SymbolRegressionTests {
    @Test func colonAndWaveDashBelongToSymbolWidth() throws {
        #expect(try fixed("symbol-width", "例:これ、朝~夕") == "例：これ、朝～夕")
        #expect(try excerpts("unused-symbols", "例:これ、朝~夕").isEmpty)
    }
}
