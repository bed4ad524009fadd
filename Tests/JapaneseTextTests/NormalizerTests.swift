import Testing
@testable import JapaneseText

@Suite("Normalisation, numerals, sentences")
struct NormalizerTests {
    @Test(arguments: [
        ("ＡＢＣ１２３", "abc123"),
        ("ｶﾞｲﾄﾞ", "ガイド"),
        ("①②", "12"),
        ("㈱みなと", "(株)みなと"),
        ("生成 AI", "生成ai"),
        ("第 1 条", "第1条"),
        ("hello   world", "hello world"),
        ("１，０００円", "1000円"),
        ("1,23", "1,23"),
        ("髙橋", "高橋"),
        ("10〜20", "10~20"),
        ("　前後の空白　", "前後の空白"),
    ])
    func normalizes(_ pair: (String, String)) {
        #expect(TextNormalizer.normalize(pair.0) == pair.1)
    }

    @Test(arguments: [
        ("二", 2), ("十", 10), ("十五", 15), ("二十", 20), ("百二十三", 123), ("千二百", 1200),
        ("二〇二四", 2024), ("3万", 30000), ("一億二千万", 120_000_000), ("12", 12), ("五十八", 58),
    ])
    func kanjiNumbers(_ pair: (String, Int)) {
        #expect(KanjiNumber.value(of: pair.0) == pair.1)
    }

    @Test func nonNumbersAreRejected() {
        #expect(KanjiNumber.value(of: "条") == nil)
        #expect(KanjiNumber.value(of: "") == nil)
    }

    @Test func sentencesRespectBrackets() {
        let s = SentenceSplitter.split("市長は「予算を守る。必ず守る。」と述べた。次の議題に移った！本当か？")
        #expect(s == ["市長は「予算を守る。必ず守る。」と述べた。", "次の議題に移った！", "本当か？"])
    }

    @Test func sentencesSplitAtLineBreaksAndParentheses() {
        #expect(SentenceSplitter.split("見出し\n本文です（注。補足）。終わり") == ["見出し", "本文です（注。補足）。", "終わり"])
        #expect(SentenceSplitter.split("「閉じない括弧\n次の行。") == ["「閉じない括弧", "次の行。"])
        #expect(SentenceSplitter.split("") == [])
    }
}

@Suite("Article numbers")
struct ArticleNumberTests {
    @Test(arguments: [
        ("第二条", "§2"), ("第２条", "§2"), ("第2条", "§2"), ("第百条の二", "§100の2"), ("第二百五十二条の十七の二", "§252の17の2"),
        ("第二十条乃至第七十三条", "§20"), ("附則第三条", "§3"),
    ])
    func keys(_ pair: (String, String)) {
        #expect(ArticleNumber.key(pair.0) == pair.1)
    }

    @Test func referencesInQueries() {
        #expect(ArticleNumber.references(in: "行政手続法第二条及び第三条の二の違い") == ["§2", "§3の2"])
        #expect(ArticleNumber.references(in: "地方自治法 第２条 第2条") == ["§2"])
        #expect(ArticleNumber.references(in: "条例の制定手続") == [])
        #expect(ArticleNumber.key("附則") == nil)
    }
}
