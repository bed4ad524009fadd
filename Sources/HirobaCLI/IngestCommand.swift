import ArgumentParser
import Foundation
import HirobaCore
import Ingest
import Storage

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "文書を取り込む (ingest text and Markdown files or folders into a collection).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Files or folders to ingest.") var paths: [String]
    @Option(help: "Collection name (created when new).") var collection: String
    @Option(help: "Refuse files larger than this many bytes.") var maxFileBytes: Int = SourceText.defaultMaxBytes
    @Flag(help: "Print the summary as JSON on stdout.") var json = false

    func run() throws {
        let store = try StoreFactory.open(database)
        var files: [String] = []
        var failures: [(String, HirobaError)] = []
        var skipped: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append((path, IngestError.missingPath(path)))
                continue
            }
            if isDirectory.boolValue {
                let found = Self.walk(path)
                files += found.supported
                skipped += found.unsupported
            } else {
                files.append(path)
            }
        }
        let progress = Progress("取り込み", total: files.count, unit: "files", enabled: !json)
        var added = 0, updated = 0, unchanged = 0, chunks = 0
        var batch: [DocumentInput] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            for outcome in try store.ingest(batch, collection: collection) {
                switch outcome {
                case .added(_, let n): added += 1; chunks += n
                case .updated(_, let n): updated += 1; chunks += n
                case .unchanged: unchanged += 1
                }
            }
            batch.removeAll()
        }
        for file in files {
            do {
                let (text, data) = try SourceText.read(path: file, maxBytes: maxFileBytes)
                let extracted = DocumentExtractor.extract(text: text, fileName: (file as NSString).lastPathComponent)
                if extracted.chunks.isEmpty { throw IngestError.emptyFile(file) }
                batch.append(
                    DocumentInput(
                        source: file, title: extracted.title, mediaType: extracted.mediaType,
                        contentHash: DocumentInput.hash(data), byteSize: data.count, chunks: extracted.chunks))
                if batch.count >= 64 { try flush() }
            } catch let error as HirobaError {
                failures.append((file, error))
            }
            progress.advance()
        }
        try flush()
        progress.finish()
        if json {
            print(
                jsonString([
                    "added": added, "updated": updated, "unchanged": unchanged, "chunks": chunks,
                    "skipped_unsupported": skipped.count,
                    "failed": failures.map { ["path": $0.0, "error": $0.1.message, "fix": $0.1.fix] },
                ]))
        } else {
            print("コレクション「\(collection)」: 追加 \(added) / 更新 \(updated) / 変更なし \(unchanged) / チャンク \(chunks)")
            if !skipped.isEmpty { print("未対応の形式のため対象外: \(skipped.count) 件") }
            for (_, error) in failures {
                printError("error: \(error.message)\nfix: \(error.fix)")
            }
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    /// Supported files under a folder (sorted, hidden files skipped) and the ones left out.
    static func walk(_ root: String) -> (supported: [String], unsupported: [String]) {
        var supported: [String] = [], unsupported: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let full = (root as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if SourceText.supportedExtensions.contains((full as NSString).pathExtension.lowercased()) {
                supported.append(full)
            } else {
                unsupported.append(full)
            }
        }
        return (supported.sorted(), unsupported.sorted())
    }
}
