/// The self-contained HTML report of a listening run: one file that staff can mail, archive or hand to the
/// council, which opens offline in any browser and loads nothing from the network.
///
/// Everything is inline: CSS, SVG figures (the opinion map and the treemap are laid out here, in Swift), a
/// small vanilla script for the map's tooltips, and the data that script needs as a JSON block. A
/// Content-Security-Policy meta tag forbids every fetch, so even a mistake cannot make the file phone home.
/// The output depends only on the result: the same result gives the same bytes (no dates, no randomness).
public enum ListeningReport {
    /// The report of `result` as a complete HTML document (UTF-8 text, `<html lang="ja">`).
    public static func html(_ result: ListeningResult) -> String {
        let index = ReportIndex(result)
        let map = ReportMap(index)
        var out = ""
        out.reserveCapacity(4096 + result.opinions.count * 400)
        out += head(result)
        out += "<body>\n<a class=\"skip\" href=\"#main\">本文へ移動</a>\n"
        out += masthead(index)
        out += "<main id=\"main\">\n"
        out += overview(index)
        out += map.section()
        out += composition(index)
        out += clusterDetails(index)
        out += crossTabs(index)
        if let comparison = result.comparison { out += self.comparison(comparison, index) }
        out += duplicates(index)
        if !result.failures.isEmpty { out += failures(index) }
        out += parameters(index)
        out += "</main>\n"
        out += "<footer class=\"report-foot\"><p>Hiroba ブロード・リスニングにより作成（形式 \(ReportText.html(result.format))）。"
        out += "このファイルは単体で表示でき、外部への通信は行いません。</p></footer>\n"
        out += map.dataBlock()
        out += "<script>\n" + script + "</script>\n</body>\n</html>\n"
        return out
    }

    // MARK: - Document frame

    static func head(_ result: ListeningResult) -> String {
        let title = ReportText.html(result.title)
        // default-src 'none' blocks every request (images, fonts, fetch, frames); only the inline style and
        // script run, and SVG/data: images cover the figures.
        return """
            <!DOCTYPE html>
            <html lang="ja">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
            <meta name="generator" content="Hiroba">
            <title>\(title)｜意見分析レポート</title>
            <style>
            \(style)</style>
            </head>

            """
    }

    static func masthead(_ index: ReportIndex) -> String {
        let r = index.result
        var out = "<header class=\"report-head\">\n<div class=\"wrap\">\n"
        out += "<p class=\"kicker\">ブロード・リスニング　意見分析レポート</p>\n"
        out += "<h1>\(ReportText.html(r.title))</h1>\n"
        out += "<p class=\"head-meta\">コメント \(ReportText.count(r.counts.comments)) 件 ・ 意見 "
        out += "\(ReportText.count(r.counts.opinions)) 件 ・ 大分類 \(index.clusterCount(level: 0)) "
        if index.clusterCount(level: 1) > 0 { out += "・ 小分類 \(index.clusterCount(level: 1)) " }
        out += "</p>\n</div>\n</header>\n"
        var items = [("overview", "概要"), ("map", "意見マップ"), ("composition", "クラスター構成"), ("clusters", "クラスター別の内容"),
                     ("crosstabs", "属性別クロス集計")]
        if r.comparison != nil { items.append(("comparison", "意見募集の比較")) }
        items.append(("duplicates", "重複・組織的投稿"))
        if !r.failures.isEmpty { items.append(("failures", "抽出に失敗したコメント")) }
        items.append(("parameters", "実行パラメータ"))
        out += "<nav class=\"toc\" aria-label=\"目次\"><div class=\"wrap\"><ol>"
        for (id, name) in items { out += "<li><a href=\"#\(id)\">\(name)</a></li>" }
        out += "</ol></div></nav>\n"
        return out
    }

    // MARK: - 概要

    static func overview(_ index: ReportIndex) -> String {
        let r = index.result
        let c = r.counts
        var out = "<section id=\"overview\" class=\"card\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">概要</h2>\n"
        let paragraphs = r.overview.split(whereSeparator: \.isNewline).map { String($0) }.filter { !$0.isEmpty }
        out += "<div class=\"lead\">"
        for p in paragraphs.isEmpty ? ["（概要文はありません）"] : paragraphs { out += "<p>\(ReportText.html(p))</p>" }
        out += "</div>\n<dl class=\"stats\">\n"
        func stat(_ label: String, _ value: String, _ note: String) {
            out += "<div class=\"stat\"><dt>\(label)</dt><dd><span class=\"stat-value\">\(value)</span>"
            out += "<span class=\"stat-note\">\(note)</span></dd></div>\n"
        }
        stat("行数", ReportText.count(c.rows), "入力ファイルのデータ行")
        stat("コメント数", ReportText.count(c.comments), "分析対象（重複を含む）")
        stat("意見数", ReportText.count(c.opinions), "コメントから取り出した意見")
        stat("重複", ReportText.count(c.duplicateComments), "\(ReportText.count(r.duplicates.count)) グループ（代表以外の件数）")
        stat("除外", ReportText.count(c.droppedEmpty + c.droppedModerated),
             "空欄 \(ReportText.count(c.droppedEmpty)) ・ 非承認 \(ReportText.count(c.droppedModerated))")
        stat("マスクした個人情報", ReportText.count(c.maskedSpans),
             r.parameters.personalDataMasked ? "氏名・連絡先などの箇所" : "マスク処理なし")
        out += "</dl>\n"
        out += "<p class=\"method\">\(method(index))</p>\n</section>\n"
        return out
    }

    /// How the figures below were made, in one paragraph, so a reader can judge what the labels rest on.
    static func method(_ index: ReportIndex) -> String {
        let p = index.result.parameters
        var text = "寄せられたコメントを"
        text += p.extraction.hasPrefix("model:") ? "言語モデルで意見ごとに分け、" : "文ごとに意見として分け、"
        text += "内容の近い意見をまとめて大分類 \(index.clusterCount(level: 0)) 件"
        if index.clusterCount(level: 1) > 0 { text += "・小分類 \(index.clusterCount(level: 1)) 件" }
        text += "のクラスターにしました。クラスター名と要約は"
        text += p.labelling.hasPrefix("model:") ? "言語モデルが作成したもの" : "各クラスターの特徴語から自動で作成したもの"
        if index.result.clusters.contains(where: \.edited) { text += "で、職員が手直ししたものには「編集済み」と表示しています" }
        text += "。各クラスターの「根拠の意見」から、もとのコメントをすべて確認できます。"
        return ReportText.html(text)
    }

    // MARK: - 実行パラメータ

    static func parameters(_ index: ReportIndex) -> String {
        let r = index.result
        let p = r.parameters
        let u = r.usage
        var rows: [(String, String)] = [
            ("乱数シード", "<code>\(p.seed)</code>"),
            ("意見の表現", "<code>\(ReportText.html(p.representation))</code>"),
            ("次元数", ReportText.count(p.dimensions)),
            ("意見の抽出", "<code>\(ReportText.html(p.extraction))</code>"),
            ("ラベル付け", "<code>\(ReportText.html(p.labelling))</code>"),
            ("モデル", p.model.map { "<code>\(ReportText.html($0))</code>" } ?? "なし"),
        ]
        let prompts = p.promptHashes.sorted { $0.key < $1.key }
            .map { "<code>\(ReportText.html($0.key))</code>: <code>\(ReportText.html($0.value))</code>" }
        rows.append(("プロンプトのハッシュ", prompts.isEmpty ? "なし" : prompts.joined(separator: "<br>")))
        rows.append(("入力ファイルの SHA-256", "<code class=\"hash\">\(ReportText.html(p.inputSHA256))</code>"))
        rows.append(("言語", ReportText.html(languageName(p.language))))
        rows.append(("コメント列", ReportText.html(p.commentColumn)))
        rows.append(("属性列", p.attributeColumns.isEmpty ? "なし" : ReportText.html(p.attributeColumns.joined(separator: "、"))))
        rows.append(("クラスター数の指定",
                     p.requestedClusters.isEmpty ? "自動" : p.requestedClusters.map { String($0) }.joined(separator: " → ")))
        rows.append(("個人情報のマスク", p.personalDataMasked ? "あり" : "なし"))
        rows.append(("モデルの利用",
                     "呼び出し \(ReportText.count(u.calls)) 回、入力 \(ReportText.count(u.promptTokens)) トークン、"
                     + "出力 \(ReportText.count(u.completionTokens)) トークン、費用 \(ReportText.yen(u.cost))"))
        rows.append(("結果の形式", "<code>\(ReportText.html(r.format))</code>"))
        var out = "<section id=\"parameters\" class=\"card\" aria-labelledby=\"parameters-h\">\n"
        out += "<h2 id=\"parameters-h\">実行パラメータ</h2>\n"
        out += "<p class=\"note\">同じ入力ファイル・パラメータ・乱数シードで実行すれば、同じ結果が得られます。</p>\n"
        out += "<table class=\"params\"><tbody>\n"
        for (name, value) in rows { out += "<tr><th scope=\"row\">\(name)</th><td>\(value)</td></tr>\n" }
        out += "</tbody></table>\n</section>\n"
        return out
    }

    static func languageName(_ code: String) -> String {
        switch code {
        case "ja": "日本語（ja）"
        case "zh": "中国語（zh）"
        case "latin": "ラテン文字（latin）"
        case "mixed": "混在（mixed）"
        default: code
        }
    }
}
