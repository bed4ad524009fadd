import Foundation
import Testing
import TestSupport

@Suite("hiroba listen and eval clustering", .serialized)
struct ListenCLITests {
    static let comments = """
        番号,年代,意見
        1,30代,保育園の定員を増やしてください。
        2,40代,保育園の保育料を下げてほしい。
        3,70代,バスの本数を増やしてほしい。
        4,70代,バスの最終便を遅くしてほしい。
        5,30代,公園の遊具を新しくしてほしい。
        6,40代,公園のトイレをきれいにしてほしい。

        """

    @Test func writesTheOutputsAndASummary() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = try TestEnvironment.write(Self.comments, to: "意見.csv", in: dir)
        let out = dir.appendingPathComponent("結果").path
        let run = try CLI.run(["listen", path, "--out", out, "--clusters", "2,3", "--json", "--db", dir.appendingPathComponent("h.sqlite").path])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(summary["comments"] as? Int == 6)
        #expect(summary["clusters"] as? [Int] == [2, 3])
        for file in ["report.html", "result.json", "opinions.csv", "opinions.xlsx"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) missing")
        }
        // The workbook is a ZIP package.
        let xlsx = try Data(contentsOf: URL(fileURLWithPath: "\(out)/opinions.xlsx"))
        #expect(xlsx.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
    }

    @Test func badInputIsAClearErrorAndWritesNothing() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = try TestEnvironment.write(Self.comments, to: "意見.csv", in: dir)
        let out = dir.appendingPathComponent("out").path
        let badClusters = try CLI.run(["listen", path, "--out", out, "--clusters", "5,3"])
        #expect(badClusters.status != 0)
        #expect(badClusters.stderr.contains("クラスター数の指定が正しくありません") && badClusters.stderr.contains("fix:"))
        let badColumn = try CLI.run(["listen", path, "--out", out, "--column", "本文"])
        #expect(badColumn.status != 0)
        #expect(badColumn.stderr.contains("列「本文」がありません"))
        #expect(!FileManager.default.fileExists(atPath: "\(out)/result.json"))

        let eval = try TestEnvironment.write("{\"text\":\"梅雨とは\",\"label\":\"a1\"}\nnot json\n", to: "e.jsonl", in: dir)
        let badEval = try CLI.run(["eval", "clustering", "--input", eval])
        #expect(badEval.status != 0)
        #expect(badEval.stderr.contains("2 行目"), "\(badEval.stderr)")
    }

    @Test func evalClusteringScoresALabelledSet() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let lines = Self.comments.split(separator: "\n").dropFirst().map { line -> String in
            let text = line.split(separator: ",")[2]
            let label = text.hasPrefix("保育") ? "保育" : text.hasPrefix("バス") ? "バス" : "公園"
            return "{\"text\":\"\(text)\",\"label\":\"\(label)\"}"
        }
        let path = try TestEnvironment.write(lines.joined(separator: "\n") + "\n", to: "e.jsonl", in: dir)
        let run = try CLI.run(["eval", "clustering", "--input", path, "--clusters", "2,3", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(result["items"] as? Int == 6 && result["labels"] as? Int == 3 && result["clusters"] as? Int == 3)
        #expect((result["nmi"] as? Double ?? 0) > 0.9, "\(run.stdout)")
    }
}
