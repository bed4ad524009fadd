import Foundation
import HirobaCore
import JapaneseText

/// Word documents: headings from paragraph styles (「見出し 1」/Heading 1, or an outline level), list
/// numbers rendered from numbering.xml (1. ／ ① ／ 一 ／ ・), tables as rows of cells, ruby text dropped.
/// Word has no fixed pages, so blocks carry no page numbers.
enum DocxExtractor {
    static func extract(data: Data, path: String, limits: ExtractionLimits) throws -> StructuredDocument {
        let zip = try OfficeArchive(data: data, path: path, format: "DOCX", limits: limits)
        guard let document = try zip.data("word/document.xml") else {
            throw IngestError.corrupt(path, format: "DOCX", reason: "no word/document.xml")
        }
        let styles = try zip.data("word/styles.xml").map { try headingLevels(styles: $0, path: path) } ?? [:]
        var numbering = try zip.data("word/numbering.xml").map { try Numbering(data: $0, path: path) } ?? Numbering()
        var title = try zip.data("docProps/core.xml").flatMap { try coreTitle($0, path: path) }

        var blocks: [DocumentBlock] = []
        var text = ""
        var style: String? = nil
        var outline: Int? = nil
        var numID: String? = nil
        var level = 0
        var inText = false
        var inRuby = 0
        var tableDepth = 0
        var rows: [[String]] = []
        var row: [String] = []
        var cell: [String] = []
        var characters = 0

        try XMLEvents.parse(document, path: path, format: "DOCX") { event in
            switch event {
            case .start(let name, let a):
                switch name {
                case "p": (text, style, outline, numID, level) = ("", nil, nil, nil, 0)
                case "pStyle": style = a["val"]
                case "outlineLvl": outline = a["val"].flatMap(Int.init)
                case "numId": numID = a["val"]
                case "ilvl": level = a["val"].flatMap(Int.init) ?? 0
                case "t": inText = true
                case "rt": inRuby += 1
                case "tab": text += "　"
                case "br", "cr": text += "\n"
                case "tbl":
                    tableDepth += 1
                    if tableDepth == 1 { rows = [] }
                case "tr": if tableDepth == 1 { row = [] }
                case "tc": if tableDepth == 1 { cell = [] }
                default: break
                }
            case .text(let s):
                if inText, inRuby == 0 { text += s }
            case .end(let name):
                switch name {
                case "t": inText = false
                case "rt": inRuby -= 1
                case "p":
                    let line = text.trimmingWhitespace()
                    characters += line.count
                    if characters > limits.maxExtractedCharacters {
                        throw IngestError.tooMuchText(path, characters: characters, limit: limits.maxExtractedCharacters)
                    }
                    if tableDepth > 0 {
                        if !line.isEmpty { cell.append(line) }
                        return
                    }
                    guard !line.isEmpty else { return }
                    let headingLevel = outline.map { $0 + 1 } ?? style.flatMap { styles[$0] }
                    if headingLevel == 0 {
                        if title == nil { title = line }
                    } else if let headingLevel, headingLevel <= 9 {
                        blocks.append(DocumentBlock(.heading(level: headingLevel), line))
                    } else if let numID, numID != "0" {
                        blocks.append(DocumentBlock(.listItem, numbering.label(numID: numID, level: level) + line))
                    } else {
                        blocks.append(DocumentBlock(.paragraph, line))
                    }
                case "tc": if tableDepth == 1 { row.append(cell.joined(separator: " ")) }
                case "tr": if tableDepth == 1, row.contains(where: { !$0.isEmpty }) { rows.append(row) }
                case "tbl":
                    tableDepth -= 1
                    if tableDepth == 0, !rows.isEmpty { blocks.append(.table(rows)) }
                default: break
                }
            }
        }
        // A document whose first heading is its only level-1 heading uses it as the title.
        if title == nil, let first = blocks.first, first.headingLevel == 1,
            blocks.filter({ $0.headingLevel == 1 }).count == 1
        {
            title = first.text
        }
        return StructuredDocument(title: title, mediaType: DocumentFormat.docx.mediaType, blocks: blocks)
    }

    /// Style id → heading level (0 for the Title style) from styles.xml.
    static func headingLevels(styles: Data, path: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        var current: String? = nil
        var name: String? = nil
        var outline: Int? = nil
        try XMLEvents.parse(styles, path: path, format: "DOCX") { event in
            switch event {
            case .start("style", let a): (current, name, outline) = (a["styleId"], nil, nil)
            case .start("name", let a): name = a["val"]
            case .start("outlineLvl", let a): outline = a["val"].flatMap(Int.init)
            case .end("style"):
                guard let id = current else { return }
                let lower = (name ?? id).lowercased()
                if lower == "title" || lower == "表題" {
                    out[id] = 0
                } else if let outline, outline < 9 {
                    out[id] = outline + 1
                } else if let n = headingNumber(lower) {
                    out[id] = n
                }
            default: break
            }
        }
        return out
    }

    /// 「heading 2」「見出し 2」 → 2.
    static func headingNumber(_ name: String) -> Int? {
        for prefix in ["heading ", "heading", "見出し ", "見出し"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            if let n = Int(TextNormalizer.normalize(String(rest))), (1...9).contains(n) {
                return n
            }
        }
        return nil
    }

    static func coreTitle(_ data: Data, path: String) throws -> String? {
        var inTitle = false
        var title = ""
        try XMLEvents.parse(data, path: path, format: "DOCX") { event in
            switch event {
            case .start("title", _): inTitle = true
            case .end("title"): inTitle = false
            case .text(let s): if inTitle { title += s }
            default: break
            }
        }
        let t = title.trimmingWhitespace()
        return t.isEmpty ? nil : t
    }

    /// List numbering: numId → abstract definition → per-level format, with running counters.
    struct Numbering {
        struct Level {
            var format = "decimal"
            var text = "%1."
            var start = 1
        }
        var abstractOf: [String: String] = [:]
        var levels: [String: [Int: Level]] = [:]
        var counters: [String: [Int: Int]] = [:]

        init() {}

        init(data: Data, path: String) throws {
            var abstract: String? = nil
            var num: String? = nil
            var ilvl = 0
            var levels: [String: [Int: Level]] = [:]
            var abstractOf: [String: String] = [:]
            try XMLEvents.parse(data, path: path, format: "DOCX") { event in
                switch event {
                case .start("abstractNum", let a): abstract = a["abstractNumId"]
                case .end("abstractNum"): abstract = nil
                case .start("lvl", let a):
                    ilvl = a["ilvl"].flatMap(Int.init) ?? 0
                    if let abstract { levels[abstract, default: [:]][ilvl] = Level() }
                case .start("numFmt", let a): if let abstract, let v = a["val"] { levels[abstract]?[ilvl]?.format = v }
                case .start("lvlText", let a): if let abstract, let v = a["val"] { levels[abstract]?[ilvl]?.text = v }
                case .start("start", let a):
                    if let abstract, let v = a["val"].flatMap(Int.init) { levels[abstract]?[ilvl]?.start = v }
                case .start("num", let a): num = a["numId"]
                case .start("abstractNumId", let a): if let num, let v = a["val"] { abstractOf[num] = v }
                case .end("num"): num = nil
                default: break
                }
            }
            self.levels = levels
            self.abstractOf = abstractOf
        }

        /// The rendered label (「1. 」「① 」「・」) of the next item at `level` of list `numID`.
        mutating func label(numID: String, level: Int) -> String {
            let defs = abstractOf[numID].flatMap { levels[$0] } ?? [:]
            let def = defs[level] ?? Level()
            var counter = counters[numID, default: [:]]
            counter[level] = (counter[level] ?? (def.start - 1)) + 1
            for deeper in counter.keys where deeper > level { counter[deeper] = nil }
            counters[numID] = counter
            if def.format == "bullet" { return "・" }
            if def.format == "none" { return "" }
            var text = def.text
            for l in 0...level {
                let n = counter[l] ?? (defs[l]?.start ?? 1)
                text = text.replacingOccurrences(of: "%\(l + 1)", with: Self.render(n, format: defs[l]?.format ?? "decimal"))
            }
            return text + (text.isEmpty ? "" : " ")
        }

        static func render(_ n: Int, format: String) -> String {
            switch format {
            case "decimalFullWidth", "decimalFullWidth2":
                return String(String(n).unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0xFF10)!) })
            case "japaneseCounting", "ideographDigital", "japaneseLegal", "chineseCounting": return KanjiNumeral.format(n)
            case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
                return (1...20).contains(n) ? String(Character(Unicode.Scalar(0x2460 + UInt32(n) - 1)!)) : "(\(n))"
            case "aiueoFullWidth", "aiueo": return kana(n, "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン")
            case "iroha", "irohaFullWidth": return kana(n, "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス")
            case "lowerLetter": return n <= 26 ? String(Character(Unicode.Scalar(0x60 + UInt32(n))!)) : String(n)
            case "upperLetter": return n <= 26 ? String(Character(Unicode.Scalar(0x40 + UInt32(n))!)) : String(n)
            case "lowerRoman", "upperRoman":
                let r = roman(n)
                return format == "lowerRoman" ? r.lowercased() : r
            default: return String(n)
            }
        }

        static func kana(_ n: Int, _ table: String) -> String {
            let chars = Array(table)
            return (1...chars.count).contains(n) ? String(chars[n - 1]) : String(n)
        }

        static func roman(_ n: Int) -> String {
            var n = n
            var out = ""
            for (v, s) in [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
                while n >= v {
                    out += s
                    n -= v
                }
            }
            return out
        }
    }
}
