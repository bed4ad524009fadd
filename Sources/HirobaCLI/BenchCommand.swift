import ArgumentParser
import Foundation
import HirobaCore
import Ingest
import JapaneseText
import Search
import Storage
import Synchronization

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "性能測定 (benchmarks printing JSON).",
        subcommands: [BenchAnalyzeCommand.self, BenchSearchCommand.self, BenchIngestCommand.self, BenchProofreadCommand.self, BenchPIICommand.self, BenchListenCommand.self])
}

/// Peak and current resident memory from /proc (Linux).
enum ProcessMemory {
    static func value(_ key: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            let kb = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return kb * 1024
        }
        return 0
    }
    static var peakBytes: Int { value("VmHWM") }
}

struct BenchAnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Index-analyzer throughput on one thread over a UTF-8 text file.")
    @Argument(help: "UTF-8 text files or folders of .txt/.md (JSONL corpora: the title and text of each line).")
    var files: [String]
    @Option(help: "Passes over the file.") var passes: Int = 3

    func run() throws {
        var paths: [String] = []
        for path in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such file or folder: \(path)")
            }
            paths += isDirectory.boolValue
                ? FileScan(paths: [path]).files.map(\.path).filter {
                    [.text, .markdown].contains(DocumentFormat.of(path: $0))
                } : [path]
        }
        var lines: [String] = []
        for file in paths {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read \(file) as UTF-8 text")
            }
            // JSONL corpora: analyze the title and text fields, not the JSON syntax around them.
            lines += text.split(separator: "\n").map { line in
                guard file.hasSuffix(".jsonl"),
                    let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                else { return String(line) }
                return [object["title"] as? String, object["text"] as? String].compactMap { $0 }.joined(separator: "\n")
            }
        }
        let analyzer = try IndexingAnalyzer(model: try MeCabModel.shared())
        let characters = lines.reduce(0) { $0 + $1.count }
        var tokens = 0
        var best = Double.infinity
        for _ in 0..<max(passes, 1) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            var count = 0
            for line in lines {
                let chunk = analyzer.analyze(line)
                count += chunk.wordLength + chunk.gramLength
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            tokens = count
        }
        // Reference: MeCab alone over the same text (the ceiling for the full analyzer).
        let tagger = try MeCabModel.shared().makeTagger()
        var raw = Double.infinity
        for _ in 0..<max(passes, 1) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            var nodes = 0
            for var line in lines {
                line.withUTF8 { tagger.parse($0) { _ in nodes += 1 } }
            }
            raw = min(raw, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        print(
            jsonString([
                "files": paths.count, "characters": characters, "tokens": tokens, "seconds": best,
                "chars_per_second": Int(Double(characters) / best), "threads": 1,
                "mecab_only_chars_per_second": Int(Double(characters) / raw),
            ]))
    }
}

struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Build an index of N generated Japanese chunks and time a fixed mixed query set (on one thread unless --threads).")

    @Option(help: "Number of chunks.") var chunks: Int = 100_000
    @Option(help: "Sentence source: a BEIR corpus.jsonl (default: ../shared/data/ja_retrieval, else the demo content).")
    var source: String?
    @Option(help: "Database file (default: a temporary file, removed afterwards).") var db: String?
    @Option(help: "Chunks per ingest transaction (one index segment each).") var batch: Int = 100_000
    @Option(help: "Timed passes over the query set.") var passes: Int = 3
    @Option(help: "Threads querying the same index at once, each making every pass (from its own place in the set): how the engine scales across cores, with no HTTP in the way.")
    var threads: Int = 1
    @Flag(inversion: .prefixedNo, help: "After building, merge the index into one segment (what `hiroba optimize` does after a bulk load); reported as optimize_seconds.")
    var optimize = true
    @Option(help: "Engine: segment (the product) or fts5 (the design it was measured against).") var engine = "segment"
    @Option(help: "BM25 parameter overrides, e.g. gramWeight=0.8 (as for `hiroba eval retrieval`).") var params: String?

    func validate() throws {
        guard ["segment", "fts5"].contains(engine) else { throw ValidationError("--engine must be segment or fts5") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1–64") }
        if let params { _ = try Bm25Parameters(overrides: params) }
    }

    /// An index built (or reused) for the benchmark: how to query it and what to report about it.
    struct BuiltIndex {
        var search: @Sendable (String) throws -> Void
        var fileBytes: () -> Int
        var facts: [String: Any]
    }

    func run() throws {
        let (sentences, queries) = try BenchCorpus.load(source: source)
        let path = db ?? NSTemporaryDirectory() + "hiroba-bench-\(UUID().uuidString).sqlite"
        defer {
            if db == nil { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        }
        var generator = BenchCorpus.Generator(sentences: sentences, seed: 42)
        let index = engine == "fts5"
            ? try buildFts5(path: path, generator: &generator) : try buildSegments(path: path, generator: &generator)
        let mixed = BenchCorpus.querySet(queries)
        for q in mixed.prefix(50) { try index.search(q) }
        // Each thread walks the set from its own offset, so the threads do not ask the same query in step.
        let perThread = Mutex<[[Double]]>(Array(repeating: [], count: threads))
        let failure = Mutex<Error?>(nil)
        let passes = max(self.passes, 1), threads = self.threads
        let search = index.search
        let wall = Date()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var latencies: [Double] = []
            latencies.reserveCapacity(passes * mixed.count)
            do {
                for _ in 0..<passes {
                    for i in mixed.indices {
                        let q = mixed[(i + t * mixed.count / threads) % mixed.count]
                        let s = DispatchTime.now().uptimeNanoseconds
                        try search(q)
                        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6)
                    }
                }
            } catch {
                failure.withLock { $0 = error }
            }
            perThread.withLock { $0[t] = latencies }
        }
        let seconds = Date().timeIntervalSince(wall)
        if let error = failure.withLock({ $0 }) { throw error }
        let latencies = perThread.withLock { $0.flatMap { $0 } }
        func r(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
        var report: [String: Any] = [
            "engine": engine, "chunks": chunks, "db_bytes": index.fileBytes(), "rss_bytes": ProcessMemory.peakBytes,
            "queries": latencies.count, "query_p50_ms": r(RetrievalMetrics.percentile(latencies, 0.5)),
            "query_p99_ms": r(RetrievalMetrics.percentile(latencies, 0.99)),
            "qps": r(Double(latencies.count) / seconds), "threads": threads,
        ]
        report.merge(index.facts) { _, new in new }
        print(jsonString(report))
    }

    func buildSegments(path: String, generator: inout BenchCorpus.Generator) throws -> BuiltIndex {
        let database = try AppDatabase(path: path)
        let parameters = try params.map { try Bm25Parameters(overrides: $0) } ?? Bm25Parameters()
        let store = KnowledgeStore(database: database, model: try MeCabModel.shared(), parameters: parameters)
        let progress = Progress("索引", total: chunks, unit: "chunks")
        let t0 = Date()
        // An existing --db that already holds the bench collection is reused (query-only runs).
        var made = try store.collections().first { $0.name == "bench" }?.chunkCount ?? 0
        let reused = made >= chunks
        while made < chunks {
            let n = min(batch, chunks - made)
            var docs: [DocumentInput] = []
            var i = 0
            while i < n {
                let per = min(10, n - i)
                let drafts = (0..<per).map {
                    ChunkDraft(ordinal: $0, text: generator.chunk(), headingPath: [], locator: Locator(page: $0 + 1))
                }
                let id = made + i
                docs.append(
                    DocumentInput(
                        source: "bench/\(id)", title: "文書\(id / 10)", mediaType: "text/plain",
                        contentHash: String(id), byteSize: 0, chunks: drafts))
                i += per
            }
            _ = try store.ingest(docs, collection: "bench")
            made += n
            progress.advance(by: n)
        }
        progress.finish()
        let indexSeconds = (Date().timeIntervalSince(t0) * 1000).rounded() / 1000
        var facts: [String: Any] = ["index_seconds": reused ? ("reused" as Any) : (indexSeconds as Any)]
        if optimize, try store.segmentCount() > 1 {
            let t1 = Date()
            FileHandle.standardError.write(Data("索引を1セグメントに統合しています…\n".utf8))
            try store.optimizeIndex()
            facts["optimize_seconds"] = (Date().timeIntervalSince(t1) * 1000).rounded() / 1000
        }
        facts["segments"] = try store.segmentCount()
        return BuiltIndex(
            search: { query in
                do { _ = try store.search(SearchRequest(query: query, k: 10)) } catch is SearchError {}
            },
            fileBytes: { database.fileBytes }, facts: facts)
    }

    /// The same corpus over the FTS5 design (ARCHITECTURE.md). Query syntax is read as plain words.
    func buildFts5(path: String, generator: inout BenchCorpus.Generator) throws -> BuiltIndex {
        let fts = try Fts5Engine(path: path, model: try MeCabModel.shared())
        let t0 = Date()
        var made = 0
        while made < chunks {
            let n = min(batch, chunks - made)
            try fts.index((0..<n).map { ("bench/\(made + $0)", "文書\((made + $0) / 10)\n" + generator.chunk()) })
            made += n
        }
        let indexSeconds = (Date().timeIntervalSince(t0) * 1000).rounded() / 1000
        return BuiltIndex(
            search: { query in
                let parsed = QueryParser.parse(query)
                _ = try fts.search(([parsed.text] + parsed.phrases).joined(separator: " "), k: 10)
            },
            fileBytes: { fts.fileBytes }, facts: ["index_seconds": indexSeconds])
    }
}
