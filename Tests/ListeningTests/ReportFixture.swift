@testable import Listening

/// A small hand-built listening result for the report tests: a public-comment round on child care and public
/// transport with two coarse clusters (three and two fine ones), 20 comments giving 20 opinions, an exact and
/// a near duplicate group, an age cross-tab, one failed extraction, and comments that try to break out of
/// HTML and of the embedded JSON (`<script>…</script>`, a bare `</script>`) or carry a URL.
enum ReportFixture {
    static let hostile = "<script>alert(1)</script> 公園の遊具が古くて危ないので更新してほしい。"
    static let breakout = "ボール遊びができる公園を増やしてください。</script><b>太字</b>"
    static let url = "https://example.jp/demand"
    static let ages = ["20代", "30代", "40代", "60代以上"]

    /// (source id, text, age, district, duplicate group, opinions as (text, fine cluster, x, y)).
    typealias CommentSpec = (String, String, String, String, Int?, [(String, String, Double, Double)])

    static let specs: [CommentSpec] = [
        ("R-001", "保育園に入れず仕事に復帰できません。待機児童を早く解消してください。", "30代", "北区", nil,
         [("保育園に入れず仕事に復帰できない。", "1-1", 0.18, 0.78), ("待機児童を早く解消してほしい。", "1-1", 0.21, 0.74)]),
        ("R-002", "0歳児の保育枠が足りません。", "30代", "中央区", nil, [("0歳児の保育枠が足りない。", "1-1", 0.16, 0.72)]),
        ("R-003", "保育士の処遇を改善して人手不足を解消すべきだ。", "40代", "南区", nil,
         [("保育士の処遇を改善して人手不足を解消すべきだ。", "1-1", 0.24, 0.80)]),
        ("R-004", "学童保育が18時で終わるので、19時まで延長してほしい。", "30代", "北区", nil,
         [("学童保育を19時まで延長してほしい。", "1-2", 0.34, 0.52)]),
        ("R-005", "夏休みの学童の定員が少なすぎる。", "40代", "中央区", nil, [("夏休みの学童の定員が少なすぎる。", "1-2", 0.37, 0.48)]),
        ("R-006", hostile, "30代", "南区", nil, [(hostile, "1-3", 0.44, 0.82)]),
        ("R-007", breakout, "20代", "北区", nil, [(breakout, "1-3", 0.47, 0.79)]),
        ("R-008", "子どもが安心して遊べる屋内施設が欲しい。", "30代", "中央区", nil,
         [("子どもが安心して遊べる屋内施設が欲しい。", "1-3", 0.42, 0.77)]),
        ("R-009", "バスの本数を減らさないでください。", "60代以上", "南区", 0, [("バスの本数を減らさないでほしい。", "2-1", 0.76, 0.24)]),
        ("R-010", "バスの本数を減らさないでください。", "60代以上", "南区", 0, []),
        ("R-011", "バスの本数を減らさないでください。", "40代", "北区", 0, []),
        ("R-012", "高齢で運転免許を返納したので、路線バスが唯一の移動手段です。廃止しないでほしい。", "60代以上", "南区", nil,
         [("免許を返納したので路線バスが唯一の移動手段だ。", "2-1", 0.73, 0.22), ("路線バスを廃止しないでほしい。", "2-1", 0.78, 0.27)]),
        ("R-013", "デマンド交通を導入して、バス停から遠い地域も便利にしてほしい。参考：\(url)", "40代", "北区", nil,
         [("デマンド交通を導入してほしい。", "2-1", 0.72, 0.30)]),
        ("R-014", "駅にエレベーターがなく、ベビーカーでの利用が大変です。", "30代", "中央区", 1,
         [("駅にエレベーターがなく、ベビーカーでの利用が大変だ。", "2-2", 0.60, 0.46)]),
        ("R-015", "駅のホームに点字ブロックを増やしてほしい。", "60代以上", "中央区", nil,
         [("駅のホームに点字ブロックを増やしてほしい。", "2-2", 0.62, 0.43)]),
        ("R-016", "東口にもスロープを設置してください。", "20代", "南区", nil, [("東口にもスロープを設置してほしい。", "2-2", 0.58, 0.44)]),
        ("R-017", "保育園の送迎時に駐車場がなくて困っている。バスで通えるように路線を見直してほしい。", "30代", "北区", nil,
         [("保育園の送迎時に駐車場がなくて困っている。", "1-1", 0.22, 0.70), ("バスで保育園に通えるよう路線を見直してほしい。", "2-1", 0.70, 0.28)]),
        ("R-018", "児童館の開館時間を延ばしてほしい。", "20代", "中央区", nil, [("児童館の開館時間を延ばしてほしい。", "1-2", 0.32, 0.55)]),
        ("R-019", "駅前の駐輪場が足りない。", "20代", "北区", nil, [("駅前の駐輪場が足りない。", "2-2", 0.63, 0.48)]),
        ("R-020", "駅にエレベーターがなく、ベビーカーでの利用が大変です！", "30代", "南区", 1, []),
    ]

    static func result() -> ListeningResult {
        var comments: [ListeningComment] = []
        var opinions: [ListeningOpinion] = []
        for (i, spec) in specs.enumerated() {
            let (source, text, age, district, group, parts) = spec
            var ids: [Int] = []
            for (opinionText, fine, x, y) in parts {
                let coarse = String(fine.prefix(1))
                ids.append(opinions.count)
                opinions.append(.init(id: opinions.count, comment: i, text: opinionText, clusters: [coarse, fine], x: x, y: y))
            }
            comments.append(.init(
                id: i, sourceID: source, row: i + 2, text: text, attributes: ["年代": age, "地区": district],
                duplicateGroup: group, opinions: ids))
        }
        let clusters: [ListeningCluster] = [
            cluster("1", children: ["1-1", "1-2", "1-3"], "子育て支援の充実",
                    "保育園の待機児童の解消、学童保育の時間延長、安全な遊び場の整備を求める意見が多く寄せられました。",
                    ["保育園", "学童", "公園", "待機児童"], opinions: 11, comments: 10, weighted: 10, share: 0.55,
                    quotes: [1, 4, 6], x: 0.3, y: 0.68),
            cluster("1-1", "保育園の待機児童と保育の担い手", "待機児童の解消と保育士の処遇改善を求める声です。",
                    ["待機児童", "保育士"], opinions: 5, comments: 4, weighted: 4, share: 0.25, quotes: [1, 2], x: 0.2, y: 0.75),
            cluster("1-2", "学童保育・児童館の時間延長", "学童保育や児童館の利用時間と定員の拡大を求めています。",
                    ["学童", "延長"], opinions: 3, comments: 3, weighted: 3, share: 0.15, quotes: [4, 5], x: 0.35, y: 0.52),
            cluster("1-3", "公園と子どもの遊び場", "遊具の更新やボール遊びができる公園を求める意見です。",
                    ["公園", "遊具"], opinions: 3, comments: 3, weighted: 3, share: 0.15, quotes: [6, 7], x: 0.44, y: 0.79),
            cluster("2", children: ["2-1", "2-2"], "公共交通の維持と使いやすさ",
                    "路線バスの維持を求める声が組織的な投稿を含めて多く、駅のバリアフリー化を求める意見も目立ちます。",
                    ["バス", "駅", "路線", "エレベーター"], opinions: 9, comments: 8, weighted: 11, share: 0.45,
                    quotes: [10, 9, 13], x: 0.7, y: 0.34),
            cluster("2-1", "路線バスの維持と充実", "免許返納後の移動手段として路線バスの維持と本数確保を求めています。",
                    ["バス", "本数"], opinions: 5, comments: 4, weighted: 6, share: 0.25, quotes: [10, 9], x: 0.75, y: 0.26),
            cluster("2-2", "駅のバリアフリーと利用環境", "エレベーターやスロープ、点字ブロックの整備を求める意見です。",
                    ["エレベーター", "スロープ"], opinions: 4, comments: 4, weighted: 5, share: 0.2, quotes: [13, 14],
                    x: 0.61, y: 0.45, edited: true),
        ]
        let breakdown = AttributeBreakdown(
            name: "年代", kind: .category, values: ages, totals: [4, 8, 4, 4],
            rows: [row("1", [2, 6, 2, 0]), row("1-1", [0, 3, 1, 0]), row("1-2", [1, 1, 1, 0]), row("1-3", [1, 2, 0, 0]),
                   row("2", [2, 3, 2, 4]), row("2-1", [0, 1, 2, 3]), row("2-2", [2, 2, 0, 1])])
        return ListeningResult(
            title: "みなと市 子育て・公共交通に関する意見募集",
            parameters: .init(
                seed: 42, commentColumn: "ご意見", attributeColumns: ["年代", "地区"], requestedClusters: [2, 5],
                representation: "tfidf-svd", dimensions: 64, extraction: "model:gpt-4o-mini", labelling: "model:gpt-4o-mini",
                model: "gpt-4o-mini", promptHashes: ["label": "9b8c7d6e5f4a3b21", "extract": "3f2a9c1b7d4e5f60"],
                inputSHA256: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", language: "ja",
                personalDataMasked: true),
            counts: .init(rows: 23, droppedEmpty: 2, droppedModerated: 1, comments: 20, uniqueComments: 17,
                          duplicateComments: 3, opinions: 20, maskedSpans: 3, extractionFailures: 1),
            usage: .init(calls: 27, promptTokens: 18_234, completionTokens: 4_211, cost: 3.52),
            overview: "子育て支援と公共交通について 20 件のコメントが寄せられました。\n保育園の待機児童と路線バスの維持が二大論点です。",
            levels: [.init(level: 0, clusterIDs: ["1", "2"]), .init(level: 1, clusterIDs: ["1-1", "2-1", "2-2", "1-2", "1-3"])],
            clusters: clusters, opinions: opinions, comments: comments,
            // Listed smallest first: the report must put the largest group first.
            duplicates: [.init(id: 1, kind: .near, representative: 13, members: [13, 19]),
                         .init(id: 0, kind: .exact, representative: 8, members: [8, 9, 10])],
            attributes: [breakdown],
            failures: [.init(comment: 16, reason: "モデルの応答を JSON として解釈できませんでした")])
    }

    static func row(_ cluster: String, _ counts: [Int]) -> AttributeBreakdown.Row {
        let total = Double(counts.reduce(0, +))
        return .init(cluster: cluster, counts: counts, shares: counts.map { total > 0 ? Double($0) / total : 0 })
    }

    static func cluster(
        _ id: String, children: [String] = [], _ label: String, _ summary: String, _ keywords: [String],
        opinions: Int, comments: Int, weighted: Int, share: Double, quotes: [Int], x: Double, y: Double, edited: Bool = false
    ) -> ListeningCluster {
        ListeningCluster(
            id: id, level: id.contains("-") ? 1 : 0, parent: id.contains("-") ? String(id.prefix(1)) : nil,
            children: children, label: label, summary: summary, keywords: keywords, opinionCount: opinions,
            commentCount: comments, weightedCount: weighted, share: share, representativeOpinions: quotes, x: x, y: y,
            edited: edited)
    }
}
