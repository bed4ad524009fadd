import Foundation
import TestSupport
import Testing

@testable import LLM

/// The real local model (llama.cpp's OpenAI-compatible server with Gemma 3 270M), started by
/// `e2e/llm/with_model.py` around the test run (`make test`). Its text is poor: these tests assert the
/// protocol and the flow, not eloquence.
enum LocalModel {
    static let baseURL = ProcessInfo.processInfo.environment["HIROBA_TEST_LLAMA_URL"]
    static let model = ProcessInfo.processInfo.environment["HIROBA_TEST_LLAMA_MODEL"] ?? "gemma-3-270m-q4_k_m"
    static var available: Bool { baseURL != nil }

    static func provider() -> (OpenAICompatibleProvider, ProviderTransport) {
        let t = ProviderTransport(
            provider: "llamacpp", timeout: 120, maxConcurrency: 1, retry: RetryPolicy(maxRetries: 1),
            describeError: OpenAICompatibleProvider.describeError)
        return (OpenAICompatibleProvider(name: "llamacpp", baseURL: baseURL ?? "", apiKey: nil, flavor: .openAI, transport: t), t)
    }
}

@Suite("Local llama.cpp model", .enabled(if: LocalModel.available, "set by e2e/llm/with_model.py (make test)"), .serialized)
struct LocalModelTests {
    @Test func chatCompletionFollowsTheProtocol() async throws {
        let (provider, t) = LocalModel.provider()
        let result = try await provider.chat(
            ChatRequest(model: LocalModel.model, messages: [ChatMessage(.user, "日本の首都はどこですか。")], maxTokens: 16, temperature: 0))
        await t.shutdown()
        #expect(["stop", "length"].contains(result.finishReason ?? ""))
        let usage = try #require(result.usage)
        #expect(usage.promptTokens > 0 && usage.completionTokens > 0 && usage.completionTokens <= 16)
    }

    @Test func streamingDeliversDeltasAndOneFinish() async throws {
        let (provider, t) = LocalModel.provider()
        var deltas = 0
        var finishes: [ChatEvent] = []
        var order: [String] = []
        for try await event in provider.streamChat(
            ChatRequest(model: LocalModel.model, messages: [ChatMessage(.user, "予算とは何ですか。")], maxTokens: 24, temperature: 0))
        {
            switch event {
            case .delta(let text):
                #expect(!text.isEmpty)
                deltas += 1
                order.append("delta")
            case .finished:
                finishes.append(event)
                order.append("finish")
            }
        }
        await t.shutdown()
        #expect(deltas >= 1 && finishes.count == 1 && order.last == "finish")
    }

    @Test func completionsAndEmbeddings() async throws {
        let (provider, t) = LocalModel.provider()
        let completion = try await provider.complete(CompletionRequest(model: LocalModel.model, prompt: "支出命令とは", maxTokens: 12, temperature: 0))
        #expect(completion.usage?.completionTokens ?? 0 > 0)
        let embedded = try await provider.embed(["支出命令の入力", "予算の流用", "支出命令の入力"], model: LocalModel.model)
        await t.shutdown()
        #expect(embedded.vectors.count == 3)
        let dims = Set(embedded.vectors.map(\.count))
        #expect(dims.count == 1 && (dims.first ?? 0) >= 64)
        func cosine(_ a: [Float], _ b: [Float]) -> Float {
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            return dot / ((a.reduce(0) { $0 + $1 * $1 }).squareRoot() * (b.reduce(0) { $0 + $1 * $1 }).squareRoot())
        }
        // Batched inference is not bit-exact, but the same text lands on (nearly) the same vector.
        let same = cosine(embedded.vectors[0], embedded.vectors[2])
        let other = cosine(embedded.vectors[0], embedded.vectors[1])
        #expect(same > 0.99 && same > other, "same text \(same), different text \(other)")
    }

    @Test func theGatewayMergesSystemInstructionsForAModelWithoutASystemRole() async throws {
        let config = ModelConfiguration(
            providers: [.init(name: "llamacpp", kind: .openai, baseURL: LocalModel.baseURL ?? "", timeoutSeconds: 120, maxConcurrency: 1)],
            models: [.init(name: "gemma", provider: "llamacpp", id: LocalModel.model, location: .internal, maxOutputTokens: 32, mergeSystem: true)],
            defaultChatModel: "gemma")
        let registry = try ModelRegistry(configuration: config)
        let recorder = MemoryRecorder()
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: nil)
        let result = try await gateway.chat(
            [ChatMessage(.system, "日本語で答える。"), ChatMessage(.user, "会計年度はいつ始まりますか。")],
            caller: GatewayCaller(login: "e2e", organization: "みなと市", bureau: "会計管理局", app: "test"))
        await registry.shutdown()
        #expect(result.model == "gemma")
        #expect(recorder.records.count == 1 && recorder.records[0].status == "ok")
        // llama.cpp sends no usage in streams: the gateway estimates and says so.
        #expect(recorder.records[0].usageReported == false && recorder.records[0].promptTokens > 0)
    }
}
