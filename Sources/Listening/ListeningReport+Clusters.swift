/// クラスター別の内容: one article per coarse cluster with its fine clusters inside. Each label and summary
/// links to the opinions it rests on: every leaf cluster lists all of its opinions (with the original comment
/// when the opinion is only part of it) in a disclosure, so a reader can check any claim against the source.
/// Each opinion is listed once, under its finest cluster; a coarse cluster's evidence is its children's lists.
extension ListeningReport {
    /// Representative quotes shown per cluster; the full lists hold the rest.
    static let coarseQuotes = 3
    static let fineQuotes = 2

    static func clusterDetails(_ index: ReportIndex) -> String {
        var out = "<section id=\"clusters\" class=\"card\" aria-labelledby=\"clusters-h\">\n<h2 id=\"clusters-h\">クラスター別の内容</h2>\n"
        guard !index.coarse.isEmpty else { return out + "<p>クラスターはありません。</p>\n</section>\n" }
        out += "<p class=\"note\">大分類ごとに、要約・特徴語・件数・代表的な意見を示します。クラスター名または"
        out += "「根拠の意見」を選ぶと、そのクラスターに含まれる意見ともとのコメントをすべて確認できます。"
        out += "「重複込み件数」は、同一・ほぼ同一の投稿をすべて数えた件数です。</p>\n"
        for (rank, cluster) in index.coarse.enumerated() {
            out += clusterArticle(cluster, rank: rank, index)
        }
        return out + "</section>\n"
    }

    private static func clusterArticle(_ cluster: ListeningCluster, rank: Int, _ index: ReportIndex) -> String {
        let color = ReportPalette.color(rank)
        var out = "<article id=\"\(ReportText.anchor("cluster", cluster.id))\" class=\"cluster\" style=\"--c:\(color)\" "
        out += "aria-labelledby=\"\(ReportText.anchor("cluster-h", cluster.id))\">\n"
        out += "<h3 id=\"\(ReportText.anchor("cluster-h", cluster.id))\">\(ReportMap.swatch(rank))"
        out += "<span class=\"cluster-no\">\(rank + 1).</span> \(evidenceLink(cluster, ReportText.html(cluster.label)))"
        out += edited(cluster) + "</h3>\n"
        out += body(cluster, quotes: coarseQuotes, index)
        let children = index.children(of: cluster)
        if children.isEmpty {
            out += opinionList(cluster, index)
        } else {
            out += "<div class=\"subclusters\" id=\"\(ReportText.anchor("ops", cluster.id))\">\n"
            out += "<p class=\"sub-intro\">小分類 \(children.count) 件</p>\n"
            for child in children { out += subcluster(child, index, heading: 4) }
            out += "</div>\n"
        }
        return out + "</article>\n"
    }

    private static func subcluster(_ cluster: ListeningCluster, _ index: ReportIndex, heading: Int) -> String {
        let h = "h\(min(heading, 6))"
        let headingID = ReportText.anchor("cluster-h", cluster.id)
        var out = "<section id=\"\(ReportText.anchor("cluster", cluster.id))\" class=\"subcluster\" aria-labelledby=\"\(headingID)\">\n"
        out += "<\(h) id=\"\(headingID)\">\(evidenceLink(cluster, ReportText.html(cluster.label)))\(edited(cluster))</\(h)>\n"
        out += body(cluster, quotes: fineQuotes, index)
        let children = index.children(of: cluster)
        if children.isEmpty || heading >= 8 {
            out += opinionList(cluster, index)
        } else {
            out += "<div class=\"subclusters\" id=\"\(ReportText.anchor("ops", cluster.id))\">\n"
            for child in children { out += subcluster(child, index, heading: heading + 1) }
            out += "</div>\n"
        }
        return out + "</section>\n"
    }

    /// Counts, summary, keywords and representative quotes: what both levels show.
    private static func body(_ cluster: ListeningCluster, quotes: Int, _ index: ReportIndex) -> String {
        var out = "<dl class=\"figures\">"
        out += "<div><dt>意見数</dt><dd>\(ReportText.count(cluster.opinionCount))</dd></div>"
        out += "<div><dt>コメント数</dt><dd>\(ReportText.count(cluster.commentCount))</dd></div>"
        out += "<div><dt>重複込み件数</dt><dd>\(ReportText.count(cluster.weightedCount))</dd></div>"
        out += "<div><dt>割合</dt><dd>\(ReportText.percent(cluster.share))</dd></div></dl>\n"
        let summary = cluster.summary.isEmpty ? "（要約はありません）" : ReportText.html(cluster.summary)
        out += "<p class=\"summary\">\(summary) "
        out += evidenceLink(cluster, "根拠の意見 \(ReportText.count(cluster.opinionCount)) 件", className: "evidence-link") + "</p>\n"
        if !cluster.keywords.isEmpty {
            out += "<p class=\"keywords\"><span class=\"keywords-label\">特徴語</span>"
            for keyword in cluster.keywords.prefix(10) { out += "<span class=\"keyword\">\(ReportText.html(keyword))</span>" }
            out += "</p>\n"
        }
        let chosen = cluster.representativeOpinions.prefix(quotes).compactMap { index.opinion($0) }
        if !chosen.isEmpty {
            out += "<div class=\"quotes\" role=\"group\" aria-label=\"代表的な意見\">\n"
            for opinion in chosen {
                let source = index.comment(opinion.comment)?.sourceID ?? "?"
                out += "<blockquote class=\"quote\"><p>\(ReportText.html(opinion.text))</p>"
                out += "<footer>コメント <a href=\"#\(ReportText.anchor("op", String(opinion.id)))\">"
                out += "No. \(ReportText.html(source))</a></footer></blockquote>\n"
            }
            out += "</div>\n"
        }
        return out
    }

    /// A link to the cluster's supporting opinions: its own list, or for a parent its children's lists.
    private static func evidenceLink(_ cluster: ListeningCluster, _ content: String, className: String = "label-link") -> String {
        "<a class=\"\(className)\" href=\"#\(ReportText.anchor("ops", cluster.id))\">\(content)</a>"
    }

    private static func edited(_ cluster: ListeningCluster) -> String {
        cluster.edited ? " <span class=\"badge\">編集済み</span>" : ""
    }

    /// All opinions of a leaf cluster, in a disclosure (closed: a large run has thousands).
    private static func opinionList(_ cluster: ListeningCluster, _ index: ReportIndex) -> String {
        let positions = index.opinionsByCluster[cluster.id] ?? []
        var out = "<details class=\"evidence\" id=\"\(ReportText.anchor("ops", cluster.id))\">"
        out += "<summary>根拠の意見 \(ReportText.count(positions.count)) 件を表示</summary>\n<ol class=\"opinions\">\n"
        for position in positions { out += opinionItem(index.result.opinions[position], index) }
        return out + "</ol>\n</details>\n"
    }

    private static func opinionItem(_ opinion: ListeningOpinion, _ index: ReportIndex) -> String {
        var out = "<li id=\"\(ReportText.anchor("op", String(opinion.id)))\"><p class=\"op-text\">\(ReportText.html(opinion.text))</p>"
        guard let comment = index.comment(opinion.comment) else { return out + "</li>\n" }
        out += "<p class=\"op-source\"><span class=\"source-id\">No. \(ReportText.html(comment.sourceID))</span>"
        out += "<span>行 \(comment.row)</span>"
        for (name, value) in attributes(comment, index) {
            out += "<span>\(ReportText.html(name))：\(ReportText.html(value))</span>"
        }
        if let group = comment.duplicateGroup, let duplicate = index.duplicate(group) {
            out += "<a href=\"#\(ReportText.anchor("dup", String(group)))\">同内容の投稿 \(ReportText.count(duplicate.count)) 件</a>"
        }
        out += "</p>"
        // An opinion split out of a longer comment is shown with the whole comment, so its context is visible.
        if comment.text != opinion.text {
            out += "<p class=\"op-original\"><span class=\"op-original-label\">原文</span>\(ReportText.html(comment.text))</p>"
        }
        return out + "</li>\n"
    }

    /// The comment's attribute values in the order of the run's attribute columns, then any others by name.
    static func attributes(_ comment: ListeningComment, _ index: ReportIndex) -> [(String, String)] {
        let columns = index.result.parameters.attributeColumns
        var pairs = columns.compactMap { name in comment.attributes[name].map { (name, $0) } }
        pairs += comment.attributes.filter { !columns.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return pairs.filter { !$0.1.isEmpty }
    }
}
