import Foundation
import HirobaCore
import JapaneseText

/// 例規/法令 text as e-Gov prints it: one chunk per article (第N条, 第N条のM), 章/節 headings kept in the
/// heading path, the article caption （見出し） kept with its article, 附則 articles marked as such.
/// An article longer than `maxCharacters` is split at its 項 with the article heading repeated.
/// Each chunk's locator carries its page (PDF) and, for the later pieces of a split article, its first 項;
/// `StatutePosition` finds the 項/号 at any offset inside a chunk for citations.
public enum ArticleChunker {
    public static let maxCharacters = 900
    static let numeral = "[一二三四五六七八九十百千〇0-9０-９]+"
    /// 第N条, 第N条のM, and the spans e-Gov prints for deleted runs (第二十条乃至第七十三条, 第百十条及び第百十一条).
    nonisolated(unsafe) static let articleStart = try! Regex(
        "^(第\(numeral)条(の\(numeral))*((乃至|及び|から)第\(numeral)条(の\(numeral))*(まで)?)?)[\\s　]")
    nonisolated(unsafe) static let chapterLine = try! Regex("^第\(numeral)(編|章|節|款|目)[\\s　]")
    nonisolated(unsafe) static let captionLine = try! Regex("^[（(][^）)]{1,40}[）)]$")
    /// A 項 number at line start: ２, 2 (followed by a space) or ②.
    nonisolated(unsafe) static let paragraphStart = try! Regex("^([２-９0-9][0-9０-９]*[\\s　]|[②-⑳㉑-㊿])")

    /// Cheap test before the regex: an article line starts with 第.
    static func isArticleStart(_ line: String) -> Bool {
        line.unicodeScalars.first == "第" && line.prefixMatch(of: articleStart) != nil
    }

    /// True when at least three lines start an article.
    public static func looksLikeStatute(_ text: String) -> Bool {
        looksLikeStatute(text.lineSlices().map { SourceLine(String($0)) })
    }

    public static func looksLikeStatute(_ lines: [SourceLine]) -> Bool {
        var count = 0
        for line in lines where isArticleStart(line.text.trimmingWhitespace()) {
            count += 1
            if count >= 3 { return true }
        }
        return false
    }

    public static func chunk(_ text: String) -> [ChunkDraft] {
        chunk(lines: text.lineSlices().map { SourceLine(String($0)) })
    }

    public static func chunk(lines source: [SourceLine]) -> [ChunkDraft] {
        var chunks: [ChunkDraft] = []
        var headings: [(level: Int, title: String)] = []
        var inSupplement = false
        var caption: String? = nil
        var article: (label: String, lines: [String], page: Int?)? = nil
        var preamble: [String] = []
        var preamblePage: Int? = nil
        var page: Int? = nil

        func appendLine(_ line: String) {
            if article != nil {
                article!.lines.append(line)
            } else {
                if preamble.isEmpty { preamblePage = page }
                preamble.append(line)
            }
        }

        func flushArticle() {
            guard let a = article else { return }
            article = nil
            let label = inSupplement && a.label != "附則" ? "附則 \(a.label)" : a.label
            let path = headings.map(\.title) + (inSupplement ? ["附則"] : [])
            for piece in splitLongArticle(a.lines) {
                chunks.append(
                    ChunkDraft(
                        ordinal: chunks.count, text: piece.text, headingPath: path,
                        locator: Locator(page: a.page, article: label, paragraph: piece.firstParagraph)))
            }
        }

        for sourceLine in source {
            let line = sourceLine.text.trimmingWhitespace()
            if line.isEmpty { continue }
            page = sourceLine.page
            let lead = line.unicodeScalars.first!
            if lead == "第", line.prefixMatch(of: chapterLine) != nil {
                flushArticle()
                let level = line.contains("編") ? 1 : line.contains("章") ? 2 : line.contains("節") ? 3 : 4
                headings.removeAll { $0.level >= level }
                headings.append((level, line))
                continue
            }
            // 附則 (also written 附　則, with the amending regulation in brackets) and 別表 start their own
            // units once the articles have begun; before that they are a table of contents.
            if lead == "附" || lead == "別", line.count <= 80, !chunks.isEmpty || article != nil,
                case let compact = line.filter({ $0 != "　" && $0 != " " }),
                compact.count <= 60, compact.hasPrefix("附則") || compact.hasPrefix("別表")
            {
                flushArticle()
                if compact.hasPrefix("附則") {
                    inSupplement = true
                    article = ("附則", [line], page)
                } else {
                    inSupplement = false
                    let label = String(compact.prefix { $0 != "（" && $0 != "(" })
                    article = (label, [line], page)
                }
                continue
            }
            if lead == "（" || lead == "(", line.wholeMatch(of: captionLine) != nil {
                // A caption belongs to the article that follows it; inside 附則 it may head plain paragraphs.
                if let pending = caption { appendLine(pending) }
                caption = line
                continue
            }
            if lead == "第", let m = line.prefixMatch(of: articleStart) {
                flushArticle()
                let label = String(line[m.range]).trimmingWhitespace()
                article = (label, (caption.map { [$0] } ?? []) + [line], page)
                caption = nil
                continue
            }
            if let pending = caption {
                appendLine(pending)
                caption = nil
            }
            appendLine(line)
        }
        flushArticle()
        if !preamble.isEmpty {
            let text = preamble.joined(separator: "\n")
            chunks.insert(ChunkDraft(ordinal: 0, text: text, headingPath: [], locator: Locator(page: preamblePage)), at: 0)
            for i in chunks.indices { chunks[i].ordinal = i }
        }
        return chunks
    }

    /// Splits an over-long article at 項 boundaries; each later piece starts with the caption and
    /// "第N条（続き）" so it still reads, and cites, as that article, and records the 項 it starts at.
    static func splitLongArticle(_ lines: [String]) -> [(text: String, firstParagraph: Int?)] {
        let whole = lines.joined(separator: "\n")
        guard whole.unicodeScalars.count > maxCharacters else { return [(whole, nil)] }
        let articleIndex = lines.firstIndex { $0.prefixMatch(of: articleStart) != nil } ?? 0
        let label = lines[articleIndex].prefixMatch(of: articleStart)
            .map { String(lines[articleIndex][$0.range]).trimmingWhitespace() } ?? ""
        let caption = articleIndex > 0 ? lines[articleIndex - 1] + "\n" : ""
        let head = caption + label + "（続き）"
        var pieces: [(text: String, firstParagraph: Int?)] = []
        var current: [String] = []
        var currentParagraph: Int? = nil
        var length = 0
        for (i, line) in lines.enumerated() {
            if i > articleIndex, line.prefixMatch(of: paragraphStart) != nil, length + line.count > maxCharacters,
                !current.isEmpty
            {
                pieces.append((current.joined(separator: "\n"), currentParagraph))
                current = [head]
                currentParagraph = StatutePosition.paragraphNumber(atLineStart: line)
                length = head.count
            }
            current.append(line)
            length += line.count
        }
        pieces.append((current.joined(separator: "\n"), currentParagraph))
        // Split at 項 means the article has several: the first piece starts at 第一項.
        if pieces.count > 1 { pieces[0].firstParagraph = 1 }
        return pieces
    }
}
