import ArgumentParser
import Foundation
import HirobaCore
import Ingest

/// Shows what ingesting a file would store, without storing it: title, warnings, chunks with locators.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract", abstract: "取り込み内容の確認 (show a file's title, warnings and chunks without storing them).")

    @Argument(help: "File to extract.") var path: String
    @OptionGroup var extraction: ExtractionOptions
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() throws {
        let (document, data) = try DocumentExtractor.extract(path: path, limits: try extraction.limits())
        if json {
            print(
                jsonString([
                    "title": document.title, "media_type": document.mediaType, "bytes": data.count,
                    "characters": document.characters, "warnings": document.warnings,
                    "chunks": document.chunks.map {
                        [
                            "ordinal": $0.ordinal, "heading_path": $0.headingPath, "locator": $0.locator.display,
                            "page": $0.locator.page.map { $0 as Any } ?? NSNull(),
                            "article": $0.locator.article.map { $0 as Any } ?? NSNull(), "text": $0.text,
                        ] as [String: Any]
                    },
                ]))
            return
        }
        print("タイトル: \(document.title)  (\(document.mediaType), \(data.count) bytes, \(document.characters) 文字)")
        for warning in document.warnings { print("注意: \(warning)") }
        for chunk in document.chunks {
            let path = chunk.headingPath.isEmpty ? "" : "  [\(chunk.headingPath.joined(separator: " › "))]"
            print("\n#\(chunk.ordinal + 1) \(chunk.locator.display)\(path)")
            print(chunk.text)
        }
    }
}
