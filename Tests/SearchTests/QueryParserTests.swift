import Testing
@testable import Search

@Suite("Query syntax")
struct QueryParserTests {
    @Test func freeTextPhrasesAndExclusions() {
        let q = QueryParser.parse("支出命令 \"予算残額不足\" -前金払 入力")
        #expect(q.text == "支出命令 入力")
        #expect(q.phrases == ["予算残額不足"])
        #expect(q.exclusions == ["前金払"])
    }

    @Test func japaneseBracketsAreNotPhraseSyntax() {
        let q = QueryParser.parse("「宇宙」とする仮説は？")
        #expect(q.phrases.isEmpty)
        #expect(q.text == "「宇宙」とする仮説は？")
    }

    @Test func typographicQuotesNegatedPhrasesAndFullWidthMinus() {
        let q = QueryParser.parse("“出納整理期間” -\"概算払\" −戻入")
        #expect(q.phrases == ["出納整理期間"])
        #expect(q.exclusions == ["概算払", "戻入"])
        #expect(q.text.isEmpty)
    }

    @Test func unbalancedQuoteRunsToTheEnd() {
        let q = QueryParser.parse("予算 \"流用の手続")
        #expect(q.text == "予算")
        #expect(q.phrases == ["流用の手続"])
    }

    @Test func loneMinusAndEmptyQuotesAreIgnored() {
        let q = QueryParser.parse(" - \"\"  ")
        #expect(q.isEmpty)
        #expect(q.exclusions.isEmpty)
    }

    @Test func hyphenInsideAWordIsText() {
        #expect(QueryParser.parse("E-2031").text == "E-2031")
    }
}
