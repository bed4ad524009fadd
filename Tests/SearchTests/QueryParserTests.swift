import Testing
@testable import Search

@Suite("Query syntax")
struct QueryParserTests {
    /// Queries without quotes or minus signs take a shortcut that must split exactly like the full parse.
    @Test func plainQueriesParseAsTheFullParserWould() {
        var rng = SplitMix64(seed: 11)
        let pieces = ["予算", "支出命令", " ", "　", "\t", "\n", "\r\n", "ｱ", "e\u{301}", "COVID19", "第3条", "「様式」", "?", "🧾", "\u{2028}", "\u{85}", "\u{A0}"]
        for _ in 0..<2000 {
            let query = (0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            #expect(QueryParser.parse(query) == QueryParser.parseSyntax(query), "\(query.debugDescription)")
        }
    }

    /// The byte scan agrees with `Character.isWhitespace` and the syntax scalars for every scalar that could
    /// matter (Latin-1, general punctuation, CJK symbols, full-width forms) and for the neighbours of the
    /// multi-byte ones, alone and inside Japanese text.
    @Test func byteScanFindsWhitespaceAndSyntaxLikeTheScalarWalk() {
        let ranges: [ClosedRange<UInt32>] = [0x00...0x2FF, 0x1600...0x16FF, 0x1800...0x18FF, 0x2000...0x22FF, 0x3000...0x30FF, 0xFE00...0xFFEF]
        for range in ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                for text in [String(scalar), "予算\(scalar)執行", "\(scalar)a"] {
                    let (syntax, whitespace) = QueryParser.scan(text)
                    #expect(whitespace == text.unicodeScalars.contains { Character($0).isWhitespace }, "U+\(String(value, radix: 16))")
                    #expect(syntax == text.unicodeScalars.contains { QueryParser.syntaxScalars.contains($0.value) }, "U+\(String(value, radix: 16))")
                }
            }
        }
        #expect(QueryParser.parse("マーラーが指揮者となった年は？") == ParsedQuery(text: "マーラーが指揮者となった年は？"))
    }

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
