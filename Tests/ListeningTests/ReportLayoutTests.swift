import Testing

@testable import Listening

/// The report's building blocks: the treemap layout and the locale-free text helpers it relies on.
@Suite struct ReportLayoutTests {
    typealias Rect = SquarifiedTreemap.Rect

    @Test func treemapBoxesTileTheBoundsInProportion() {
        let bounds = Rect(x: 10, y: 20, width: 600, height: 400)
        let values: [Double] = [6, 6, 4, 3, 2, 2, 1]
        let boxes = SquarifiedTreemap.layout(values, in: bounds)
        #expect(boxes.count == values.count)
        let total = values.reduce(0, +)
        for (box, value) in zip(boxes, values) {
            // Area in proportion to the value, and inside the bounds.
            #expect(abs(box.area - bounds.area * value / total) < 0.01)
            #expect(box.x >= bounds.x - 1e-9 && box.y >= bounds.y - 1e-9)
            #expect(box.x + box.width <= bounds.x + bounds.width + 1e-6)
            #expect(box.y + box.height <= bounds.y + bounds.height + 1e-6)
        }
        // No two boxes overlap, so together they cover the bounds exactly.
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                let a = boxes[i], b = boxes[j]
                let overlapX = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
                let overlapY = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
                #expect(overlapX <= 1e-6 || overlapY <= 1e-6, "boxes \(i) and \(j) overlap")
            }
        }
        // Squarified: no box is more than 3:1 for values this even.
        for box in boxes { #expect(max(box.width / box.height, box.height / box.width) < 3) }
    }

    @Test func treemapKeepsInputOrderAndSkipsEmptyValues() {
        let boxes = SquarifiedTreemap.layout([1, 0, 3, -2, .nan], in: Rect(x: 0, y: 0, width: 100, height: 100))
        #expect(abs(boxes[0].area - 2_500) < 0.01)
        #expect(abs(boxes[2].area - 7_500) < 0.01)
        for i in [1, 3, 4] { #expect(boxes[i].area == 0) }
        #expect(SquarifiedTreemap.layout([], in: Rect(x: 0, y: 0, width: 10, height: 10)).isEmpty)
    }

    @Test func numbersAreFormattedWithoutTheLocale() {
        #expect(ReportText.count(0) == "0")
        #expect(ReportText.count(1_234_567) == "1,234,567")
        #expect(ReportText.count(-4_200) == "-4,200")
        #expect(ReportText.fixed(2.345, 2) == "2.35")
        #expect(ReportText.fixed(0.05, 1) == "0.1")
        #expect(ReportText.fixed(12, 0) == "12")
        #expect(ReportText.percent(1.0 / 3) == "33.3%")
        #expect(ReportText.percent(0) == "0.0%")
        #expect(ReportText.yen(3.5) == "¥3.50")
        #expect(ReportText.yen(12_345.4) == "¥12,345")
    }

    @Test func escapingForHTMLAndScriptJSON() {
        #expect(ReportText.html(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(ReportText.json("</script><!--\n\"\\") == #""\u003c/script\u003e\u003c!--\n\"\\""#)
        #expect(ReportText.json("\u{1}\u{2028}") == #""\u0001\u2028""#)
        // Ids that are not plain stay distinct after escaping.
        #expect(ReportText.anchor("cluster", "3-2") == "cluster-3-2")
        #expect(ReportText.anchor("cluster", "a b") != ReportText.anchor("cluster", "a_b"))
    }

    @Test func labelsAreFittedAndWrappedToTheirBox() {
        // Full-width characters are 1 em, so 14 px text fits 5 characters in 70 px.
        #expect(ReportText.fitted("保育園の待機児童", maxWidth: 70, fontSize: 14) == "保育園の…")
        #expect(ReportText.fitted("公園", maxWidth: 70, fontSize: 14) == "公園")
        #expect(ReportText.fitted("公園", maxWidth: 10, fontSize: 14) == "")
        #expect(ReportText.wrapped("保育園の待機児童と保育の担い手", maxWidth: 70, fontSize: 14, maxLines: 2) == ["保育園の待", "機児童と…"])
        // Latin words break at spaces or ・, not inside a word.
        #expect(ReportText.wrapped("homeless・student・family", maxWidth: 60, fontSize: 10, maxLines: 3)
                    == ["homeless・", "student・", "family"])
        #expect(ReportText.wrapped("bus stop shelter", maxWidth: 60, fontSize: 10, maxLines: 3) == ["bus stop", "shelter"])
        // Closing punctuation and small kana do not start a line: the character before them moves down too.
        #expect(ReportText.wrapped("バス停、駅前", maxWidth: 42, fontSize: 14, maxLines: 3) == ["バス", "停、駅", "前"])
        #expect(ReportText.wrapped("避難・訓練・ペット", maxWidth: 98, fontSize: 14, maxLines: 2) == ["避難・訓練・", "ペット"])
    }
}
