import Foundation
import HirobaCore
import Testing
import ZIPFoundation

@testable import Ingest

@Suite("XlsxWriter")
struct XlsxWriterTests {
    static let long = String(repeating: "意見", count: 20_000)  // 40,000 characters
    static let rows: [[String]] = [
        ["ID", "意見", "数式", "記号", "備考"],
        ["0012", "保育園を増やしてほしい", "=SUM(A1)", "a&b<c>\"'", "一行目\n二行目"],
        ["0013", "ベル\u{0007}の文字", "", "末尾", long],
        ["7"],
        ["-5", "+81 90", "@TODAY()", "_x0041_ と _X0042_", "改行\r\nタブ\tと 👍🏽 😀"],
    ]

    static func entries(_ data: Data) throws -> [String: (data: Data, date: Date)] {
        let archive = try Archive(data: data, accessMode: .read)
        var out: [String: (Data, Date)] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            out[entry.path] = (bytes, entry.fileAttributes[.modificationDate] as? Date ?? Date())
        }
        return out
    }

    @Test func trickyCellsComeBackExactly() throws {
        let data = try XlsxWriter.workbook(sheetName: "意見一覧", rows: Self.rows, columnWidths: [10, 40, 12, 12, 60])
        let read = try SpreadsheetTable.rows(data: data, path: "out.xlsx")
        #expect(read.warnings.isEmpty)
        #expect(read.rows.count == 5)
        #expect(read.rows[0] == Self.rows[0])
        // Text stays text: no number conversion, no formula, escapes decoded.
        #expect(read.rows[1] == ["0012", "保育園を増やしてほしい", "=SUM(A1)", "a&b<c>\"'", "一行目\n二行目"])
        // The control character is dropped, the empty cell stays empty, the long cell is cut to Excel's limit.
        #expect(read.rows[2] == ["0013", "ベルの文字", "", "末尾", String(Self.long.prefix(32_767))])
        #expect(read.rows[2][4].count == 32_767)
        // A short row is padded to the header's width.
        #expect(read.rows[3] == ["7", "", "", "", ""])
        // A literal _xHHHH_ is not decoded as an escape; CR, tab and emoji survive.
        #expect(read.rows[4] == Self.rows[4])
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let a = try XlsxWriter.workbook(sheetName: "意見一覧", rows: Self.rows, columnWidths: [10, 40])
        let b = try XlsxWriter.workbook(sheetName: "意見一覧", rows: Self.rows, columnWidths: [10, 40])
        #expect(a == b)
        let entries = try Self.entries(a)
        #expect(
            Set(entries.keys) == [
                "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/worksheets/sheet1.xml",
            ])
        let calendar = Calendar(identifier: .gregorian)
        for (_, entry) in entries {
            let parts = calendar.dateComponents(in: TimeZone(identifier: "UTC")!, from: entry.date)
            #expect(parts.year == 1980 && parts.month == 1 && parts.day == 1)
        }
    }

    @Test func everyPartIsWellFormedWithAFrozenBoldFilteredHeader() throws {
        let data = try XlsxWriter.workbook(sheetName: "意見一覧", rows: Self.rows, columnWidths: [10, 40, 12.5])
        let entries = try Self.entries(data)
        for (path, entry) in entries {
            #expect(throws: Never.self, "\(path) is not well-formed XML") {
                try XMLEvents.parse(entry.data, path: path, format: "XLSX") { _ in }
            }
        }
        let sheet = String(decoding: try #require(entries["xl/worksheets/sheet1.xml"]).data, as: UTF8.self)
        #expect(sheet.contains("<dimension ref=\"A1:E5\"/>"))
        #expect(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(sheet.contains("<autoFilter ref=\"A1:E5\"/>"))
        let columns = [(1, "10"), (2, "40"), (3, "12.5")].map { "<col min=\"\($0)\" max=\"\($0)\" width=\"\($1)\" customWidth=\"1\"/>" }
        #expect(sheet.contains("<cols>" + columns.joined() + "</cols>"))
        // The header is bold (style 1); a cell with a line break or wider than its column wraps (style 2).
        #expect(sheet.contains("<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">ID</t></is></c>"))
        #expect(sheet.contains("<c r=\"E2\" s=\"2\" t=\"inlineStr\">"))
        #expect(sheet.contains("<c r=\"B2\" t=\"inlineStr\">"))
        #expect(sheet.contains("<c r=\"C3\"") == false)
        #expect(sheet.contains("&lt;c&gt;&quot;&apos;") && sheet.contains("&#13;") && sheet.contains("_x005F_x0041_"))
        #expect(!sheet.contains("\u{0007}") && !sheet.contains("<f>") && !sheet.contains("t=\"n\""))
        let styles = String(decoding: try #require(entries["xl/styles.xml"]).data, as: UTF8.self)
        #expect(styles.contains("<font><b/>"))
        let workbook = String(decoding: try #require(entries["xl/workbook.xml"]).data, as: UTF8.self)
        #expect(workbook.contains("<sheet name=\"意見一覧\" sheetId=\"1\" r:id=\"rId1\"/>"))
        #expect(workbook.contains(">&apos;意見一覧&apos;!$A$1:$E$5</definedName>"))
    }

    @Test func sheetNamesAreMadeValid() throws {
        #expect(XlsxWriter.sheetName("意見一覧") == "意見一覧")
        #expect(XlsxWriter.sheetName("a[b]c:d*e?f/g\\h") == "a_b_c_d_e_f_g_h")
        #expect(XlsxWriter.sheetName(String(repeating: "あ", count: 40)) == String(repeating: "あ", count: 31))
        #expect(XlsxWriter.sheetName(String(repeating: "😀", count: 20)) == String(repeating: "😀", count: 15))
        #expect(XlsxWriter.sheetName("") == "Sheet1")
        #expect(XlsxWriter.sheetName(" '' ") == "Sheet1")
        #expect(XlsxWriter.sheetName("'引用'") == "引用")
        #expect(XlsxWriter.sheetName("市民's 意見") == "市民's 意見")
        #expect(XlsxWriter.sheetName("history") == "History_")
        #expect(XlsxWriter.sheetName("\u{0007}名前\n") == "名前")
        // The name in the workbook is the sanitised one.
        let data = try XlsxWriter.workbook(sheetName: "2026/04: 意見?", rows: [["a"], ["b"]])
        let document = try XlsxExtractor.extract(data: data, path: "n.xlsx", limits: ExtractionLimits())
        #expect(document.blocks.first?.text == "2026_04_ 意見_")
    }

    @Test func cellValuesKeepAValidPrefix() {
        let emoji = String(repeating: "a", count: 32_766) + "😀" + "b"
        #expect(XlsxWriter.cellValue(emoji) == String(repeating: "a", count: 32_766))
        #expect(XlsxWriter.cellValue("a\u{0}b\u{1F}c\u{FFFE}d\u{FFFF}e\u{0B}\u{0C}f") == "abcdef")
        #expect(XlsxWriter.cellValue("\t\n\r 改行") == "\t\n\r 改行")
        #expect(XlsxWriter.cellValue(String(repeating: "x", count: 32_767)).count == 32_767)
        #expect(XlsxWriter.columnName(0) == "A" && XlsxWriter.columnName(25) == "Z" && XlsxWriter.columnName(26) == "AA")
        #expect(XlsxWriter.columnName(16_383) == "XFD")
        #expect(XlsxWriter.displayWidth("意見ABC") == 7 && XlsxWriter.displayWidth("ab\n意見意見") == 8)
    }

    @Test func emptyAndOversizedTables() throws {
        let empty = try XlsxWriter.workbook(sheetName: "空", rows: [])
        #expect(throws: IngestError.emptyFile("e.xlsx")) { try SpreadsheetTable.rows(data: empty, path: "e.xlsx") }
        let wide = [Array(repeating: "x", count: XlsxWriter.maxColumns + 1)]
        #expect(throws: XlsxWriterError.tooManyColumns(16_385, limit: 16_384)) {
            try XlsxWriter.workbook(sheetName: "x", rows: wide)
        }
    }

    @Test func excelEscapesInStringsAreDecoded() {
        #expect(XlsxExtractor.unescapeXstring("改行_x000D_あり") == "改行\rあり")
        #expect(XlsxExtractor.unescapeXstring("_x005F_x0041_") == "_x0041_")
        #expect(XlsxExtractor.unescapeXstring("_xD83D__xDE00_") == "😀")
        #expect(XlsxExtractor.unescapeXstring("_x12G4_ _X0041_ _x004") == "_x12G4_ _X0041_ _x004")
    }
}
