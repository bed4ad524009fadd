/// 意見募集の比較: shown when the result comes from `listen compare`. Each cluster's share of the comments of the
/// first and of the second consultation, the difference in percentage points, and whether the change is
/// called (the comparison's own z-test). Changes are marked with a word and an arrow, not by colour alone.
extension ListeningReport {
    static func comparison(_ comparison: ListeningComparison, _ index: ReportIndex) -> String {
        let names = comparison.names.count == 2 ? comparison.names : ["1", "2"]
        let first = ReportText.html(names[0]), second = ReportText.html(names[1])
        var out = "<section id=\"comparison\" class=\"card\" aria-labelledby=\"comparison-h\">\n"
        out += "<h2 id=\"comparison-h\">意見募集の比較</h2>\n"
        out += "<p class=\"note\">「\(first)」と「\(second)」のコメントを同じ分類にまとめ、各クラスターがそれぞれのコメント全体に"
        out += "占める割合を比べました。差は割合の差（ポイント）です。「増加」「減少」は、2 つの割合の差の検定で偶然とは"
        out += "考えにくく（|z| ≥ 1.96）、かつ 1 ポイント以上動いたものです。</p>\n"
        var summary: [String] = []
        for (change, label) in [(ListeningComparison.Change.grew, "増加"), (.shrank, "減少"), (.appeared, "新規"), (.vanished, "消滅")] {
            let n = comparison.rows.filter { $0.change == change && index.cluster($0.cluster)?.parent == nil }.count
            if n > 0 { summary.append("\(label) \(n) 件") }
        }
        out += "<p>大分類の変化：\(summary.isEmpty ? "目立った変化はありません" : summary.joined(separator: "、"))。</p>\n"
        out += "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"comparison-h\">\n"
        out += "<table class=\"comparison\">\n<caption>クラスター別の件数と割合（\(first) → \(second)）</caption>\n"
        out += "<thead><tr><th scope=\"col\">クラスター</th><th scope=\"col\" class=\"num\">\(first)</th>"
        out += "<th scope=\"col\" class=\"num\">\(second)</th><th scope=\"col\" class=\"num\">差</th><th scope=\"col\">変化</th></tr></thead>\n"
        out += "<tbody>\n"
        var byCluster: [String: ListeningComparison.Row] = [:]
        for row in comparison.rows where byCluster[row.cluster] == nil { byCluster[row.cluster] = row }
        for (id, depth) in hierarchyOrder(comparison.rows.map(\.cluster), index) {
            guard let row = byCluster[id] else { continue }
            out += "<tr class=\"\(depth == 0 ? "row-coarse" : "row-fine")\">" + clusterCell(id, depth: depth, index)
            for side in 0..<2 {
                let count = side < row.counts.count ? row.counts[side] : 0
                let share = side < row.shares.count ? row.shares[side] : 0
                out += "<td class=\"num\"><span class=\"n\">\(ReportText.count(count))</span>"
                out += "<span class=\"share\">\(ReportText.percent(share))</span></td>"
            }
            out += "<td class=\"num\">\(points(row.delta))</td><td>\(change(row.change))</td></tr>\n"
        }
        out += "</tbody>\n<tfoot><tr><th scope=\"row\">コメント総数</th>"
        for side in 0..<2 {
            let total = side < comparison.totals.count ? comparison.totals[side] : 0
            out += "<td class=\"num\"><span class=\"n\">\(ReportText.count(total))</span></td>"
        }
        return out + "<td></td><td></td></tr></tfoot>\n</table>\n</div>\n</section>\n"
    }

    /// A difference in percentage points with its sign: "+3.2 pt", "−1.5 pt", "±0.0 pt".
    static func points(_ delta: Double) -> String {
        let magnitude = ReportText.fixed(abs(delta), 1)
        if magnitude == "0.0" { return "±0.0 pt" }
        return (delta > 0 ? "+" : "−") + magnitude + " pt"
    }

    private static func change(_ change: ListeningComparison.Change) -> String {
        switch change {
        case .grew: "<span class=\"change up\">▲ 増加</span>"
        case .shrank: "<span class=\"change down\">▼ 減少</span>"
        case .appeared: "<span class=\"change up\">＋ 新規</span>"
        case .vanished: "<span class=\"change down\">− 消滅</span>"
        case .stable: "<span class=\"change\">変化なし</span>"
        }
    }
}
