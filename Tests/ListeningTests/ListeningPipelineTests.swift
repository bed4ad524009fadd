import Foundation
import Ingest
import JapaneseText
import Privacy
import Testing

@testable import Listening

/// Hand-written comments on four themes, with attributes, a campaign and personal data.
enum SampleComments {
    static let themes: [(String, [String])] = [
        (
            "保育",
            [
                "保育園の待機児童が多く、入園できずに仕事に復帰できません。", "保育園の定員を増やしてください。",
                "保育士の給料を上げて保育園の人手不足を解消してほしい。", "認可保育園に入れず、認可外の保育料が高くて困っています。",
                "保育園の送迎用の駐車場が足りません。", "病児保育を実施する保育園を増やしてほしい。",
                "保育園の入園申込みをオンラインでできるようにしてほしい。", "保育料の負担が重いので軽減してほしいです。",
            ]
        ),
        (
            "バス",
            [
                "路線バスの本数が減って通院に困っています。", "バスの最終便が早すぎるので遅くまで運行してほしい。",
                "コミュニティバスを駅と病院の間に走らせてください。", "バス停に屋根とベンチを付けてほしい。",
                "バスの運賃を高齢者向けに割り引いてほしい。", "バスの時刻表が分かりにくいので改善してほしい。",
                "朝の通勤時間帯のバスが満員で乗れないことがあります。", "バス路線の廃止に反対します。",
            ]
        ),
        (
            "公園",
            [
                "公園の遊具が古くて危ないので更新してください。", "公園のトイレが汚いので清掃を増やしてほしい。",
                "公園に木陰やベンチを増やしてほしい。", "公園でボール遊びができるようにしてほしい。",
                "公園の街灯が暗くて夜は怖いです。", "公園の草刈りをもっと頻繁にしてください。",
                "公園の遊具の下をクッション材にしてほしい。", "近所に公園がないので新しく整備してほしい。",
            ]
        ),
        (
            "ごみ",
            [
                "ごみの収集日を増やしてほしい。", "ごみの分別ルールが複雑で分かりにくいです。",
                "粗大ごみの申込みをインターネットでできるようにしてほしい。", "ごみ集積所のカラス対策をしてください。",
                "プラスチックごみのリサイクルを進めてほしい。", "ごみ袋の値段が高いので下げてほしい。",
                "ごみの不法投棄を取り締まってほしい。", "資源ごみの回収場所を増やしてほしい。",
            ]
        ),
    ]

    static func comments() -> [InputComment] {
        var out: [InputComment] = []
        let ages = ["20代", "30代", "40代", "70代"]
        for (t, theme) in themes.enumerated() {
            for (i, text) in theme.1.enumerated() {
                out.append(
                    InputComment(
                        row: out.count + 1, sourceID: "c\(out.count + 1)", text: text,
                        attributes: ["年代": ages[(t + i) % 4], "地域": i % 2 == 0 ? "北区" : "南区"]))
            }
        }
        let campaign = "市民プールの廃止に反対します。子どもたちが夏休みに泳げる場所を残してください。"
        for i in 0..<3 {
            out.append(
                InputComment(
                    row: out.count + 1, sourceID: "p\(i)", text: i == 2 ? campaign + "お願いします。" : campaign,
                    attributes: ["年代": "40代", "地域": "東区"]))
        }
        out.append(
            InputComment(
                row: out.count + 1, sourceID: "pii",
                text: "山田太郎です。電話は090-1234-5678です。ごみの収集日を週三回にしてほしい。", attributes: ["年代": "70代"]))
        return out
    }

    static func csv() -> String {
        "id,年代,地域,意見\n"
            + comments().map { "\($0.sourceID),\($0.attributes["年代"] ?? ""),\($0.attributes["地域"] ?? ""),\($0.text)" }
            .joined(separator: "\n") + "\n"
    }
}

@Suite struct ListeningPipelineTests {
    func pipeline(cache: ListeningCache = .disabled, assistant: ListeningAssistant? = nil) throws -> ListeningPipeline {
        let model = try MeCabModel.shared()
        return ListeningPipeline(model: model, detector: PIIDetector(model: model), assistant: assistant, cache: cache)
    }

    func run(_ pipeline: ListeningPipeline, seed: UInt64 = 42, clusters: [Int]? = [2, 5]) async throws -> ListeningResult {
        try await pipeline.run(
            data: Data(SampleComments.csv().utf8), path: "sample.csv",
            options: ListeningOptions(title: "テスト", seed: seed, clusters: clusters, dimensions: 20))
    }

    @Test func findsTheThemesAsNestedClusters() async throws {
        let result = try await run(try pipeline())
        #expect(result.levels.map(\.clusterIDs.count) == [2, 5])
        // Every fine cluster has one parent that lists it; every opinion has a cluster on each level.
        for fine in result.clusters where fine.level == 1 {
            let parent = try #require(result.cluster(fine.parent ?? ""))
            #expect(parent.children.contains(fine.id))
        }
        #expect(result.opinions.allSatisfy { $0.clusters.count == 2 && $0.clusters[1].hasPrefix($0.clusters[0] + "-") })
        // The four themes: most of each theme's comments share one fine cluster, and the cluster is labelled
        // with the theme's word.
        for (theme, texts) in SampleComments.themes {
            let clusters = result.opinions.filter { texts.contains($0.text) }.map { $0.clusters[1] }
            let top = Dictionary(grouping: clusters, by: { $0 }).max { $0.value.count < $1.value.count }!
            #expect(top.value.count >= 5, "theme \(theme) is split: \(clusters)")
            #expect(result.cluster(top.key)!.keywords.prefix(3).contains { $0.contains(theme) || theme.contains($0) })
        }
        #expect(result.opinions.allSatisfy { (0...1).contains($0.x) && (0...1).contains($0.y) })
        let total = result.clusters.filter { $0.level == 0 }.map(\.opinionCount).reduce(0, +)
        #expect(total == result.opinions.count)
    }

    @Test func masksPersonalDataBeforeAnythingElse() async throws {
        let result = try await run(try pipeline())
        let json = String(decoding: try ListeningOutput.json(result), as: UTF8.self)
        #expect(!json.contains("090-1234-5678"))
        #expect(!json.contains("山田太郎"))
        #expect(json.contains("[電話番号1]"))
        #expect(result.counts.maskedSpans >= 2)
        #expect(result.parameters.personalDataMasked)
    }

    @Test func aCampaignIsOneOpinionCountedInFull() async throws {
        let result = try await run(try pipeline())
        let group = try #require(result.duplicates.first)
        #expect(group.count == 3)
        #expect(result.counts.duplicateComments == 2)
        let represented = result.comments[group.representative]
        let cluster = try #require(result.cluster(result.opinions[represented.opinions[0]].clusters[1]))
        #expect(cluster.weightedCount >= cluster.commentCount + 2)
        for m in group.members where m != group.representative { #expect(result.comments[m].opinions.isEmpty) }
        // In the cross-tab each member counts with its own attributes: the three 40代 of 東区 are all there.
        let regions = try #require(result.attributes.first { $0.name == "地域" })
        let east = try #require(regions.values.firstIndex(of: "東区"))
        #expect(regions.totals[east] == 3)
        let row = try #require(regions.rows.first { $0.cluster == cluster.id })
        #expect(row.counts[east] == 3)
    }

    @Test func theSameSeedGivesByteIdenticalJSONAndAnotherSeedKeepsTheData() async throws {
        let a = try ListeningOutput.json(try await run(try pipeline(), seed: 7, clusters: nil))
        let b = try ListeningOutput.json(try await run(try pipeline(), seed: 7, clusters: nil))
        #expect(a == b)
        let first = try ListeningOutput.decode(a, path: "a")
        let other = try await run(try pipeline(), seed: 8, clusters: nil)
        // A seed changes only the randomised steps (sketch, k-means starts): never the comments, their
        // masking, duplicates or opinions.
        #expect(other.comments == first.comments)
        #expect(other.duplicates == first.duplicates)
        #expect(other.opinions.map(\.text) == first.opinions.map(\.text))
        #expect(other.parameters.seed == 8 && first.parameters.seed == 7)
    }

    @Test func labelsPreferNounsOverVerbsAndAdjectives() {
        #expect(ListeningPipeline.labelWords(["増やす", "保育園", "困る", "待機", "学童"]) == ["保育園", "待機", "学童"])
        // Verbs fill in when there are too few nouns; the keyword order is kept within each kind.
        #expect(ListeningPipeline.labelWords(["増やす", "公園", "危ない"]) == ["公園", "増やす", "危ない"])
        #expect(ListeningPipeline.labelWords(["bus", "stops", "route", "more"]) == ["bus", "stops", "route"])
        #expect(ListeningPipeline.labelWords(["公車", "路線"]) == ["公車", "路線"])
        #expect(ListeningPipeline.labelWords([]).isEmpty)
    }

    @Test func theOpinionsWorkbookHoldsTheCSVTable() async throws {
        // Comment ids a spreadsheet would turn into a number or a formula.
        let input = SampleComments.csv() + "0012,30代,北区,延長保育の時間を長くしてほしい。\n=7,40代,南区,-バスの路線図を駅に貼ってください。\n"
        let run = try await try pipeline().run(
            data: Data(input.utf8), path: "sample.csv", options: ListeningOptions(title: "テスト", seed: 42, clusters: [2, 5], dimensions: 20))
        #expect(OpinionsTable.table(run).contains { $0[1] == "0012" } && OpinionsTable.table(run).contains { $0[1] == "=7" })
        for result in [run, ReportFixture.result()] {
            let table = OpinionsTable.table(result)
            #expect(table.count == result.opinions.count + 1 && table.allSatisfy { $0.count == table[0].count })
            let xlsx = try OpinionsTable.xlsx(result)
            #expect(try SpreadsheetTable.rows(data: xlsx, path: "opinions.xlsx").rows == table)
            #expect(try OpinionsTable.xlsx(result) == xlsx)
            // The CSV holds the same table but for the ' it puts before a leading = + - @.
            let csv = try SpreadsheetTable.rows(data: OpinionsTable.csv(result), path: "opinions.csv").rows
            let unprefixed = csv.map { row in
                row.map { v in v.hasPrefix("'") && v.dropFirst().first.map { "=+-@".contains($0) } == true ? String(v.dropFirst()) : v }
            }
            #expect(unprefixed == table)
        }
        let csv = try SpreadsheetTable.rows(data: OpinionsTable.csv(run), path: "opinions.csv").rows
        #expect(csv.contains { $0[1] == "'=7" } && csv.contains { $0[1] == "0012" })
    }

    @Test func rejectsBadParameters() async throws {
        let p = try pipeline()
        await #expect(throws: ListeningError.badClusterCounts("5,3")) {
            try await p.run(
                data: Data(SampleComments.csv().utf8), path: "s.csv", options: ListeningOptions(clusters: [5, 3]))
        }
        await #expect(throws: ListeningError.self) {
            try await p.run(data: Data(SampleComments.csv().utf8), path: "s.csv", options: ListeningOptions(dimensions: 1))
        }
    }

    @Test func chineseCommentsKeepTheirWordsUnmasked() async throws {
        let texts = ["我覺得計程車服務品質參差不齊", "我覺得Uber應該依法納稅", "計程車司機的收入很低", "Uber司機應該考取職業駕駛執照"]
        let csv = "comment-body\n" + texts.joined(separator: "\n") + "\n"
        let result = try await try pipeline().run(
            data: Data(csv.utf8), path: "zh.csv", options: ListeningOptions(clusters: [2, 3], dimensions: 4))
        #expect(result.parameters.language == "zh")
        #expect(result.comments.map(\.text) == texts)
        #expect(result.counts.maskedSpans == 0)
    }

    @Test func comparisonFindsWhatGrewAndWhatAppeared() async throws {
        var comments: [InputComment] = []
        let bus = SampleComments.themes[1].1
        let parks = SampleComments.themes[2].1
        let waste = SampleComments.themes[3].1
        for (i, t) in (bus + parks).enumerated() { comments.append(InputComment(row: i, sourceID: "a\(i)", text: t, attributes: ["調査": "前回"])) }
        for (i, t) in (bus + bus.map { $0 + "本当に困っています。" } + waste).enumerated() {
            comments.append(InputComment(row: i, sourceID: "b\(i)", text: t, attributes: ["調査": "今回"]))
        }
        var counts = ListeningCounts()
        let result = try await try pipeline().analyze(
            comments, commentColumn: "意見", attributeColumns: ["調査"], inputSHA256: "x", counts: &counts,
            options: ListeningOptions(clusters: [2, 3], dimensions: 10, maskPersonalData: false))
        let comparison = ListeningComparison(result: result, attribute: "調査", names: ["前回", "今回"])
        #expect(comparison.totals == [16, 24])
        let fine = comparison.rows.filter { $0.cluster.contains("-") }
        let wasteCluster = result.opinions.first { waste.contains($0.text) }!.clusters[1]
        let parkCluster = result.opinions.first { parks.contains($0.text) }!.clusters[1]
        #expect(fine.first { $0.cluster == wasteCluster }?.change == .appeared)
        #expect(fine.first { $0.cluster == parkCluster }?.change == .vanished)
    }
}
