import HirobaCore
import JapaneseText

/// A document ready to store: its title, media type and chunks with locators.
public struct ExtractedDocument: Sendable, Equatable {
    public var title: String
    public var mediaType: String
    public var chunks: [ChunkDraft]
    public init(title: String, mediaType: String, chunks: [ChunkDraft]) {
        self.title = title
        self.mediaType = mediaType
        self.chunks = chunks
    }
}

/// Turns decoded text into a document, choosing the chunker by the text's shape:
/// 例規 (articles) → one chunk per 条; FAQ (Q:/A:, 問/答) → one chunk per pair; otherwise by headings.
public enum DocumentExtractor {
    public static func extract(text: String, fileName: String) -> ExtractedDocument {
        let stem = NSStringLike(value: fileName).deletingExtension
        let isMarkdown = fileName.lowercased().hasSuffix(".md") || fileName.lowercased().hasSuffix(".markdown")
        let mediaType = isMarkdown ? "text/markdown" : "text/plain"
        var title = stem
        if isMarkdown, let h1 = text.split(separator: "\n").first(where: { $0.hasPrefix("# ") }) {
            title = String(h1.dropFirst(2)).trimmingWhitespace()
        }
        let chunks: [ChunkDraft]
        if FAQChunker.looksLikeFAQ(text) {
            chunks = FAQChunker.chunk(text)
        } else if ArticleChunker.looksLikeStatute(text) {
            chunks = ArticleChunker.chunk(text)
        } else {
            chunks = SectionChunker.chunk(text, markdown: isMarkdown)
        }
        return ExtractedDocument(title: title, mediaType: mediaType, chunks: chunks)
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

