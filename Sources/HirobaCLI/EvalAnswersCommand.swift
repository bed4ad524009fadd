import ArgumentParser
import Foundation
import HirobaCore
import JapaneseText
import LLM
import Storage
import WebApp

/// Grounded-answer quality on a QA set in the BEIR layout plus gold answer strings (JSQuAD): whether the
/// gold answer appears in the answer, and whether the cited chunks are the relevant passage.
struct EvalAnswersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answers",
        abstract: "Index a corpus in a temporary database, answer each question, and score containment and citations.")

    @Option(help: "corpus.jsonl ({id,title,text}).") var corpus: String
    @Option(help: "queries.jsonl ({id,text}).") var queries: String
    @Option(help: "qrels.tsv (query<TAB>passage<TAB>relevance).") var qrels: String
    @Option(help: "answers.jsonl ({query_id, answers:[{text}]}).") var answers: String
    @OptionGroup var models: ModelOptions
    @Option(help: "Chat model name (with --models); without it the extractive mode is measured.") var model: String?
    @Option(help: "Sources per answer.") var k: Int = 5
    @Option(help: "Evaluate only the first N questions (0: all).") var limit: Int = 0
    @Flag(help: "JSON only (progress goes to stderr).") var json = false

    func validate() throws {
        guard (1...20).contains(k) else { throw ValidationError("--k must be 1–20") }
        if model != nil, models.modelsPath == nil { throw ValidationError("--model needs --models FILE (the model configuration)") }
    }

    func run() throws {
        let docs = try BEIR.jsonLines(corpus)
        let qs = try BEIR.jsonLines(queries)
        let judgements = try BEIR.qrels(qrels)
        var gold: [String: [String]] = [:]
        for row in try BEIR.jsonLines(answers) {
            guard let id = row["query_id"] as? String, let list = row["answers"] as? [[String: Any]] else { continue }
            gold[id] = list.compactMap { $0["text"] as? String }.filter { !$0.isEmpty }
        }
        var judged = qs.filter { q in
            let id = "\(q["id"] ?? "")"
            return judgements[id] != nil && !(gold[id] ?? []).isEmpty
        }
        if limit > 0 { judged = Array(judged.prefix(limit)) }
        guard !judged.isEmpty else { throw ValidationError("no question has both a qrels entry and a gold answer") }

        let path = NSTemporaryDirectory() + "hiroba-eval-answers-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try AppDatabase(path: path)
        let store = KnowledgeStore(database: database, model: try MeCabModel.shared())
        try BEIR.ingest(docs, into: store)
        // Corpus id of each chunk, to judge citations.
        var corpusID: [Int64: String] = [:]
        for record in try store.documentRecords(collection: "eval") {
            for chunk in try store.storedChunks(documentID: record.document.id) { corpusID[chunk.id] = record.document.source }
        }

        let cli = try models.configuration().map { try CLIGateway(configuration: $0, database: database) }
        let engine = AnswerEngine(store: store, gateway: model == nil ? nil : cli?.gateway, model: try MeCabModel.shared())
        let mode = model == nil ? "extract" : "model"
        let k = self.k
        let model = self.model
        let questions: [(id: String, text: String)] = judged.map { ("\($0["id"] ?? "")", $0["text"] as? String ?? "") }
        nonisolated(unsafe) let asked = Progress("回答", total: questions.count)
        let started = Date()
        let results = try runBlocking {
            var out: [(id: String, answer: GroundedAnswer, sources: [AnswerSource], notices: [String])] = []
            for q in questions {
                let result = try await engine.answer(
                    AnswerEngine.Request(question: q.text, k: k, model: model, extractOnly: model == nil), caller: CLIGateway.caller)
                out.append((q.id, result.answer, result.sources, result.notices))
                asked.advance()
            }
            if let cli { await cli.registry.shutdown() }
            return out
        }
        asked.finish()
        let seconds = Date().timeIntervalSince(started)

        var contained = 0
        var citedTotal = 0
        var citedRelevant = 0
        var answered = 0
        var retrievedRelevant = 0
        var fellBack = 0
        var promptTokens = 0
        var completionTokens = 0
        for result in results {
            let relevant = Set((judgements[result.id] ?? [:]).filter { $0.value > 0 }.keys)
            let answerText = TextNormalizer.normalize(result.answer.text)
            if (gold[result.id] ?? []).contains(where: { answerText.contains(TextNormalizer.normalize($0)) }) { contained += 1 }
            if result.answer.answered { answered += 1 }
            if result.sources.contains(where: { relevant.contains(corpusID[$0.chunkID] ?? "") }) { retrievedRelevant += 1 }
            if !result.notices.isEmpty { fellBack += 1 }
            for number in result.answer.cited {
                guard let source = result.sources.first(where: { $0.number == number }) else { continue }
                citedTotal += 1
                if relevant.contains(corpusID[source.chunkID] ?? "") { citedRelevant += 1 }
            }
            promptTokens += result.answer.usage?.promptTokens ?? 0
            completionTokens += result.answer.usage?.completionTokens ?? 0
        }
        let n = Double(results.count)
        func r(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
        var out: [String: Any] = [
            "mode": mode, "questions": results.count, "answer_contained": r(Double(contained) / n),
            "citation_precision": r(citedTotal == 0 ? 0 : Double(citedRelevant) / Double(citedTotal)),
            "answered": r(Double(answered) / n), "citations_per_answer": r(Double(citedTotal) / n),
            "relevant_in_sources": r(Double(retrievedRelevant) / n), "k": k, "seconds": r(seconds),
            "seconds_per_question": r(seconds / n), "corpus": docs.count,
        ]
        if let model {
            out["model"] = model
            out["fell_back_to_extract"] = fellBack
            out["prompt_tokens"] = promptTokens
            out["completion_tokens"] = completionTokens
        }
        print(jsonString(out))
    }
}
