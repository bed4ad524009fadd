import HirobaCore

/// One unit of an extracted document, in reading order.
public struct DocumentBlock: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A heading; level 1 is the highest below the document title.
        case heading(level: Int)
        case paragraph
        /// A list item; `text` already carries its rendered number or bullet (「1.」「・」).
        case listItem
        /// A table as rows of cells; `text` is the rows rendered with 「｜」 between cells.
        case table(rows: [[String]])
    }

    public var kind: Kind
    public var text: String
    /// 1-based page (PDF) or slide (PPTX) number, when the format has pages.
    public var page: Int?

    public init(_ kind: Kind, _ text: String, page: Int? = nil) {
        self.kind = kind
        self.text = text
        self.page = page
    }

    public static func table(_ rows: [[String]], page: Int? = nil) -> DocumentBlock {
        DocumentBlock(.table(rows: rows), rows.map { $0.joined(separator: "｜") }.joined(separator: "\n"), page: page)
    }

    public var headingLevel: Int? {
        if case .heading(let level) = kind { return level }
        return nil
    }
}

/// What an extractor produces, whatever the file format: title, blocks in reading order, and warnings
/// that the user must see (pages without text, truncated sheets) — never a silent partial document.
public struct StructuredDocument: Sendable, Equatable {
    /// How the content is laid out, which decides the chunker.
    public enum Shape: Sendable, Equatable {
        case prose  // manuals, reports, 例規, FAQ pages
        case spreadsheet  // XLSX and CSV: a heading per sheet followed by one table
        case slides  // PPTX: a heading per slide (page = slide number)
    }

    public var title: String?
    public var mediaType: String
    public var shape: Shape
    public var blocks: [DocumentBlock]
    public var warnings: [String]

    public init(title: String?, mediaType: String, shape: Shape = .prose, blocks: [DocumentBlock], warnings: [String] = []) {
        self.title = title
        self.mediaType = mediaType
        self.shape = shape
        self.blocks = blocks
        self.warnings = warnings
    }

    /// Characters of text in all blocks.
    public var characterCount: Int { blocks.reduce(0) { $0 + $1.text.unicodeScalars.count } }
}

/// Limits that protect the server from hostile or accidental input. All are configurable per run.
public struct ExtractionLimits: Sendable, Equatable {
    /// Files larger than this are refused before reading.
    public var maxFileBytes: Int
    /// Total bytes that may be decompressed from one Office file (ZIP bomb guard).
    public var maxExpandedBytes: Int
    /// Largest allowed ratio of uncompressed to compressed size for one ZIP entry.
    public var maxCompressionRatio: Int
    /// Extracted text beyond this many characters is refused (a 1M-row sheet, a log file renamed .csv).
    public var maxExtractedCharacters: Int
    /// Seconds `pdftotext` may run on one file.
    public var pdfTimeoutSeconds: Double

    public static let defaultMaxFileBytes = 256 * 1024 * 1024

    public init(
        maxFileBytes: Int = defaultMaxFileBytes, maxExpandedBytes: Int = 512 * 1024 * 1024,
        maxCompressionRatio: Int = 200, maxExtractedCharacters: Int = 10_000_000, pdfTimeoutSeconds: Double = 120
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxExpandedBytes = maxExpandedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.maxExtractedCharacters = maxExtractedCharacters
        self.pdfTimeoutSeconds = pdfTimeoutSeconds
    }
}

/// A line of text with the page it is printed on: the input of the line-oriented chunkers (例規, FAQ).
public struct SourceLine: Sendable, Equatable {
    public var text: String
    public var page: Int?
    public var headingLevel: Int?
    public init(_ text: String, page: Int? = nil, headingLevel: Int? = nil) {
        self.text = text
        self.page = page
        self.headingLevel = headingLevel
    }
}

extension StructuredDocument {
    /// The blocks as lines (tables row by row), for the line-oriented chunkers.
    public var lines: [SourceLine] {
        var out: [SourceLine] = []
        for block in blocks {
            switch block.kind {
            case .heading(let level):
                out.append(SourceLine(block.text, page: block.page, headingLevel: level))
            case .paragraph, .listItem, .table:
                for line in block.text.lineSlices() {
                    out.append(SourceLine(String(line), page: block.page))
                }
            }
        }
        return out
    }
}
