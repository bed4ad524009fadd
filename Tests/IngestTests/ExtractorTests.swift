import Foundation
import HirobaCore
import Testing
import TestSupport
import ZIPFoundation

@testable import Ingest

/// Fixtures made by LibreOffice, poppler, qpdf and iconv (scripts/make-fixtures.sh).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static func extract(_ name: String, limits: ExtractionLimits = ExtractionLimits()) throws -> ExtractedDocument {
        try DocumentExtractor.extract(path: path(name), limits: limits).0
    }
    static func structured(_ name: String) throws -> StructuredDocument {
        let p = path(name)
        let (data, format) = try DocumentExtractor.read(path: p, limits: ExtractionLimits())
        return try DocumentExtractor.extract(data: data, format: format, path: p, limits: ExtractionLimits())
    }
}

@Suite("Extractors: files made by real tools")
struct ExtractorTests {
    @Test func docxKeepsHeadingsListsAndTables() throws {
        let structured = try Fixture.structured("manual.docx")
        #expect(structured.title == "財務会計システム操作マニュアル")
        let headings = structured.blocks.compactMap { b in b.headingLevel.map { ($0, b.text) } }
        #expect(headings.contains { $0 == (2, "第1章 はじめに") })
        #expect(headings.contains { $0 == (3, "2.2 支出命令の入力") })
        // The numbered list keeps its numbers, rendered from numbering.xml.
        #expect(structured.blocks.contains { $0.kind == .listItem && $0.text.hasPrefix("2.") && $0.text.contains("作業領域") })
        let table = structured.blocks.compactMap { if case .table(let rows) = $0.kind { rows } else { nil } }.first
        #expect(table?.first == ["伝票の種類", "入力期限", "決裁者"])
        #expect(table?.count == 4)
        #expect(table?[2] == ["資金前渡", "支払日の5日前まで", "部長"])

        let doc = try Fixture.extract("manual.docx")
        let chunk = try #require(doc.chunks.first { $0.locator.section == "2.2 支出命令の入力" })
        #expect(chunk.headingPath.suffix(2) == ["第2章 支出の事務", "2.2 支出命令の入力"])
        #expect(chunk.text.contains("支出命令｜請求書受理後10日以内｜課長"))
    }

    @Test func pdfKeepsPagesHeadingsAndTableRows() throws {
        let doc = try Fixture.extract("manual.pdf")
        #expect(doc.title == "財務会計システム操作マニュアル")
        #expect(doc.warnings.isEmpty)
        let login = try #require(doc.chunks.first { $0.locator.section == "1.1 ログイン" })
        #expect(login.locator.page == 1)
        // The layout's line wrap inside a sentence is joined back without a space.
        #expect(login.text.contains("ポータルの「財務会計」をクリックします。"))
        let payment = try #require(doc.chunks.first { $0.locator.section == "2.2 支出命令の入力" })
        #expect(payment.locator.page == 2)
        #expect(payment.locator.display == "p.2 「2.2 支出命令の入力」")
        // Poppler's spaces around Latin digits are gone, the table row stays one line.
        #expect(payment.text.contains("10日以内に入力し、会計管理者に回付してください。"))
        #expect(payment.text.contains("支出命令　請求書受理後10日以内　課長"))
        let closing = try #require(doc.chunks.first { $0.locator.section == "3.1 出納整理期間" })
        #expect(closing.locator.page == 3)
        #expect(closing.headingPath.first == "第3章　決算")
    }

    @Test func statutesSurviveWordAndPDF() throws {
        for name in ["regulation.docx", "regulation.pdf"] {
            let doc = try Fixture.extract(name)
            #expect(doc.title == "みなと市文書管理規程", "\(name)")
            let labels = doc.chunks.compactMap(\.locator.article)
            #expect(labels == ["第1条", "第2条", "第3条", "第3条の2", "附則"], "\(name)")
            let article3 = try #require(doc.chunks.first { $0.locator.article == "第3条" })
            #expect(article3.headingPath == ["第2章　文書の保存"] || article3.headingPath == ["第2章 文書の保存"], "\(name)")
            #expect(article3.text.hasPrefix("（保存期間）\n第3条　文書の保存期間は"), "\(name)")
            // 項 and 号 of a line inside the article.
            let located = StatutePosition.refine(article3.locator, text: article3.text, keywords: ["予算及び決算"])
            #expect(located.articleDisplay == "第3条第1項第2号", "\(name)")
            let second = StatutePosition.refine(article3.locator, text: article3.text, keywords: ["起算"])
            #expect(second.articleDisplay == "第3条第2項", "\(name)")
            if name.hasSuffix(".pdf") {
                #expect(article3.locator.page == 2)
                #expect(doc.chunks.first { $0.locator.article == "第1条" }?.locator.page == 1)
            }
        }
    }

    @Test func xlsxEverySheetWithNumbersAndDatesAsShown() throws {
        let structured = try Fixture.structured("budget.xlsx")
        #expect(structured.shape == .spreadsheet)
        #expect(structured.blocks.compactMap { $0.headingLevel == 1 ? $0.text : nil } == ["令和8年度予算", "よくある質問"])
        let rows = try #require(structured.blocks.compactMap { if case .table(let r) = $0.kind { r } else { nil } }.first)
        #expect(rows[0] == ["事業番号", "事業名", "所管課", "予算額（円）", "執行率", "開始日", "完了予定"])
        #expect(rows[1] == ["1", "道路補修事業", "道路課", "12,345,000", "42.5%", "2026/4/1", "令和9年3月31日"])
        #expect(rows[3][6] == "令和8年12月25日")

        let doc = try Fixture.extract("budget.xlsx")
        let budget = try #require(doc.chunks.first)
        #expect(budget.text.hasPrefix("事業番号｜事業名"))
        #expect(budget.locator.section == "令和8年度予算 2〜6行")
        // The FAQ sheet becomes one chunk per question.
        let faq = doc.chunks.filter { $0.headingPath == ["よくある質問"] }
        #expect(faq.count == 3)
        #expect(faq[0].text.hasPrefix("Q: 支出命令の入力期限はいつですか。\nA: 請求書を受理した日から10日以内です。"))
    }

    @Test func pptxSlidesTitlesBodiesAndNotes() throws {
        let doc = try Fixture.extract("slides.pptx")
        #expect(doc.title == "令和8年度 財務会計システム研修")
        #expect(doc.chunks.count == 3)
        let flow = doc.chunks[1]
        #expect(flow.locator.page == 2)
        #expect(flow.locator.section == "支出命令の流れ")
        #expect(flow.text.contains("10日以内に支出命令を入力する"))
        #expect(flow.text.contains("ノート: 期限を過ぎた場合は会計課に相談するよう伝える。"))
    }

    @Test func csvInEveryJapaneseEncoding() throws {
        var texts: [String] = []
        for name in ["faq.csv", "faq_sjis.csv", "faq_eucjp.csv"] {
            let doc = try Fixture.extract(name)
            #expect(doc.chunks.count == 3, "\(name)")
            texts.append(doc.chunks.map(\.text).joined(separator: "\n"))
        }
        #expect(texts[0] == texts[1])
        #expect(texts[0] == texts[2])
        // NEC/IBM extension characters and quoted commas/quotes survive.
        #expect(texts[1].contains("①の欄") && texts[1].contains("㈱") && texts[1].contains("髙"))
        #expect(texts[0].contains("Q: 金額に「,」を入れてもよいですか。\nA: はい。\"1,000\"のように入力できます。"))
        #expect(try Fixture.extract("faq_sjis.csv").warnings == ["文字コード Shift_JIS (CP932) として読み込みました"])
    }

    @Test func scannedPagesAreNamedInAWarning() throws {
        let doc = try Fixture.extract("scanned.pdf")
        #expect(doc.warnings.count == 1)
        #expect(doc.warnings[0].contains("p.2"))
        #expect(doc.chunks.allSatisfy { $0.locator.page == 1 })
    }

    @Test func htmlMainContentWithoutScriptsOrNavigation() throws {
        let html = """
            <!DOCTYPE html><html><head><title>ごみの出し方 | みなと市</title><style>p{color:red}</style>
            <script>var secret = "スクリプトの文字列";</script></head>
            <body><nav><a href="/">トップ</a> メニュー項目</nav>
            <header>サイト共通ヘッダー</header>
            <main><h1>ごみの出し方</h1><p>燃やすごみは<b>月曜日</b>と
            木曜日に出してください。</p>
            <h2>粗大ごみ</h2><ul><li>事前申込制です</li><li>手数料は品目ごとに異なります</li></ul>
            <table><tr><th>品目</th><th>手数料</th></tr><tr><td>自転車</td><td>400円</td></tr></table>
            <div hidden>隠し要素</div><div style="display: none">非表示</div>
            <script>document.write("本文中のスクリプト")</script></main>
            <footer>© みなと市</footer></body></html>
            """
        let doc = try HTMLExtractor.extract(data: Data(html.utf8), path: "gomi.html")
        #expect(doc.title == "ごみの出し方")
        let all = doc.blocks.map(\.text).joined(separator: "\n")
        #expect(all.contains("燃やすごみは月曜日と木曜日に出してください。"))
        #expect(doc.blocks.contains { $0.headingLevel == 2 && $0.text == "粗大ごみ" })
        #expect(doc.blocks.contains { $0.kind == .listItem && $0.text == "・事前申込制です" })
        #expect(doc.blocks.contains { $0.kind == .table(rows: [["品目", "手数料"], ["自転車", "400円"]]) })
        for hidden in ["スクリプト", "メニュー項目", "サイト共通ヘッダー", "隠し要素", "非表示", "color", "©"] {
            #expect(!all.contains(hidden), "\(hidden)")
        }
    }

    @Test func shiftJISHTMLWithMetaCharset() throws {
        let html = "<html><head><meta charset=\"Shift_JIS\"></head><body><p>住民票の写しの交付</p></body></html>"
        let data = try #require(LegacyEncoding.cp932.encode(html))
        let doc = try HTMLExtractor.extract(data: data, path: "old.html")
        #expect(doc.blocks.map(\.text) == ["住民票の写しの交付"])
    }

    @Test func excelNumberFormats() {
        #expect(NumberFormat.render(1_234_567, code: "#,##0", date1904: false) == "1,234,567")
        #expect(NumberFormat.render(1234.5, code: "#,##0.00", date1904: false) == "1,234.50")
        #expect(NumberFormat.render(0.125, code: "0.0%", date1904: false) == "12.5%")
        #expect(NumberFormat.render(-500, code: "#,##0;[Red]-#,##0", date1904: false) == "-500")
        #expect(NumberFormat.render(3000, code: "¥#,##0", date1904: false) == "¥3,000")
        #expect(NumberFormat.render(3000, code: "#,##0\"円\"", date1904: false) == "3,000円")
        #expect(NumberFormat.render(0.1, code: "General", date1904: false) == "0.1")
        // 2026-04-01 is serial 46113.
        #expect(NumberFormat.render(46113, code: "yyyy/m/d", date1904: false) == "2026/4/1")
        #expect(NumberFormat.render(46113, code: "yyyy\"年\"m\"月\"d\"日\"(aaa)", date1904: false) == "2026年4月1日(水)")
        #expect(NumberFormat.render(46113, code: "[$-411]ggge\"年\"m\"月\"d\"日\"", date1904: false) == "令和8年4月1日")
        #expect(NumberFormat.render(46113.5, code: "h:mm", date1904: false) == "12:00")
        #expect(NumberFormat.render(32515, code: "ge.m.d", date1904: false) == "S64.1.7")
        #expect(NumberFormat.render(32516, code: "ge.m.d", date1904: false) == "H1.1.8")
        #expect(NumberFormat.render(60, code: "yyyy/m/d", date1904: false) == "1900/2/29")
        #expect(NumberFormat.render(61, code: "yyyy/m/d", date1904: false) == "1900/3/1")
    }
}

@Suite("Extractors: bad input")
struct BadInputTests {
    func expectError(_ name: String, limits: ExtractionLimits = ExtractionLimits(), _ check: (IngestError) -> Bool) {
        do {
            _ = try Fixture.extract(name, limits: limits)
            Issue.record("\(name) was accepted")
        } catch let error as IngestError {
            #expect(check(error), "\(error)")
            #expect(!error.fix.isEmpty)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func encryptedPDFIsRefused() {
        expectError("encrypted.pdf") { $0 == .encrypted(Fixture.path("encrypted.pdf")) }
    }

    @Test func truncatedPDFIsRefused() {
        expectError("truncated.pdf") {
            if case .corrupt(_, "PDF", let reason) = $0 { return reason.contains("xref") }
            return false
        }
    }

    @Test func pdfOfScansOnlyIsRefusedNamingItsPages() {
        expectError("scanned_only.pdf") { $0 == .noExtractableText(Fixture.path("scanned_only.pdf"), pages: [1]) }
    }

    @Test func pdfExtractionThatRunsTooLongIsStopped() {
        expectError("manual.pdf", limits: ExtractionLimits(pdfTimeoutSeconds: 0.001)) {
            $0 == .timedOut(Fixture.path("manual.pdf"), seconds: 0.001)
        }
    }

    @Test func mixedEncodingCSVNamesTheCandidates() {
        expectError("mixed_encoding.csv") { $0 == .undecodable(Fixture.path("mixed_encoding.csv"), tried: ["UTF-8", "Shift_JIS (CP932)", "EUC-JP"]) }
    }

    @Test func docxThatIsNotAZip() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = try TestEnvironment.write("これはWord文書ではありません", to: "偽物.docx", in: dir)
        #expect(throws: IngestError.corrupt(path, format: "DOCX", reason: "not a ZIP archive")) {
            try DocumentExtractor.extract(path: path)
        }
    }

    @Test func pdfWithoutHeaderIsRefused() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = try TestEnvironment.write("<html>not a pdf</html>", to: "download.pdf", in: dir)
        #expect(throws: IngestError.corrupt(path, format: "PDF", reason: "no %PDF- header")) {
            try DocumentExtractor.extract(path: path)
        }
    }

    @Test func zipBombIsRefusedBeforeItExpands() throws {
        // A DOCX whose document.xml expands 1000-fold (64 MB of spaces in a 64 KB entry).
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("bomb.docx").path
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let size: Int64 = 64 * 1024 * 1024
        let head = Data("<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>".utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: size, compressionMethod: .deflate) {
            position, chunk in
            position == 0 ? head + Data(repeating: 0x20, count: chunk - head.count) : Data(repeating: 0x20, count: chunk)
        }
        let limits = ExtractionLimits(maxExpandedBytes: 16 * 1024 * 1024)
        #expect(throws: IngestError.self) { try DocumentExtractor.extract(path: path, limits: limits) }
        do {
            _ = try DocumentExtractor.extract(path: path, limits: limits)
        } catch let IngestError.compressionBomb(_, entry, expanded, _) {
            #expect(entry == "word/document.xml")
            #expect(expanded > 0)
        }
        // With the default limits the ratio guard stops it too.
        do {
            _ = try DocumentExtractor.extract(path: path)
            Issue.record("bomb accepted")
        } catch let error as IngestError {
            if case .compressionBomb = error {} else { Issue.record("\(error)") }
        }
    }

    @Test func fileOverTheSizeLimitIsRefusedUnread() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("大きな 資料.pdf").path
        // A sparse 2 GB file: refused by its size before a byte is read.
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 2 * 1024 * 1024 * 1024)
        try handle.close()
        #expect(throws: IngestError.tooLarge(path, bytes: 2 * 1024 * 1024 * 1024, limit: ExtractionLimits.defaultMaxFileBytes)) {
            try DocumentExtractor.extract(path: path)
        }
    }

    @Test func hostileHTMLIsParsedSafely() throws {
        // 20,000 nested elements, unclosed tags, NUL bytes, bogus entities and script-looking text.
        var html = "<html><body><p>本文の始まり"
        html += String(repeating: "<div><span>", count: 20_000) + "深い階層の本文"
        html += "<p>閉じない段落<p>&bogus; &#xFFFFFFFF; &#0; <SCRIPT type=text/javascript>alert(1)</SCRIPT><Style>p{}</Style> 終わり\u{0}"
        html += "<iframe src=\"http://example.invalid/\">外部</iframe><img src=x onerror=alert(2)>"
        html += "<![CDATA[ データ ]]><!-- <p>コメント</p> -->"
        let doc = try HTMLExtractor.extract(data: Data(html.utf8), path: "hostile.html")
        let all = doc.blocks.map(\.text).joined(separator: "\n")
        #expect(all.contains("本文の始まり"))
        #expect(all.contains("深い階層の本文"))
        #expect(all.contains("閉じない段落"))
        #expect(!all.contains("alert(1)"))
        #expect(!all.contains("p{}"))
        #expect(all.contains("終わり"))
        #expect(!all.contains("コメント"))
        #expect(!all.contains("外部"))
    }

    @Test func millionRowSheetIsStreamedAndRefusedAtTheTextLimit() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("台帳.xlsx").path
        try Self.writeWorkbook(path: path, rows: 1_000_000)
        // Streamed: the sheet is read row by row and the run stops at the text limit.
        let limits = ExtractionLimits(maxExtractedCharacters: 2_000_000)
        do {
            _ = try DocumentExtractor.extract(path: path, limits: limits)
            Issue.record("accepted")
        } catch let IngestError.tooMuchText(_, characters, limit) {
            #expect(limit == 2_000_000)
            #expect(characters > limit && characters < limit + 100)
        }
        // A workbook within the limit is read in full.
        let small = dir.appendingPathComponent("小さな台帳.xlsx").path
        try Self.writeWorkbook(path: small, rows: 500)
        let doc = try DocumentExtractor.extract(path: small).0
        #expect(doc.chunks.first?.text.hasPrefix("番号｜氏名｜金額\n1｜職員1｜1,000") == true)
        #expect(doc.chunks.map { $0.text.split(separator: "\n").count - 1 }.reduce(0, +) == 500)
    }

    /// A minimal but valid workbook with `rows` data rows (header: 番号, 氏名, 金額 with a #,##0 style).
    static func writeWorkbook(path: String, rows: Int) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        func add(_ name: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add(
            "xl/workbook.xml",
            """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台帳" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        try add(
            "xl/_rels/workbook.xml.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """)
        try add(
            "xl/styles.xml",
            """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="3"/></cellXfs></styleSheet>
            """)
        // The sheet is generated in pieces so the test itself stays within bounded memory.
        let header = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>番号</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>氏名</t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t>金額</t></is></c></row>"
        let footer = "</sheetData></worksheet>"
        var pieces: [Data] = [Data(header.utf8)]
        var block = ""
        for r in 1...rows {
            block += "<row r=\"\(r + 1)\"><c r=\"A\(r + 1)\"><v>\(r)</v></c><c r=\"B\(r + 1)\" t=\"inlineStr\"><is><t>職員\(r)</t></is></c><c r=\"C\(r + 1)\" s=\"1\"><v>\(r * 1000)</v></c></row>"
            if block.utf8.count > 1 << 20 {
                pieces.append(Data(block.utf8))
                block = ""
            }
        }
        pieces.append(Data((block + footer).utf8))
        let total = pieces.reduce(0) { $0 + $1.count }
        var offsets: [Int] = []
        var o = 0
        for p in pieces {
            offsets.append(o)
            o += p.count
        }
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(total), compressionMethod: .deflate,
            bufferSize: 1 << 16
        ) { position, size in
            var out = Data()
            var pos = Int(position)
            while out.count < size {
                let i = offsets.lastIndex { $0 <= pos }!
                let piece = pieces[i]
                let start = pos - offsets[i]
                let take = min(piece.count - start, size - out.count)
                out.append(piece.subdata(in: start..<start + take))
                pos += take
            }
            return out
        }
    }
}
