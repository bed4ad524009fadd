import Foundation
import Ingest
import JapaneseText
import Testing

@testable import Listening

@Suite struct ListeningInputTests {
    static let csv = """
        番号,年代,地域,意見,moderated
        1,30代,北区,保育園の待機児童が多く、入園できる見込みが立たないので定員を増やしてほしいです。,1
        2,70代,南区,バスの本数が減って通院に困っています。,1
        3,40代,北区,,1
        4,30代,東区,不適切な書き込み,-1
        5,20代,南区,公園の遊具が古くて危ないので更新してください。,1

        """

    @Test func picksTheCommentColumnAttributesAndDropsEmptyAndModeratedRows() throws {
        let table = try CommentTable.read(data: Data(Self.csv.utf8), path: "comments.csv")
        let selection = try table.select()
        #expect(selection.commentColumn == "意見")
        #expect(selection.attributeColumns == ["年代", "地域"])
        #expect(selection.rows == 5)
        #expect(selection.droppedEmpty == 1)
        #expect(selection.droppedModerated == 1)
        #expect(selection.comments.map(\.sourceID) == ["1", "2", "5"])
        #expect(selection.comments[1].attributes == ["年代": "70代", "地域": "南区"])
    }

    @Test func readsShiftJISFromExcel() throws {
        let bytes = try #require(LegacyEncoding.cp932.encode(Self.csv))
        #expect(String(data: bytes, encoding: .utf8) == nil)
        let table = try CommentTable.read(data: bytes, path: "excel.csv")
        #expect(table.warnings.contains { $0.contains("Shift_JIS") })
        #expect(try table.select().comments.first?.text.hasPrefix("保育園の待機児童") == true)
    }

    @Test func theUserMayNameTheColumns() throws {
        let table = try CommentTable.read(data: Data(Self.csv.utf8), path: "comments.csv")
        let selection = try table.select(commentColumn: "意見", attributeColumns: ["地域"])
        #expect(selection.attributeColumns == ["地域"])
        #expect(throws: ListeningError.unknownColumn("本文", available: ["番号", "年代", "地域", "意見", "moderated"])) {
            try table.select(commentColumn: "本文")
        }
    }

    @Test func refusesFilesWithoutComments() throws {
        let onlyEmpty = "意見,年代\n,30代\n,40代\n"
        let table = try CommentTable.read(data: Data(onlyEmpty.utf8), path: "empty.csv")
        #expect(throws: ListeningError.self) { try table.select(commentColumn: "意見") }
        #expect(throws: IngestError.self) { try CommentTable.read(data: Data(), path: "none.csv") }
        #expect(throws: IngestError.self) { try CommentTable.read(data: Data("x".utf8), path: "comments.pdf") }
    }

    @Test func groupsExactAndNearDuplicatesButNotShortLookalikes() {
        let campaign = "市民プールの廃止に反対します。子どもたちが夏休みに安全に泳げる場所を残してください。"
        let texts = [
            campaign,
            "保育園を増やしてほしい。",
            campaign.replacingOccurrences(of: "。", with: "！"),  // punctuation only: exact after folding
            "市民プールの廃止に反対します。子どもたちが夏休みに安全に泳げる場所を残してください。よろしくお願いします",
            "賛成です",
            "賛成です。",
            "反対です",
        ]
        let groups = Deduplicator().groups(texts)
        #expect(groups.count == 2)
        #expect(groups[0].members == [0, 2, 3])
        #expect(groups[0].kind == .near)
        #expect(groups[1].members == [4, 5])
        #expect(groups[1].kind == .exact)
    }

    @Test func segmentsLongCommentsIntoOpinions() {
        let segmenter = OpinionSegmenter()
        #expect(segmenter.opinions("バスを増やしてほしい。") == ["バスを増やしてほしい。"])
        let long =
            "小学生の子どもが二人います。通学路の歩道が狭く、車がすぐ横を通るので毎朝心配しています。"
            + "また、近所の公園の遊具が壊れたままになっているので、早く直してほしいです。以上です。"
        let opinions = segmenter.opinions(long)
        #expect(opinions.count == 2)
        #expect(opinions[0].hasPrefix("小学生の子どもが二人います。通学路"))
        #expect(opinions[1].hasSuffix("以上です。"))
        let english = "The buses are too slow on weekends and should run every ten minutes downtown. Parking near the library is also far too expensive for families."
        #expect(segmenter.opinions(english).count == 2)
    }

    @Test func detectsTheScriptAndCutsTermsForEach() throws {
        #expect(CommentScript.detect(["保育園を増やしてほしい"]) == .japanese)
        #expect(CommentScript.detect(["我覺得計程車的服務品質參差不齊"]) == .chinese)
        #expect(CommentScript.detect(["More buses please"]) == .latin)
        let model = try MeCabModel.shared()
        let english = try TermExtractor(script: .latin, model: model)
        let words = english.terms("The cities and their businesses need more buses").map { english.text($0) }
        #expect(words == ["city", "business", "buse"] || words == ["city", "business", "bus"])
        let chinese = try TermExtractor(script: .chinese, model: model)
        #expect(chinese.terms("計程車司機").map { chinese.text($0) } == ["計程", "程車", "車司", "司機"])
        let japanese = try TermExtractor(script: .japanese, model: model)
        let terms = japanese.terms("保育園の定員を増やしてほしいと思います").map { japanese.text($0) }
        #expect(terms.contains("保育園") && terms.contains("定員"))
        #expect(!terms.contains("思う") && !terms.contains("ほしい"))
    }

    @Test func clusteringMetricsMatchHandComputedValues() {
        #expect(ClusteringMetrics.nmi([0, 0, 1, 1], [5, 5, 7, 7]) == 1)
        #expect(abs(ClusteringMetrics.ari([0, 0, 1, 1], [1, 1, 0, 0]) - 1) < 1e-12)
        // truth {0,0,1,1}, predicted {0,0,0,1}: I = 0.2158, H(truth) = 0.6931, H(pred) = 0.5623 (nats).
        #expect(abs(ClusteringMetrics.nmi([0, 0, 1, 1], [0, 0, 0, 1]) - 0.3437) < 1e-3)
        // Random-like labelling: ARI ≤ 0.
        #expect(ClusteringMetrics.ari([0, 0, 1, 1], [0, 1, 0, 1]) < 0)
    }

    @Test func opinionsCSVIsExcelSafe() throws {
        #expect(OpinionsTable.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(OpinionsTable.field("a,b") == "\"a,b\"")
        #expect(OpinionsTable.field("普通の意見") == "普通の意見")
    }
}
