import Testing
@testable import JapaneseText
import TestSupport

@Suite("Japanese analysis")
struct AnalyzerTests {
    let analyzer: Analyzer

    init() throws { analyzer = try Analyzer(model: try TestEnvironment.model()) }

    func words(_ text: String, role: AnalysisRole = .index) -> [String] {
        analyzer.terms(text, role: role).filter { $0.field == .word }.map(\.term)
    }

    func grams(_ text: String) -> [String] {
        analyzer.terms(text, role: .index).filter { $0.field == .gram }.map(\.term)
    }

    /// Variants that must produce identical word terms.
    @Test(arguments: [
        // 全角/半角
        ("ＡＢＣサービス", "ABCサービス"),
        ("ｶﾀｶﾅ入力", "カタカナ入力"),
        ("第２条", "第2条"),
        // 数字: 漢数字 and Arabic
        ("第二条", "第2条"),
        ("第十五条", "第15条"),
        ("千二百円", "1200円"),
        ("1,000円", "1000円"),
        // カタカナ長音
        ("サーバーの設定", "サーバの設定"),
        ("コンピューター", "コンピュータ"),
        // 送り仮名
        ("申し込み", "申込"),
        ("申込み", "申込"),
        ("手続き", "手続"),
        ("取り扱い", "取扱い"),
        ("受け付け", "受付"),
        // Latin case folding and mixed scripts
        ("Excelファイル", "EXCELファイル"),
        ("生成 AI の利用", "生成AIの利用"),
        // 異体字
        ("髙橋", "高橋"),
    ])
    func variantsMeet(_ pair: (String, String)) {
        #expect(words(pair.0) == words(pair.1), "\(pair.0) vs \(pair.1)")
        #expect(!words(pair.0).isEmpty)
    }

    @Test func contentWordsByBaseForm() {
        let w = words("予算を執行した職員が支出命令を入力する")
        #expect(w.contains("予算"))
        #expect(w.contains("執行"))
        #expect(w.contains("職員"))
        #expect(w.contains("支出"))
        #expect(w.contains("入力"))
        #expect(!w.contains("を"), "particles are not terms")
        #expect(!w.contains("た"), "auxiliaries are not terms")
    }

    @Test func verbsAreIndexedByDictionaryForm() {
        #expect(words("書類を提出しました").contains("提出"))
        #expect(words("窓口で受け取った").contains("受取"))
    }

    @Test func questionWordsAreDroppedFromQueries() {
        let q = words("日本で梅雨がないのはどこか。", role: .query)
        #expect(q.contains("梅雨"))
        #expect(q.contains("日本"))
        #expect(!q.contains("どこ"))
        let grams = analyzer.terms("誰が発明したか", role: .query).filter { $0.field == .gram }.map(\.term)
        #expect(!grams.contains { $0.contains("誰") })
    }

    @Test func bigramsSkipPunctuationSpacesAndHiraganaPairs() {
        let g = grams("予算、執行。あいう")
        #expect(g == ["予算", "執行"])
        #expect(grams("東京都") == ["東京", "京都"])
    }

    @Test func unknownWordsAndLongKatakanaGetBigramFallback() {
        // A long katakana run also yields its bigrams as words, so part of a compound still matches.
        let w = words("アクセシビリティ")
        #expect(w.contains("アクセシビリティ"))
        #expect(w.contains("アク"))
        #expect(w.contains("ティ"))
    }

    @Test func emptyAndSymbolOnlyTextYieldNothing() {
        #expect(analyzer.terms("", role: .index).isEmpty)
        #expect(words("。、！？") == [])
    }
}

@Suite("Highlight keywords")
struct KeywordTests {
    @Test func keywordsAreContentSurfacesWithoutShortKana() throws {
        let analyzer = try Analyzer(model: try TestEnvironment.model())
        let k = analyzer.keywords("生成AIに個人情報を入力してよいか")
        #expect(k.contains("個人"))
        #expect(k.contains("入力"))
        #expect(!k.contains("し"))
        #expect(!analyzer.keywords("どこで申請するか").contains("どこ"))
    }

    @Test func numberedReferencesAreOneKeyword() throws {
        let analyzer = try Analyzer(model: try TestEnvironment.model())
        let k = analyzer.keywords("みなと市財務規則 第三十条の規定")
        #expect(k.contains("第三十条"))
        #expect(!k.contains("三") && !k.contains("十") && !k.contains("条"))
        #expect(analyzer.keywords("予算は1200万円").contains { $0.hasPrefix("1200") })
    }

    @Test func oneMeCabPassGivesTheSameTermsAndKeywordsAsTwo() throws {
        let analyzer = try Analyzer(model: try TestEnvironment.model())
        for query in [
            "生成AIに個人情報を入力してよいか", "みなと市財務規則 第三十条の規定", "どこで申請するか", "予算は1200万円",
            "長靴の形をした国はどこですか？", "ＡＢＣ　支出命令は５日まで", "", "第2条の3の2", "🙂 絵文字と𠮷野家",
        ] {
            let both = analyzer.queryTermsAndKeywords(query)
            let terms = analyzer.terms(query, role: .query)
            #expect(both.terms.map(\.field) == terms.map(\.field), "\(query)")
            #expect(both.terms.map(\.term) == terms.map(\.term), "\(query)")
            #expect(both.keywords == analyzer.keywords(query), "\(query)")
        }
    }
}
