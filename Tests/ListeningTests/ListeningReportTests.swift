import Foundation
import Testing

@testable import Listening

@Suite struct ListeningReportTests {
    let result = ReportFixture.result()
    let html = ListeningReport.html(ReportFixture.result())

    /// The part of `text` (the fixture's report unless given) from the first `start` up to the next `end` after it.
    func slice(_ text: String? = nil, from start: String, to end: String) throws -> Substring {
        let text = text ?? html
        let from = try #require(text.range(of: start))
        let to = try #require(text.range(of: end, range: from.upperBound..<text.endIndex))
        return text[from.lowerBound..<to.upperBound]
    }

    func occurrences(_ needle: String, in haystack: some StringProtocol) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    @Test func sameResultGivesSameBytes() throws {
        #expect(ListeningReport.html(result) == html)
        // A decoded copy has freshly built dictionaries (prompt hashes, comment attributes), whose iteration
        // order differs from the original's; the report must not depend on it.
        let copy = try JSONDecoder().decode(ListeningResult.self, from: JSONEncoder().encode(result))
        #expect(ListeningReport.html(copy) == html)
    }

    @Test func loadsNothingFromOutside() throws {
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ja\">"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        for element in ["<link", "<img", "<iframe", "<object", "<embed", "<audio", "<video", "@import", "@font-face"] {
            #expect(!html.contains(element), "\(element) appears")
        }
        // No attribute points outside the file: every src/href/xlink:href is a fragment.
        let references = try Regex(#"(?:src|href|action|poster)\s*=\s*["']?([^"'\s>]*)"#)
        let targets = html.matches(of: references).map { String($0.output[1].substring ?? "") }
        #expect(!targets.isEmpty)
        for target in targets { #expect(target.hasPrefix("#"), "external reference \(target)") }
        // No url() in the stylesheet or the SVG, so nothing can be fetched from there either.
        #expect(!html.contains("url("))
        // The URL in a comment is shown as text, never loaded.
        #expect(html.contains(ReportFixture.url))
        #expect(!html.contains("=\"\(ReportFixture.url)"))
    }

    @Test func hostileTextIsEscapedInHTMLAndJSON() throws {
        #expect(!html.contains("<script>alert(1)"))
        #expect(!html.contains("<b>太字</b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; 公園の遊具が古くて危ない"))
        #expect(html.contains("公園を増やしてください。&lt;/script&gt;&lt;b&gt;太字&lt;/b&gt;"))
        // Exactly the report's own two script elements: the JSON block and the code.
        #expect(occurrences("<script", in: html) == 2)
        #expect(occurrences("</script>", in: html) == 2)
        let data = try slice(from: "<script type=\"application/json\" id=\"report-data\">", to: "</script>")
        #expect(data.contains(#"\u003cscript\u003ealert(1)\u003c/script\u003e"#))
        #expect(data.contains(#"\u003c/script\u003e\u003cb\u003e太字"#))
        // The block is valid JSON and carries every opinion (20 is far below the sampling limit).
        let body = data.dropFirst("<script type=\"application/json\" id=\"report-data\">".count).dropLast("</script>".count)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let texts = try #require(json["texts"] as? [String])
        #expect(texts.count == 20)
        #expect(texts.contains(ReportFixture.hostile))
        #expect((json["points"] as? [Any])?.count == 80)
    }

    @Test func everySectionAndFigureIsPresent() throws {
        for id in ["overview", "map", "composition", "clusters", "crosstabs", "duplicates", "failures", "parameters"] {
            #expect(html.contains("<section id=\"\(id)\""), "section \(id)")
        }
        for heading in ["概要", "意見マップ", "クラスター構成", "クラスター別の内容", "属性別クロス集計", "重複・組織的投稿",
                        "抽出に失敗したコメント", "実行パラメータ"] {
            #expect(html.contains("-h\">\(heading)</h2>"), "heading \(heading)")
        }
        #expect(html.contains("<svg id=\"opinion-map\""))
        #expect(html.contains("<svg id=\"cluster-treemap\""))
        #expect(html.contains("<div id=\"cluster-tree\""))
        #expect(occurrences("<table class=\"crosstab\">", in: html) == 1)
        // One path of points per coarse cluster, and a treemap box per cluster (coarse frames and fine boxes).
        let map = try slice(from: "<svg id=\"opinion-map\"", to: "</svg>")
        #expect(occurrences("<path class=\"pts\"", in: map) == 2)
        #expect(occurrences("h0", in: map) == 20)
        let treemap = try slice(from: "<svg id=\"cluster-treemap\"", to: "</svg>")
        #expect(occurrences("class=\"tm-frame\"", in: treemap) == 2)
        #expect(occurrences("class=\"tm-child\"", in: treemap) == 5)
    }

    @Test func overviewCountsAndParameters() throws {
        let overview = try slice(from: "<section id=\"overview\"", to: "</section>")
        for (label, value) in [("行数", "23"), ("コメント数", "20"), ("意見数", "20"), ("重複", "3"), ("除外", "3"), ("マスクした個人情報", "3")] {
            #expect(overview.contains("<dt>\(label)</dt><dd><span class=\"stat-value\">\(value)</span>"), "\(label)")
        }
        #expect(overview.contains("空欄 2 ・ 非承認 1"))
        let parameters = try slice(from: "<section id=\"parameters\"", to: "</section>")
        for needle in ["<code>42</code>", "<code>tfidf-svd</code>", "<td>64</td>", "<code>model:gpt-4o-mini</code>",
                       "<code>extract</code>: <code>3f2a9c1b7d4e5f60</code><br><code>label</code>",
                       result.parameters.inputSHA256, "日本語（ja）", "呼び出し 27 回、入力 18,234 トークン、出力 4,211 トークン、費用 ¥3.52"] {
            #expect(parameters.contains(needle), "\(needle)")
        }
    }

    @Test func everyClusterIsLabelledLinkedAndListed() throws {
        let tree = try slice(from: "<div id=\"cluster-tree\"", to: "</ul>\n</div>\n</section>")
        let treemap = try slice(from: "<svg id=\"cluster-treemap\"", to: "</svg>")
        for cluster in result.clusters {
            let anchor = "cluster-\(cluster.id)"
            #expect(tree.contains("<a href=\"#\(anchor)\">\(cluster.label)</a>"), "tree lists \(cluster.label)")
            #expect(treemap.contains("<title>") && treemap.contains(cluster.label), "treemap names \(cluster.label)")
            #expect(html.contains("id=\"\(anchor)\""), "section for \(cluster.id)")
            #expect(html.contains(cluster.summary))
            // The label and the summary both lead to the supporting opinions.
            #expect(occurrences("href=\"#ops-\(cluster.id)\"", in: html) == 2, "evidence links of \(cluster.id)")
            #expect(html.contains("id=\"ops-\(cluster.id)\""))
        }
        // Leaf lists hold each opinion once, with its comment's source id; a split opinion shows the original.
        #expect(occurrences("<li id=\"op-", in: html) == 20)
        #expect(html.contains("<li id=\"op-16\"><p class=\"op-text\">保育園の送迎時に駐車場がなくて困っている。</p>"
                              + "<p class=\"op-source\"><span class=\"source-id\">No. R-017</span>"))
        #expect(html.contains("<span class=\"op-original-label\">原文</span>保育園の送迎時に駐車場がなくて困っている。バスで"))
        // Representative quotes: blockquotes with the source id, linked to the opinion.
        #expect(html.contains("<blockquote class=\"quote\"><p>免許を返納したので路線バスが唯一の移動手段だ。</p><footer>コメント "
                              + "<a href=\"#op-10\">No. R-012</a></footer></blockquote>"))
        #expect(html.contains("駅のバリアフリーと利用環境</a> <span class=\"badge\">編集済み</span>"))
        let legend = try slice(from: "<ul class=\"legend\"", to: "</ul>")
        #expect(legend.contains("子育て支援の充実") && legend.contains("公共交通の維持と使いやすさ"))
    }

    @Test func crossTabHasValuesSharesAndTotals() throws {
        let table = try slice(from: "<table class=\"crosstab\">", to: "</table>")
        #expect(table.contains("<th scope=\"col\">クラスター</th><th scope=\"col\" class=\"num\">20代</th>"
                               + "<th scope=\"col\" class=\"num\">30代</th><th scope=\"col\" class=\"num\">40代</th>"
                               + "<th scope=\"col\" class=\"num\">60代以上</th><th scope=\"col\" class=\"num\">計</th>"))
        func cell(_ count: Int, _ share: String) -> String {
            "<span class=\"n\">\(count)</span><span class=\"share\">\(share)</span>"
        }
        let rows = table.components(separatedBy: "<tr").dropFirst(2)  // header row, then the body rows
        #expect(rows.count == 8)  // 2 coarse + 5 fine + totals
        let first = try #require(rows.first)
        #expect(first.contains("子育て支援の充実"))
        for expected in [cell(2, "20.0%"), cell(6, "60.0%"), cell(2, "20.0%"), cell(10, "100.0%")] {
            #expect(first.contains(expected))
        }
        #expect(first.contains(cell(0, "0.0%")))
        // Fine rows follow their parent: 子育て's children before 公共交通.
        let order = rows.map { row in result.clusters.first { row.contains(">\($0.label)</a>") }?.id ?? "total" }
        #expect(order == ["1", "1-1", "1-2", "1-3", "2", "2-1", "2-2", "total"])
        let transport = rows[rows.startIndex + 4]
        for expected in [cell(3, "27.3%"), cell(4, "36.4%"), cell(11, "100.0%")] { #expect(transport.contains(expected)) }
        let totals = try #require(rows.last)
        #expect(totals.contains("<th scope=\"row\">計</th>"))
        for expected in [cell(4, "20.0%"), cell(8, "40.0%"), cell(20, "100.0%")] { #expect(totals.contains(expected)) }
    }

    @Test func duplicatesLargestFirstAndFailuresListed() throws {
        let duplicates = try slice(from: "<section id=\"duplicates\"", to: "</section>")
        let exact = try #require(duplicates.range(of: "kind-exact\">完全一致"))
        let near = try #require(duplicates.range(of: "kind-near\">ほぼ同一"))
        #expect(exact.lowerBound < near.lowerBound)
        #expect(duplicates.contains("<tr id=\"dup-0\"><td class=\"num\"><strong>3</strong></td>"))
        #expect(duplicates.contains("バスの本数を減らさないでください。"))
        #expect(duplicates.contains("R-009、R-010、R-011"))
        let failures = try slice(from: "<section id=\"failures\"", to: "</section>")
        #expect(failures.contains("<td>R-017</td><td>モデルの応答を JSON として解釈できませんでした</td>"))
    }

    @Test func failureSectionOnlyWhenThereAreFailures() {
        var clean = result
        clean.failures = []
        let report = ListeningReport.html(clean)
        #expect(!report.contains("id=\"failures\""))
        #expect(!report.contains("抽出に失敗したコメント"))
    }

    @Test func comparisonShowsSharesDifferencesAndChanges() throws {
        #expect(!html.contains("id=\"comparison\""))
        var compared = result
        for i in compared.comments.indices { compared.comments[i].attributes["募集回"] = i < 10 ? "令和6年度" : "令和7年度" }
        let comparison = ListeningComparison(result: compared, attribute: "募集回", names: ["令和6年度", "令和7年度"])
        compared.comparison = comparison
        let report = ListeningReport.html(compared)
        #expect(report.contains("<li><a href=\"#comparison\">意見募集の比較</a></li>"))
        let table = try slice(report, from: "<table class=\"comparison\">", to: "</table>")
        #expect(table.contains("<th scope=\"col\" class=\"num\">令和6年度</th><th scope=\"col\" class=\"num\">令和7年度</th>"))
        let rows = table.components(separatedBy: "<tr").dropFirst(2)
        #expect(rows.count == comparison.rows.count + 1)  // and the totals row
        let labels: [ListeningComparison.Change: String] = [
            .grew: "▲ 増加", .shrank: "▼ 減少", .appeared: "＋ 新規", .vanished: "− 消滅", .stable: "変化なし",
        ]
        for expected in comparison.rows {
            let label = try #require(compared.cluster(expected.cluster)).label
            let row = try #require(rows.first { $0.contains(">\(label)</a>") })
            for side in 0..<2 {
                #expect(row.contains("<span class=\"n\">\(expected.counts[side])</span>"
                                     + "<span class=\"share\">\(ReportText.percent(expected.shares[side]))</span>"))
            }
            #expect(row.contains(ListeningReport.points(expected.delta)))
            #expect(row.contains(try #require(labels[expected.change])))
        }
        // The comments split 10/10, and 子育て's share falls from 80 % to 20 %: a called decrease.
        let childCare = try #require(rows.first { $0.contains(">子育て支援の充実</a>") })
        #expect(childCare.contains("−60.0 pt") && childCare.contains("▼ 減少"))
        #expect(ListeningReport.points(0.04) == "±0.0 pt" && ListeningReport.points(3.25) == "+3.3 pt")
    }

    @Test func emptyResultStillGivesACompleteReport() throws {
        let empty = ListeningResult(
            title: "空の結果", parameters: result.parameters, counts: .init(), overview: "", levels: [], clusters: [],
            opinions: [], comments: [], duplicates: [], attributes: [], failures: [])
        let report = ListeningReport.html(empty)
        #expect(report.hasSuffix("</html>\n"))
        #expect(report.contains("<svg id=\"opinion-map\""))
        #expect(report.contains("全 0 件の意見を描いています"))
        #expect(report.contains("クラスターはありません。"))
        #expect(report.contains("属性列が指定されていないため、クロス集計はありません。"))
        #expect(report.contains("同一またはほぼ同一の投稿はありませんでした。"))
        #expect(report.contains("\"points\":[]"))
    }

    @Test func largeMapsAreSampledAndSaySo() throws {
        var big = result
        let n = 45_000
        big.opinions = (0..<n).map { i in
            ListeningOpinion(id: i, comment: i % 20, text: "意見 \(i)", clusters: i % 3 == 0 ? ["2", "2-1"] : ["1", "1-1"],
                             x: Double(i % 300) / 300, y: Double(i / 300) / 150)
        }
        let report = ListeningReport.html(big)
        // 45,000 opinions exceed the 20,000-point limit: every 3rd opinion of each cluster is drawn.
        #expect(report.contains("各クラスターから 3 件に 1 件（計 15,000 件）を抜き出して描いています"))
        let map = try slice(report, from: "<svg id=\"opinion-map\"", to: "</svg>")
        #expect(occurrences("h0", in: map) == 15_000)
        #expect(occurrences("<path class=\"pts\"", in: map) == 2)
    }
}
