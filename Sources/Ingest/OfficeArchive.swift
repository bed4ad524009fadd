import Foundation
import HirobaCore
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An Office Open XML package (DOCX, XLSX, PPTX) read through ZIPFoundation with ZIP-bomb guards:
/// an entry may not expand past `maxExpandedBytes` in total, nor by more than `maxCompressionRatio`
/// once it is larger than a few megabytes. Sizes are counted as bytes arrive, not taken from the header.
final class OfficeArchive {
    let archive: Archive
    let path: String
    let format: String
    let limits: ExtractionLimits
    private var expanded = 0

    /// Opens the bytes already read for the content hash (the file is not read a second time).
    init(data: Data, path: String, format: String, limits: ExtractionLimits) throws {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw IngestError.corrupt(path, format: format, reason: "not a ZIP archive")
        }
        self.archive = archive
        self.path = path
        self.format = format
        self.limits = limits
    }

    func contains(_ name: String) -> Bool { archive[name] != nil }

    /// The entry's bytes, or nil when the package has no such part.
    func data(_ name: String) throws -> Data? {
        guard let entry = archive[name] else { return nil }
        var out = Data()
        try read(entry) { out.append($0) }
        return out
    }

    /// Streams the entry into a temporary file (large worksheets); the caller deletes it.
    func temporaryFile(_ name: String) throws -> URL? {
        guard let entry = archive[name] else { return nil }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hiroba-\(UUID().uuidString).xml")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        do {
            try read(entry) { handle.write($0) }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        return url
    }

    private func read(_ entry: Entry, consume: (Data) -> Void) throws {
        let compressed = max(Int(entry.compressedSize), 1)
        let declared = Int(clamping: entry.uncompressedSize)
        try checkBomb(entry: entry.path, expanded: declared, compressed: compressed)
        var seen = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                seen += chunk.count
                try self.checkBomb(entry: entry.path, expanded: seen, compressed: compressed)
                consume(chunk)
            }
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError.corrupt(path, format: format, reason: "damaged ZIP entry \(entry.path)")
        }
        expanded += seen
    }

    private func checkBomb(entry: String, expanded entryBytes: Int, compressed: Int) throws {
        if expanded + entryBytes > limits.maxExpandedBytes {
            throw IngestError.compressionBomb(path, entry: entry, expanded: expanded + entryBytes, limit: limits.maxExpandedBytes)
        }
        if entryBytes > 8 * 1024 * 1024, entryBytes / compressed > limits.maxCompressionRatio {
            throw IngestError.compressionBomb(
                path, entry: entry, expanded: entryBytes, limit: compressed * limits.maxCompressionRatio)
        }
    }

    /// Relationship id → part path for a part's `_rels` file (targets resolved against `base`).
    func relationships(of part: String) throws -> [String: (target: String, type: String)] {
        let dir = (part as NSString).deletingLastPathComponent
        let rels = (dir.isEmpty ? "" : dir + "/") + "_rels/" + (part as NSString).lastPathComponent + ".rels"
        guard let data = try data(rels) else { return [:] }
        var out: [String: (String, String)] = [:]
        try XMLEvents.parse(data, path: path, format: format) { event in
            if case .start("Relationship", let attributes) = event, let id = attributes["Id"], let target = attributes["Target"] {
                out[id] = (Self.resolve(target, against: dir), attributes["Type"] ?? "")
            }
        }
        return out
    }

    static func resolve(_ target: String, against dir: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = dir.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }
}

/// XML as a stream of events through Foundation's XMLParser; element names lose their namespace prefix.
enum XMLEvents {
    enum Event {
        case start(String, [String: String])
        case end(String)
        case text(String)
    }

    static func parse(_ data: Data, path: String, format: String, handler: @escaping (Event) throws -> Void) throws {
        try run(XMLParser(data: data), path: path, format: format, handler: handler)
    }

    /// Parses a file as a stream, so memory stays bounded whatever the file's size.
    static func parse(file: URL, path: String, format: String, handler: @escaping (Event) throws -> Void) throws {
        guard let stream = InputStream(url: file) else {
            throw IngestError.unreadable(path, reason: "temporary file vanished")
        }
        try run(XMLParser(stream: stream), path: path, format: format, handler: handler)
    }

    /// Foundation's XMLParser on Linux is not safe to run on several threads at once (parses lose their
    /// events), and it shares libxml2's global state with the HTML extractor: one parse at a time.
    static let lock = NSLock()

    private static func run(_ parser: XMLParser, path: String, format: String, handler: @escaping (Event) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        let delegate = Delegate(handler: handler)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if let error = delegate.failure { throw error }
        if !ok {
            let reason = parser.parserError.map { "XML error \(($0 as NSError).code) at line \(parser.lineNumber)" } ?? "XML error"
            throw IngestError.corrupt(path, format: format, reason: reason)
        }
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let handler: (Event) throws -> Void
        var failure: Error?
        init(handler: @escaping (Event) throws -> Void) { self.handler = handler }

        static func local(_ name: String) -> String {
            guard let colon = name.lastIndex(of: ":") else { return name }
            return String(name[name.index(after: colon)...])
        }

        func deliver(_ event: Event, _ parser: XMLParser) {
            guard failure == nil else { return }
            do { try handler(event) } catch {
                failure = error
                parser.abortParsing()
            }
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            // Local names; where a prefixed and a plain attribute share one (<p:sldId id="256" r:id="rId2">),
            // the prefixed one wins, whatever order the dictionary yields them in.
            var attributes: [String: String] = [:]
            for (k, v) in attributeDict where !k.contains(":") { attributes[k] = v }
            for (k, v) in attributeDict where k.contains(":") { attributes[Self.local(k)] = v }
            deliver(.start(Self.local(elementName), attributes), parser)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            deliver(.end(Self.local(elementName)), parser)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            deliver(.text(string), parser)
        }
    }
}
