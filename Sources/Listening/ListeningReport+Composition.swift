/// クラスター構成: a treemap of the coarse clusters divided into their fine children (areas proportional to
/// opinion counts), and the same hierarchy as a nested list, which is what screen readers and printouts use.
extension ListeningReport {
    static let treemapWidth = 960.0
    static let treemapHeight = 540.0
    /// Tints of the parent's hue for its children, in turn, so neighbouring children differ.
    static let childTints = [0.55, 0.72, 0.44, 0.64, 0.80]

    static func composition(_ index: ReportIndex) -> String {
        var out = "<section id=\"composition\" class=\"card\" aria-labelledby=\"composition-h\">\n"
        out += "<h2 id=\"composition-h\">クラスター構成</h2>\n"
        guard !index.coarse.isEmpty else {
            return out + "<p>クラスターはありません。</p>\n</section>\n"
        }
        out += "<p class=\"note\">四角形の面積は意見数に比例します。太枠が大分類、その中の区画が小分類です。"
        out += "<span class=\"screen-only\">区画を選ぶと、そのクラスターの内容へ移動します。</span></p>\n"
        out += "<figure class=\"treemap-figure\">\n" + treemap(index)
        out += "<figcaption>図　クラスター構成（面積は意見数に比例。() 内は全意見に対する割合）</figcaption>\n</figure>\n"
        out += "<h3>階層一覧</h3>\n<div id=\"cluster-tree\" class=\"tree\">\n<ul>\n"
        for cluster in index.coarse { out += treeItem(cluster, index, depth: 0) }
        if !index.unclustered.isEmpty {
            out += "<li><div class=\"tree-row\"><span class=\"tree-label\">未分類</span>"
            out += "<span class=\"tree-n\">意見 \(ReportText.count(index.unclustered.count)) 件</span></div></li>\n"
        }
        out += "</ul>\n</div>\n</section>\n"
        return out
    }

    // MARK: - Treemap

    static func treemap(_ index: ReportIndex) -> String {
        let bounds = SquarifiedTreemap.Rect(x: 0, y: 0, width: treemapWidth, height: treemapHeight)
        let boxes = SquarifiedTreemap.layout(index.coarse.map { Double($0.opinionCount) }, in: bounds)
        var out = "<svg id=\"cluster-treemap\" viewBox=\"0 0 \(Int(treemapWidth)) \(Int(treemapHeight))\" role=\"group\" "
        out += "aria-label=\"クラスター構成のツリーマップ\">\n"
        for (rank, cluster) in index.coarse.enumerated() {
            let box = boxes[rank].inset(by: 1.5)
            guard box.width > 1, box.height > 1 else { continue }
            out += treemapGroup(cluster, rank: rank, box: box, index)
        }
        return out + "</svg>\n"
    }

    private static func treemapGroup(
        _ cluster: ListeningCluster, rank: Int, box: SquarifiedTreemap.Rect, _ index: ReportIndex
    ) -> String {
        let color = ReportPalette.color(rank)
        let ink = ReportPalette.ink(on: color)
        let children = index.children(of: cluster).filter { $0.opinionCount > 0 }
        let hasHeader = box.height >= 60 && box.width >= 70
        let headerHeight = hasHeader ? 26.0 : 0
        var out = "<g class=\"tm-group\" data-group=\"\(rank)\">\n"
        out += "<a href=\"#\(ReportText.anchor("cluster", cluster.id))\" class=\"tm-parent\">"
        out += "<title>\(ReportText.html(cluster.label))：意見 \(ReportText.count(cluster.opinionCount)) 件"
        out += "（\(ReportText.percent(cluster.share))）</title>"
        out += "<rect class=\"tm-frame\" \(rectAttributes(box)) fill=\"\(color)\"/>"
        if hasHeader {
            let count = " \(ReportText.count(cluster.opinionCount)) 件（\(ReportText.percent(cluster.share))）"
            let countWidth = ReportText.width(count, fontSize: 13)
            let room = box.width - 16
            let label = ReportText.fitted(cluster.label, maxWidth: room - (room > countWidth + 60 ? countWidth : 0), fontSize: 15)
            out += "<text x=\"\(ReportText.fixed(box.x + 8, 1))\" y=\"\(ReportText.fixed(box.y + 18.5, 1))\" fill=\"\(ink)\" class=\"tm-head\">"
            out += ReportText.html(label)
            if room > countWidth + 60 { out += "<tspan class=\"tm-count\">\(ReportText.html(count))</tspan>" }
            out += "</text>"
        }
        out += "</a>\n"
        let inner = SquarifiedTreemap.Rect(
            x: box.x + 3, y: box.y + headerHeight, width: max(0, box.width - 6), height: max(0, box.height - headerHeight - 3))
        if children.isEmpty || inner.area < 1 {
            if !hasHeader { out += boxLabel(cluster, in: box, fill: color) }
            return out + "</g>\n"
        }
        let childBoxes = SquarifiedTreemap.layout(children.map { Double($0.opinionCount) }, in: inner)
        for (i, child) in children.enumerated() {
            let childBox = childBoxes[i]
            guard childBox.width > 0.5, childBox.height > 0.5 else { continue }
            let fill = ReportPalette.tint(color, childTints[i % childTints.count])
            out += "<a href=\"#\(ReportText.anchor("cluster", child.id))\" class=\"tm-child\">"
            out += "<title>\(ReportText.html(cluster.label)) › \(ReportText.html(child.label))：意見 "
            out += "\(ReportText.count(child.opinionCount)) 件（\(ReportText.percent(child.share))）</title>"
            out += "<rect \(rectAttributes(childBox)) fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>"
            out += boxLabel(child, in: childBox, fill: fill)
            out += "</a>\n"
        }
        return out + "</g>\n"
    }

    /// A box's label, wrapped onto as many lines as the box has room for, and its count below when that fits
    /// (the share is dropped first); nothing when the box is too small to read.
    private static func boxLabel(_ cluster: ListeningCluster, in box: SquarifiedTreemap.Rect, fill: String) -> String {
        let ink = ReportPalette.ink(on: fill)
        let fontSize = box.width >= 110 && box.height >= 44 ? 13.5 : 12
        let lineHeight = fontSize + 4
        guard box.width >= 40, box.height >= fontSize + 8 else { return "" }
        let room = box.width - 10
        let maxLines = max(1, min(3, Int((box.height - 24) / lineHeight)))
        let lines = ReportText.wrapped(cluster.label, maxWidth: room, fontSize: fontSize, maxLines: maxLines)
        guard !lines.isEmpty else { return "" }
        let x = ReportText.fixed(box.x + 6, 1)
        var out = "<text x=\"\(x)\" y=\"\(ReportText.fixed(box.y + fontSize + 4, 1))\" fill=\"\(ink)\" font-size=\"\(fontSize)\" class=\"tm-label\">"
        for (i, line) in lines.enumerated() {
            out += i == 0 ? ReportText.html(line) : "<tspan x=\"\(x)\" dy=\"\(ReportText.fixed(lineHeight, 1))\">\(ReportText.html(line))</tspan>"
        }
        out += "</text>"
        let countY = box.y + fontSize + 4 + Double(lines.count - 1) * lineHeight + 17
        guard countY + 4 <= box.y + box.height else { return out }
        let full = "\(ReportText.count(cluster.opinionCount)) 件（\(ReportText.percent(cluster.share))）"
        let short = "\(ReportText.count(cluster.opinionCount)) 件"
        guard let count = [full, short].first(where: { ReportText.width($0, fontSize: 12) <= room }) else { return out }
        out += "<text x=\"\(x)\" y=\"\(ReportText.fixed(countY, 1))\" fill=\"\(ink)\" font-size=\"12\" class=\"tm-n\">"
        return out + ReportText.html(count) + "</text>"
    }

    private static func rectAttributes(_ r: SquarifiedTreemap.Rect) -> String {
        "x=\"\(ReportText.fixed(r.x, 1))\" y=\"\(ReportText.fixed(r.y, 1))\" "
            + "width=\"\(ReportText.fixed(r.width, 1))\" height=\"\(ReportText.fixed(r.height, 1))\""
    }

    // MARK: - Tree

    /// One cluster of the nested list, with its children (any depth) in a disclosure that starts open.
    private static func treeItem(_ cluster: ListeningCluster, _ index: ReportIndex, depth: Int) -> String {
        var row = "<span class=\"tree-label\">"
        if depth == 0 { row += ReportMap.swatch(index.rank(of: cluster.id)) }
        row += "<a href=\"#\(ReportText.anchor("cluster", cluster.id))\">\(ReportText.html(cluster.label))</a></span>"
        row += "<span class=\"tree-n\">意見 \(ReportText.count(cluster.opinionCount)) 件 ・ コメント "
        row += "\(ReportText.count(cluster.commentCount)) 件 ・ <strong>\(ReportText.percent(cluster.share))</strong></span>"
        let children = index.children(of: cluster)
        guard !children.isEmpty, depth < 8 else { return "<li><div class=\"tree-row\">\(row)</div></li>\n" }
        var out = "<li><details open><summary class=\"tree-row\">\(row)</summary>\n<ul>\n"
        for child in children { out += treeItem(child, index, depth: depth + 1) }
        return out + "</ul>\n</details></li>\n"
    }
}
