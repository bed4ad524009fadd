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
        var pdfExtract = 0.0, extract = 0.0
        func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        let start = clock()
        try IngestPipeline.run(files: scan.files, store: store, collection: "bench", limits: limits, known: [:], workers: workers) {
            result in
            guard case .stored(let outcome) = result.outcome, let format = result.format else {
                failed += 1
                return
            }
            if case .added(_, let n) = outcome { chunks += n }
            if format == .pdf { pdfExtract += result.extractSeconds } else { extract += result.extractSeconds }
            fileBytes += result.bytes
            textBytes += result.textBytes
            var f = byFormat[format.rawValue, default: ["files": 0, "bytes": 0, "text_bytes": 0, "extract_seconds": 0]]
            f["files"]! += 1
            f["bytes"]! += Double(result.bytes)
            f["text_bytes"]! += Double(result.textBytes)
            f["extract_seconds"]! += result.extractSeconds
            byFormat[format.rawValue] = f
        }
        let seconds = clock() - start
        // PDF extraction happens in a separate pdftotext process on a worker; its share of the wall time is
        // its summed time divided by the workers that ran in parallel.
        let timed = max(seconds - pdfExtract / Double(max(1, min(workers, scan.files.count))), 1e-9)
        print(
            jsonString([
                "files": scan.files.count - failed, "failed": failed, "bytes": fileBytes, "text_bytes": textBytes,
                "chunks": chunks, "seconds": round3(seconds), "pdf_extract_seconds": round3(pdfExtract),
                "other_extract_seconds": round3(extract), "workers": workers,
                "mb_per_s": round3(Double(textBytes) / 1_048_576 / timed),
                "file_mb_per_s": round3(Double(fileBytes) / 1_048_576 / seconds),
                "peak_rss_mb": ProcessMemory.peakBytes / 1_048_576,
                "by_format": byFormat.mapValues { f in f.mapValues { round3($0) } },
                "note": "mb_per_s = extracted text (UTF-8) / (seconds - pdf_extract_seconds / workers); extract seconds are summed over workers",
            ]))
    }

    func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
