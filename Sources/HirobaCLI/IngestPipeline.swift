import Foundation
import HirobaCore
import Ingest
import Storage

/// Ingests files on all cores: each worker reads, hashes, extracts and chunks its next file and stores
/// batches of documents; analysis runs outside the write transaction, so one worker analyses while the
/// other writes. Unchanged files (same content hash as stored) are skipped before extraction.
enum IngestPipeline {
    enum Outcome {
        case stored(IngestOutcome)
        case unchanged
        case failed(HirobaError)
    }

    struct FileResult {
        var path: String
        var bytes: Int
        var outcome: Outcome
        var format: DocumentFormat?
        var warnings: [String] = []
        var characters = 0
        var textBytes = 0
        var extractSeconds = 0.0
    }

    /// Calls `report` (serialized) once per file; `preextracted` documents (by path) are used as they are
    /// (the ingest benchmark extracts PDFs in a phase of their own); throws the first storage error, after which the
    /// remaining files are left alone.
    static func run(
        files: [FileScan.File], store: KnowledgeStore, collection: String, limits: ExtractionLimits,
        known: [String: String], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        preextracted: [String: ExtractedDocument] = [:],
        report: @escaping (FileResult) -> Void
    ) throws {
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) var storageError: Error? = nil
        nonisolated(unsafe) let deliver: (FileResult) -> Void = { result in lock.withLock { report(result) } }

        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, files.count))) { _ in
            var batch: [(input: DocumentInput, result: FileResult)] = []
            var batchBytes = 0
            func flush() {
                guard !batch.isEmpty else { return }
                defer {
                    batch.removeAll()
                    batchBytes = 0
                }
                do {
                    let outcomes = try store.ingest(batch.map(\.input), collection: collection)
                    for (entry, outcome) in zip(batch, outcomes) {
                        var result = entry.result
                        result.outcome = .stored(outcome)
                        deliver(result)
                    }
                } catch {
                    lock.withLock { if storageError == nil { storageError = error } }
                }
            }
            while true {
                let index: Int? = lock.withLock {
                    guard storageError == nil, next < files.count else { return nil }
                    defer { next += 1 }
                    return next
                }
                guard let index else { break }
                let file = files[index]
                var result = FileResult(path: file.path, bytes: file.bytes, outcome: .unchanged)
                do {
                    let (data, format) = try DocumentExtractor.read(path: file.path, limits: limits)
                    result.format = format
                    result.bytes = data.count
                    let hash = DocumentInput.hash(data)
                    if known[file.path] == hash {
                        deliver(result)
                        continue
                    }
                    let start = DispatchTime.now().uptimeNanoseconds
                    let document = try preextracted[file.path]
                        ?? DocumentExtractor.extract(path: file.path, data: data, format: format, limits: limits)
                    result.extractSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    result.warnings = document.warnings
                    result.characters = document.characters
                    result.textBytes = document.chunks.reduce(0) { $0 + $1.text.utf8.count }
                    batch.append(
                        (DocumentInput(
                            source: file.path, title: document.title, mediaType: document.mediaType, contentHash: hash,
                            byteSize: data.count, chunks: document.chunks), result))
                    batchBytes += result.textBytes
                    if batch.count >= 256 || batchBytes > 8 * 1024 * 1024 { flush() }
                } catch let error as HirobaError {
                    result.outcome = .failed(error)
                    deliver(result)
                } catch {
                    result.outcome = .failed(IngestError.unreadable(file.path, reason: "\(error)"))
                    deliver(result)
                }
            }
            flush()
        }
        if let storageError { throw storageError }
    }
}
