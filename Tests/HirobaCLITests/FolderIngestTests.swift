import Foundation
import Testing
import TestSupport

/// `hiroba ingest DIR`: every format, incremental re-runs, --prune, bad files skipped with the run going on.
@Suite("Folder ingest", .serialized)
struct FolderIngestTests {
    static let fixtures = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/IngestTests/Fixtures")

    /// A folder with one file of each format (in sub-folders whose names have Japanese and spaces),
    /// plus bad files that must be reported and skipped.
    func makeFolder() throws -> URL {
        let dir = TestEnvironment.temporaryDirectory().appendingPathComponent("共有 フォルダ")
        let fm = FileManager.default
        let docs = dir.appendingPathComponent("会計課 資料")
        try fm.createDirectory(at: docs, withIntermediateDirectories: true)
        for name in ["manual.docx", "regulation.pdf", "budget.xlsx", "slides.pptx", "faq_sjis.csv", "scanned.pdf"] {
            try fm.copyItem(at: Self.fixtures.appendingPathComponent(name), to: docs.appendingPathComponent(name))
        }
        try "<html><body><main><h1>お知らせ</h1><p>窓口は午前8時30分から開きます。</p></main></body></html>"
            .write(to: dir.appendingPathComponent("お知らせ.html"), atomically: true, encoding: .utf8)
        try "# メモ\n\n予算の流用は財政課に相談する。\n".write(to: dir.appendingPathComponent("メモ.md"), atomically: true, encoding: .utf8)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: dir.appendingPathComponent("写真.png"))
        try Data("~$ lock".utf8).write(to: docs.appendingPathComponent("~$manual.docx"))
        return dir
    }

    func summary(_ output: CLI.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stdout)\n\(output.stderr)")
    }

    @Test func everyFormatIncrementalAndPrune() throws {
        let dir = try makeFolder()
        let db = dir.deletingLastPathComponent().appendingPathComponent("folder.sqlite").path
        let first = try CLI.run(["ingest", dir.path, "--collection", "会計課", "--db", db, "--json"])
        #expect(first.status == 0, "\(first.stdout)")
        let s1 = try summary(first)
        #expect(s1["added"] as? Int == 8)
        #expect(s1["skipped_unsupported"] as? Int == 1)  // the PNG; the Office lock file is not even listed
        let warnings = try #require(s1["warnings"] as? [[String: String]])
        #expect(warnings.count == 2)  // scanned page, CP932 encoding
        #expect(warnings.contains { $0["path"]!.hasSuffix("scanned.pdf") && $0["warning"]!.contains("p.2") })

        // Cited search across formats.
        let search = try CLI.run(["search", "保存期間", "--json", "--k", "3", "--db", db])
        let hits = try #require((try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(hits.first?["citation"] as? String == "みなと市文書管理規程 第3条 p.2")

        // Unchanged: nothing re-extracted or stored.
        let again = try summary(try CLI.run(["ingest", dir.path, "--collection", "会計課", "--db", db, "--json"]))
        #expect(again["unchanged"] as? Int == 8)
        #expect(again["added"] as? Int == 0)

        // A changed file is replaced, a removed one stays until --prune.
        try "# メモ\n\n予算の流用は財政課に事前に相談する。\n".write(to: dir.appendingPathComponent("メモ.md"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("会計課 資料/slides.pptx"))
        let changed = try CLI.run(["ingest", dir.path, "--collection", "会計課", "--db", db])
        #expect(changed.stdout.contains("--prune で削除"), "\(changed.stdout)")
        let listed = try CLI.run(["documents", "--collection", "会計課", "--db", db])
        #expect(listed.stdout.contains("slides.pptx"))
        let pruned = try summary(try CLI.run(["ingest", dir.path, "--collection", "会計課", "--db", db, "--json", "--prune"]))
        #expect(pruned["deleted"] as? Int == 1)
        #expect(pruned["unchanged"] as? Int == 7)
        let after = try CLI.run(["documents", "--collection", "会計課", "--db", db])
        #expect(!after.stdout.contains("slides.pptx"))
    }

    @Test func badFilesAreReportedAndTheRunGoesOn() throws {
        let dir = try makeFolder()
        let db = dir.deletingLastPathComponent().appendingPathComponent("bad.sqlite").path
        #expect(try CLI.run(["ingest", dir.path, "--collection", "会計課", "--db", db]).status == 0)
        func citations() throws -> [String] {
            let out = try CLI.run(["search", "支出命令", "--json", "--db", db]).stdout
            let hits = (try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])?["hits"] as? [[String: Any]]
            return (hits ?? []).map { "\($0["chunk_id"] ?? "") \($0["citation"] ?? "")" }
        }
        let before = try citations()
        #expect(before.count == 5)

        let bad = dir.appendingPathComponent("壊れた 文書")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        for name in ["encrypted.pdf", "truncated.pdf", "mixed_encoding.csv"] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: bad.appendingPathComponent(name))
        }
        try Data("PK but not really a zip".utf8).write(to: bad.appendingPathComponent("報告書.docx"))
        try "<p>新しい通知です。</p>".write(to: bad.appendingPathComponent("通知.html"), atomically: true, encoding: .utf8)

        let run = try CLI.run(["ingest", dir.path, "--collection", "会計課", "--db", db, "--json"])
        #expect(run.status == 1)
        let s = try summary(run)
        let failed = try #require(s["failed"] as? [[String: String]])
        #expect(failed.count == 4)
        #expect(failed.contains { $0["path"]!.hasSuffix("encrypted.pdf") && $0["error"]!.contains("パスワード") })
        #expect(failed.contains { $0["path"]!.hasSuffix("報告書.docx") && $0["error"]!.contains("ZIP") })
        #expect(failed.allSatisfy { !($0["fix"] ?? "").isEmpty })
        // The good new file went in; what was stored before is untouched.
        #expect(s["added"] as? Int == 1)
        #expect(s["unchanged"] as? Int == 8)
        #expect(try citations() == before)
    }

    @Test func limitsAreConfigurableAndValidated() throws {
        let dir = try makeFolder()
        let db = dir.deletingLastPathComponent().appendingPathComponent("limits.sqlite").path
        let small = try CLI.run(["ingest", dir.path, "--collection", "c", "--db", db, "--json", "--max-file-bytes", "20000"])
        let failed = try #require(try summary(small)["failed"] as? [[String: String]])
        #expect(failed.contains { $0["path"]!.hasSuffix("regulation.pdf") && $0["error"]!.contains("大きすぎます") })
        let invalid = try CLI.run(["ingest", dir.path, "--collection", "c", "--db", db, "--max-file-bytes=-5"])
        #expect(invalid.status != 0)
        #expect(invalid.stderr.contains("--max-file-bytes must be a positive number"))
    }

    @Test func extractShowsChunksWithoutStoring() throws {
        let out = try CLI.run(["extract", Self.fixtures.appendingPathComponent("regulation.docx").path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("タイトル: みなと市文書管理規程"))
        #expect(out.stdout.contains("#3 第2条"))
    }
}
