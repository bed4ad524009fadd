import ArgumentParser
import Foundation
import HirobaCore
import JapaneseText
import Search
import Storage

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "品質評価 (quality evaluations printing JSON).", subcommands: [EvalRetrievalCommand.self, EvalStatutesCommand.self, EvalProofreadCommand.self, EvalKoyobunCommand.self, EvalAnswersCommand.self, EvalPIICommand.self, EvalClusteringCommand.self])
}

/// Reads BEIR-layout files.
enum BEIR {
    static func jsonLines(_ path: String) throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path): check the path (BEIR layout: corpus.jsonl, queries.jsonl, qrels.tsv)")
        }
        var out: [[String: Any]] = []
        for (n, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw ValidationError("\(path):\(n + 1): not a JSON object")
            }
            out.append(object)
        }
        return out
    }

    /// Ingests a BEIR corpus into `store` (collection "eval"), one chunk per passage, with progress.
    static func ingest(_ docs: [[String: Any]], into store: KnowledgeStore) throws {
        let progress = Progress("索引", total: docs.count)
        var batch: [DocumentInput] = []
        func flush() throws {
            _ = try store.ingest(batch, collection: "eval")
            progress.advance(by: batch.count)
            batch.removeAll()
        }
        for doc in docs {
            let text = doc["text"] as? String ?? ""
            batch.append(
                DocumentInput(
                    source: "\(doc["id"] ?? "")", title: doc["title"] as? String ?? "", mediaType: "text/plain",
                    contentHash: DocumentInput.hash(Data(text.utf8)), byteSize: text.utf8.count,
                    chunks: [ChunkDraft(ordinal: 0, text: text, headingPath: [], locator: Locator())]))
            if batch.count == 20_000 { try flush() }
        }
        if !batch.isEmpty { try flush() }
        progress.finish()
    }

    static func qrels(_ path: String) throws -> [String: [String: Int]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
        var out: [String: [String: Int]] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t")
            guard f.count >= 3, let rel = Int(f[2].trimmingCharacters(in: .whitespaces)) else { continue }
            out[String(f[0]), default: [:]][String(f[1])] = rel
        }
        return out
    }
}

struct EvalRetrievalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "Index a BEIR corpus in a temporary database with the production engine and score the queries.")

    @Option(help: "corpus.jsonl ({id,title,text}).") var corpus: String
    @Option(help: "queries.jsonl ({id,text}).") var queries: String
    @Option(help: "qrels.tsv (query<TAB>passage<TAB>relevance).") var qrels: String
    @Flag(help: "JSON only (progress still goes to stderr).") var json = false
    @Option(help: "Engine: segment (the product) or fts5 (the SQLite FTS5 design it was measured against).")
    var engine: String = "segment"
    @Option(help: "BM25 overrides for tuning experiments, e.g. wordK1=1.0,gramWeight=0.4.") var params: String?
    @Option(name: .customLong("run"), help: "Write a TREC run file for error analysis.") var runFile: String?

    func validate() throws {
        guard ["segment", "fts5"].contains(engine) else { throw ValidationError("--engine must be segment or fts5") }
    }

    func run() throws {
        if let params { _ = try Bm25Parameters(overrides: params) }  // report typos before any work
        let docs = try BEIR.jsonLines(corpus)
        let qs = try BEIR.jsonLines(queries)
        let judgements = try BEIR.qrels(qrels)
        let path = NSTemporaryDirectory() + "hiroba-eval-\(UUID().uuidString).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let indexStart = Date()
        let search = engine == "fts5" ? try indexFts5(docs, path: path) : try indexSegments(docs, path: path)
        let indexSeconds = Date().timeIntervalSince(indexStart)

        let judged = qs.filter { judgements["\($0["id"] ?? "")"] != nil }
        for q in judged.prefix(200) { _ = try search(q["text"] as? String ?? "") }  // warm-up, as the peers do
        var ndcg = 0.0, r1 = 0.0, r10 = 0.0, r100 = 0.0, mrr = 0.0
        var latencies: [Double] = []
        var trec = ""
        let qProgress = Progress("検索", total: judged.count)
        let wall = Date()
        for q in judged {
            let id = "\(q["id"] ?? "")"
            let t0 = DispatchTime.now().uptimeNanoseconds
            let ranking = try search(q["text"] as? String ?? "")
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            let rel = judgements[id] ?? [:]
            ndcg += RetrievalMetrics.ndcg(ranking: ranking, relevance: rel, k: 10)
            r1 += RetrievalMetrics.recall(ranking: ranking, relevance: rel, k: 1)
            r10 += RetrievalMetrics.recall(ranking: ranking, relevance: rel, k: 10)
            r100 += RetrievalMetrics.recall(ranking: ranking, relevance: rel, k: 100)
            mrr += RetrievalMetrics.reciprocalRank(ranking: ranking, relevance: rel, k: 10)
            if runFile != nil {
                for (rank, doc) in ranking.enumerated() { trec += "\(id) Q0 \(doc) \(rank + 1) \(100 - rank) hiroba\n" }
            }
            qProgress.advance()
        }
        qProgress.finish()
        let seconds = Date().timeIntervalSince(wall)
        if let runPath = runFile { try trec.write(toFile: runPath, atomically: true, encoding: .utf8) }
        let n = Double(max(judged.count, 1))
        func r(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
        print(
            jsonString([
                "engine": engine, "queries": judged.count, "ndcg@10": r(ndcg / n), "recall@1": r(r1 / n),
                "recall@10": r(r10 / n), "recall@100": r(r100 / n), "mrr@10": r(mrr / n),
                "index_seconds": r(indexSeconds), "query_p50_ms": r(RetrievalMetrics.percentile(latencies, 0.5)),
                "query_p99_ms": r(RetrievalMetrics.percentile(latencies, 0.99)), "qps": r(n / seconds),
                "corpus": docs.count,
            ]))
    }

    /// Indexes the corpus with the production engine; returns its top-100 search (corpus ids).
    func indexSegments(_ docs: [[String: Any]], path: String) throws -> (String) throws -> [String] {
        let parameters = try params.map { try Bm25Parameters(overrides: $0) } ?? Bm25Parameters()
        let store = KnowledgeStore(database: try AppDatabase(path: path), model: try MeCabModel.shared(), parameters: parameters)
        try BEIR.ingest(docs, into: store)
        return { query in
            do {
                return try store.search(SearchRequest(query: query, k: 100, snippets: false)).hits.map(\.source)
            } catch is SearchError {
                return []  // a question with no searchable words retrieves nothing
            }
        }
    }

    /// Indexes the corpus with the FTS5 design it was measured against (ARCHITECTURE.md).
    func indexFts5(_ docs: [[String: Any]], path: String) throws -> (String) throws -> [String] {
        let fts = try Fts5Engine(path: path, model: try MeCabModel.shared())
        try fts.index(docs.map { ("\($0["id"] ?? "")", [$0["title"] as? String ?? "", $0["text"] as? String ?? ""].joined(separator: "\n")) })
        return { try fts.search($0, k: 100) }
    }
}
