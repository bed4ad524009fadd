import Foundation
import HirobaCore
import JapaneseText

/// A document ready to store: its title, media type, chunks with locators, and extraction warnings.
public struct ExtractedDocument: Sendable, Equatable {
    public var title: String
    public var mediaType: String
    public var chunks: [ChunkDraft]
    public var warnings: [String]
    /// Characters of extracted text (the throughput figure of `bench ingest`).
    public var characters: Int
    public init(title: String, mediaType: String, chunks: [ChunkDraft], warnings: [String] = [], characters: Int = 0) {
        self.title = title
        self.mediaType = mediaType
        self.chunks = chunks
        self.warnings = warnings
        self.characters = characters
    }
}

/// The file formats Hiroba reads, by extension.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case text, markdown, pdf, docx, xlsx, pptx, html, csv, tsv

    public static func of(path: String) -> DocumentFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "txt", "text": .text
        case "md", "markdown": .markdown
        case "pdf": .pdf
        case "docx": .docx
        case "xlsx": .xlsx
        case "pptx": .pptx
        case "html", "htm", "xhtml": .html
        case "csv": .csv
        case "tsv", "tab": .tsv
        default: nil
        }
    }

    public static let supportedExtensions: [String] = [
        "txt", "text", "md", "markdown", "pdf", "docx", "xlsx", "pptx", "html", "htm", "xhtml", "csv", "tsv", "tab",
    ]

    public var mediaType: String {
        switch self {
        case .text: "text/plain"
        case .markdown: "text/markdown"
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .html: "text/html"
        case .csv: "text/csv"
        case .tsv: "text/tab-separated-values"
        }
    }
}

/// Reads a file of any supported format into a structured document, then chunks it by its shape:
/// 例規 (articles) → one chunk per 条; FAQ (Q:/A:, 問/答, Q/A tables) → one chunk per pair;
/// spreadsheets → row groups with the header repeated; slides → one chunk per slide; otherwise by headings.
public enum DocumentExtractor {
    /// Extracts the file at `path`; returns the document and the file's bytes (for the content hash).
    public static func extract(path: String, limits: ExtractionLimits = ExtractionLimits()) throws -> (ExtractedDocument, Data) {
        let (data, format) = try read(path: path, limits: limits)
        return (try extract(path: path, data: data, format: format, limits: limits), data)
    }

    /// Checks that `path` is a supported regular file within the size limit and reads it.
    public static func read(path: String, limits: ExtractionLimits) throws -> (Data, DocumentFormat) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw IngestError.missingPath(path) }
        if isDirectory.boolValue { throw IngestError.unreadable(path, reason: "is a directory") }
        guard let format = DocumentFormat.of(path: path) else {
            throw IngestError.unsupportedType(path, ext: (path as NSString).pathExtension.lowercased())
        }
        let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > limits.maxFileBytes { throw IngestError.tooLarge(path, bytes: size, limit: limits.maxFileBytes) }
        do {
            return (try Data(contentsOf: URL(fileURLWithPath: path)), format)
        } catch {
            if !fm.fileExists(atPath: path) { throw IngestError.changedDuringRead(path) }
            throw IngestError.unreadable(path, reason: "\(error.localizedDescription)")
        }
    }

    /// Extracts and chunks a file already read by `read(path:limits:)`.
    public static func extract(path: String, data: Data, format: DocumentFormat, limits: ExtractionLimits) throws
        -> ExtractedDocument
    {
        let structured = try extract(data: data, format: format, path: path, limits: limits)
        if structured.characterCount > limits.maxExtractedCharacters {
            throw IngestError.tooMuchText(path, characters: structured.characterCount, limit: limits.maxExtractedCharacters)
        }
        let document = chunk(structured, fileName: (path as NSString).lastPathComponent)
        if document.chunks.isEmpty {
            throw format == .pdf ? IngestError.noExtractableText(path, pages: []) : IngestError.emptyFile(path)
        }
        return document
    }

    /// The structured document of `data` in `format`.
    public static func extract(data: Data, format: DocumentFormat, path: String, limits: ExtractionLimits) throws -> StructuredDocument {
        switch format {
        case .text, .markdown:
            let text = try SourceText.decode(data, path: path)
            return StructuredDocument(
                title: format == .markdown ? markdownTitle(text) : nil, mediaType: format.mediaType,
                blocks: TextBlocks.parse(text, markdown: format == .markdown))
        case .pdf: return try PDFExtractor.extract(path: path, limits: limits)
        case .docx: return try DocxExtractor.extract(data: data, path: path, limits: limits)
        case .xlsx: return try XlsxExtractor.extract(data: data, path: path, limits: limits)
        case .pptx: return try PptxExtractor.extract(data: data, path: path, limits: limits)
        case .html: return try HTMLExtractor.extract(data: data, path: path)
        case .csv, .tsv: return try DelimitedTextExtractor.extract(data: data, path: path, tab: format == .tsv, limits: limits)
        }
    }

    /// Text that is already decoded (tests, demo content): Markdown when the name says so.
    public static func extract(text: String, fileName: String) -> ExtractedDocument {
        let isMarkdown = DocumentFormat.of(path: fileName) == .markdown
        let structured = StructuredDocument(
            title: isMarkdown ? markdownTitle(text) : nil, mediaType: isMarkdown ? "text/markdown" : "text/plain",
            blocks: TextBlocks.parse(text, markdown: isMarkdown))
        return chunk(structured, fileName: fileName)
    }

    /// Chunks a structured document by its shape.
    public static func chunk(_ doc: StructuredDocument, fileName: String) -> ExtractedDocument {
        let chunks: [ChunkDraft]
        switch doc.shape {
        case .spreadsheet:
            chunks = TableChunker.chunk(blocks: doc.blocks)
        case .slides:
            chunks = SectionChunker.chunk(blocks: doc.blocks)
        case .prose:
            let lines = doc.lines
            if FAQChunker.looksLikeFAQ(lines) {
                chunks = FAQChunker.chunk(lines: lines)
            } else if ArticleChunker.looksLikeStatute(lines) {
                chunks = ArticleChunker.chunk(lines: lines)
            } else if let faq = TableChunker.faqChunks(blocks: doc.blocks) {
                chunks = faq
            } else {
                chunks = SectionChunker.chunk(blocks: doc.blocks)
            }
        }
        let title = doc.title.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0.trimmingWhitespace() }
            ?? NSStringLike(value: fileName).deletingExtension
        return ExtractedDocument(
            title: title, mediaType: doc.mediaType, chunks: chunks, warnings: doc.warnings, characters: doc.characterCount)
    }

    static func markdownTitle(_ text: String) -> String? {
        text.lineSlices().first(where: { $0.hasPrefix("# ") }).map { String($0.dropFirst(2)).trimmingWhitespace() }
    }
}

/// Minimal path helper (Foundation's NSString bridging differs across platforms).
struct NSStringLike {
    let value: String
    var deletingExtension: String {
        let name = value.split(separator: "/").last.map(String.init) ?? value
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
