import Foundation
import Testing
import TestSupport

/// `hiroba ask`, `hiroba embed`, `hiroba proofread --rewrite` and `hiroba eval answers` as an operator runs them.
@Suite("hiroba ask / embed / eval answers", .serialized)
struct AskCLITests {
    @Test func askAnswersExtractivelyWithCitationsAsJSONAndAsText() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let db = dir.appendingPathComponent("ask.sqlite").path
        #expect(try CLI.run(["ingest", "demo/規程", "--collection", "例規", "--db", db]).status == 0)
        let json = try CLI.run(["ask", "文書の保存期間は？", "--json", "--db", db])
        #expect(json.status == 0, "\(json.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(answer["mode"] as? String == "extract" && answer["answered"] as? Bool == true)
        let sources = try #require(answer["sources"] as? [[String: Any]])
        let cited = try #require(answer["cited"] as? [Int])
        #expect(!cited.isEmpty && cited.allSatisfy { n in sources.contains { $0["number"] as? Int == n } })
        #expect((answer["answer"] as? String)?.hasPrefix("【抜粋】") == true)
        let text = try CLI.run(["ask", "文書の保存期間は？", "--db", db])
        #expect(text.status == 0 && text.stdout.contains("回答（抜粋）:") && text.stdout.contains("出典:"), "\(text.stdout)")
    }

    @Test func badInputIsAClearError() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let db = dir.appendingPathComponent("bad.sqlite").path
        let empty = try CLI.run(["ask", "  ", "--db", db])
        #expect(empty.status != 0 && empty.stderr.contains("質問が空です"), "\(empty.stderr)")
        let config = dir.appendingPathComponent("models.yaml")
        try "providers:\n  - name: local\n    kind: openai\n    base_url: http://127.0.0.1:9/v1\nmodels:\n  - name: m\n    provider: local\n    location: internal\ndefaults:\n  chat: m\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let noEmbedding = try CLI.run(["embed", "--models", config.path, "--db", db])
        #expect(noEmbedding.status != 0 && noEmbedding.stderr.contains("defaults.embedding"), "\(noEmbedding.stderr)")
        let noModels = try CLI.run(["embed", "--db", db])
        #expect(noModels.status != 0 && noModels.stderr.contains("モデル設定がありません"), "\(noModels.stderr)")
        let broken = dir.appendingPathComponent("broken.yaml")
        try "providers: [\n  - broken".write(to: broken, atomically: true, encoding: .utf8)
        let unreadable = try CLI.run(["ask", "予算", "--models", broken.path, "--db", db])
        #expect(unreadable.status != 0 && unreadable.stderr.contains("YAML"), "\(unreadable.stderr)")
        let rewrite = try CLI.run(["proofread", "demo/規程/みなと市財務規則.txt", "--rewrite", "--db", db])
        #expect(rewrite.status != 0 && rewrite.stderr.contains("--rewrite にはモデル設定が必要です"), "\(rewrite.stderr)")
        let orphanModel = try CLI.run(["eval", "answers", "--corpus", "c", "--queries", "q", "--qrels", "r", "--answers", "a", "--model", "m"])
        #expect(orphanModel.status != 0 && orphanModel.stderr.contains("--models"), "\(orphanModel.stderr)")
    }

    @Test func evalAnswersScoresATinySet() throws {
        let dir = TestEnvironment.temporaryDirectory()
        func write(_ name: String, _ text: String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let corpus = try write(
            "corpus.jsonl",
            #"{"id":"p1","title":"会計","text":"支出命令は支払日の五日前までに入力する。予算の流用は財政課と協議する。"}"# + "\n"
                + #"{"id":"p2","title":"福祉","text":"介護保険の申請は福祉課の窓口で受け付ける。"}"# + "\n")
        let queries = try write("queries.jsonl", #"{"id":"q1","text":"支出命令はいつまでに入力しますか"}"# + "\n")
        let qrels = try write("qrels.tsv", "q1\tp1\t1\n")
        let answers = try write("answers.jsonl", #"{"query_id":"q1","passage_id":"p1","answers":[{"text":"五日前","start":9}]}"# + "\n")
        let run = try CLI.run(["eval", "answers", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--answers", answers, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["questions"] as? Int == 1 && json["answer_contained"] as? Double == 1 && json["citation_precision"] as? Double == 1)
    }
}
