import Foundation
import HirobaCore
import ZIPFoundation

/// A minimal Office Open XML workbook with one sheet of text cells, built in memory: the first row bold,
/// frozen and filterable, column widths as given. Every cell is an inline string, so nothing is converted
/// (「0012」 stays 「0012」) and nothing is evaluated (「=SUM(A1)」 stays text). Characters XML 1.0 cannot hold
/// are dropped and a cell longer than Excel's 32,767 characters is cut to a prefix of that length. The same
/// input always gives byte-identical output (entries are dated 1980-01-01).
public enum XlsxWriter {
    /// Excel's limit on the characters (UTF-16 code units) of a cell.
    public static let maxCellLength = 32_767
    /// Excel's limit on the characters of a sheet name.
    public static let maxSheetNameLength = 31
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384

    /// The date of every entry: the earliest a ZIP file can record, so the output depends on the input only.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01T00:00:00Z

    /// Style indexes in `styles.xml`'s cellXfs.
    enum Style: Int {
        case text = 0, header = 1, wrapped = 2
    }

    /// A workbook with one sheet `sheetName` (made valid by `sheetName(_:)`) holding `rows`, the first of
    /// them the header. `columnWidths` are in Excel's units (characters of the default font); a cell wider
    /// than its column, or holding a line break, wraps.
    public static func workbook(sheetName: String, rows: [[String]], columnWidths: [Double]? = nil) throws -> Data {
        guard rows.count <= maxRows else { throw XlsxWriterError.tooManyRows(rows.count, limit: maxRows) }
        let width = rows.map(\.count).max() ?? 0
        guard width <= maxColumns else { throw XlsxWriterError.tooManyColumns(width, limit: maxColumns) }
        let name = Self.sheetName(sheetName)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", packageRelationships),
            ("xl/workbook.xml", workbookXML(sheetName: name, rows: rows.count, columns: width)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", worksheet(rows: rows, columns: width, columnWidths: columnWidths)),
        ]
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: entryDate,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw XlsxWriterError.archiveUnavailable }
        return data
    }

    // MARK: - Text

    /// A valid sheet name: no `[]:*?/\` (each becomes `_`) nor control characters, no apostrophe at either
    /// end, at most 31 characters, not empty (→ 「Sheet1」) and not Excel's reserved 「History」.
    public static func sheetName(_ name: String) -> String {
        var s = String(String.UnicodeScalarView(name.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
            if "[]:*?/\\".unicodeScalars.contains(scalar) { return "_" }
            return scalar.properties.generalCategory == .control || !isXMLCharacter(scalar) ? nil : scalar
        }))
        s = s.trimmingCharacters(in: .whitespaces)
        while s.hasPrefix("'") { s.removeFirst() }
        s = prefix(s, utf16Length: maxSheetNameLength)
        while s.hasSuffix("'") { s.removeLast() }
        s = s.trimmingCharacters(in: .whitespaces)
        if s.isEmpty { return "Sheet1" }
        if s.lowercased() == "history" { return "History_" }
        return s
    }

    /// The cell's value as stored: characters illegal in XML 1.0 dropped, then cut to Excel's limit.
    public static func cellValue(_ text: String) -> String {
        var s = text
        if s.unicodeScalars.contains(where: { !isXMLCharacter($0) }) {
            s = String(String.UnicodeScalarView(s.unicodeScalars.filter(isXMLCharacter)))
        }
        return s.utf16.count > maxCellLength ? prefix(s, utf16Length: maxCellLength) : s
    }

    /// XML 1.0's Char production (surrogates cannot occur in a Swift string).
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0..<0x20, 0xFFFE, 0xFFFF: false
        default: true
        }
    }

    /// The longest prefix of whole characters (grapheme clusters) within `utf16Length` UTF-16 code units.
    static func prefix(_ s: String, utf16Length limit: Int) -> String {
        guard s.utf16.count > limit else { return s }
        var length = 0
        var end = s.startIndex
        for index in s.indices {
            let next = s.index(after: index)
            length += s.utf16.distance(from: index, to: next)
            if length > limit { break }
            end = next
        }
        return String(s[..<end])
    }

    /// The width a text takes in a cell, in Excel's column units: 2 for a full-width (CJK, kana, full-width
    /// form) character, 1 otherwise; the widest line counts.
    public static func displayWidth(_ text: String) -> Int {
        var widest = 0
        var line = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                widest = max(widest, line)
                line = 0
                continue
            }
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
                0x1F900...0x1F9FF, 0x20000...0x3FFFD:
                line += 2
            default:
                line += 1
            }
        }
        return max(widest, line)
    }

    /// Escapes a cell value for an `<is><t>`: the five XML specials, CR as a character reference (a literal
    /// one would be read back as LF), and the `_` opening a literal `_xHHHH_` as `_x005F_` (Excel decodes
    /// `_xHHHH_` in strings as the character HHHH).
    static func appendEscaped(_ value: String, to out: inout String, xstring: Bool = true) {
        guard value.unicodeScalars.contains(where: { "&<>\"'\r_".unicodeScalars.contains($0) }) else {
            out += value
            return
        }
        let scalars = Array(value.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "_" where xstring && opensEscape(scalars, at: i): out += "_x005F_"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    /// Whether `_xHHHH_` (x in either case) starts at `i`.
    static func opensEscape(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + 6 < scalars.count, scalars[i + 1] == "x" || scalars[i + 1] == "X", scalars[i + 6] == "_" else { return false }
        return scalars[(i + 2)..<(i + 6)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    /// `value` escaped for XML; `xstring` for an ST_Xstring (cell text, sheet name), not for a formula.
    static func escaped(_ value: String, xstring: Bool = true) -> String {
        var out = ""
        appendEscaped(value, to: &out, xstring: xstring)
        return out
    }

    /// 0 → A, 25 → Z, 26 → AA.
    public static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name: [Unicode.Scalar] = []
        while n > 0 {
            name.append(Unicode.Scalar(UInt8(65 + (n - 1) % 26)))
            n = (n - 1) / 26
        }
        return String(String.UnicodeScalarView(name.reversed()))
    }

    /// A width as written: two decimals at most, within Excel's 0…255.
    static func widthText(_ width: Double) -> String {
        let w = (min(max(width, 0), 255) * 100).rounded() / 100
        return w == w.rounded() ? String(Int(w)) : String(w)
    }

    // MARK: - Parts

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    static let contentTypes = declaration + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    static let packageRelationships = declaration + """
        <Relationships xmlns="\(packageRelationshipsNamespace)">\
        <Relationship Id="rId1" Type="\(officeRelationships)/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static let workbookRelationships = declaration + """
        <Relationships xmlns="\(packageRelationshipsNamespace)">\
        <Relationship Id="rId1" Type="\(officeRelationships)/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="\(officeRelationships)/styles" Target="styles.xml"/>\
        </Relationships>
        """

    /// Fonts: regular and bold 游ゴシック 11pt. Cell formats (all with the text number format 「@」 and top
    /// alignment, so a cell edited in Excel stays text): plain, header (bold), wrapped.
    static let styles = declaration + """
        <styleSheet xmlns="\(main)">\
        <fonts count="2">\
        <font><sz val="11"/><name val="游ゴシック"/><family val="3"/><charset val="128"/></font>\
        <font><b/><sz val="11"/><name val="游ゴシック"/><family val="3"/><charset val="128"/></font>\
        </fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="3">\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>\
        <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyAlignment="1"><alignment vertical="top"/></xf>\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    /// The workbook with its one sheet and, for the filter, the hidden name Excel keeps its range in.
    static func workbookXML(sheetName: String, rows: Int, columns: Int) -> String {
        var xml = declaration + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(officeRelationships)\">"
        xml += "<bookViews><workbookView/></bookViews>"
        xml += "<sheets><sheet name=\"\(escaped(sheetName))\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
        if rows > 0, columns > 0 {
            let quoted = "'" + sheetName.replacingOccurrences(of: "'", with: "''") + "'"
            let range = "$A$1:$\(columnName(columns - 1))$\(rows)"
            xml += "<definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">"
            xml += escaped(quoted + "!" + range, xstring: false) + "</definedName></definedNames>"
        }
        return xml + "</workbook>"
    }

    static func worksheet(rows: [[String]], columns: Int, columnWidths: [Double]?) -> String {
        let used = rows.isEmpty || columns == 0 ? "A1" : "A1:\(columnName(columns - 1))\(rows.count)"
        let letters = (0..<columns).map(columnName)
        var xml = declaration + "<worksheet xmlns=\"\(main)\" xmlns:r=\"\(officeRelationships)\">"
        xml += "<dimension ref=\"\(used)\"/>"
        xml += "<sheetViews><sheetView workbookViewId=\"0\">"
        if !rows.isEmpty {
            xml += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            xml += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
        }
        xml += "</sheetView></sheetViews>"
        let widths = (columnWidths ?? []).prefix(maxColumns)
        if widths.contains(where: \.isFinite) {
            xml += "<cols>"
            for (i, w) in widths.enumerated() where w.isFinite {
                xml += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(widthText(w))\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (r, row) in rows.enumerated() {
            let values = row.map(cellValue)
            guard values.contains(where: { !$0.isEmpty }) else { continue }
            xml += "<row r=\"\(r + 1)\">"
            for (c, value) in values.enumerated() where !value.isEmpty {
                let style: Style
                if r == 0 {
                    style = .header
                } else if value.contains(where: \.isNewline) {
                    style = .wrapped
                } else if c < widths.count, widths[c].isFinite, Double(displayWidth(value)) > widths[c] {
                    style = .wrapped
                } else {
                    style = .text
                }
                xml += "<c r=\"\(letters[c])\(r + 1)\""
                if style != .text { xml += " s=\"\(style.rawValue)\"" }
                xml += " t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                appendEscaped(value, to: &xml)
                xml += "</t></is></c>"
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if !rows.isEmpty, columns > 0 {
            xml += "<autoFilter ref=\"\(used)\"/>"
            // Every cell is text on purpose: no 「数値が文字列として保存されています」 markers.
            xml += "<ignoredErrors><ignoredError sqref=\"\(used)\" numberStoredAsText=\"1\"/></ignoredErrors>"
        }
        return xml + "</worksheet>"
    }
}

/// Why a workbook could not be written.
public enum XlsxWriterError: HirobaError, Equatable {
    case tooManyRows(Int, limit: Int)
    case tooManyColumns(Int, limit: Int)
    case archiveUnavailable

    public var message: String {
        switch self {
        case .tooManyRows(let n, let limit): "Excel の 1 シートに収まらない行数です (\(n) 行 > \(limit))"
        case .tooManyColumns(let n, let limit): "Excel の 1 シートに収まらない列数です (\(n) 列 > \(limit))"
        case .archiveUnavailable: "Excel ファイル (ZIP) を作成できませんでした"
        }
    }

    public var fix: String {
        switch self {
        case .tooManyRows, .tooManyColumns: "Use the CSV or JSON output instead, or split the data."
        case .archiveUnavailable: "Retry; if it persists, report it as a bug."
        }
    }
}
