import ArgumentParser
import Foundation
import HirobaCore
import JapaneseText
import Search
import Storage

/// `hiroba eval statutes`: renders the e-Gov article set into one text file per law (as e-Gov prints
/// it), ingests them with the production pipeline into a temporary database, checks that every article
/// became its own citable unit, and times 「法令名 第N条」 lookups for every article.
struct EvalStatutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statutes",
        abstract: "法令の条単位の取り込みと「法令名 第N条」検索の評価 (JSON): every article a unit, lookups ranked first.")

    @Option(help: "e-Gov articles.jsonl.") var articles = "../shared/data/ja_legal/egov_laws/articles.jsonl"
    @Option(help: "Keep the rendered law files and the database in this folder (default: a temporary folder, removed).")
    var out: String?

    func run() throws {
        let set = try EgovArticles(path: articles)
        let dir = out ?? NSTemporaryDirectory() + "hiroba-statutes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if out == nil { try? FileManager.default.removeItem(atPath: dir) } }

        let store = KnowledgeStore(database: try AppDatabase(path: dir + "/statutes.sqlite"), model: try MeCabModel.shared())
        let t0 = Date()
        for law in set.laws {
            let path = "\(dir)/\(law).txt"
            try set.render(law: law).write(toFile: path, atomically: true, encoding: .utf8)
            _ = try store.ingestFile(path: path, collection: "法令")
        }
        let ingestSeconds = Date().timeIntervalSince(t0)

        // Units: every (law, article) pair must be addressable by its locator, and nothing else may claim one.
        var units: [String: Int] = [:]
        for document in try store.documents(collection: "法令") {
            for chunk in try store.chunks(documentID: document.id) {
                if let article = chunk.locator.article { units["\(document.title) \(article)", default: 0] += 1 }
            }
        }
        let expected = Set(set.articles.map { "\($0.law) \($0.label)" })
        let missing = expected.subtracting(units.keys).sorted()
        let extra = Set(units.keys).subtracting(expected).sorted()

        // Lookups: 「法令名 第N条」 must rank that article first.
        var ranks: [Int?] = []
        var latencies: [Double] = []
        var misses: [String] = []
        for article in set.articles {
            let query = "\(article.law) \(article.label)"
            let s = DispatchTime.now().uptimeNanoseconds
            let hits = try store.search(SearchRequest(query: query, k: 10, snippets: false)).hits
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6)
            let rank = hits.firstIndex { $0.title == article.law && $0.locator.article == article.label }.map { $0 + 1 }
            ranks.append(rank)
            if rank != 1 && misses.count < 10 {
                misses.append("\(query) → \(hits.first.map { "\($0.title) \($0.locator.article ?? "-")" } ?? "none")")
            }
        }
        func r(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
        let n = Double(max(ranks.count, 1))
        let report: [String: Any] = [
            "laws": set.laws.count, "articles": set.articles.count, "units_found": expected.count - missing.count,
            "units_missing": missing.count, "missing_sample": Array(missing.prefix(10)), "unexpected_units": extra.count,
            "unexpected_sample": Array(extra.prefix(10)),
            "chunks": units.values.reduce(0, +), "ingest_seconds": r(ingestSeconds),
            "lookup_top1": r(Double(ranks.filter { $0 == 1 }.count) / n),
            "lookup_recall@10": r(Double(ranks.filter { $0 != nil }.count) / n),
            "lookup_mrr@10": r(ranks.reduce(0.0) { $0 + ($1.map { 1 / Double($0) } ?? 0) } / n),
            "lookup_misses_sample": misses,
            "query_p50_ms": r(RetrievalMetrics.percentile(latencies, 0.5)),
            "query_p99_ms": r(RetrievalMetrics.percentile(latencies, 0.99)),
        ]
        print(jsonString(report))
    }
}
