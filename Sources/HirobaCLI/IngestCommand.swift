import ArgumentParser
import Foundation
import HirobaCore
import Ingest
import Storage

/// Limits shared by `ingest` and `bench ingest`.
struct ExtractionOptions: ParsableArguments {
    @Option(help: "Refuse files larger than this many bytes.")
    var maxFileBytes: Int = ExtractionLimits.defaultMaxFileBytes
    @Option(help: "Refuse Office files that expand past this many bytes (ZIP bomb guard).")
    var maxExpandedBytes: Int = ExtractionLimits().maxExpandedBytes
    @Option(help: "Refuse files whose extracted text is longer than this many characters.")
    var maxExtractedChars: Int = ExtractionLimits().maxExtractedCharacters
    @Option(help: "Seconds pdftotext may spend on one PDF.")
    var pdfTimeout: Double = ExtractionLimits().pdfTimeoutSeconds

    func limits() throws -> ExtractionLimits {
        for (name, value) in [("--max-file-bytes", maxFileBytes), ("--max-expanded-bytes", maxExpandedBytes), ("--max-extracted-chars", maxExtractedChars)]
        where value <= 0 {
            throw ValidationError("\(name) must be a positive number (got \(value)).")
        }
        if pdfTimeout <= 0 { throw ValidationError("--pdf-timeout must be a positive number of seconds (got \(pdfTimeout)).") }
        return ExtractionLimits(
            maxFileBytes: maxFileBytes, maxExpandedBytes: maxExpandedBytes, maxExtractedCharacters: maxExtractedChars,
            pdfTimeoutSeconds: pdfTimeout)
    }
}

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "文書を取り込む (ingest PDF, Word, Excel, PowerPoint, HTML, CSV, text and Markdown files or folders).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Files or folders to ingest.") var paths: [String]
    @Option(help: "Collection name (created when new).") var collection: String
    @OptionGroup var extraction: ExtractionOptions
    @Flag(help: "Delete documents whose files are no longer in the given folders.") var prune = false
    @Flag(help: "Print the summary as JSON on stdout.") var json = false

    func run() throws {
        let limits = try extraction.limits()
        let store = try StoreFactory.open(database)
        try KnowledgeStore.validate(collectionName: collection)
        let scan = FileScan(paths: paths)
        let known = try store.contentHashes(collection: collection)
        let totalBytes = scan.files.reduce(0) { $0 + $1.bytes }
        let progress = Progress("取り込み", total: scan.files.count, unit: "files", enabled: !json, totalBytes: totalBytes)
        var summary = IngestSummary()
        summary.failures = scan.missing.map { ($0, IngestError.missingPath($0)) }
        summary.skipped = scan.unsupported
        try IngestPipeline.run(files: scan.files, store: store, collection: collection, limits: limits, known: known) { result in
            switch result.outcome {
            case .stored(let outcome): summary.record(outcome)
            case .unchanged: summary.unchanged += 1
            case .failed(let error): summary.failures.append((result.path, error))
            }
            summary.characters += result.characters
            for warning in result.warnings { summary.warnings.append((result.path, warning)) }
            progress.advance(bytes: result.bytes)
        }
        progress.finish()
        // Workers finish in any order; the report lists files in path order.
        summary.failures.sort { $0.0 < $1.0 }
        summary.warnings.sort { $0.0 < $1.0 }
        if prune {
            let present = Set(scan.files.map(\.path))
            for (source, _) in known where scan.covers(source) && !present.contains(source) {
                try store.deleteDocument(collection: collection, source: source)
                summary.deleted.append(source)
            }
        }
        summary.print(collection: collection, json: json, pruneHint: !prune && scan.hasFolders ? scan.vanished(known: known) : 0)
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }
}

/// The files named on the command line, folders walked (sorted; hidden files and Office lock files
/// such as 「~$報告.docx」 left out).
struct FileScan {
    struct File {
        var path: String
        var bytes: Int
    }

    var files: [File] = []
    var unsupported: [String] = []
    var missing: [String] = []
    var folders: [String] = []

    init(paths: [String]) {
        let fm = FileManager.default
        for raw in paths {
            let path = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(raw)
                continue
            }
            if isDirectory.boolValue {
                folders.append(path)
                walk(path)
            } else {
                files.append(File(path: path, bytes: Self.size(path)))
            }
        }
    }

    var hasFolders: Bool { !folders.isEmpty }

    /// True when `source` lies under one of the walked folders.
    func covers(_ source: String) -> Bool {
        folders.contains { source.hasPrefix($0 == "/" ? "/" : $0 + "/") }
    }

    /// Stored documents under the walked folders whose files are gone.
    func vanished(known: [String: String]) -> Int {
        let present = Set(files.map(\.path))
        return known.keys.filter { covers($0) && !present.contains($0) }.count
    }

    static func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    private mutating func walk(_ root: String) {
        var found: [File] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let full = (root as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let components = relative.split(separator: "/")
            if components.contains(where: { $0.hasPrefix(".") }) || components.last?.hasPrefix("~$") == true { continue }
            if DocumentFormat.of(path: full) != nil {
                found.append(File(path: full, bytes: Self.size(full)))
            } else {
                unsupported.append(full)
            }
        }
        files += found.sorted { $0.path < $1.path }
        unsupported.sort()
    }
}

/// Counts of one ingest run and how they are shown.
struct IngestSummary {
    var added = 0, updated = 0, unchanged = 0, chunks = 0, characters = 0
    var deleted: [String] = []
    var skipped: [String] = []
    var failures: [(String, HirobaError)] = []
    var warnings: [(String, String)] = []

    mutating func record(_ outcome: IngestOutcome) {
        switch outcome {
        case .added(_, let n):
            added += 1
            chunks += n
        case .updated(_, let n):
            updated += 1
            chunks += n
        case .unchanged: unchanged += 1
        }
    }

    func print(collection: String, json: Bool, pruneHint: Int) {
        if json {
            Swift.print(
                jsonString([
                    "collection": collection, "added": added, "updated": updated, "unchanged": unchanged, "deleted": deleted.count,
                    "chunks": chunks, "characters": characters, "skipped_unsupported": skipped.count,
                    "skipped_files": skipped,
                    "warnings": warnings.map { ["path": $0.0, "warning": $0.1] },
                    "failed": failures.map { ["path": $0.0, "error": $0.1.message, "fix": $0.1.fix] },
                ]))
            return
        }
        let rows: [(String, Int)] = [
            ("追加", added), ("更新", updated), ("変更なし", unchanged), ("削除", deleted.count),
            ("未対応の形式（対象外）", skipped.count), ("失敗", failures.count), ("チャンク", chunks),
        ]
        Swift.print("コレクション「\(collection)」の取り込み結果")
        for (label, n) in rows {
            let pad = String(repeating: " ", count: max(0, 24 - label.unicodeScalars.reduce(0) { $0 + ($1.value > 0xFF ? 2 : 1) }))
            Swift.print("  \(label)\(pad)\(String(n).leftPadded(8))")
        }
        for path in skipped.prefix(20) { Swift.print("  対象外: \(path)") }
        if skipped.count > 20 { Swift.print("  対象外: … ほか \(skipped.count - 20) 件") }
        for (path, warning) in warnings { Swift.print("  注意: \(path): \(warning)") }
        if pruneHint > 0 {
            Swift.print("  フォルダから消えたファイルの文書が \(pruneHint) 件残っています（--prune で削除）")
        }
        for (_, error) in failures {
            printError("error: \(error.message)\nfix: \(error.fix)")
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
