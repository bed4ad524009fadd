import HirobaCore
import JapaneseText

/// Plain text, Markdown and PDF page text into blocks: headings (Markdown `#`, or numbered lines such as
/// 「第2章 支出の事務」「2.2 支出命令の入力」), Markdown tables, and paragraphs.
public enum TextBlocks {
    nonisolated(unsafe) static let numberedHeading = try! Regex(
        "^(第[0-9一二三四五六七八九十]+[章節部編]|[0-9]{1,2}(\\.[0-9]{1,2}){0,3}\\.?)[\\s　]+[^\\s　]")
    nonisolated(unsafe) static let markdownRule = try! Regex("^\\|?\\s*:?-{2,}:?\\s*(\\|\\s*:?-{2,}:?\\s*)*\\|?$")

    /// Blocks of a Markdown or plain-text document. `page` is stamped on every block (PDF pages).
    public static func parse(_ text: String, markdown: Bool, page: Int? = nil) -> [DocumentBlock] {
        var blocks: [DocumentBlock] = []
        var table: [[String]] = []
        func flushTable() {
            if !table.isEmpty { blocks.append(.table(table, page: page)) }
            table = []
        }
        let lines = text.lineSlices().map { String($0) }
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingWhitespace()
            defer { i += 1 }
            if line.isEmpty { continue }
            if markdown, line.hasPrefix("|"), line.hasSuffix("|") {
                // A Markdown table row; the |---| rule under the header is dropped.
                if line.wholeMatch(of: markdownRule) == nil {
                    table.append(line.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false).map {
                        String($0).trimmingWhitespace()
                    })
                }
                continue
            }
            flushTable()
            if let (level, title) = heading(line, markdown: markdown) {
                blocks.append(DocumentBlock(.heading(level: level), title, page: page))
            } else if markdown, line.hasPrefix("- ") || line.hasPrefix("* ") {
                blocks.append(DocumentBlock(.listItem, "・" + line.dropFirst(2), page: page))
            } else {
                blocks.append(DocumentBlock(.paragraph, line, page: page))
            }
        }
        flushTable()
        return blocks
    }

    /// (level, title) when the line is a heading.
    static func heading(_ line: String, markdown: Bool) -> (Int, String)? {
        if markdown {
            guard line.hasPrefix("#") else { return nil }
            let level = line.prefix(while: { $0 == "#" }).count
            let title = line.dropFirst(level).trimmingCharacters(in: Set(" \t　"))
            return level <= 6 && !title.isEmpty ? (level, title) : nil
        }
        return numberedHeadingLevel(line).map { ($0, line) }
    }

    /// Level of a numbered heading line of plain text (「第2章 …」 1, 「2.2 …」 2), or nil for body text.
    /// Headings are short and do not end a sentence; 第N条 is an article, not a heading.
    public static func numberedHeadingLevel(_ line: String) -> Int? {
        guard line.utf8.count <= 160, line.unicodeScalars.count <= 40, !line.hasSuffix("。"), !line.hasSuffix("、"),
            let m = line.prefixMatch(of: numberedHeading)
        else { return nil }
        let label = String(line[m.range]).trimmingWhitespace()
        if label.hasPrefix("第") {
            return label.contains("部") || label.contains("編") || label.contains("章") ? 1 : 2
        }
        let parts = label.split(separator: ".").count
        // A bare 「1 」 is too often a list item or a quantity (「5 日」); require a short title that is
        // not a unit.
        if parts == 1 {
            let title = line[m.range.upperBound...]
            if line.count > 24 || title.count < 1 { return nil }
            let first = line[line.index(before: m.range.upperBound)]
            if "日月年円件人回時分秒歳名個本枚台号条項%％万千百億".contains(first) { return nil }
        }
        return parts
    }
}
