import AsyncHTTPClient
import Foundation
import NIOCore

/// Anthropic's Messages API (`POST /v1/messages`, `anthropic-version: 2023-06-01`), with its streaming
/// event sequence (message_start, content_block_delta…, message_delta, message_stop, error).
public struct AnthropicProvider: ModelProvider {
    public static let apiVersion = "2023-06-01"
    public let name: String
    let baseURL: String
    let apiKey: String?
    let transport: ProviderTransport

    public init(name: String, baseURL: String, apiKey: String?, transport: ProviderTransport) {
        self.name = name
        var base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        if base.hasSuffix("/v1") { base.removeLast(3) }
        self.baseURL = base
        self.apiKey = apiKey
        self.transport = transport
    }

    /// `{"type":"error","error":{"type","message"}}` as (type, message).
    public static func describeError(status: Int, body: Data) -> (type: String?, message: String) {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let error = object["error"] as? [String: Any]
        {
            return (error["type"] as? String, (error["message"] as? String) ?? "")
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (nil, text.isEmpty ? "HTTP \(status)" : text)
    }

    var headers: [(String, String)] {
        var headers = [("content-type", "application/json"), ("anthropic-version", Self.apiVersion)]
        if let apiKey, !apiKey.isEmpty { headers.append(("x-api-key", apiKey)) }
        return headers
    }

    /// System messages go to the top-level `system`; the rest must alternate user/assistant starting with
    /// user, so consecutive messages of one role are joined.
    static func body(_ request: ChatRequest, stream: Bool) -> Data {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var turns: [(role: String, text: String)] = []
        for message in request.messages where message.role != .system {
            let role = message.role == .assistant ? "assistant" : "user"
            if let last = turns.last, last.role == role {
                turns[turns.count - 1].text += "\n\n" + message.content
            } else {
                turns.append((role, message.content))
            }
        }
        if turns.first?.role != "user" { turns.insert(("user", "（続けてください）"), at: 0) }
        var body: [String: Any] = [
            "model": request.model,
            "max_tokens": request.maxTokens,
            "messages": turns.map { ["role": $0.role, "content": $0.text] },
        ]
        if !system.isEmpty { body["system"] = system }
        if let t = request.temperature { body["temperature"] = min(1, max(0, t)) }
        if !request.stop.isEmpty { body["stop_sequences"] = request.stop }
        if stream { body["stream"] = true }
        return (try? JSONSerialization.data(withJSONObject: body, options: [.withoutEscapingSlashes])) ?? Data()
    }

    public func chat(_ request: ChatRequest) async throws -> ChatResult {
        let (_, data) = try await transport.send(
            ProviderCall(url: "\(baseURL)/v1/messages", headers: headers, body: Self.body(request, stream: false)))
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let content = object["content"] as? [[String: Any]]
        else { throw ModelError.malformed(provider: name, detail: "content がありません") }
        let text = content.filter { ($0["type"] as? String) == "text" }.compactMap { $0["text"] as? String }.joined()
        var usage: TokenUsage?
        if let u = object["usage"] as? [String: Any] {
            usage = TokenUsage(promptTokens: Self.inputTokens(u), completionTokens: (u["output_tokens"] as? Int) ?? 0)
        }
        return ChatResult(text: text, finishReason: object["stop_reason"] as? String, usage: usage, model: object["model"] as? String)
    }

    /// Input tokens including prompt-cache reads and writes, which are billed input too.
    static func inputTokens(_ usage: [String: Any]) -> Int {
        ((usage["input_tokens"] as? Int) ?? 0) + ((usage["cache_creation_input_tokens"] as? Int) ?? 0)
            + ((usage["cache_read_input_tokens"] as? Int) ?? 0)
    }

    public func streamChat(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        let call = ProviderCall(
            url: "\(baseURL)/v1/messages", headers: headers + [("accept", "text/event-stream")], body: Self.body(request, stream: true))
        let name = self.name
        return providerStream(call, transport: transport) { response, continuation in
            try await Self.readStream(response, provider: name, continuation: continuation)
        }
    }

    static func readStream(
        _ response: HTTPClientResponse, provider: String, continuation: AsyncThrowingStream<ChatEvent, Error>.Continuation
    ) async throws {
        var input = 0
        var output = 0
        var sawUsage = false
        var stopReason: String?
        var stopped = false
        func handle(_ event: ServerSentEvent) throws {
            guard let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else {
                throw ModelError.malformed(provider: provider, detail: "イベント \(event.event ?? "message") の data が JSON ではありません")
            }
            let type = (object["type"] as? String) ?? event.event ?? ""
            switch type {
            case "message_start":
                if let message = object["message"] as? [String: Any], let usage = message["usage"] as? [String: Any] {
                    input = inputTokens(usage)
                    output = (usage["output_tokens"] as? Int) ?? 0
                    sawUsage = true
                }
            case "content_block_delta":
                if let delta = object["delta"] as? [String: Any], (delta["type"] as? String) == "text_delta",
                    let text = delta["text"] as? String, !text.isEmpty
                {
                    continuation.yield(.delta(text))
                }
            case "message_delta":
                if let delta = object["delta"] as? [String: Any], let reason = delta["stop_reason"] as? String { stopReason = reason }
                if let usage = object["usage"] as? [String: Any], let out = usage["output_tokens"] as? Int {
                    output = out
                    sawUsage = true
                }
            case "message_stop":
                stopped = true
            case "error":
                let error = object["error"] as? [String: Any]
                throw ModelError.streamError(
                    provider: provider, type: (error?["type"] as? String) ?? "error", detail: (error?["message"] as? String) ?? "")
            default:
                break  // ping, content_block_start/stop, and event types added later
            }
        }
        try await readEvents(response, provider: provider, missingEnd: " message_stop ", isDone: { stopped }, handle: handle)
        continuation.yield(
            .finished(reason: stopReason, usage: sawUsage ? TokenUsage(promptTokens: input, completionTokens: output) : nil))
    }

    public func embed(_ inputs: [String], model: String) async throws -> EmbeddingResult {
        throw ModelError.http(
            provider: name, status: 404, type: "not_supported", detail: "Anthropic には埋め込み API がありません")
    }

    /// Anthropic has no plain completion endpoint; the prompt becomes one user message.
    public func complete(_ request: CompletionRequest) async throws -> ChatResult {
        try await chat(
            ChatRequest(
                model: request.model, messages: [ChatMessage(.user, request.prompt)], maxTokens: request.maxTokens,
                temperature: request.temperature, stop: request.stop))
    }
}
