import Foundation
import NIOHTTP1
import TestSupport
import Testing

@testable import LLM

/// Records the waits a transport asks for, without waiting.
final class SleepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    var all: [Double] { lock.withLock { waits } }
    var sleep: @Sendable (Double) async throws -> Void {
        { [self] seconds in lock.withLock { waits.append(seconds) } }
    }
}

/// Test transports wait generously: the replay server's handlers share the cooperative thread pool with
/// CPU-heavy suites running in parallel on 2 cores, so an answer can be seconds late without being a timeout.
func transport(
    _ name: String = "test", timeout: Double = 60, concurrency: Int = 4, retries: Int = 3, anthropic: Bool = false, sleeps: SleepLog = SleepLog()
) -> ProviderTransport {
    ProviderTransport(
        provider: name, timeout: timeout, connectTimeout: 1, maxConcurrency: concurrency, retry: RetryPolicy(maxRetries: retries),
        describeError: anthropic ? AnthropicProvider.describeError : OpenAICompatibleProvider.describeError, sleep: sleeps.sleep,
        jitter: { 0.5 })
}

let openAIStream = """
    data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"支出命令は"},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"課長が承認します [1]。"},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

    data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[],"usage":{"prompt_tokens":120,"completion_tokens":18,"total_tokens":138}}

    data: [DONE]


    """

@Suite("Server-sent events")
struct ServerSentEventTests {
    @Test func parsesEventsSplitAnywhereWithCRLFCommentsAndMultilineData() throws {
        let text = ": keep-alive\r\nevent: message_start\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\nevent: ping\r\ndata: {}\r\n\r\ndata: 最後\n\n"
        let bytes = Array(text.utf8)
        for cut in 1..<bytes.count {
            var parser = ServerSentEventParser()
            var events = try parser.feed(bytes[..<cut])
            events += try parser.feed(bytes[cut...])
            events += parser.finish()
            #expect(
                events == [
                    ServerSentEvent(event: "message_start", data: "{\"a\":\n1}"), ServerSentEvent(event: "ping", data: "{}"),
                    ServerSentEvent(data: "最後"),
                ], "cut at \(cut)")
        }
    }

    @Test func eventWithoutDataIsNotDispatchedAndOverlongLineIsRefused() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(Array("event: x\n\nretry: 10\n\n".utf8)).isEmpty)
        var long = ServerSentEventParser()
        #expect(throws: ServerSentEventParser.ParseError.self) {
            _ = try long.feed([UInt8](repeating: 0x61, count: ServerSentEventParser.maxLineBytes + 1))
        }
    }
}

@Suite("OpenAI-compatible and Anthropic providers against a live HTTP server")
struct ProviderTests {
    @Test func openAIChatSendsTheProtocolAndReadsUsage() async throws {
        let server = ReplayServer { _, _ in
            .json([
                "id": "x", "object": "chat.completion", "model": "gemma-3-270m",
                "choices": [["index": 0, "message": ["role": "assistant", "content": "回答です [1]"], "finish_reason": "stop"]],
                "usage": ["prompt_tokens": 50, "completion_tokens": 7, "total_tokens": 57],
            ])
        }
        try await server.start()
        defer { server.stop() }
        let t = transport()
        let provider = OpenAICompatibleProvider(name: "local", baseURL: server.baseURL + "/v1/", apiKey: "sk-test", flavor: .openAI, transport: t)
        let result = try await provider.chat(
            ChatRequest(model: "gemma-3-270m", messages: [ChatMessage(.system, "規則"), ChatMessage(.user, "質問")], maxTokens: 64, temperature: 0))
        await t.shutdown()
        #expect(result.text == "回答です [1]")
        #expect(result.usage == TokenUsage(promptTokens: 50, completionTokens: 7))
        #expect(result.finishReason == "stop")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/v1/chat/completions")
        #expect(request.headers["authorization"] == "Bearer sk-test")
        #expect(request.json["model"] as? String == "gemma-3-270m")
        #expect(request.json["max_tokens"] as? Int == 64)
        let messages = try #require(request.json["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "規則"], ["role": "user", "content": "質問"]])
        #expect(request.json["stream"] == nil)
    }

    @Test func openAIStreamYieldsDeltasThenOneFinishWithUsage() async throws {
        let server = ReplayServer { _, _ in .sse(openAIStream, pieceSize: 5) }
        try await server.start()
        defer { server.stop() }
        let t = transport()
        let provider = OpenAICompatibleProvider(name: "local", baseURL: server.baseURL + "/v1", apiKey: nil, flavor: .openAI, transport: t)
        var events: [ChatEvent] = []
        for try await event in provider.streamChat(ChatRequest(model: "m", messages: [ChatMessage(.user, "q")])) { events.append(event) }
        await t.shutdown()
        #expect(
            events == [
                .delta("支出命令は"), .delta("課長が承認します [1]。"),
                .finished(reason: "stop", usage: TokenUsage(promptTokens: 120, completionTokens: 18)),
            ])
        let body = try #require(server.requests.first).json
        #expect(body["stream"] as? Bool == true)
        #expect((body["stream_options"] as? [String: Bool])?["include_usage"] == true)
        #expect(server.requests.first?.headers["authorization"] == nil)
    }

    @Test func azureUsesTheDeploymentPathApiVersionAndApiKeyHeader() async throws {
        let server = ReplayServer { _, _ in
            .sse(
                """
                data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}

                data: {"choices":[{"content_filter_results":{},"delta":{"content":"はい"},"finish_reason":null,"index":0}],"id":"a","model":"gpt-4o","object":"chat.completion.chunk"}

                data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0}],"id":"a","model":"gpt-4o","object":"chat.completion.chunk"}

                data: [DONE]


                """)
        }
        try await server.start()
        defer { server.stop() }
        let t = transport()
        let provider = OpenAICompatibleProvider(
            name: "azure", baseURL: server.baseURL, apiKey: "azure-key", flavor: .azure(apiVersion: "2024-10-21"), transport: t)
        let result = try await provider.collect(ChatRequest(model: "city-gpt4o", messages: [ChatMessage(.user, "q")]))
        await t.shutdown()
        #expect(result.text == "はい" && result.finishReason == "stop")
        let request = try #require(server.requests.first)
        #expect(request.path == "/openai/deployments/city-gpt4o/chat/completions")
        #expect(request.query == "api-version=2024-10-21")
        #expect(request.headers["api-key"] == "azure-key" && request.headers["authorization"] == nil)
        #expect(request.json["model"] == nil, "Azure routes by deployment, not by a model field")
    }

    @Test func anthropicStreamFollowsTheEventSequence() async throws {
        let server = ReplayServer { _, _ in
            .sse(
                """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":210,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: ping
                data: {"type": "ping"}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"第十二条により"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"課長の決裁が必要です [2]。"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":25}}

                event: message_stop
                data: {"type":"message_stop"}


                """, pieceSize: 11)
        }
        try await server.start()
        defer { server.stop() }
        let t = transport("anthropic", anthropic: true)
        let provider = AnthropicProvider(name: "anthropic", baseURL: server.baseURL, apiKey: "ak", transport: t)
        var events: [ChatEvent] = []
        for try await event in provider.streamChat(
            ChatRequest(
                model: "claude-sonnet-4-5", messages: [ChatMessage(.system, "規則A"), ChatMessage(.system, "規則B"), ChatMessage(.user, "質問")],
                maxTokens: 300))
        {
            events.append(event)
        }
        await t.shutdown()
        #expect(
            events == [
                .delta("第十二条により"), .delta("課長の決裁が必要です [2]。"),
                .finished(reason: "end_turn", usage: TokenUsage(promptTokens: 210, completionTokens: 25)),
            ])
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/messages")
        #expect(request.headers["x-api-key"] == "ak" && request.headers["anthropic-version"] == "2023-06-01")
        #expect(request.json["system"] as? String == "規則A\n\n規則B")
        #expect((request.json["messages"] as? [[String: String]]) == [["role": "user", "content": "質問"]])
        #expect(request.json["max_tokens"] as? Int == 300 && request.json["stream"] as? Bool == true)
    }

    @Test func anthropicErrorEventMidStreamIsReported() async throws {
        let server = ReplayServer { _, _ in
            .sse(
                """
                event: message_start
                data: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"model":"c","usage":{"input_tokens":5,"output_tokens":1}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"途中"}}

                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


                """)
        }
        try await server.start()
        defer { server.stop() }
        let t = transport("anthropic", anthropic: true)
        let provider = AnthropicProvider(name: "anthropic", baseURL: server.baseURL, apiKey: "ak", transport: t)
        var text = ""
        await #expect(throws: ModelError.streamError(provider: "anthropic", type: "overloaded_error", detail: "Overloaded")) {
            for try await event in provider.streamChat(ChatRequest(model: "c", messages: [ChatMessage(.user, "q")])) {
                if case .delta(let piece) = event { text += piece }
            }
        }
        await t.shutdown()
        #expect(text == "途中")
        #expect(server.requests.count == 1, "a stream that already delivered text is never replayed")
    }

    @Test func retriesHonourRetryAfterThenSucceed() async throws {
        let server = ReplayServer { _, index in
            switch index {
            case 0: .json(["error": ["message": "Rate limit", "type": "requests", "code": "429"]], status: 429, headers: ["retry-after": "2"])
            case 1: .json(["error": ["message": "busy"]], status: 503, headers: ["retry-after-ms": "1500"])
            default:
                .json(["choices": [["index": 0, "message": ["role": "assistant", "content": "ok"], "finish_reason": "stop"]]])
            }
        }
        try await server.start()
        defer { server.stop() }
        let sleeps = SleepLog()
        let t = transport("p", sleeps: sleeps)
        let provider = OpenAICompatibleProvider(name: "p", baseURL: server.baseURL, apiKey: nil, flavor: .openAI, transport: t)
        let result = try await provider.chat(ChatRequest(model: "m", messages: [ChatMessage(.user, "q")]))
        await t.shutdown()
        #expect(result.text == "ok" && result.usage == nil)
        #expect(server.requests.count == 3)
        #expect(sleeps.all.count == 2)
        #expect(sleeps.all[0] >= 2 && sleeps.all[1] >= 1.5, "waits at least what Retry-After / retry-after-ms ask: \(sleeps.all)")
    }

    @Test func a429StormEndsInAClearErrorAfterTheConfiguredRetries() async throws {
        let server = ReplayServer { _, _ in
            .json(["type": "error", "error": ["type": "rate_limit_error", "message": "Number of requests has exceeded your rate limit"]], status: 429, headers: ["retry-after": "1"])
        }
        try await server.start()
        defer { server.stop() }
        let sleeps = SleepLog()
        let t = transport("anthropic", retries: 2, anthropic: true, sleeps: sleeps)
        let provider = AnthropicProvider(name: "anthropic", baseURL: server.baseURL, apiKey: "k", transport: t)
        await #expect(throws: ModelError.rateLimited(provider: "anthropic", retryAfter: 1)) {
            _ = try await provider.chat(ChatRequest(model: "c", messages: [ChatMessage(.user, "q")]))
        }
        await t.shutdown()
        #expect(server.requests.count == 3, "one call and two retries")
        #expect(sleeps.all.count == 2)
    }

    @Test func retryAfterLongerThanTheLimitFailsAtOnce() async throws {
        let server = ReplayServer { _, _ in .json(["error": ["message": "slow down"]], status: 429, headers: ["retry-after": "3600"]) }
        try await server.start()
        defer { server.stop() }
        let sleeps = SleepLog()
        let t = transport("p", sleeps: sleeps)
        let provider = OpenAICompatibleProvider(name: "p", baseURL: server.baseURL, apiKey: nil, flavor: .openAI, transport: t)
        await #expect(throws: ModelError.rateLimited(provider: "p", retryAfter: 3600)) {
            _ = try await provider.chat(ChatRequest(model: "m", messages: [ChatMessage(.user, "q")]))
        }
        await t.shutdown()
        #expect(server.requests.count == 1 && sleeps.all.isEmpty)
    }

    @Test func clientErrorsAreNotRetriedAndCarryTheProvidersMessage() async throws {
        let server = ReplayServer { _, _ in
            .json(["type": "error", "error": ["type": "authentication_error", "message": "invalid x-api-key"]], status: 401)
        }
        try await server.start()
        defer { server.stop() }
        let t = transport("anthropic", anthropic: true)
        let provider = AnthropicProvider(name: "anthropic", baseURL: server.baseURL, apiKey: "bad", transport: t)
        await #expect(throws: ModelError.http(provider: "anthropic", status: 401, type: "authentication_error", detail: "invalid x-api-key")) {
            _ = try await provider.chat(ChatRequest(model: "c", messages: [ChatMessage(.user, "q")]))
        }
        await t.shutdown()
        #expect(server.requests.count == 1)
    }

    @Test func providerDownIsUnavailableAfterRetries() async throws {
        let sleeps = SleepLog()
        let t = transport("down", retries: 1, sleeps: sleeps)
        let provider = OpenAICompatibleProvider(name: "down", baseURL: "http://127.0.0.1:\(closedPort())/v1", apiKey: nil, flavor: .openAI, transport: t)
        do {
            _ = try await provider.chat(ChatRequest(model: "m", messages: [ChatMessage(.user, "q")]))
            Issue.record("a call to a closed port succeeded")
        } catch let error as ModelError {
            guard case .unavailable(let name, _) = error else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(name == "down")
            #expect(error.message.contains("接続できません"))
        }
        await t.shutdown()
        #expect(sleeps.all.count == 1)
    }

    @Test func aStalledServerTimesOut() async throws {
        let server = ReplayServer { _, _ in .stall(.seconds(30), then: Data("{}".utf8)) }
        try await server.start()
        defer { server.stop() }
        let t = transport("slow", timeout: 1, retries: 0)
        let provider = OpenAICompatibleProvider(name: "slow", baseURL: server.baseURL, apiKey: nil, flavor: .openAI, transport: t)
        let started = ContinuousClock.now
        await #expect(throws: ModelError.timeout(provider: "slow", seconds: 1)) {
            _ = try await provider.chat(ChatRequest(model: "m", messages: [ChatMessage(.user, "q")]))
        }
        #expect(ContinuousClock.now - started < .seconds(20), "the call gave up at its timeout, not when the server answered (30 s)")
        await t.shutdown()
    }

    @Test func malformedStreamsAreClearErrors() async throws {
        let server = ReplayServer { _, index in
            switch index {
            case 0: .sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: not json\n\n")
            default: .sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n")  // cut: no [DONE]
            }
        }
        try await server.start()
        defer { server.stop() }
        let t = transport()
        let provider = OpenAICompatibleProvider(name: "p", baseURL: server.baseURL, apiKey: nil, flavor: .openAI, transport: t)
        for _ in 0..<2 {
            do {
                _ = try await provider.collect(ChatRequest(model: "m", messages: [ChatMessage(.user, "q")]))
                Issue.record("a malformed stream was accepted")
            } catch let error as ModelError {
                guard case .malformed = error else {
                    Issue.record("expected malformed, got \(error)")
                    continue
                }
            }
        }
        await t.shutdown()
        #expect(server.requests.count == 2, "malformed answers are not retried")
    }

    @Test func concurrencyIsLimitedPerProvider() async throws {
        let server = ReplayServer { _, _ in
            .json(["choices": [["index": 0, "message": ["role": "assistant", "content": "ok"], "finish_reason": "stop"]]])
        }
        try await server.start()
        defer { server.stop() }
        let t = transport(concurrency: 2)
        let provider = OpenAICompatibleProvider(name: "p", baseURL: server.baseURL, apiKey: nil, flavor: .openAI, transport: t)
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.chat(ChatRequest(model: "m", messages: [ChatMessage(.user, "q")])).text } }
            for try await text in group { #expect(text == "ok") }
        }
        await t.shutdown()
        #expect(server.requests.count == 8)
        #expect(server.peakConcurrency == 2)
    }

    @Test func embeddingsArePooledWhenTheServerReturnsPerTokenVectors() async throws {
        let server = ReplayServer { request, _ in
            let inputs = (request.json["input"] as? [String]) ?? []
            return .json([
                "object": "list",
                "data": inputs.enumerated().reversed().map { i, _ in
                    ["object": "embedding", "index": i, "embedding": i == 0 ? [[1.0, 2.0], [3.0, 4.0]] as Any : [0.5, 0.25] as Any]
                },
                "usage": ["prompt_tokens": 6, "total_tokens": 6],
            ])
        }
        try await server.start()
        defer { server.stop() }
        let t = transport()
        let provider = OpenAICompatibleProvider(name: "p", baseURL: server.baseURL, apiKey: nil, flavor: .openAI, transport: t)
        let result = try await provider.embed(["支出命令", "予算"], model: "e5")
        await t.shutdown()
        #expect(result.vectors == [[2, 3], [0.5, 0.25]], "per-token vectors mean-pooled, order by index")
        #expect(result.usage == TokenUsage(promptTokens: 6, completionTokens: 0))
    }

    @Test func retryAfterParsesSecondsMillisecondsAndDates() {
        var headers = HTTPHeaders()
        headers.add(name: "Retry-After", value: "Wed, 21 Oct 2015 07:28:10 GMT")
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // 07:28:00 GMT
        #expect(RetryPolicy.retryAfter(headers, now: now) == 10)
        headers.add(name: "retry-after-ms", value: "250")
        #expect(RetryPolicy.retryAfter(headers, now: now) == 0.25)
        #expect(RetryPolicy(maxRetries: 3, baseDelay: 0.5, maxDelay: 8).delay(attempt: 10, retryAfter: nil, jitter: 1) == 8)
    }
}
