import Foundation
import HirobaCore
import JapaneseText

/// Excel workbooks: every sheet (a heading with the sheet name, then its rows as one table), shared and
/// inline strings (furigana runs dropped), numbers and dates rendered as Excel shows them (「1,234,000」
/// 「2026/4/1」「令和8年4月1日」). Worksheets are streamed from a temporary file, so a sheet with a
/// million rows parses in bounded memory and is refused once its text passes the extraction limit.
enum XlsxExtractor {
    static func extract(data: Data, path: String, limits: ExtractionLimits) throws -> StructuredDocument {
        let zip = try OfficeArchive(data: data, path: path, format: "XLSX", limits: limits)
        guard let workbook = try zip.data("xl/workbook.xml") else {
            throw IngestError.corrupt(path, format: "XLSX", reason: "no xl/workbook.xml")
        }
        var sheets: [(name: String, rid: String)] = []
        var date1904 = false
        try XMLEvents.parse(workbook, path: path, format: "XLSX") { event in
            if case .start("sheet", let a) = event, let name = a["name"], let rid = a["id"] { sheets.append((name, rid)) }
            if case .start("workbookPr", let a) = event { date1904 = a["date1904"] == "1" || a["date1904"] == "true" }
        }
        let rels = try zip.relationships(of: "xl/workbook.xml")
        let strings = try sharedStrings(zip, path: path)
        let formats = try zip.data("xl/styles.xml").map { try CellFormats(styles: $0, path: path) } ?? CellFormats()

        var blocks: [DocumentBlock] = []
        var characters = 0
        for sheet in sheets {
            guard let part = rels[sheet.rid]?.target, let file = try zip.temporaryFile(part) else { continue }
            defer { try? FileManager.default.removeItem(at: file) }
            var rows: [[String]] = []
            var row: [String] = []
            var column = 0
            var type: String? = nil
            var style = 0
            var value = ""
            var inValue = false
            try XMLEvents.parse(file: file, path: path, format: "XLSX") { event in
                switch event {
                case .start("row", _): row = []
                case .start("c", let a):
                    column = a["r"].map(columnIndex) ?? row.count
                    type = a["t"]
                    style = a["s"].flatMap(Int.init) ?? 0
                    value = ""
                case .start("v", _), .start("t", _): inValue = true
                case .start("rPh", _): inValue = false
                case .text(let s): if inValue { value += s }
                case .end("v"), .end("t"): inValue = false
                case .end("c"):
                    let shown: String
                    switch type {
                    case "s": shown = Int(value).flatMap { $0 < strings.count ? strings[$0] : nil } ?? ""
                    case "b": shown = value == "1" ? "TRUE" : "FALSE"
                    case "inlineStr": shown = unescapeXstring(value)
                    case "str", "e": shown = value
                    default: shown = formats.render(value, style: style, date1904: date1904)
                    }
                    let text = shown.trimmingWhitespace()
                    guard !text.isEmpty else { return }
                    if column >= row.count { row += Array(repeating: "", count: column - row.count + 1) }
                    row[column] = text
                    characters += text.count + 1
                    if characters > limits.maxExtractedCharacters {
                        throw IngestError.tooMuchText(path, characters: characters, limit: limits.maxExtractedCharacters)
                    }
                case .end("row"):
                    if !row.isEmpty { rows.append(row) }
                default: break
                }
            }
            guard !rows.isEmpty else { continue }
            let width = rows.map(\.count).max() ?? 0
            blocks.append(DocumentBlock(.heading(level: 1), sheet.name))
            blocks.append(.table(rows.map { $0 + Array(repeating: "", count: width - $0.count) }))
        }
        let title = try zip.data("docProps/core.xml").flatMap { try DocxExtractor.coreTitle($0, path: path) }
        return StructuredDocument(title: title, mediaType: DocumentFormat.xlsx.mediaType, shape: .spreadsheet, blocks: blocks)
    }

    /// 「AB12」 → 27 (0-based column).
    static func columnIndex(_ reference: String) -> Int {
        var n = 0
        for s in reference.unicodeScalars {
            guard ("A"..."Z").contains(s) else { break }
            n = n * 26 + Int(s.value - 64)
        }
        return max(n - 1, 0)
    }

    /// Decodes ST_Xstring escapes: Excel writes a character XML cannot hold as `_xHHHH_` (a UTF-16 code
    /// unit in hex) and a literal `_xHHHH_` as `_x005F_xHHHH_`.
    static func unescapeXstring(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        let units = Array(s.utf16)
        var out: [UInt16] = []
        out.reserveCapacity(units.count)
        var i = 0
        while i < units.count {
            if units[i] == 0x5F, i + 6 < units.count, units[i + 1] == 0x78, units[i + 6] == 0x5F,
                units[(i + 2)..<(i + 6)].allSatisfy({ hexValue($0) != nil })
            {
                out.append(units[(i + 2)..<(i + 6)].reduce(0) { $0 << 4 | hexValue($1)! })
                i += 7
            } else {
                out.append(units[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF16.self)
    }

    private static func hexValue(_ unit: UInt16) -> UInt16? {
        switch unit {
        case 0x30...0x39: unit - 0x30
        case 0x41...0x46: unit - 0x41 + 10
        case 0x61...0x66: unit - 0x61 + 10
        default: nil
        }
    }

    static func sharedStrings(_ zip: OfficeArchive, path: String) throws -> [String] {
        guard let file = try zip.temporaryFile("xl/sharedStrings.xml") else { return [] }
        defer { try? FileManager.default.removeItem(at: file) }
        var out: [String] = []
        var current = ""
        var inText = false
        var inPhonetic = false
        try XMLEvents.parse(file: file, path: path, format: "XLSX") { event in
            switch event {
            case .start("si", _): current = ""
            case .start("rPh", _): inPhonetic = true
            case .end("rPh"): inPhonetic = false
            case .start("t", _): inText = !inPhonetic
            case .end("t"): inText = false
            case .text(let s): if inText { current += s }
            case .end("si"): out.append(unescapeXstring(current))
            default: break
            }
        }
        return out
    }
}

/// Excel number formats, enough to show numbers and dates the way the sheet shows them.
struct CellFormats {
    /// Style index (cellXfs) → parsed number format.
    var formats: [NumberFormat.Compiled] = []

    init() {}

    init(styles: Data, path: String) throws {
        var custom: [Int: String] = [:]
        var ids: [Int] = []
        var inCellXfs = false
        try XMLEvents.parse(styles, path: path, format: "XLSX") { event in
            switch event {
            case .start("numFmt", let a):
                if let id = a["numFmtId"].flatMap(Int.init), let code = a["formatCode"] { custom[id] = code }
            case .start("cellXfs", _): inCellXfs = true
            case .end("cellXfs"): inCellXfs = false
            case .start("xf", let a): if inCellXfs { ids.append(a["numFmtId"].flatMap(Int.init) ?? 0) }
            default: break
            }
        }
        var compiled: [String: NumberFormat.Compiled] = [:]
        formats = ids.map { id in
            let code = custom[id] ?? Self.builtIn[id] ?? "General"
            if let c = compiled[code] { return c }
            let c = NumberFormat.Compiled(code)
            compiled[code] = c
            return c
        }
    }

    /// Built-in formats as Excel shows them in a Japanese locale.
    static let builtIn: [Int: String] = [
        0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
        14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
        20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm", 27: "ggge\"年\"m\"月\"d\"日\"", 28: "ggge\"年\"m\"月\"d\"日\"",
        29: "ggge\"年\"m\"月\"d\"日\"", 30: "m/d/yy", 31: "yyyy\"年\"m\"月\"d\"日\"", 32: "h\"時\"mm\"分\"",
        33: "h\"時\"mm\"分\"ss\"秒\"", 34: "yyyy\"年\"m\"月\"", 35: "m\"月\"d\"日\"", 36: "ggge\"年\"m\"月\"d\"日\"",
        37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 49: "@", 55: "yyyy\"年\"m\"月\"", 56: "m\"月\"d\"日\"",
        57: "ggge\"年\"m\"月\"d\"日\"", 58: "ggge\"年\"m\"月\"d\"日\"",
    ]

    func render(_ raw: String, style: Int, date1904: Bool) -> String {
        guard let number = Double(raw) else { return raw }
        guard style < formats.count else { return NumberFormat.general(number) }
        return formats[style].render(number, date1904: date1904)
    }
}

enum NumberFormat {
    /// One section of a format code, parsed once (cells of a sheet share a handful of codes).
    struct Section {
        var code: String  // without [colour] and [$-locale] tags
        var bare: String  // without quoted literals
        var isGeneral: Bool
        var isDate: Bool
        var eraYears: Bool
        var prefix: String
        var suffix: String

        init(_ raw: String) {
            // A locale tag whose calendar byte is 03 ([$-1030411]) counts years in the Japanese era.
            let eraCalendar = raw.contains(/\[\$-[0-9A-Fa-f]*03[0-9A-Fa-f]{4}\]/)
            code = raw.replacing(/\[[^\]]*\]/, with: "")
            isGeneral = code == "General" || code.isEmpty || code == "@"
            bare = NumberFormat.unquoted(code)
            isDate = bare.contains(where: { "ymdhsge".contains($0) }) && !bare.contains("#") && !bare.contains("0.0")
            eraYears = eraCalendar || bare.contains("g")
            (prefix, suffix) = NumberFormat.literalParts(code)
        }
    }

    /// A parsed format code: its positive and (optional) negative sections.
    struct Compiled {
        var sections: [Section]
        init(_ code: String) { sections = NumberFormat.split(code).map(Section.init) }

        func render(_ number: Double, date1904: Bool) -> String {
            var section = sections[0]
            var value = number
            if number < 0, sections.count > 1 {
                section = sections[1]
                value = -number
            }
            if section.isGeneral { return general(number) }
            if section.isDate { return date(value, code: section.code, date1904: date1904, eraYears: section.eraYears) }
            let sign = (number < 0 && sections.count == 1) ? "-" : ""
            return section.prefix + sign + numberBody(value, code: section.bare) + section.suffix
        }
    }

    static func render(_ number: Double, code: String, date1904: Bool) -> String {
        Compiled(code).render(number, date1904: date1904)
    }

    static func general(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        var s = String(format: "%.10g", n)
        if s.contains("e") { return s }
        while s.hasSuffix("0") && s.contains(".") { s.removeLast() }
        return s
    }

    /// Sections split at unquoted semicolons.
    static func split(_ code: String) -> [String] {
        var out: [String] = [], current = "", quoted = false
        for c in code {
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        out.append(current)
        return out
    }

    /// The code without quoted literals and escapes.
    static func unquoted(_ code: String) -> String {
        var out = "", quoted = false, escape = false
        for c in code {
            if escape { escape = false; continue }
            if c == "\\" { escape = true; continue }
            if c == "\"" { quoted.toggle(); continue }
            if !quoted { out.append(c) }
        }
        return out
    }

    /// Literal text before and after the numeric pattern (「¥」「円」「件」).
    static func literalParts(_ code: String) -> (prefix: String, suffix: String) {
        var prefix = "", suffix = "", seenDigits = false, quoted = false, escape = false
        for c in code {
            if escape {
                if seenDigits { suffix.append(c) } else { prefix.append(c) }
                escape = false
                continue
            }
            if c == "\\" { escape = true; continue }
            if c == "\"" { quoted.toggle(); continue }
            if !quoted, "0#?,.%E".contains(c) {
                if "0#?".contains(c) { seenDigits = true }
                continue
            }
            if !quoted, c == "_" || c == "*" || c == " " || c == "(" || c == ")" { continue }
            if seenDigits { suffix.append(c) } else { prefix.append(c) }
        }
        return (prefix, suffix)
    }

    static func numberBody(_ value: Double, code: String) -> String {
        let percent = code.contains("%")
        let v = percent ? value * 100 : value
        let pattern = code.filter { "0#?,.".contains($0) }
        let decimals = pattern.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first.map {
            $0.filter { "0#?".contains($0) }.count
        } ?? 0
        let grouping = pattern.split(separator: ".").first?.contains(",") ?? false
        var s = String(format: "%.\(decimals)f", abs(v))
        if grouping {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            var integer = String(parts[0])
            var grouped = ""
            while integer.count > 3 {
                grouped = "," + integer.suffix(3) + grouped
                integer = String(integer.dropLast(3))
            }
            s = integer + grouped + (parts.count > 1 ? "." + parts[1] : "")
        }
        return s + (percent ? "%" : "")
    }

    static let eras: [(name: String, short: String, letter: String, start: (Int, Int, Int))] = [
        ("令和", "令", "R", (2019, 5, 1)), ("平成", "平", "H", (1989, 1, 8)), ("昭和", "昭", "S", (1926, 12, 25)),
        ("大正", "大", "T", (1912, 7, 30)), ("明治", "明", "M", (1868, 1, 25)),
    ]

    static func date(_ serial: Double, code: String, date1904: Bool, eraYears: Bool = false) -> String {
        // Excel's day 0 is 1899-12-31 and it counts a 29 Feb 1900 that never was.
        let days = Int(serial.rounded(.down))
        let fraction = serial - Double(days)
        let base = date1904 ? 1462 : 0
        let jdn = days + base + (days + base >= 61 || date1904 ? 2415019 : 2415020)
        // Serial 60 is the 29 February 1900 that Excel shows although it never was.
        let (year, month, day) = days == 60 && !date1904 ? (1900, 2, 29) : civil(fromJulianDay: jdn)
        let seconds = Int((fraction * 86400).rounded())
        let hour = seconds / 3600, minute = seconds / 60 % 60, second = seconds % 60
        let era = eras.first { (year, month, day) >= $0.start } ?? eras.last!
        let eraYear = year - era.start.0 + 1
        let weekdays = ["日", "月", "火", "水", "木", "金", "土"]
        let weekday = weekdays[(jdn + 1) % 7]

        var out = ""
        let chars = Array(code)
        var i = 0
        var lastWasHour = false
        func run(_ c: Character) -> Int {
            var n = 0
            while i + n < chars.count, chars[i + n].lowercased() == String(c) { n += 1 }
            return n
        }
        while i < chars.count {
            let c = chars[i]
            let lower = Character(c.lowercased())
            switch lower {
            case "\"":
                i += 1
                while i < chars.count, chars[i] != "\"" { out.append(chars[i]); i += 1 }
                i += 1
                continue
            case "\\":
                if i + 1 < chars.count { out.append(chars[i + 1]) }
                i += 2
                continue
            case "y":
                let n = run("y")
                if eraYears {
                    // Era years read (and are searched) without a leading zero: 令和9年.
                    out += String(eraYear)
                } else {
                    out += n <= 2 ? String(format: "%02d", year % 100) : String(year)
                }
                i += n
            case "e":
                let n = run("e")
                out += n >= 2 ? String(format: "%02d", eraYear) : String(eraYear)
                i += n
            case "g":
                let n = run("g")
                out += n >= 3 ? era.name : n == 2 ? era.short : era.letter
                i += n
            case "m":
                let n = run("m")
                // m after h (or before s) is minutes.
                let rest = String(chars[(i + n)...]).lowercased()
                let isMinute = lastWasHour || rest.drop { ":\" ".contains($0) }.hasPrefix("s")
                if isMinute {
                    out += n >= 2 ? String(format: "%02d", minute) : String(minute)
                } else {
                    out += n >= 2 ? String(format: "%02d", month) : String(month)
                }
                i += n
                lastWasHour = false
                continue
            case "d":
                let n = run("d")
                out += n >= 2 ? String(format: "%02d", day) : String(day)
                i += n
            case "a":
                let n = run("a")
                if n >= 3 {
                    out += n >= 4 ? weekday + "曜日" : weekday
                } else {
                    out.append(contentsOf: String(chars[i..<(i + n)]))
                }
                i += n
            case "h":
                let n = run("h")
                out += n >= 2 ? String(format: "%02d", hour) : String(hour)
                i += n
                lastWasHour = true
                continue
            case "s":
                let n = run("s")
                out += n >= 2 ? String(format: "%02d", second) : String(second)
                i += n
            default:
                out.append(c)
                i += 1
            }
            if lower != ":" && lower != " " { lastWasHour = false }
        }
        return out
    }

    /// Gregorian date of a Julian day number.
    static func civil(fromJulianDay jdn: Int) -> (Int, Int, Int) {
        let a = jdn + 32044
        let b = (4 * a + 3) / 146097
        let c = a - 146097 * b / 4
        let d = (4 * c + 3) / 1461
        let e = c - 1461 * d / 4
        let m = (5 * e + 2) / 153
        return (100 * b + d - 4800 + m / 10, m + 3 - 12 * (m / 10), e - (153 * m + 2) / 5 + 1)
    }
}
