import Foundation
import HirobaCore
import LLM
import Storage
import TestSupport
import Testing

@testable import WebApp

/// A grounded answer from the real local model (llama.cpp + Gemma 3 270M, started by
/// e2e/llm/with_model.py) over the demo city's content. Asserts the flow and the citations, not the prose.
@Suite(
    "Grounded answer with the local model over the demo content",
    .enabled(if: ProcessInfo.processInfo.environment["HIROBA_TEST_LLAMA_URL"] != nil, "set by e2e/llm/with_model.py (make test)"))
struct LocalModelAnswerTests {
    @Test func answersFromRealChunksAndRecordsTheCall() async throws {
        let env = ProcessInfo.processInfo.environment
        let config = ModelConfiguration(
            providers: [.init(name: "llamacpp", kind: .openai, baseURL: env["HIROBA_TEST_LLAMA_URL"] ?? "", timeoutSeconds: 180, maxConcurrency: 1)],
            models: [
                .init(
                    name: "gemma", provider: "llamacpp", id: env["HIROBA_TEST_LLAMA_MODEL"] ?? "gemma", location: .internal, contextTokens: 2048,
                    maxOutputTokens: 96, mergeSystem: true)
            ],
            defaultChatModel: "gemma")
        let fixture = try WebAppFixture(models: config)
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("demo/規程")
        for file in try FileManager.default.contentsOfDirectory(atPath: demo.path).sorted() where file.hasSuffix(".md") || file.hasSuffix(".txt") {
            _ = try fixture.services.store.ingestFile(path: demo.appendingPathComponent(file).path, collection: "例規")
        }
        let request = AnswerEngine.Request(question: "文書の保存期間は何年ですか", k: 3)
        let caller = GatewayCaller(userID: fixture.kaikei.id, login: "kaikei", organization: "みなと市", bureau: "会計管理局", app: "ask")
        var order: [String] = []
        var sources: [AnswerSource] = []
        var answer: GroundedAnswer?
        for try await event in fixture.services.answers.ask(request, caller: caller) {
            switch event {
            case .sources(let s):
                sources = s
                order.append("sources")
            case .started(let mode, let model):
                #expect(mode == .model && model == "gemma")
                order.append("started")
            case .delta: if order.last != "delta" { order.append("delta") }
            case .notice(let text): Issue.record("unexpected notice: \(text)")
            case .done(let a):
                answer = a
                order.append("done")
            }
        }
        await fixture.services.shutdown()
        #expect(order.first == "sources" && order.dropFirst().first == "started" && order.last == "done")
        let final = try #require(answer)
        #expect(final.mode == .model && final.model == "gemma")
        #expect(!sources.isEmpty && sources.count <= 3)
        // Every source is a real stored chunk, quoted verbatim, and every citation names one of them.
        for source in sources {
            let chunks = try fixture.services.store.storedChunks(documentID: DocumentID(source.documentID))
            #expect(chunks.contains { $0.id == source.chunkID && $0.chunk.text == source.text })
        }
        #expect(Set(final.cited).isSubset(of: Set(sources.map(\.number))))
        let calls = try fixture.services.usage.calls()
        #expect(calls.count == 1 && calls[0].status == "ok" && calls[0].model == "gemma")
        #expect(calls[0].sources == sources.map { String($0.chunkID) }.joined(separator: ","))
    }
}
