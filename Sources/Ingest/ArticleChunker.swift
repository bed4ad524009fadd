import HirobaCore
import JapaneseText

/// 例規/法令 text as e-Gov prints it: one chunk per article (第N条, 第N条のM), 章/節 headings kept in the
/// heading path, the article caption （見出し） kept with its article, 附則 articles marked as such.
/// An article longer than `maxCharacters` is split at its 項 with the article heading repeated.
/// (Full 項/号 locators and 別表 arrive with the ingestion issue.)
public enum ArticleChunker {
    public static let maxCharacters = 900
    static let numeral = "[一二三四五六七八九十百千〇0-9０-９]+"
    nonisolated(unsafe) static let articleStart = try! Regex("^(第\(numeral)条(の\(numeral))*)[\\s　]")
    nonisolated(unsafe) static let chapterLine = try! Regex("^第\(numeral)(編|章|節|款|目)[\\s　]")
    nonisolated(unsafe) static let captionLine = try! Regex("^[（(][^）)]{1,40}[）)]$")
    nonisolated(unsafe) static let paragraphStart = try! Regex("^[２-９0-9][0-9０-９]*[\\s　]")

    /// True when at least three lines start an article.
    public static func looksLikeStatute(_ text: String) -> Bool {
        var count = 0
        for line in text.split(separator: "\n") where line.prefixMatch(of: articleStart) != nil {
            count += 1
            if count >= 3 { return true }
        }
        return false
    }

    public static func chunk(_ text: String) -> [ChunkDraft] {
        var chunks: [ChunkDraft] = []
        var headings: [(level: Int, title: String)] = []
        var inSupplement = false
        var caption: String? = nil
        var article: (label: String, lines: [String])? = nil
        var preamble: [String] = []

        func flushArticle() {
            guard let a = article else { return }
            article = nil
            let label = inSupplement ? "附則 \(a.label)" : a.label
            let path = headings.map(\.title) + (inSupplement ? ["附則"] : [])
            for piece in splitLongArticle(a.lines) {
                chunks.append(
                    ChunkDraft(
                        ordinal: chunks.count, text: piece, headingPath: path, locator: Locator(article: label)))
            }
        }

        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw).trimmingWhitespace()
            if line.isEmpty { continue }
            if line.prefixMatch(of: chapterLine) != nil {
                flushArticle()
                let level = line.contains("編") ? 1 : line.contains("章") ? 2 : line.contains("節") ? 3 : 4
                headings.removeAll { $0.level >= level }
                headings.append((level, line))
                continue
            }
            if line.hasPrefix("附則") && line.count <= 30 {
                flushArticle()
                inSupplement = true
                continue
            }
            if line.wholeMatch(of: captionLine) != nil {
                flushArticle()
                caption = line
                continue
            }
            if let m = line.prefixMatch(of: articleStart) {
                flushArticle()
                let label = String(line[m.range]).trimmingWhitespace()
                article = (label, (caption.map { [$0] } ?? []) + [line])
                caption = nil
                continue
            }
            if article != nil {
                article!.lines.append(line)
            } else {
                preamble.append(line)
            }
        }
        flushArticle()
        if !preamble.isEmpty {
            let text = preamble.joined(separator: "\n")
            chunks.insert(ChunkDraft(ordinal: 0, text: text, headingPath: [], locator: Locator()), at: 0)
            for i in chunks.indices { chunks[i].ordinal = i }
        }
        return chunks
    }

    /// Splits an over-long article at 項 boundaries, repeating the caption and article line.
    static func splitLongArticle(_ lines: [String]) -> [String] {
        let whole = lines.joined(separator: "\n")
        guard whole.count > maxCharacters else { return [whole] }
        let headLines = lines.prefix { $0.prefixMatch(of: articleStart) == nil } + lines.drop { $0.prefixMatch(of: articleStart) == nil }.prefix(1)
        let head = headLines.joined(separator: "\n")
        var pieces: [String] = []
        var current = head
        for line in lines.dropFirst(headLines.count) {
            if line.prefixMatch(of: paragraphStart) != nil, current.count + line.count > maxCharacters, current != head {
                pieces.append(current)
                current = headLines.first.map { $0.hasPrefix("（") ? headLines.joined(separator: "\n").prefix(60) + "…" : $0.prefix(60) + "…" }.map(String.init) ?? ""
            }
            current += "\n" + line
        }
        pieces.append(current)
        return pieces
    }
}
