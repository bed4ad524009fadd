import CLibXML2
import Foundation
import HirobaCore
import JapaneseText

/// HTML through libxml2's forgiving HTML parser (no network, no DTD loading): the main content (<main>,
/// role="main", <article>, else <body>), headings, paragraphs, list items and tables; scripts, styles,
/// navigation, forms and hidden elements are dropped. The DOM is walked without recursion, so deeply
/// nested hostile markup cannot exhaust the stack. The encoding is UTF-8 when the bytes are valid UTF-8,
/// else the page's <meta charset>, else Shift_JIS or EUC-JP by detection.
enum HTMLExtractor {
    static let dropped: Set<String> = [
        "script", "style", "noscript", "template", "nav", "aside", "form", "button", "select", "option", "textarea",
        "iframe", "svg", "canvas", "object", "embed", "head", "math", "dialog",
    ]
    static let pageChrome: Set<String> = ["header", "footer"]
    static let blockLevel: Set<String> = [
        "p", "div", "section", "article", "main", "blockquote", "pre", "dl", "dt", "dd", "ul", "ol", "figure",
        "figcaption", "address", "hr", "body", "details", "summary", "caption", "center", "fieldset", "legend",
    ]

    static func extract(data: Data, path: String) throws -> StructuredDocument {
        guard !data.isEmpty else { throw IngestError.emptyFile(path) }
        let encoding = chooseEncoding(data)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | XML_PARSE_HUGE.rawValue)
        XMLEvents.lock.lock()
        defer { XMLEvents.lock.unlock() }
        let doc: htmlDocPtr? = data.withUnsafeBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            if let encoding {
                return htmlReadMemory(base, Int32(clamping: raw.count), nil, encoding, options)
            }
            return htmlReadMemory(base, Int32(clamping: raw.count), nil, nil, options)
        }
        guard let doc, let top = xmlDocGetRootElement(doc) else {
            if let doc { xmlFreeDoc(doc) }
            throw IngestError.corrupt(path, format: "HTML", reason: "no document element")
        }
        defer { xmlFreeDoc(doc) }

        let title = find(top) { name($0) == "title" }.map { clean(text(of: $0)) }
        let root = find(top) { name($0) == "main" || attribute($0, "role") == "main" }
            ?? find(top) { name($0) == "article" } ?? find(top) { name($0) == "body" } ?? top
        let insideMain = name(root) == "main" || name(root) == "article" || attribute(root, "role") == "main"
        let blocks = walk(root, keepChrome: insideMain)
        let h1 = blocks.first { $0.headingLevel == 1 }?.text
        return StructuredDocument(
            title: h1 ?? title.flatMap { $0.isEmpty ? nil : $0 }, mediaType: DocumentFormat.html.mediaType, blocks: blocks)
    }

    /// UTF-8 when valid; nil to let a <meta charset> decide; else the detected legacy Japanese encoding.
    static func chooseEncoding(_ data: Data) -> String? {
        if String(validating: data, as: UTF8.self) != nil { return "UTF-8" }
        let head = String(decoding: data.prefix(4096), as: UTF8.self).lowercased()
        if head.contains("charset") { return nil }
        return LegacyEncoding.detect(data)?.iconvName
    }

    // MARK: - Walking the DOM

    static func walk(_ root: xmlNodePtr, keepChrome: Bool) -> [DocumentBlock] {
        var blocks: [DocumentBlock] = []
        var buffer = ""
        func flush() {
            let t = clean(buffer)
            if !t.isEmpty { blocks.append(DocumentBlock(.paragraph, t)) }
            buffer = ""
        }
        // (node, entering): a leaving marker flushes the text of a block element.
        var stack: [(xmlNodePtr, Bool)] = [(root, true)]
        while let (node, entering) = stack.popLast() {
            if !entering {
                flush()
                continue
            }
            if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE {
                if let content = node.pointee.content { buffer += whitespaceFolded(String(cString: content)) }
                continue
            }
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            let tag = name(node)
            if dropped.contains(tag) || isHidden(node) || (!keepChrome && pageChrome.contains(tag)) { continue }
            switch tag {
            case "h1", "h2", "h3", "h4", "h5", "h6":
                flush()
                let t = clean(text(of: node))
                if !t.isEmpty { blocks.append(DocumentBlock(.heading(level: Int(String(tag.last!))!), t)) }
                continue
            case "table":
                flush()
                let rows = tableRows(node)
                if !rows.isEmpty { blocks.append(.table(rows)) }
                continue
            case "li":
                flush()
                let t = clean(text(of: node))
                if !t.isEmpty { blocks.append(DocumentBlock(.listItem, "・" + t)) }
                continue
            case "br":
                buffer += "\n"
                continue
            default:
                break
            }
            if blockLevel.contains(tag) {
                flush()
                stack.append((node, false))
            }
            for c in children(of: node).reversed() { stack.append((c, true)) }
        }
        flush()
        return blocks
    }

    /// Rows of th/td text; cells of nested tables are flattened into their outer cell.
    static func tableRows(_ table: xmlNodePtr) -> [[String]] {
        var rows: [[String]] = []
        var trs: [xmlNodePtr] = []
        // Pre-order walk: rows in document order, not descending into rows or nested tables.
        var stack: [xmlNodePtr] = [table]
        while let node = stack.popLast() {
            if node != table {
                guard node.pointee.type == XML_ELEMENT_NODE else { continue }
                let n = name(node)
                if n == "tr" {
                    trs.append(node)
                    continue
                }
                if n == "table" || n == "td" || n == "th" { continue }
            }
            stack.append(contentsOf: children(of: node).reversed())
        }
        for tr in trs {
            var cells: [String] = []
            var c = tr.pointee.children
            while let cell = c {
                if cell.pointee.type == XML_ELEMENT_NODE, name(cell) == "td" || name(cell) == "th" {
                    cells.append(clean(text(of: cell)).replacingOccurrences(of: "\n", with: " "))
                }
                c = cell.pointee.next
            }
            if cells.contains(where: { !$0.isEmpty }) { rows.append(cells) }
        }
        return rows
    }

    /// All text under `node`, without dropped elements; <br> and block ends become line breaks.
    static func text(of node: xmlNodePtr) -> String {
        var out = ""
        var stack: [xmlNodePtr] = [node]
        while let n = stack.popLast() {
            if n.pointee.type == XML_TEXT_NODE || n.pointee.type == XML_CDATA_SECTION_NODE {
                if let content = n.pointee.content { out += whitespaceFolded(String(cString: content)) }
                continue
            }
            guard n.pointee.type == XML_ELEMENT_NODE || n == node else { continue }
            let tag = name(n)
            if n != node, dropped.contains(tag) || isHidden(n) { continue }
            if tag == "br" { out += "\n" }
            stack.append(contentsOf: children(of: n).reversed())
        }
        return out
    }

    static func find(_ root: xmlNodePtr, _ predicate: (xmlNodePtr) -> Bool) -> xmlNodePtr? {
        var stack: [xmlNodePtr] = [root]
        while let n = stack.popLast() {
            if n.pointee.type == XML_ELEMENT_NODE, predicate(n) { return n }
            stack.append(contentsOf: children(of: n).reversed())
        }
        return nil
    }

    static func children(of node: xmlNodePtr) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var child = node.pointee.children
        while let c = child {
            out.append(c)
            child = c.pointee.next
        }
        return out
    }

    static func name(_ node: xmlNodePtr) -> String {
        guard let n = node.pointee.name else { return "" }
        return String(cString: n).lowercased()
    }

    static func attribute(_ node: xmlNodePtr, _ attr: String) -> String? {
        guard let value = xmlGetProp(node, attr) else { return nil }
        defer { hiroba_xml_free(value) }
        return String(cString: value)
    }

    static func isHidden(_ node: xmlNodePtr) -> Bool {
        if xmlHasProp(node, "hidden") != nil { return true }
        if attribute(node, "aria-hidden")?.lowercased() == "true" { return true }
        if let style = attribute(node, "style")?.lowercased().replacingOccurrences(of: " ", with: ""),
            style.contains("display:none") || style.contains("visibility:hidden")
        {
            return true
        }
        return false
    }

    /// Line breaks in HTML source are spaces; only <br> and block ends break lines.
    static func whitespaceFolded(_ s: String) -> String {
        s.contains("\n") || s.contains("\r") ? s.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ") : s
    }

    /// Collapses whitespace, keeps line breaks, and drops the spaces source formatting puts between
    /// Japanese characters.
    static func clean(_ raw: String) -> String {
        var lines: [String] = []
        for line in raw.lineSlices() {
            var out = ""
            var pendingSpace = false
            for c in line {
                if c == " " || c == "\t" || c == "\r" || c == "\u{A0}" {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace, let last = out.last, !(last.isJapanese && c.isJapanese) { out.append(" ") }
                pendingSpace = false
                out.append(c)
            }
            if !out.isEmpty { lines.append(out) }
        }
        return lines.joined(separator: "\n")
    }
}
