import Foundation
import GRDB
import Testing
import TestSupport

/// Runs the real `hiroba` binary, as an operator would.
struct CLI {
    static let binary: String = {
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            argv0.appendingPathComponent("hiroba").path,
            argv0.deletingLastPathComponent().appendingPathComponent("hiroba").path,
            TestEnvironment.repositoryRoot.appendingPathComponent(".build/debug/hiroba").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.currentDirectoryURL = TestEnvironment.repositoryRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let (process, out, err) = try start(arguments, environment: environment)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite("hiroba CLI", .serialized)
struct CLITests {
    #if os(Linux)
    /// The binary allocates with jemalloc, not glibc's malloc (Package.swift links it): asked for its statistics at
    /// exit, jemalloc prints them, which glibc would ignore.
    @Test func theBinaryAllocatesWithJemalloc() throws {
        let help = try CLI.run(["--help"], environment: ["MALLOC_CONF": "stats_print:true"])
        #expect(help.status == 0)
        #expect(help.stderr.contains("Begin jemalloc statistics"), "\(help.stderr.prefix(300))")
    }
    #endif

    @Test func ingestSearchJSONCollectionsAndDelete() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let db = dir.appendingPathComponent("cli.sqlite").path
        let ingest = try CLI.run(["ingest", "demo/規程", "--collection", "例規", "--db", db])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.split(separator: "\n").contains { $0.hasPrefix("  追加 ") && $0.hasSuffix(" 4") }, "\(ingest.stdout)")
        let search = try CLI.run(["search", "資金前渡", "--json", "--k", "3", "--db", db])
        #expect(search.status == 0, "\(search.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
        let hits = try #require(json?["hits"] as? [[String: Any]])
        #expect(hits.count == 3)
        for key in ["chunk_id", "document_id", "title", "locator", "score", "snippet"] {
            #expect(hits[0][key] != nil, "missing \(key)")
        }
        #expect((hits[0]["locator"] as? String)?.hasPrefix("第") == true)
        // The total is flagged when pruning made it a lower bound.
        #expect(json?["total_exact"] is Bool)
        if json?["total_exact"] as? Bool == true { #expect((json?["total"] as? Int ?? 0) >= hits.count) }
        let explain = try CLI.run(["search", "資金前渡", "--explain", "--k", "1", "--db", db])
        #expect(explain.stdout.contains("idf="))
        let collections = try CLI.run(["collections", "--json", "--db", db])
        #expect(collections.stdout.contains("\"name\":\"例規\""))
        let delete = try CLI.run(["delete", "--collection", "例規", "--whole-collection", "--db", db])
        #expect(delete.status == 0)
        let empty = try CLI.run(["search", "資金前渡", "--json", "--db", db])
        #expect(empty.stdout.contains("\"hits\":[]"))
    }

    @Test func errorsSayWhatAndHowToFix() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let db = dir.appendingPathComponent("e.sqlite").path
        let missing = try CLI.run(["ingest", dir.appendingPathComponent("ない.md").path, "--collection", "c", "--db", db])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("error: ファイルが見つかりません"))
        #expect(missing.stderr.contains("fix:"))
        let emptyQuery = try CLI.run(["search", "  ", "--db", db])
        #expect(emptyQuery.status == 1)
        #expect(emptyQuery.stderr.contains("error: 検索語が空です"))
        #expect(!emptyQuery.stderr.contains("Fatal"))
        let engine = try CLI.run(["bench", "search", "--engine", "lucene", "--chunks", "10"])
        #expect(engine.status != 0)
        #expect(engine.stderr.contains("--engine must be segment or fts5"))
        let threads = try CLI.run(["bench", "search", "--threads", "0", "--chunks", "10"])
        #expect(threads.status != 0)
        #expect(threads.stderr.contains("--threads must be 1–64"))
        let params = try CLI.run(["eval", "retrieval", "--corpus", "a", "--queries", "b", "--qrels", "c", "--params", "k1=2"])
        #expect(params.status == 1)
        #expect(params.stderr.contains("error: ランキングのパラメータが不正です: k1=2"))
        // The server refuses an event loop count out of range before opening anything (the database path cannot
        // be opened either, so a missing check fails here rather than starting a server).
        let unopenable = dir.appendingPathComponent("plain-file/under-it.sqlite").path
        try Data("x".utf8).write(to: dir.appendingPathComponent("plain-file"))
        let loops = try CLI.run(["serve", "--event-loops", "0", "--port", "1", "--db", unopenable])
        #expect(loops.status != 0)
        #expect(loops.stderr.contains("--event-loops must be 1–256."), "\(loops.stderr)")
    }

    @Test func corruptDatabaseFileIsReportedNotOverwritten() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let db = dir.appendingPathComponent("broken.sqlite").path
        let garbage = Data(repeating: 0x41, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: db))
        let result = try CLI.run(["search", "予算", "--db", db])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: データベースファイルが壊れているか"))
        #expect(result.stderr.contains("fix: Restore it from a backup"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == garbage)
    }

    @Test func processKilledMidIngestLosesNothingAndLeavesNoHalfDocument() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let db = dir.appendingPathComponent("kill.sqlite").path
        let kept = try TestEnvironment.write("# 既存文書\n出納整理期間は五月三十一日までとする。", to: "kept/k.md", in: dir)
        #expect(try CLI.run(["ingest", kept, "--collection", "既存", "--db", db]).status == 0)
        let paragraph = String(repeating: "補助金の交付申請は所定の様式により市長に提出しなければならない。審査の結果は通知する。\n", count: 150)
        for i in 0..<400 { try TestEnvironment.write("# 申請\(i)\n\(paragraph)", to: "bulk/f\(i).md", in: dir) }
        let (process, _, _) = try CLI.start(["ingest", dir.appendingPathComponent("bulk").path, "--collection", "大量", "--db", db])
        Thread.sleep(forTimeInterval: 1.5)
        #expect(process.isRunning, "ingest finished before it could be killed; make the bulk set larger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let queue = try DatabaseQueue(path: db)
        try queue.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            let orphans = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.document_id = d.id)")
            #expect(orphans == 0, "a document was stored without its chunks")
            // Every stored chunk is a live entry of exactly one segment (chunks and their segment commit together).
            let chunks = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunks") ?? -1
            let indexed = try Int.fetchOne(
                db, sql: "SELECT (SELECT COALESCE(SUM(doc_count), 0) FROM search_segments) - (SELECT COUNT(*) FROM search_deletes)")
            #expect(chunks > 0 && indexed == chunks, "chunks were stored without index entries")
        }
        let search = try CLI.run(["search", "出納整理期間", "--json", "--collection", "既存", "--db", db])
        #expect(search.stdout.contains("既存文書"))
        // Running the ingest again completes the job.
        let again = try CLI.run(["ingest", dir.appendingPathComponent("bulk").path, "--collection", "大量", "--json", "--db", db])
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect((summary?["added"] as? Int ?? 0) + (summary?["unchanged"] as? Int ?? 0) == 400)
    }

    @Test func evalRetrievalPrintsMetricsJSON() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let corpus = try TestEnvironment.write(
            """
            {"id":"d1","title":"梅雨","text":"梅雨は北海道を除く日本で見られる雨季である。"}
            {"id":"d2","title":"台風","text":"台風は北西太平洋で発生する熱帯低気圧である。"}
            {"id":"d3","title":"雪","text":"日本海側では冬に大雪が降る。"}
            """, to: "corpus.jsonl", in: dir)
        let queries = try TestEnvironment.write(
            """
            {"id":"q1","text":"梅雨がないのはどこか"}
            {"id":"q2","text":"台風はどこで発生するか"}
            """, to: "queries.jsonl", in: dir)
        let qrels = try TestEnvironment.write("q1\td1\t1\nq2\td2\t1\n", to: "qrels.tsv", in: dir)
        let result = try CLI.run(["eval", "retrieval", "--corpus", corpus, "--queries", queries, "--qrels", qrels])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["queries"] as? Int == 2)
        #expect(json["ndcg@10"] as? Double == 1)
        #expect(json["recall@1"] as? Double == 1)
        for key in ["recall@10", "recall@100", "mrr@10", "index_seconds", "query_p50_ms", "query_p99_ms", "qps"] {
            #expect(json[key] != nil, "missing \(key)")
        }
    }

    @Test func benchCommandsPrintJSON() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let text = try TestEnvironment.write(String(repeating: "予算の執行状況を毎月確認する。\n", count: 50), to: "t.txt", in: dir)
        let analyze = try CLI.run(["bench", "analyze", text, "--passes", "1"])
        let a = try #require(try JSONSerialization.jsonObject(with: Data(analyze.stdout.utf8)) as? [String: Any])
        #expect((a["chars_per_second"] as? Int ?? 0) > 0)
        #expect(a["tokens"] as? Int ?? 0 > 0)
        let corpus = try TestEnvironment.write(
            (0..<30).map { "{\"id\":\"d\($0)\",\"title\":\"t\",\"text\":\"文書\($0)の本文です。予算を執行した。決算を確認した。市長が承認した。\"}" }
                .joined(separator: "\n"), to: "c.jsonl", in: dir)
        let search = try CLI.run(["bench", "search", "--chunks", "300", "--source", corpus, "--passes", "1"])
        #expect(search.status == 0, "\(search.stderr)")
        let s = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        #expect(s["chunks"] as? Int == 300)
        for key in ["index_seconds", "db_bytes", "rss_bytes", "query_p50_ms", "query_p99_ms", "qps"] {
            #expect(s[key] != nil, "missing \(key)")
        }
        // Several ingest batches leave several segments; the bench merges them unless told not to.
        let merged = try CLI.run(["bench", "search", "--chunks", "300", "--batch", "100", "--source", corpus, "--passes", "1"])
        let m = try #require(try JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any])
        #expect(m["segments"] as? Int == 1)
        #expect(m["optimize_seconds"] != nil)
        let asIngested = try CLI.run(
            ["bench", "search", "--chunks", "300", "--batch", "100", "--source", corpus, "--passes", "1", "--no-optimize"])
        let n = try #require(try JSONSerialization.jsonObject(with: Data(asIngested.stdout.utf8)) as? [String: Any])
        #expect(n["segments"] as? Int == 3)
        #expect(n["optimize_seconds"] == nil)
        // Two threads querying the same index: each makes every pass, so twice the queries are timed.
        let two = try CLI.run(["bench", "search", "--chunks", "300", "--source", corpus, "--passes", "1", "--threads", "2"])
        #expect(two.status == 0, "\(two.stderr)")
        let t = try #require(try JSONSerialization.jsonObject(with: Data(two.stdout.utf8)) as? [String: Any])
        #expect(s["threads"] as? Int == 1 && t["threads"] as? Int == 2)
        let single = try #require(s["queries"] as? Int)
        #expect(single > 0 && t["queries"] as? Int == 2 * single)
        #expect((t["qps"] as? Double ?? 0) > 0)
    }
}
