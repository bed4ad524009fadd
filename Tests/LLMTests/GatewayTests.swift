import Foundation
import TestSupport
import Testing

@testable import LLM

/// Usage kept in memory, summed like the database does.
final class MemoryRecorder: UsageRecorder, @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [UsageRecord] = []
    var records: [UsageRecord] { lock.withLock { rows } }

    func totals(for caller: GatewayCaller, at date: Date) async throws -> UsageTotals {
        lock.withLock {
            let bureau = rows.filter { $0.caller.organization == caller.organization && $0.caller.bureau == caller.bureau }
            let user = rows.filter { $0.caller.login == caller.login }
            let b = bureau.reduce(0) { $0 + $1.promptTokens + $1.completionTokens }
            let u = user.reduce(0) { $0 + $1.promptTokens + $1.completionTokens }
            return UsageTotals(bureauDay: b, bureauMonth: b, userDay: u, userMonth: u)
        }
    }

    func record(_ record: UsageRecord, at date: Date) async throws { lock.withLock { rows.append(record) } }
}

/// Masks 「山田太郎」 and 090-1234-5678 only: enough to test what the gateway does with a filter.
final class TestPrivacy: PersonalDataFilter {
    func makeSession() -> any PersonalDataSession { Session() }
    final class Session: PersonalDataSession, @unchecked Sendable {
        let values = [("山田太郎", "[氏名1]", "氏名"), ("090-1234-5678", "[電話番号1]", "電話番号")]
        var pending = ""
        func detect(_ text: String) -> [String: Int] {
            var found: [String: Int] = [:]
            for (value, _, kind) in values where text.contains(value) { found[kind, default: 0] += 1 }
            return found
        }
        func mask(_ text: String) -> String {
            values.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }
        func restore(streamed piece: String, final: Bool) -> String {
            var text = pending + piece
            pending = ""
            if !final, let open = text.lastIndex(of: "["), !text[open...].contains("]") {
                pending = String(text[open...])
                text = String(text[..<open])
            }
            return values.reduce(text) { $0.replacingOccurrences(of: $1.1, with: $1.0) }
        }
    }
}

func streamed(_ pieces: [String], prompt: Int = 40, completion: Int = 10) -> Scripted {
    var text = ""
    for piece in pieces {
        let data = try! JSONSerialization.data(withJSONObject: ["choices": [["index": 0, "delta": ["content": piece]]]])
        text += "data: \(String(decoding: data, as: UTF8.self))\n\n"
    }
    text += "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    text += "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":\(prompt),\"completion_tokens\":\(completion)}}\n\ndata: [DONE]\n\n"
    return .sse(text, pieceSize: 3)
}

func configuration(primary: String, fallback: String? = nil, externalPrimary: Bool = false, policy: ModelConfiguration.Policy = .init())
    -> ModelConfiguration
{
    var providers = [ModelConfiguration.Provider(name: "main", kind: .openai, baseURL: primary, connectTimeoutSeconds: 1, maxRetries: 1)]
    var models = [
        ModelConfiguration.Model(
            name: "primary", provider: "main", id: "m1", location: externalPrimary ? .external : .internal,
            fallback: fallback == nil ? nil : "backup", price: .init(prompt: 300, completion: 1200))
    ]
    if let fallback {
        providers.append(ModelConfiguration.Provider(name: "backup", kind: .openai, baseURL: fallback, connectTimeoutSeconds: 1, maxRetries: 0))
        models.append(ModelConfiguration.Model(name: "backup", provider: "backup", id: "m2", location: .internal))
    }
    return ModelConfiguration(providers: providers, models: models, defaultChatModel: "primary", defaultPolicy: policy)
}

let staff = GatewayCaller(userID: 7, login: "sato", organization: "みなと市", bureau: "財務局", app: "ask")

@Suite("Model gateway: policy, quotas, privacy, failover, usage")
struct GatewayTests {
    @Test func usageIsRecordedOncePerCallWithCostAndTotalsMatch() async throws {
        let server = ReplayServer { _, i in streamed(["回答", "です [1]"], prompt: 100 + i, completion: 20) }
        try await server.start()
        defer { server.stop() }
        let recorder = MemoryRecorder()
        let registry = try ModelRegistry(configuration: configuration(primary: server.baseURL), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: TestPrivacy())
        var sum = 0
        for _ in 0..<3 {
            let result = try await gateway.chat([ChatMessage(.user, "支出命令の承認者は？")], caller: staff, sources: [11, 12])
            #expect(result.text == "回答です [1]" && result.model == "primary")
            sum += result.usage.total
        }
        await registry.shutdown()
        #expect(recorder.records.count == 3 && server.requests.count == 3)
        #expect(recorder.records.map(\.promptTokens) == [100, 101, 102])
        #expect(recorder.records.allSatisfy { $0.status == "ok" && $0.sources == [11, 12] && $0.prompt == nil && $0.output == nil })
        #expect(abs(recorder.records[0].cost - (100 * 300 + 20 * 1200) / 1_000_000) < 1e-9)
        let totals = try await recorder.totals(for: staff, at: Date())
        #expect(totals.bureauDay == sum, "usage totals are the sum of the recorded calls")
    }

    @Test func aBureauOverItsQuotaIsRefusedBeforeAnyProviderCall() async throws {
        let server = ReplayServer { _, _ in streamed(["ok"]) }
        try await server.start()
        defer { server.stop() }
        let recorder = MemoryRecorder()
        let policy = ModelConfiguration.Policy(quotas: .init(bureauDailyTokens: 200))
        let registry = try ModelRegistry(configuration: configuration(primary: server.baseURL, policy: policy), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: TestPrivacy())
        _ = try await gateway.chat([ChatMessage(.user, "最初の質問")], caller: staff)  // 40 + 10 tokens
        #expect(server.requests.count == 1)
        let long = String(repeating: "予算", count: 100)  // ~200 tokens: over what is left
        await #expect(throws: GatewayError.quotaExceeded(scope: "局の本日分", used: 50, limit: 200)) {
            _ = try await gateway.chat([ChatMessage(.user, long)], caller: staff)
        }
        await registry.shutdown()
        #expect(server.requests.count == 1, "no provider call for a refused request")
        #expect(recorder.records.count == 1, "a refusal is not a call")
        let other = GatewayCaller(login: "tanaka", organization: "みなと市", bureau: "福祉局", app: "ask")
        #expect(try await recorder.totals(for: other, at: Date()).bureauDay == 0)
    }

    @Test func aUserQuotaAppliesToThatUserOnly() async throws {
        let server = ReplayServer { _, _ in streamed(["ok"], prompt: 30, completion: 30) }
        try await server.start()
        defer { server.stop() }
        let recorder = MemoryRecorder()
        let policy = ModelConfiguration.Policy(quotas: .init(userMonthlyTokens: 60))
        let registry = try ModelRegistry(configuration: configuration(primary: server.baseURL, policy: policy), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: TestPrivacy())
        _ = try await gateway.chat([ChatMessage(.user, "質問")], caller: staff)
        await #expect(throws: GatewayError.quotaExceeded(scope: "あなたの今月分", used: 60, limit: 60)) {
            _ = try await gateway.chat([ChatMessage(.user, "質問")], caller: staff)
        }
        let colleague = GatewayCaller(userID: 8, login: "suzuki", organization: "みなと市", bureau: "財務局", app: "ask")
        _ = try await gateway.chat([ChatMessage(.user, "質問")], caller: colleague)
        await registry.shutdown()
        #expect(server.requests.count == 2)
    }

    @Test func aDownPrimaryFailsOverToTheFallbackAndBothCallsAreRecorded() async throws {
        let backup = ReplayServer { _, _ in streamed(["予備モデルの回答"]) }
        try await backup.start()
        defer { backup.stop() }
        let recorder = MemoryRecorder()
        let registry = try ModelRegistry(
            configuration: configuration(primary: "http://127.0.0.1:\(closedPort())/v1", fallback: backup.baseURL), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: TestPrivacy())
        var events: [GatewayEvent] = []
        for try await event in gateway.streamChat([ChatMessage(.user, "質問")], caller: staff) { events.append(event) }
        await registry.shutdown()
        #expect(events.first == .model(name: "backup", location: .internal, masked: 0))
        #expect(events.contains(.delta("予備モデルの回答")))
        #expect(recorder.records.map(\.status) == ["error", "ok"])
        #expect(recorder.records.map(\.model) == ["primary", "backup"])
        #expect(recorder.records[0].error?.contains("接続できません") == true)
    }

    @Test func whenEveryModelFailsTheErrorSaysSoAndNothingHangs() async throws {
        let broken = ReplayServer { _, _ in .json(["error": ["message": "upstream down"]], status: 502) }
        try await broken.start()
        defer { broken.stop() }
        let recorder = MemoryRecorder()
        let registry = try ModelRegistry(configuration: configuration(primary: broken.baseURL, fallback: broken.baseURL), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: TestPrivacy())
        do {
            _ = try await gateway.chat([ChatMessage(.user, "質問")], caller: staff)
            Issue.record("expected a failure")
        } catch let error as GatewayError {
            if case .allModelsFailed(let last) = error {
                #expect(last == .http(provider: "backup", status: 502, type: nil, detail: "upstream down"))
            } else {
                Issue.record("got \(error)")
            }
        }
        await registry.shutdown()
        #expect(broken.requests.count == 3, "primary: call + 1 retry; backup: 1 call")
        #expect(recorder.records.count == 2 && recorder.records.allSatisfy { $0.status == "error" })
    }

    @Test func personalDataIsMaskedForAnExternalModelAndRestoredInTheAnswer() async throws {
        let server = ReplayServer { _, _ in streamed(["[氏", "名1]様の電話は", "[電話番号1]です"]) }
        try await server.start()
        defer { server.stop() }
        let recorder = MemoryRecorder()
        let registry = try ModelRegistry(configuration: configuration(primary: server.baseURL, externalPrimary: true), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: TestPrivacy())
        let result = try await gateway.chat([ChatMessage(.user, "山田太郎さん（090-1234-5678）への連絡方法は？")], caller: staff)
        await registry.shutdown()
        let sent = try #require(server.requests.first).body
        let sentText = String(decoding: sent, as: UTF8.self)
        #expect(!sentText.contains("山田太郎") && !sentText.contains("090-1234-5678"))
        #expect(sentText.contains("[氏名1]") && sentText.contains("[電話番号1]"))
        #expect(result.text == "山田太郎様の電話は090-1234-5678です", "placeholders split across chunks are restored")
        #expect(recorder.records.first?.personalData == ["氏名": 1, "電話番号": 1])
        #expect(recorder.records.first?.personalDataAction == "masked")
    }

    @Test func theRealDetectorMasksQuestionAndSourcesAndTheAnswerIsRestored() async throws {
        // The model echoes the placeholders it was given, split across chunks.
        let server = ReplayServer { request, _ in
            let body = String(decoding: request.body, as: UTF8.self)
            nonisolated(unsafe) let pattern = /\[[^\[\]\\"]{2,8}?[0-9]+\]/
            let placeholders = body.matches(of: pattern).map { String($0.output) }
            let unique = placeholders.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let text = "連絡先: " + unique.joined(separator: "、")
            let pieces = stride(from: 0, to: text.count, by: 3).map { i in
                String(text.dropFirst(i).prefix(3))
            }
            return streamed(pieces)
        }
        try await server.start()
        defer { server.stop() }
        let recorder = MemoryRecorder()
        let registry = try ModelRegistry(configuration: configuration(primary: server.baseURL, externalPrimary: true), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: try PrivacyGuard.standard())
        let question = "申請者 山田太郎様（電話 090-1234-5678、メール taro@example.jp、〒105-0011 東京都港区芝公園4-2-8）の件"
        let source = "<資料 番号=\"1\">個人番号 123456789018 の確認は山田太郎様に電話で行う。</資料>"
        let result = try await gateway.chat([ChatMessage(.system, "規則"), ChatMessage(.user, question + "\n" + source)], caller: staff)
        await registry.shutdown()
        let sent = String(decoding: try #require(server.requests.first).body, as: UTF8.self)
        for secret in ["山田", "090-1234-5678", "taro@example.jp", "105-0011", "芝公園", "123456789018"] {
            #expect(!sent.contains(secret), "\(secret) must not leave for an external model")
        }
        for restored in ["山田太郎", "090-1234-5678", "taro@example.jp", "123456789018"] {
            #expect(result.text.contains(restored), "\(restored) is restored in the answer: \(result.text)")
        }
        let record = try #require(recorder.records.first)
        #expect(record.personalDataAction == "masked" && (record.personalData["氏名"] ?? 0) >= 1 && record.personalData["マイナンバー"] == 1)
    }

    @Test func blockPolicyRefusesExternalModelsWithPersonalDataButNotInternalOnes() async throws {
        let server = ReplayServer { _, _ in streamed(["ok"]) }
        try await server.start()
        defer { server.stop() }
        let recorder = MemoryRecorder()
        let policy = ModelConfiguration.Policy(personalData: .block)
        let registry = try ModelRegistry(
            configuration: configuration(primary: server.baseURL, externalPrimary: true, policy: policy), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: TestPrivacy())
        await #expect(throws: GatewayError.personalDataBlocked(kinds: ["氏名"])) {
            _ = try await gateway.chat([ChatMessage(.user, "山田太郎さんの件")], caller: staff)
        }
        #expect(server.requests.isEmpty && recorder.records.isEmpty)
        // Without personal data the external model is fine.
        _ = try await gateway.chat([ChatMessage(.user, "予算の流用手続き")], caller: staff)
        #expect(server.requests.count == 1)
        // An internal model gets the text as is.
        let internalRegistry = try ModelRegistry(configuration: configuration(primary: server.baseURL, policy: policy), sleep: { _ in })
        let internalGateway = ModelGateway(registry: internalRegistry, recorder: recorder, privacy: TestPrivacy())
        _ = try await internalGateway.chat([ChatMessage(.user, "山田太郎さんの件")], caller: staff)
        #expect(String(decoding: server.requests[1].body, as: UTF8.self).contains("山田太郎"))
        #expect(recorder.records.last?.personalDataAction == "internal")
        await registry.shutdown()
        await internalRegistry.shutdown()
    }

    @Test func withoutADetectorNothingGoesToAnExternalModel() async throws {
        let server = ReplayServer { _, _ in streamed(["ok"]) }
        try await server.start()
        defer { server.stop() }
        let registry = try ModelRegistry(configuration: configuration(primary: server.baseURL, externalPrimary: true), sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: MemoryRecorder(), privacy: nil)
        await #expect(throws: GatewayError.personalDataUncheckable) {
            _ = try await gateway.chat([ChatMessage(.user, "予算")], caller: staff)
        }
        await registry.shutdown()
        #expect(server.requests.isEmpty)
    }

    @Test func aBureauMayUseOnlyItsModels() async throws {
        let server = ReplayServer { _, _ in streamed(["ok"]) }
        try await server.start()
        defer { server.stop() }
        var config = configuration(primary: server.baseURL, fallback: server.baseURL)
        config.policies["みなと市/財務局"] = ModelConfiguration.Policy(models: ["backup"])
        let registry = try ModelRegistry(configuration: config, sleep: { _ in })
        let gateway = ModelGateway(registry: registry, recorder: MemoryRecorder(), privacy: TestPrivacy())
        await #expect(throws: GatewayError.modelNotAllowed(model: "primary", bureau: "財務局")) {
            _ = try await gateway.chat([ChatMessage(.user, "q")], caller: staff)
        }
        let result = try await gateway.chat([ChatMessage(.user, "q")], model: "backup", caller: staff)
        #expect(result.model == "backup")
        let welfare = GatewayCaller(login: "x", organization: "みなと市", bureau: "福祉局", app: "ask")
        #expect(try await gateway.chat([ChatMessage(.user, "q")], caller: welfare).model == "primary")
        await registry.shutdown()
    }
}

@Suite("Model configuration file")
struct ModelConfigurationTests {
    let valid = """
        providers:
          - name: local
            kind: openai
            base_url: http://127.0.0.1:8081/v1
          - name: azure
            kind: azure
            base_url: https://city.openai.azure.com
            api_key_env: AZURE_OPENAI_KEY
            api_version: "2024-10-21"
            max_concurrency: 2
        models:
          - name: gemma
            provider: local
            id: gemma-3-270m
            location: internal
          - name: gpt4o
            provider: azure
            id: city-gpt4o
            location: external
            fallback: gemma
            price: {prompt: 375, completion: 1500}
        defaults:
          chat: gpt4o
        policies:
          default:
            models: [gemma]
          bureaus:
            みなと市/財務局:
              models: ["*"]
              personal_data: block
              quotas: {bureau_daily_tokens: 100000, user_daily_tokens: 20000}
        """

    @Test func parsesProvidersModelsAndPolicies() throws {
        let config = try ModelConfiguration.parse(valid)
        #expect(config.providers.map(\.kind) == [.openai, .azure])
        #expect(config.provider(named: "azure")?.maxConcurrency == 2)
        #expect(config.model(named: "gpt4o")?.price == .init(prompt: 375, completion: 1500))
        #expect(config.chain(from: "gpt4o").map(\.name) == ["gpt4o", "gemma"])
        let finance = config.policy(organization: "みなと市", bureau: "財務局")
        #expect(finance.personalData == .block && finance.quotas.userDailyTokens == 20000 && finance.allows("gpt4o"))
        #expect(!config.policy(organization: "みなと市", bureau: "福祉局").allows("gpt4o"))
    }

    @Test func theDocumentedExampleIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/models.example.yaml").path
        let config = try ModelConfiguration.load(path: path)
        #expect(config.chain(from: "gpt-4o-mini").map(\.name) == ["gpt-4o-mini", "local-chat"])
        #expect(config.policy(organization: "みなと市", bureau: "会計管理局").personalData == .block)
        #expect(config.model(named: "local-chat")?.mergeSystem == true)
    }

    @Test func secretsComeFromTheEnvironmentAndAMissingOneIsAClearError() throws {
        let config = try ModelConfiguration.parse(valid)
        #expect(throws: ModelConfigurationError.self) { _ = try ModelRegistry(configuration: config, environment: [:]) }
        do {
            _ = try ModelRegistry(configuration: config, environment: [:])
        } catch let error as ModelConfigurationError {
            #expect(error.message.contains("AZURE_OPENAI_KEY") && error.fix.contains("Export"))
        }
    }

    @Test(arguments: [
        ("providers: [{name: a, kind: openai, base_url: 'not a url'}]", "URL"),
        ("providers: [{name: a, kind: azure, base_url: 'https://x.openai.azure.com'}]", "api_version"),
        ("providers: [{name: a, kind: gemini, base_url: 'http://x'}]", "形式"),
        ("models: [{name: m, provider: nowhere, location: internal}]", "nowhere"),
        ("providers: [{name: a, kind: openai, base_url: 'http://x'}]\nmodels: [{name: m, provider: a, location: internal, fallback: z}]", "fallback"),
        ("providers: [{name: a, kind: anthropic}]\nmodels: [{name: e, provider: a, kind: embedding, location: external}]", "埋め込み"),
        ("providers: [{name: a, kind: openai, base_url: 'http://x'}]\nmodels: [{name: m, provider: a}]", "location"),
        ("policies: {default: {models: [ghost]}}", "ghost"),
        ("providers: [\n  - broken", "YAML"),
    ])
    func invalidFilesAreRefusedWithWhatIsWrong(text: String, expected: String) throws {
        do {
            _ = try ModelConfiguration.parse(text)
            Issue.record("accepted: \(text)")
        } catch let error as ModelConfigurationError {
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(!error.fix.isEmpty)
        }
    }
}
