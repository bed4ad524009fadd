import Foundation
import HirobaCore
import Testing
@testable import Ingest

@Suite("Chunkers")
struct ChunkerTests {
    let statute = """
        みなと市補助金交付規則
        目次
        　第一章　総則（第一条・第二条）
        　附則

        　　　第一章　総則
        （目的）
        第一条　この規則は、補助金の交付に関し必要な事項を定める。
        （定義）
        第二条　この規則において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。
        一　補助事業　補助金の交付の対象となる事業
        ２　前項の規定にかかわらず、市長が別に定めるものを除く。
        第二条の二　補助金の額は、予算の範囲内とする。
        　　　附　則
        （施行期日）
        １　この規則は、令和七年四月一日から施行する。
        別表第一（第二条関係）
        区分　金額
        """

    @Test func statuteIsOneChunkPerArticleWithSupplementAndTable() {
        #expect(ArticleChunker.looksLikeStatute(statute))
        let chunks = ArticleChunker.chunk(statute)
        let labels = chunks.map { $0.locator.article ?? "-" }
        #expect(labels == ["-", "第一条", "第二条", "第二条の二", "附則", "別表第一"])
        #expect(chunks[1].text.hasPrefix("（目的）\n第一条"))
        #expect(chunks[2].text.contains("２　前項の規定"))
        #expect(chunks[2].headingPath == ["第一章　総則"])
        #expect(chunks[4].text.contains("（施行期日）"))
        #expect(chunks[4].text.contains("令和七年四月一日"))
        #expect(chunks.map(\.ordinal) == Array(0..<chunks.count))
    }

    @Test func longArticlesSplitAtParagraphsWithHeadingRepeated() {
        let paragraph = String(repeating: "補助事業者は、市長の指示に従い事業を遂行しなければならない。", count: 12)
        let text = "第一条　\(paragraph)\n２　\(paragraph)\n３　\(paragraph)\n第二条　短い。\n第三条　短い。"
        let chunks = ArticleChunker.chunk(text)
        let first = chunks.filter { $0.locator.article == "第一条" }
        #expect(first.count >= 2)
        #expect(first.dropFirst().allSatisfy { $0.text.hasPrefix("第一条") })
    }

    @Test func faqIsOneChunkPerPair() {
        let faq = """
            # よくある質問
            ## ログイン
            Q: パスワードを忘れました。
            A: ヘルプデスク（内線2450）へ連絡してください。

            Q: アカウントがロックされました。
            A: 30分後に自動解除されます。
            Ｑ：帳票が印刷できません。
            Ａ：プリンタの設定を確認してください。
            """
        #expect(FAQChunker.looksLikeFAQ(faq))
        let chunks = FAQChunker.chunk(faq)
        #expect(chunks.count == 3)
        #expect(chunks[0].text == "Q: パスワードを忘れました。\nA: ヘルプデスク（内線2450）へ連絡してください。")
        #expect(chunks[0].headingPath == ["ログイン"])
        #expect(chunks[2].locator.section == "Q. 帳票が印刷できません。")
    }

    @Test func manualsSplitAtHeadingsAndPackSentences() {
        let long = String(repeating: "支出命令は支払日の七営業日前までに回付する。", count: 40)
        let md = "# マニュアル\n## 4.1 支払日\n\(long)\n### 4.1.1 例外\n短い本文。"
        let doc = DocumentExtractor.extract(text: md, fileName: "manual.md")
        #expect(doc.title == "マニュアル")
        let sections = doc.chunks.map { $0.locator.section ?? "" }
        #expect(sections.filter { $0 == "4.1 支払日" }.count >= 2)
        #expect(doc.chunks.last?.headingPath == ["マニュアル", "4.1 支払日", "4.1.1 例外"])
        #expect(doc.chunks.allSatisfy { $0.text.count <= SectionChunker.targetCharacters + 60 })
    }

    @Test func utf8WithBOMIsAcceptedAndCRLFNormalized() throws {
        let text = try SourceText.decode(Data([0xEF, 0xBB, 0xBF] + Array("予算\r\n執行".utf8)), path: "x.txt")
        #expect(text == "予算\n執行")
    }

    @Test func eucJPIsNamedInTheError() {
        // 「予算」 in EUC-JP.
        #expect(throws: IngestError.notUTF8("e.txt", likelyEncoding: "EUC-JP")) {
            try SourceText.decode(Data([0xCD, 0xBD, 0xBB, 0xBB, 0x0A]), path: "e.txt")
        }
    }
}
