import Foundation
import HirobaCore
import JapaneseText

/// PowerPoint: slides in presentation order, each a heading (its title placeholder, or 「スライド N」),
/// its text paragraphs and tables, then its speaker notes as 「ノート: …」. Page numbers are slide numbers.
enum PptxExtractor {
    static func extract(data: Data, path: String, limits: ExtractionLimits) throws -> StructuredDocument {
        let zip = try OfficeArchive(data: data, path: path, format: "PPTX", limits: limits)
        guard let presentation = try zip.data("ppt/presentation.xml") else {
            throw IngestError.corrupt(path, format: "PPTX", reason: "no ppt/presentation.xml")
        }
        var order: [String] = []
        try XMLEvents.parse(presentation, path: path, format: "PPTX") { event in
            if case .start("sldId", let a) = event, let rid = a["id"] { order.append(rid) }
        }
        let rels = try zip.relationships(of: "ppt/presentation.xml")
        var blocks: [DocumentBlock] = []
        var characters = 0
        for (n, rid) in order.enumerated() {
            guard let part = rels[rid]?.target, let xml = try zip.data(part) else { continue }
            var slide = try shapes(xml, path: path)
            // Slides built from plain text boxes have no title placeholder: the first line stands in.
            if slide.title.isEmpty, let first = slide.body.first, first.count <= 60 {
                slide.title = [first]
                slide.body.removeFirst()
            }
            let number = n + 1
            let firstBlock = blocks.count
            let title = slide.title.isEmpty ? "スライド \(number)" : slide.title.joined(separator: " ")
            blocks.append(DocumentBlock(.heading(level: 1), title, page: number))
            for paragraph in slide.body { blocks.append(DocumentBlock(.paragraph, paragraph, page: number)) }
            for table in slide.tables { blocks.append(.table(table, page: number)) }
            let notesPart = try zip.relationships(of: part).values.first { $0.type.hasSuffix("/notesSlide") }?.target
            if let notesPart, let notesXML = try zip.data(notesPart) {
                let notes = try shapes(notesXML, path: path).body.filter { Int($0) == nil }  // drop the slide-number field
                if !notes.isEmpty { blocks.append(DocumentBlock(.paragraph, "ノート: " + notes.joined(separator: "\n"), page: number)) }
            }
            characters += blocks[firstBlock...].reduce(0) { $0 + $1.text.unicodeScalars.count }
            if characters > limits.maxExtractedCharacters {
                throw IngestError.tooMuchText(path, characters: characters, limit: limits.maxExtractedCharacters)
            }
        }
        let title = try zip.data("docProps/core.xml").flatMap { try DocxExtractor.coreTitle($0, path: path) }
            ?? blocks.first { $0.headingLevel == 1 && !$0.text.hasPrefix("スライド ") }?.text
        return StructuredDocument(title: title, mediaType: DocumentFormat.pptx.mediaType, shape: .slides, blocks: blocks)
    }

    /// The text of one slide (or notes page): title placeholder paragraphs, other paragraphs, tables.
    static func shapes(_ xml: Data, path: String) throws -> (title: [String], body: [String], tables: [[[String]]]) {
        var title: [String] = [], body: [String] = [], tables: [[[String]]] = []
        var isTitle = false
        var paragraph = ""
        var inText = false
        var tableRows: [[String]]? = nil
        var row: [String] = []
        var cell: [String] = []
        var inCell = false
        var skipPlaceholder = false
        try XMLEvents.parse(xml, path: path, format: "PPTX") { event in
            switch event {
            case .start("sp", _): (isTitle, skipPlaceholder) = (false, false)
            case .start("ph", let a):
                let type = a["type"] ?? "body"
                isTitle = type == "title" || type == "ctrTitle"
                // Slide images and header/footer fields on notes pages are not notes.
                skipPlaceholder = ["sldImg", "sldNum", "hdr", "ftr", "dt"].contains(type)
            case .start("p", _): paragraph = ""
            case .start("t", _): inText = true
            case .end("t"): inText = false
            case .start("br", _): paragraph += "\n"
            case .text(let s): if inText { paragraph += s }
            case .end("p"):
                let line = paragraph.trimmingWhitespace()
                guard !line.isEmpty, !skipPlaceholder else { return }
                if inCell {
                    cell.append(line)
                } else if isTitle {
                    title.append(line)
                } else {
                    body.append(line)
                }
            case .start("tbl", _): tableRows = []
            case .start("tr", _): row = []
            case .start("tc", _): (cell, inCell) = ([], true)
            case .end("tc"):
                row.append(cell.joined(separator: " "))
                inCell = false
            case .end("tr"): if row.contains(where: { !$0.isEmpty }) { tableRows?.append(row) }
            case .end("tbl"):
                if let rows = tableRows, !rows.isEmpty { tables.append(rows) }
                tableRows = nil
            default: break
            }
        }
        return (title, body, tables)
    }
}
