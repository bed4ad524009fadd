import ArgumentParser
import Foundation
import HirobaCore
import Ingest
import JapaneseText
import Storage

/// End-to-end ingest throughput over a folder: read, extract, chunk, analyze, store and index, as
/// `hiroba ingest` does it. The headline figure is MB/s of extracted text (UTF-8) with PDF extraction
/// (an external pdftotext process) excluded and reported on its own.
struct BenchIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Ingest a folder into a fresh database and report throughput as JSON.")

    @Argument(help: "Folder (or files) to ingest; bench/make-ingest-corpus.sh builds a mixed-format one.")
    var paths: [String]
    @Option(help: "Database file (default: a temporary file, removed afterwards).") var db: String?
    @OptionGroup var extraction: ExtractionOptions
    @Option(help: "Parallel workers (default: one per core).") var workers = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let limits = try extraction.limits()
        let scan = FileScan(paths: paths)
        guard !scan.files.isEmpty else { throw ValidationError("no supported files under \(paths.joined(separator: " "))") }
        let path = db ?? NSTemporaryDirectory() + "hiroba-bench-ingest-\(UUID().uuidString).sqlite"
        defer {
            if db == nil { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        }
        let store = KnowledgeStore(database: try AppDatabase(path: path), model: try MeCabModel.shared())
        _ = try store.search(SearchRequest(query: "準備"))  // load the dictionary outside the timing

        var byFormat: [String: [String: Double]] = [:]
        var fileBytes = 0, textBytes = 0, chunks = 0, failed = 0
        var pdfText = 0, extract = 0.0
        func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

        // Phase 1: PDFs are extracted on their own (poppler's time is reported, not counted in mb_per_s).
        let pdfs = scan.files.filter { DocumentFormat.of(path: $0.path) == .pdf }
        let pdfStart = clock()
        let lock = NSLock()
        nonisolated(unsafe) var preextracted: [String: ExtractedDocument] = [:]
        nonisolated(unsafe) var nextPDF = 0
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, pdfs.count))) { _ in
            while true {
                let i: Int? = lock.withLock {
                    defer { nextPDF += 1 }
                    return nextPDF < pdfs.count ? nextPDF : nil
                }
                guard let i else { return }
                guard let (data, format) = try? DocumentExtractor.read(path: pdfs[i].path, limits: limits),
                    let document = try? DocumentExtractor.extract(path: pdfs[i].path, data: data, format: format, limits: limits)
                else { continue }  // the pipeline meets the same error again and reports the file as failed
                lock.withLock { preextracted[pdfs[i].path] = document }
            }
        }
        let pdfSeconds = clock() - pdfStart

        // Phase 2: everything end to end (read, hash, extract, chunk, analyze, index, commit).
        let start = clock()
        try IngestPipeline.run(
            files: scan.files, store: store, collection: "bench", limits: limits, known: [:], workers: workers,
            preextracted: preextracted
        ) { result in
            guard case .stored(let outcome) = result.outcome, let format = result.format else {
                failed += 1
                return
            }
            if case .added(_, let n) = outcome { chunks += n }
            if format == .pdf { pdfText += result.textBytes } else { extract += result.extractSeconds }
            fileBytes += result.bytes
            textBytes += result.textBytes
            var f = byFormat[format.rawValue, default: ["files": 0, "bytes": 0, "text_bytes": 0, "extract_seconds": 0]]
            f["files"]! += 1
            f["bytes"]! += Double(result.bytes)
            f["text_bytes"]! += Double(result.textBytes)
            f["extract_seconds"]! += format == .pdf ? 0 : result.extractSeconds
            byFormat[format.rawValue] = f
        }
        let seconds = clock() - start
        print(
            jsonString([
                "files": scan.files.count - failed, "failed": failed, "bytes": fileBytes, "text_bytes": textBytes,
                "pdf_text_bytes": pdfText, "chunks": chunks, "seconds": round3(seconds),
                "pdf_files": pdfs.count, "pdf_extract_seconds": round3(pdfSeconds),
                "other_extract_seconds": round3(extract), "workers": workers,
                "mb_per_s": round3(Double(textBytes) / 1_048_576 / max(seconds, 1e-9)),
                "total_seconds": round3(seconds + pdfSeconds),
                "total_mb_per_s": round3(Double(textBytes) / 1_048_576 / max(seconds + pdfSeconds, 1e-9)),
                "file_mb_per_s": round3(Double(fileBytes) / 1_048_576 / max(seconds + pdfSeconds, 1e-9)),
                "peak_rss_mb": ProcessMemory.peakBytes / 1_048_576,
                "by_format": byFormat.mapValues { f in f.mapValues { round3($0) } },
                "note":
                    "mb_per_s = extracted text (UTF-8 bytes of chunk text) / seconds of the end-to-end run; PDFs are "
                    + "extracted by poppler beforehand (pdf_extract_seconds, wall clock); total_* include that phase; "
                    + "other_extract_seconds are summed over workers",
            ]))
    }

    func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
