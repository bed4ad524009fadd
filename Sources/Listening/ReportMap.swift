/// The opinion map: every opinion as a point at its (x, y), coloured by coarse cluster, with the clusters'
/// labels at their centres. Points are drawn as one `<path>` per cluster (a zero-length segment with a round or
/// square cap per point), so even 100,000 opinions make a few dozen DOM nodes; beyond `pointLimit` every k-th
/// opinion of each cluster is drawn and the caption says so. The tooltip script finds the nearest drawn point
/// in the embedded JSON instead of giving each point an element.
struct ReportMap {
    static let width = 960.0
    static let height = 600.0
    static let margin = 28.0
    /// About the most points drawn (each cluster's share rounds up); a larger map is sampled evenly per cluster.
    static let pointLimit = 20_000
    /// Tooltip text is cut to this many characters; the full text is in the cluster's list of opinions.
    static let tooltipLimit = 140

    let index: ReportIndex
    /// Positions in `result.opinions` of the drawn points, grouped by coarse cluster in level order (then the
    /// unclustered), in opinion order within each: the order keyboard navigation walks.
    let drawn: [[Int]]
    /// Draw every `stride`-th opinion of each cluster (1 = all).
    let stride: Int

    init(_ index: ReportIndex) {
        self.index = index
        let total = index.result.opinions.count
        stride = max(1, (total + Self.pointLimit - 1) / Self.pointLimit)
        var groups = index.coarse.map { cluster in index.opinionsByCluster[cluster.id] ?? [] }
        groups.append(index.unclustered)
        let stride = self.stride
        drawn = groups.map { group in group.enumerated().filter { $0.offset % stride == 0 }.map(\.element) }
    }

    /// Map coordinates (0…1, y up) to the SVG's viewBox.
    static func point(_ x: Double, _ y: Double) -> (Double, Double) {
        let cx = min(max(x, 0), 1), cy = min(max(y, 0), 1)
        return (margin + cx * (width - 2 * margin), margin + (1 - cy) * (height - 2 * margin))
    }

    var drawnCount: Int { drawn.reduce(0) { $0 + $1.count } }

    /// Point radius: large enough to hover when there are few, small enough not to become a blot when many.
    var radius: Double {
        switch drawnCount {
        case ..<300: 5
        case ..<2_000: 3.8
        case ..<10_000: 2.6
        default: 1.8
        }
    }

    // MARK: - Section

    func section() -> String {
        let r = index.result
        var out = "<section id=\"map\" class=\"card\" aria-labelledby=\"map-h\">\n<h2 id=\"map-h\">意見マップ</h2>\n"
        out += "<p class=\"note\">1 つの点が 1 件の意見です。内容の近い意見ほど近くに並びます。"
        out += "<span class=\"screen-only\">点にマウスを重ねるか、地図を選択して矢印キー（← → で意見、↑ ↓ でクラスター）を押すと"
        out += "意見の内容を表示し、クリックまたは Enter でその意見の一覧へ移動します。</span></p>\n"
        out += "<figure class=\"map-figure\">\n<div class=\"map-wrap\">\n"
        out += "<svg id=\"opinion-map\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"group\" tabindex=\"0\" "
        out += "aria-label=\"意見マップ（散布図）\" aria-describedby=\"map-caption\">\n"
        out += "<rect class=\"map-bg\" x=\"0\" y=\"0\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\"/>\n"
        out += "<g class=\"map-points\">\n"
        for (group, positions) in drawn.enumerated() where !positions.isEmpty {
            let rank = group < index.coarse.count ? group : nil
            out += points(positions, rank: rank, group: group)
        }
        out += "</g>\n<circle id=\"map-focus\" class=\"map-focus\" r=\"\(ReportText.fixed(radius + 4, 1))\" cx=\"-20\" cy=\"-20\"/>\n"
        out += labels()
        out += "</svg>\n<div id=\"map-tip\" class=\"map-tip\" role=\"status\" aria-live=\"polite\" hidden></div>\n</div>\n"
        out += "<figcaption id=\"map-caption\">図　意見マップ（色は大分類、ラベルは各大分類の中心）。"
        if stride > 1 {
            out += "意見が \(ReportText.count(r.opinions.count)) 件と多いため、各クラスターから \(stride) 件に 1 件"
            out += "（計 \(ReportText.count(drawnCount)) 件）を抜き出して描いています。件数の集計はすべての意見によります。"
        } else {
            out += "全 \(ReportText.count(r.opinions.count)) 件の意見を描いています。"
        }
        out += "</figcaption>\n"
        out += legend()
        out += "</figure>\n</section>\n"
        return out
    }

    /// One path holding all of a cluster's drawn points.
    private func points(_ positions: [Int], rank: Int?, group: Int) -> String {
        let color = ReportPalette.color(rank)
        let mark = ReportPalette.mark(rank)
        let r = radius
        var d = ""
        d.reserveCapacity(positions.count * 16)
        for position in positions {
            let opinion = index.result.opinions[position]
            let (x, y) = Self.point(opinion.x, opinion.y)
            switch mark {
            case .dot, .square:
                d += "M\(ReportText.fixed(x, 1)) \(ReportText.fixed(y, 1))h0"
            case .cross:
                // Two strokes corner to corner: "M x-r y-r l 2r 2r m 0 -2r l -2r 2r".
                let side = ReportText.fixed(2 * r, 1)
                d += "M\(ReportText.fixed(x - r, 1)) \(ReportText.fixed(y - r, 1))l\(side) \(side)m0 -\(side)l-\(side) \(side)"
            }
        }
        let width = mark == .cross ? max(1.4, r * 0.7) : 2 * r
        let cap = mark == .square ? "square" : "round"
        return "<path class=\"pts\" data-group=\"\(group)\" d=\"\(d)\" stroke=\"\(color)\" stroke-width=\"\(ReportText.fixed(width, 1))\" "
            + "stroke-linecap=\"\(cap)\" fill=\"none\"/>\n"
    }

    /// The coarse clusters' labels as pills at their centres, nudged up or down when two would overlap.
    /// Each is a link to the cluster's section, so the map doubles as a keyboard-usable index.
    private func labels() -> String {
        let fontSize = 14.0
        let height = 24.0
        var placed: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var out = "<g class=\"map-labels\">\n"
        for (rank, cluster) in index.coarse.enumerated() {
            let text = ReportText.fitted(cluster.label, maxWidth: 220, fontSize: fontSize)
            let w = ReportText.width(text, fontSize: fontSize) + 20
            let (cx, cy) = Self.point(cluster.x, cluster.y)
            let x0 = min(max(cx - w / 2, 2), Self.width - w - 2)
            var y0 = min(max(cy - height / 2, 2), Self.height - height - 2)
            // Try the centre, then alternately below and above, one label height further each time.
            for step in 0..<40 {
                let offset = Double((step + 1) / 2) * (height + 2) * (step % 2 == 1 ? 1 : -1)
                let candidate = min(max(cy - height / 2 + offset, 2), Self.height - height - 2)
                let clash = placed.contains { p in
                    x0 < p.x1 && x0 + w > p.x0 && candidate < p.y1 && candidate + height > p.y0
                }
                if !clash { y0 = candidate; break }
            }
            placed.append((x0, y0, x0 + w, y0 + height))
            let color = ReportPalette.color(rank)
            out += "<a href=\"#\(ReportText.anchor("cluster", cluster.id))\" class=\"map-label\" data-group=\"\(rank)\">"
            out += "<title>\(ReportText.html(cluster.label))（\(ReportText.count(cluster.opinionCount)) 件）</title>"
            out += "<rect x=\"\(ReportText.fixed(x0, 1))\" y=\"\(ReportText.fixed(y0, 1))\" width=\"\(ReportText.fixed(w, 1))\" "
            out += "height=\"\(Int(height))\" rx=\"12\" stroke=\"\(color)\"/>"
            out += "<text x=\"\(ReportText.fixed(x0 + w / 2, 1))\" y=\"\(ReportText.fixed(y0 + height / 2 + fontSize * 0.36, 1))\">"
            out += "\(ReportText.html(text))</text></a>\n"
        }
        return out + "</g>\n"
    }

    private func legend() -> String {
        var out = "<ul class=\"legend\" aria-label=\"凡例\">\n"
        for (rank, cluster) in index.coarse.enumerated() {
            out += "<li><a href=\"#\(ReportText.anchor("cluster", cluster.id))\" data-group=\"\(rank)\">"
            out += Self.swatch(rank) + "<span class=\"legend-label\">\(ReportText.html(cluster.label))</span>"
            out += "<span class=\"legend-n\">\(ReportText.count(cluster.opinionCount)) 件</span></a></li>\n"
        }
        if !index.unclustered.isEmpty {
            out += "<li><span class=\"legend-static\">\(Self.swatch(nil))<span class=\"legend-label\">未分類</span>"
            out += "<span class=\"legend-n\">\(ReportText.count(index.unclustered.count)) 件</span></span></li>\n"
        }
        return out + "</ul>\n"
    }

    /// A small legend mark: the cluster's colour in its map mark.
    static func swatch(_ rank: Int?) -> String {
        let color = ReportPalette.color(rank)
        let shape = switch ReportPalette.mark(rank) {
        case .dot: "<circle cx=\"7\" cy=\"7\" r=\"6\" fill=\"\(color)\"/>"
        case .square: "<rect x=\"1\" y=\"1\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
        case .cross: "<path d=\"M2 2l10 10m0-10l-10 10\" stroke=\"\(color)\" stroke-width=\"3\"/>"
        }
        return "<svg class=\"swatch\" viewBox=\"0 0 14 14\" width=\"14\" height=\"14\" aria-hidden=\"true\">\(shape)</svg>"
    }

    // MARK: - Data for the tooltip script

    /// The drawn points as a JSON `<script type="application/json">` block: viewBox coordinates in tenths
    /// (integers keep the block small and its bytes stable), the coarse group, the cluster path, the opinion's
    /// text, the comment's source id and the anchor of the opinion in its cluster's list. Strings go through
    /// `ReportText.json`, so no text can close the element.
    func dataBlock() -> String {
        var paths: [String] = []
        var pathIndex: [[String]: Int] = [:]
        var coordinates: [String] = []
        var texts: [String] = []
        var sources: [String] = []
        var ids: [String] = []
        coordinates.reserveCapacity(drawnCount * 4)
        for (group, positions) in drawn.enumerated() {
            for position in positions {
                let opinion = index.result.opinions[position]
                let path: Int
                if let known = pathIndex[opinion.clusters] {
                    path = known
                } else {
                    path = paths.count
                    pathIndex[opinion.clusters] = path
                    paths.append(opinion.clusters.isEmpty ? "未分類" : index.path(opinion.clusters))
                }
                let (x, y) = Self.point(opinion.x, opinion.y)
                coordinates += [String(Int((x * 10).rounded())), String(Int((y * 10).rounded())), String(group), String(path)]
                texts.append(ReportText.json(ReportText.excerpt(opinion.text, limit: Self.tooltipLimit)))
                sources.append(ReportText.json(index.comment(opinion.comment)?.sourceID ?? ""))
                ids.append(ReportText.json(ReportText.anchor("op", String(opinion.id))))
            }
        }
        var out = "<script type=\"application/json\" id=\"report-data\">{"
        out += "\"radius\":\(ReportText.fixed(radius, 1)),\"groups\":["
        out += index.coarse.enumerated().map { rank, cluster in
            "[" + [cluster.label, ReportText.anchor("cluster", cluster.id), ReportPalette.color(rank)].map(ReportText.json)
                .joined(separator: ",") + "]"
        }.joined(separator: ",")
        out += "],\"paths\":[" + paths.map { ReportText.json($0) }.joined(separator: ",") + "]"
        out += ",\"points\":[" + coordinates.joined(separator: ",") + "]"
        out += ",\"texts\":[" + texts.joined(separator: ",") + "]"
        out += ",\"sources\":[" + sources.joined(separator: ",") + "]"
        out += ",\"ids\":[" + ids.joined(separator: ",") + "]}</script>\n"
        return out
    }
}
