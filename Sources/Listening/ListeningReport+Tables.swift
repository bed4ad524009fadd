/// The report's tables: cluster × attribute cross-tabs, duplicate groups and extraction failures.
extension ListeningReport {
    /// Cross-tab cells are shaded with this hue, darker for a larger share of the row.
    static let shadeHue = "#1f5fa8"
    /// Member ids listed per duplicate group before "ほか n 件".
    static let duplicateIDsShown = 8

    // MARK: - 属性別クロス集計

    static func crossTabs(_ index: ReportIndex) -> String {
        var out = "<section id=\"crosstabs\" class=\"card\" aria-labelledby=\"crosstabs-h\">\n<h2 id=\"crosstabs-h\">属性別クロス集計</h2>\n"
        let breakdowns = index.result.attributes
        guard !breakdowns.isEmpty else { return out + "<p>属性列が指定されていないため、クロス集計はありません。</p>\n</section>\n" }
        out += "<p class=\"note\">各クラスターのコメントを属性の値ごとに数えた表です（重複投稿もすべて数えています）。"
        out += "% は行（クラスター）の合計に対する割合で、セルの色が濃いほど割合が大きいことを示します。</p>\n"
        for (n, breakdown) in breakdowns.enumerated() { out += crossTab(breakdown, number: n, index) }
        return out + "</section>\n"
    }

    private static func crossTab(_ breakdown: AttributeBreakdown, number: Int, _ index: ReportIndex) -> String {
        let name = ReportText.html(breakdown.name)
        let kind = breakdown.kind == .numeric ? "（数値を区間に分けて集計）" : ""
        var out = "<h3 id=\"crosstab-\(number)\">\(name)\(kind)</h3>\n"
        out += "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"crosstab-\(number)\">\n"
        out += "<table class=\"crosstab\">\n<caption>クラスター × \(name)（件数と行内の割合）</caption>\n<thead><tr><th scope=\"col\">クラスター</th>"
        for value in breakdown.values { out += "<th scope=\"col\" class=\"num\">\(ReportText.html(value))</th>" }
        out += "<th scope=\"col\" class=\"num\">計</th></tr></thead>\n<tbody>\n"
        for (row, depth) in orderedRows(breakdown, index) {
            let total = row.counts.reduce(0, +)
            out += "<tr class=\"\(depth == 0 ? "row-coarse" : "row-fine")\">" + clusterCell(row.cluster, depth: depth, index)
            for (i, count) in row.counts.enumerated() {
                let share = i < row.shares.count ? row.shares[i] : (total > 0 ? Double(count) / Double(total) : 0)
                out += cell(count, share, shaded: true)
            }
            out += cell(total, total > 0 ? 1 : 0, shaded: false, className: "total") + "</tr>\n"
        }
        out += "</tbody>\n<tfoot><tr><th scope=\"row\">計</th>"
        let grand = breakdown.totals.reduce(0, +)
        for total in breakdown.totals { out += cell(total, grand > 0 ? Double(total) / Double(grand) : 0, shaded: false) }
        out += cell(grand, grand > 0 ? 1 : 0, shaded: false, className: "total") + "</tr></tfoot>\n</table>\n</div>\n"
        return out
    }

    private static func cell(_ count: Int, _ share: Double, shaded: Bool, className: String = "") -> String {
        var attributes = "class=\"num\(className.isEmpty ? "" : " " + className)\""
        if shaded && share > 0 {
            // At most 45 % of the hue over white, so dark text keeps at least 7:1 contrast.
            let strength = min(0.45, 0.06 + share * 0.5)
            attributes += " style=\"background:\(ReportPalette.tint(shadeHue, 1 - strength))\""
        }
        return "<td \(attributes)><span class=\"n\">\(ReportText.count(count))</span>"
            + "<span class=\"share\">\(ReportText.percent(share))</span></td>"
    }

    /// Each coarse cluster's row followed by its children's rows; rows for clusters the result does not list
    /// on its levels come last, in the order given.
    private static func orderedRows(_ breakdown: AttributeBreakdown, _ index: ReportIndex) -> [(AttributeBreakdown.Row, Int)] {
        var byCluster: [String: AttributeBreakdown.Row] = [:]
        for row in breakdown.rows where byCluster[row.cluster] == nil { byCluster[row.cluster] = row }
        return hierarchyOrder(breakdown.rows.map(\.cluster), index).compactMap { id, depth in byCluster[id].map { ($0, depth) } }
    }

    /// `ids` (each once) in the order of the hierarchy, each with its depth: a coarse cluster, then its
    /// children; ids the levels do not reach come last, in the order given.
    static func hierarchyOrder(_ ids: [String], _ index: ReportIndex) -> [(String, Int)] {
        let wanted = Set(ids)
        var out: [(String, Int)] = []
        var used = Set<String>()
        func visit(_ cluster: ListeningCluster, depth: Int) {
            if wanted.contains(cluster.id), used.insert(cluster.id).inserted { out.append((cluster.id, depth)) }
            guard depth < 8 else { return }
            for child in index.children(of: cluster) { visit(child, depth: depth + 1) }
        }
        for cluster in index.coarse { visit(cluster, depth: 0) }
        for id in ids where used.insert(id).inserted { out.append((id, index.cluster(id)?.parent == nil ? 0 : 1)) }
        return out
    }

    /// The first cell of a cluster row: a swatch for a coarse cluster, an indent for a child, and a link.
    static func clusterCell(_ id: String, depth: Int, _ index: ReportIndex) -> String {
        var out = "<th scope=\"row\">"
        out += depth == 0 ? ReportMap.swatch(index.rank(of: id)) : "<span class=\"indent\" aria-hidden=\"true\">└</span>"
        return out + "<a href=\"#\(ReportText.anchor("cluster", id))\">\(ReportText.html(index.label(id)))</a></th>"
    }

    // MARK: - 重複・組織的投稿

    static func duplicates(_ index: ReportIndex) -> String {
        var out = "<section id=\"duplicates\" class=\"card\" aria-labelledby=\"duplicates-h\">\n<h2 id=\"duplicates-h\">重複・組織的投稿</h2>\n"
        let groups = index.result.duplicates.sorted { $0.count != $1.count ? $0.count > $1.count : $0.id < $1.id }
        guard !groups.isEmpty else { return out + "<p>同一またはほぼ同一の投稿はありませんでした。</p>\n</section>\n" }
        let members = groups.reduce(0) { $0 + $1.count }
        out += "<p class=\"note\">同じ文面（完全一致）またはほぼ同じ文面（ほぼ同一）の投稿が \(ReportText.count(groups.count)) グループ、"
        out += "計 \(ReportText.count(members)) 件ありました。組織的な投稿の可能性があります。分析では各グループを 1 件として扱い、"
        out += "「重複込み件数」ではすべてを数えています。件数の多い順に示します。</p>\n"
        out += "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"重複投稿の一覧\">\n<table class=\"duplicates\">\n"
        out += "<thead><tr><th scope=\"col\" class=\"num\">件数</th><th scope=\"col\">種類</th><th scope=\"col\">代表の文面</th>"
        out += "<th scope=\"col\">分類</th><th scope=\"col\">コメント番号</th></tr></thead>\n<tbody>\n"
        for group in groups {
            let representative = index.comment(group.representative)
            out += "<tr id=\"\(ReportText.anchor("dup", String(group.id)))\"><td class=\"num\"><strong>\(ReportText.count(group.count))</strong></td>"
            out += "<td><span class=\"kind kind-\(group.kind.rawValue)\">\(group.kind == .exact ? "完全一致" : "ほぼ同一")</span></td>"
            out += "<td class=\"text\">\(ReportText.html(representative?.text ?? ""))</td><td>"
            if let first = representative?.opinions.first.flatMap({ index.opinion($0) }), let coarse = first.clusters.first {
                out += "<a href=\"#\(ReportText.anchor("cluster", coarse))\">\(ReportText.html(index.label(coarse)))</a>"
            }
            let ids = group.members.compactMap { index.comment($0)?.sourceID }
            out += "</td><td class=\"ids\">" + ids.prefix(duplicateIDsShown).map { ReportText.html($0) }.joined(separator: "、")
            if ids.count > duplicateIDsShown { out += " ほか \(ReportText.count(ids.count - duplicateIDsShown)) 件" }
            out += "</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</div>\n</section>\n"
    }

    // MARK: - 抽出に失敗したコメント

    static func failures(_ index: ReportIndex) -> String {
        var out = "<section id=\"failures\" class=\"card\" aria-labelledby=\"failures-h\">\n<h2 id=\"failures-h\">抽出に失敗したコメント</h2>\n"
        out += "<p class=\"note\">言語モデルによる意見の抽出に失敗した \(ReportText.count(index.result.failures.count)) 件のコメントです。"
        out += "これらのコメントは文ごとに分けた意見として分析に含めています。</p>\n"
        out += "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"抽出に失敗したコメントの一覧\">\n<table class=\"failures\">\n"
        out += "<thead><tr><th scope=\"col\">コメント番号</th><th scope=\"col\">理由</th><th scope=\"col\">コメント</th></tr></thead>\n<tbody>\n"
        for failure in index.result.failures {
            let comment = index.comment(failure.comment)
            out += "<tr><td>\(ReportText.html(comment?.sourceID ?? String(failure.comment)))</td>"
            out += "<td>\(ReportText.html(failure.reason))</td><td class=\"text\">\(ReportText.html(comment?.text ?? ""))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</div>\n</section>\n"
    }
}
