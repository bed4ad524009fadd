import Foundation
import GRDB
import HirobaCore
import LLM
import Search
import Storage
import TestSupport
import Testing

@testable import WebApp

/// An embedding server whose vectors say only "about 支出命令 / 支払いの指示" or not — so that a question
/// worded differently from the documents is found by vectors and not by words.
func topicEmbeddings() -> ReplayServer {
    ReplayServer { request, _ in
        let inputs = (request.json["input"] as? [String]) ?? []
        return .json([
            "object": "list",
            "data": inputs.enumerated().map { i, text in
                let onTopic = text.contains("支出命令") || text.contains("支払いの指示")
                return ["object": "embedding", "index": i, "embedding": onTopic ? [0.9, 0.1, 0.0] : [0.0, 0.2, 0.9]] as [String: Any]
            },
            "usage": ["prompt_tokens": inputs.count * 5, "total_tokens": inputs.count * 5],
        ])
    }
}

func embeddingConfig(_ baseURL: String) -> ModelConfiguration {
    ModelConfiguration(
        providers: [.init(name: "emb", kind: .openai, baseURL: baseURL + "/v1", connectTimeoutSeconds: 1, maxRetries: 0)],
        models: [.init(name: "e5", provider: "emb", id: "multilingual-e5", kind: .embedding, location: .internal)],
        embeddingModel: "e5")
}

@Suite("Hybrid retrieval (BM25 + vectors, reciprocal rank fusion)")
struct HybridRetrievalTests {
    @Test func reciprocalRankFusionRewardsAgreement() {
        let fused = RankFusion.reciprocal([[1, 2, 3], [3, 4, 1]], weights: [1, 1], k: 60)
        #expect(fused.map(\.id) == [1, 3, 2, 4])
        #expect(RankFusion.reciprocal([[1, 2], [2, 1]], weights: [1, 0], k: 60).map(\.id) == [1, 2], "weight 0 ignores a list")
    }

    @Test func vectorsFindWhatWordsMissButNeverOutsideTheCallersAccess() async throws {
        let server = topicEmbeddings()
        try await server.start()
        defer { server.stop() }
        let fixture = try WebAppFixture(models: embeddingConfig(server.baseURL))
        let gateway = try #require(fixture.services.gateway)
        let vectors = fixture.services.answers.vectors
        let operator_ = GatewayCaller(login: "cli:test", app: "cli")
        // `hiroba embed`: every chunk, in batches.
        var pending = try vectors.pending(model: "e5", limit: 100)
        #expect(pending.count == 2)
        let (embedded, _) = try await gateway.embed(pending.map(\.text), caller: operator_)
        try vectors.store(zip(pending, embedded).map { ($0.chunkID, $1) }, model: "e5")
        pending = try vectors.pending(model: "e5", limit: 100)
        let counts = try vectors.counts()
        #expect(pending.isEmpty && counts == ["e5": 2])

        let kaikei = fixture.kaikei
        let scope = try fixture.services.access.readScope(for: kaikei)
        let caller = GatewayCaller(userID: kaikei.id, login: "kaikei", organization: "みなと市", bureau: "会計管理局", app: "ask")
        // No word of the question is in the documents: BM25 alone finds nothing.
        let question = "支払いの指示の締め切りはいつ？"
        let request = AnswerEngine.Request(question: question, scope: scope.collections, hiddenDocuments: scope.hiddenDocuments)
        let (sources, notice) = try await fixture.services.answers.sources(for: request, caller: caller)
        #expect(notice == nil)
        #expect(sources.map(\.collection) == ["会計"], "福祉's section-only chunk matches the vector too, but is not readable")
        #expect(sources.first?.text.contains("五日前") == true)
        // The unrestricted operator sees both.
        let all = try await fixture.services.answers.sources(for: AnswerEngine.Request(question: question), caller: operator_).sources
        #expect(Set(all.map(\.collection)) == ["会計", "福祉"])
        // Vector store follows the chunks: a deleted document's vectors go with it.
        let fukushiDoc = try #require(all.first { $0.collection == "福祉" }).documentID
        try fixture.services.store.deleteDocument(id: DocumentID(fukushiDoc))
        let remaining = try vectors.counts()
        #expect(remaining == ["e5": 1])
        let after = try await fixture.services.answers.sources(for: AnswerEngine.Request(question: question), caller: operator_).sources
        #expect(after.map(\.collection) == ["会計"], "the in-memory copy is rebuilt after the change")
        await fixture.services.shutdown()
    }

    @Test func anEmbeddingOutageFallsBackToKeywordsWithANotice() async throws {
        let server = topicEmbeddings()
        try await server.start()
        let fixture = try WebAppFixture(models: embeddingConfig(server.baseURL))
        let vectors = fixture.services.answers.vectors
        let pending = try vectors.pending(model: "e5", limit: 100)
        let (embedded, _) = try await fixture.services.gateway!.embed(pending.map(\.text), caller: GatewayCaller(login: "cli", app: "cli"))
        try vectors.store(zip(pending, embedded).map { ($0.chunkID, $1) }, model: "e5")
        server.stop()
        try await Task.sleep(for: .milliseconds(200))
        let (sources, notice) = try await fixture.services.answers.sources(
            for: AnswerEngine.Request(question: "支出命令はいつまでに入力しますか"), caller: GatewayCaller(login: "x", app: "ask"))
        await fixture.services.shutdown()
        #expect(!sources.isEmpty, "BM25 still answers")
        #expect(notice?.contains("キーワード検索だけ") == true)
    }

    @Test func quantisedVectorsRankLikeFloats() throws {
        let q = try #require(VectorStore.quantize([3, 4]))
        #expect(q == [76, 102])
        #expect(VectorStore.quantize([0, 0]) == nil)
    }
}
