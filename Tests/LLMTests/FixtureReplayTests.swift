import Foundation
import TestSupport
import Testing

@testable import LLM

/// One recorded exchange (Tests/LLMTests/Fixtures/*/…json): what the client must send, and what the
/// service answered.
struct Fixture: @unchecked Sendable {
    let name: String
    let request: [String: Any]
    let response: [String: Any]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    init(_ name: String) throws {
        self.name = name
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        request = try #require(object["request"] as? [String: Any])
        response = try #require(object["response"] as? [String: Any])
    }

    var status: Int { response["status"] as? Int ?? 0 }
    var requestBody: [String: Any] { request["body"] as? [String: Any] ?? [:] }
    var requestHeaders: [String: String] { request["headers"] as? [String: String] ?? [:] }
    var query: [String: String] { request["query"] as? [String: String] ?? [:] }

    /// The recorded answer, replayed byte for byte (SSE in small pieces, so events straddle reads).
    var scripted: Scripted {
        // Lengths and framing belong to the original bytes; the replay server frames its own.
        let headers = (response["headers"] as? [String: String] ?? [:]).filter {
            !["content-length", "transfer-encoding", "connection"].contains($0.key.lowercased())
        }
        if let sse = response["sse"] as? String {
            return .stream(
                status: status, headers: headers, pieces: Scripted.sse(sse, pieceSize: 13).pieces, delay: .zero)
        }
        let body: Data
        if let text = response["body"] as? String {
            body = Data(text.utf8)
        } else {
            body = (try? JSONSerialization.data(withJSONObject: response["body"] ?? [:])) ?? Data()
        }
        return .body(status: status, headers: headers, body)
    }

    /// The chat request the fixture's body describes, in gateway terms.
    var chatRequest: ChatRequest {
        let body = requestBody
        var messages: [ChatMessage] = []
        if let system = body["system"] as? String { messages.append(ChatMessage(.system, system)) }
        for m in body["messages"] as? [[String: Any]] ?? [] {
            let role = ChatMessage.Role(rawValue: m["role"] as? String ?? "user") ?? .user
            messages.append(ChatMessage(role, m["content"] as? String ?? ""))
        }
        let path = request["path"] as? String ?? ""
        let model =
            path.hasPrefix("/openai/deployments/") ? String(path.split(separator: "/")[2]) : (body["model"] as? String ?? "")
        return ChatRequest(
            model: model, messages: messages, maxTokens: body["max_tokens"] as? Int ?? 1024, temperature: body["temperature"] as? Double,
            stop: body["stop"] as? [String] ?? body["stop_sequences"] as? [String] ?? [])
    }
}

extension Scripted {
    var pieces: [String] {
        if case .stream(_, _, let pieces, _) = self { return pieces }
        return []
    }
}

func makeProvider(for fixture: Fixture, baseURL: String, sleeps: SleepLog) -> (any ModelProvider, ProviderTransport) {
    let folder = fixture.name.split(separator: "/")[0]
    let name = String(folder)
    switch folder {
    case "anthropic":
        let t = transport(name, retries: 1, anthropic: true, sleeps: sleeps)
        return (AnthropicProvider(name: name, baseURL: baseURL, apiKey: "<ANTHROPIC_API_KEY>", transport: t), t)
    case "azure-openai":
        let t = transport(name, retries: 1, sleeps: sleeps)
        let version = fixture.query["api-version"] ?? ""
        return (OpenAICompatibleProvider(name: name, baseURL: baseURL, apiKey: "<AZURE_OPENAI_API_KEY>", flavor: .azure(apiVersion: version), transport: t), t)
    default:
        let t = transport(name, retries: 1, sleeps: sleeps)
        return (OpenAICompatibleProvider(name: name, baseURL: baseURL + "/v1", apiKey: nil, flavor: .openAI, transport: t), t)
    }
}

@Suite("Recorded Azure OpenAI, Anthropic and llama.cpp exchanges, replayed")
struct FixtureReplayTests {
    static let chatFixtures = [
        "azure-openai/chat-completion.json", "azure-openai/chat-completion-output-filtered.json", "azure-openai/chat-completion-stream.json",
        "azure-openai/chat-completion-stream-usage.json", "anthropic/message.json", "anthropic/message-stream.json",
        "llamacpp/chat-completion.json", "llamacpp/chat-completion-stream.json", "llamacpp/chat-completion-stream-include-usage.json",
    ]

    @Test(arguments: chatFixtures)
    func sendsTheRecordedRequestAndReadsTheAnswer(name: String) async throws {
        let fixture = try Fixture(name)
        let scripted = fixture.scripted
        let server = ReplayServer { _, _ in scripted }
        try await server.start()
        defer { server.stop() }
        let (provider, t) = makeProvider(for: fixture, baseURL: server.baseURL, sleeps: SleepLog())
        let streaming = fixture.requestBody["stream"] as? Bool == true
        let request = fixture.chatRequest
        let result = streaming ? try await provider.collect(request) : try await provider.chat(request)
        await t.shutdown()

        // The request matches the recorded one: path, api-version, auth and version headers, and the body's
        // messages, system prompt and limits.
        let sent = try #require(server.requests.first)
        #expect(sent.path == fixture.request["path"] as? String)
        for (key, value) in fixture.query { #expect(sent.query.contains("\(key)=\(value)")) }
        for header in ["api-key", "x-api-key", "anthropic-version"] {
            #expect(sent.headers[header] == fixture.requestHeaders[header], "\(header)")
        }
        let expected = fixture.requestBody
        #expect(
            (sent.json["messages"] as? [[String: String]]) == (expected["messages"] as? [[String: Any]])?.map { m in
                m.compactMapValues { $0 as? String }
            })
        #expect(sent.json["system"] as? String == expected["system"] as? String)
        #expect(sent.json["max_tokens"] as? Int == expected["max_tokens"] as? Int)
        #expect((sent.json["stream"] as? Bool ?? false) == streaming)

        // The answer is what the service said.
        let body = fixture.response["body"] as? [String: Any]
        if let sse = fixture.response["sse"] as? String {
            #expect(!result.text.isEmpty)
            #expect(result.finishReason != nil)
            // Every text delta in the recording, concatenated, is the answer.
            var joined = ""
            var parser = ServerSentEventParser()
            for event in try parser.feed(Array(sse.utf8)) + parser.finish() {
                guard let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else { continue }
                if let delta = object["delta"] as? [String: Any], let text = delta["text"] as? String { joined += text }
                for choice in object["choices"] as? [[String: Any]] ?? [] {
                    joined += ((choice["delta"] as? [String: Any])?["content"] as? String) ?? ""
                }
            }
            #expect(result.text == joined)
            if sse.contains("\"usage\":{\"prompt_tokens\"") || sse.contains("message_delta") {
                #expect(result.usage != nil, "usage reported in the stream is read")
            }
        } else if let body {
            if let choices = body["choices"] as? [[String: Any]] {
                let message = choices.first?["message"] as? [String: Any]
                #expect(result.text == (message?["content"] as? String ?? ""))
                #expect(result.finishReason == choices.first?["finish_reason"] as? String)
            } else if let content = body["content"] as? [[String: Any]] {
                #expect(result.text == content.compactMap { $0["text"] as? String }.joined())
                #expect(result.finishReason == body["stop_reason"] as? String)
            }
            if let usage = body["usage"] as? [String: Any] {
                let prompt = (usage["prompt_tokens"] as? Int) ?? (usage["input_tokens"] as? Int)
                #expect(result.usage?.promptTokens == prompt)
            }
        }
    }

    @Test(arguments: [
        ("azure-openai/error-429-rate-limit.json", "rate"),
        ("anthropic/error-429-rate-limit.json", "rate"),
        ("azure-openai/error-400-content-filter.json", "400:content_filter"),
        ("azure-openai/error-401.json", "401"),
        ("azure-openai/error-404-deployment-not-found.json", "404:DeploymentNotFound"),
        ("anthropic/error-400-invalid-request.json", "400:invalid_request_error"),
        ("anthropic/error-401-authentication.json", "401:authentication_error"),
        ("anthropic/error-529-overloaded.json", "529:overloaded_error"),
        ("llamacpp/error-context-length.json", "400:context_length_exceeded"),
        ("llamacpp/error-bad-json.json", "500"),
    ])
    func errorsAreMappedRetriedOnlyWhenTransientAndHonourRetryAfter(name: String, expected: String) async throws {
        let fixture = try Fixture(name)
        let scripted = fixture.scripted
        let server = ReplayServer { _, _ in scripted }
        try await server.start()
        defer { server.stop() }
        let sleeps = SleepLog()
        let (provider, t) = makeProvider(for: fixture, baseURL: server.baseURL, sleeps: sleeps)
        do {
            _ = try await provider.chat(fixture.chatRequest)
            Issue.record("\(name): an error response was accepted")
        } catch let error as ModelError {
            let headers = fixture.response["headers"] as? [String: String] ?? [:]
            switch error {
            case .rateLimited(_, let after):
                #expect(expected == "rate")
                let header = headers["retry-after-ms"].flatMap(Double.init).map { $0 / 1000 } ?? headers["retry-after"].flatMap(Double.init)
                #expect(after == header)
                #expect(sleeps.all.count == 1 && sleeps.all[0] >= (header ?? 0), "waited what the service asked before the retry")
            case .http(_, let status, let type, let detail):
                let parts = expected.split(separator: ":").map(String.init)
                #expect(String(status) == parts[0], "\(name): \(error)")
                if parts.count > 1 { #expect(type == parts[1], "\(name): \(error)") }
                #expect(!detail.isEmpty)
                #expect(server.requests.count == (error.isTransient ? 2 : 1), "only transient errors are retried")
            default:
                Issue.record("\(name): unexpected \(error)")
            }
            #expect(!error.message.isEmpty && !error.fix.isEmpty)
        }
        await t.shutdown()
    }

    @Test func anthropicOverloadedMidStreamKeepsTheTextAndReportsTheError() async throws {
        let fixture = try Fixture("anthropic/message-stream-error-overloaded.json")
        let scripted = fixture.scripted
        let server = ReplayServer { _, _ in scripted }
        try await server.start()
        defer { server.stop() }
        let (provider, t) = makeProvider(for: fixture, baseURL: server.baseURL, sleeps: SleepLog())
        await #expect(throws: ModelError.self) { _ = try await provider.collect(fixture.chatRequest) }
        await t.shutdown()
        #expect(server.requests.count == 1)
    }

    @Test(arguments: ["azure-openai/embeddings.json", "llamacpp/embeddings-per-token.json", "llamacpp/embeddings-pooled.json"])
    func embeddingsOnePooledVectorPerInput(name: String) async throws {
        let fixture = try Fixture(name)
        let scripted = fixture.scripted
        let server = ReplayServer { _, _ in scripted }
        try await server.start()
        defer { server.stop() }
        let (provider, t) = makeProvider(for: fixture, baseURL: server.baseURL, sleeps: SleepLog())
        let inputs: [String] = (fixture.requestBody["input"] as? [String]) ?? [(fixture.requestBody["input"] as? String) ?? ""]
        let path = fixture.request["path"] as? String ?? ""
        let model = path.hasPrefix("/openai/deployments/") ? String(path.split(separator: "/")[2]) : (fixture.requestBody["model"] as? String ?? "")
        let result = try await provider.embed(inputs, model: model)
        await t.shutdown()
        #expect(result.vectors.count == inputs.count)
        #expect(Set(result.vectors.map(\.count)).count == 1 && result.vectors[0].count > 0)
        #expect(server.requests.first?.path == path)
    }
}
