import AsyncHTTPClient
import Foundation
import NIOCore

/// OpenAI's chat-completions / embeddings / completions protocol, as spoken by OpenAI, Azure OpenAI
/// deployments (`api-key` header, `/openai/deployments/{name}/…?api-version=`), vLLM, Ollama and the
/// llama.cpp server.
public struct OpenAICompatibleProvider: ModelProvider {
    public enum Flavor: Sendable, Equatable {
        /// `{base_url}/chat/completions` with `Authorization: Bearer`; base_url ends in `/v1` (or Ollama's `/v1`).
        case openAI
        /// `{base_url}/openai/deployments/{model}/chat/completions?api-version=…` with `api-key`.
        case azure(apiVersion: String)
    }

    public let name: String
    let baseURL: String
    let apiKey: String?
    let flavor: Flavor
    /// Ask for a final usage chunk in streams (`stream_options.include_usage`).
    let streamUsage: Bool
    let transport: ProviderTransport

    public init(name: String, baseURL: String, apiKey: String?, flavor: Flavor, streamUsage: Bool = true, transport: ProviderTransport) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.flavor = flavor
        self.streamUsage = streamUsage
        self.transport = transport
    }

    /// The provider's error body (`{"error": {"message", "type", "code"}}`) as (type, message).
    public static func describeError(status: Int, body: Data) -> (type: String?, message: String) {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let error = object["error"] as? [String: Any]
        {
            let type = (error["code"] as? String) ?? (error["type"] as? String)
            return (type, (error["message"] as? String) ?? "")
        }
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let message = (object["error"] as? String) ?? (object["message"] as? String) ?? (object["detail"] as? String)
        {
            return (nil, message)
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (nil, text.isEmpty ? "HTTP \(status)" : text)
    }

    func url(_ endpoint: String, model: String) -> String {
        switch flavor {
        case .openAI:
            return "\(baseURL)/\(endpoint)"
        case .azure(let version):
            let deployment = model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? model
            let query = version.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? version
            return "\(baseURL)/openai/deployments/\(deployment)/\(endpoint)?api-version=\(query)"
        }
    }

    var headers: [(String, String)] {
        var headers = [("content-type", "application/json"), ("accept", "application/json")]
        if let apiKey, !apiKey.isEmpty {
            switch flavor {
            case .openAI: headers.append(("authorization", "Bearer \(apiKey)"))
            case .azure: headers.append(("api-key", apiKey))
            }
        }
        return headers
    }

    func chatBody(_ request: ChatRequest, stream: Bool) -> Data {
        var body: [String: Any] = [
            "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] },
            "max_tokens": request.maxTokens,
        ]
        if flavor == .openAI { body["model"] = request.model }
        if let t = request.temperature { body["temperature"] = t }
        if !request.stop.isEmpty { body["stop"] = request.stop }
        if stream {
            body["stream"] = true
            if streamUsage { body["stream_options"] = ["include_usage": true] }
        }
        return (try? JSONSerialization.data(withJSONObject: body, options: [.withoutEscapingSlashes])) ?? Data()
    }

    public func chat(_ request: ChatRequest) async throws -> ChatResult {
        let call = ProviderCall(url: url("chat/completions", model: request.model), headers: headers, body: chatBody(request, stream: false))
        let (_, data) = try await transport.send(call)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelError.malformed(provider: name, detail: "JSON ではない応答")
        }
        guard let choices = object["choices"] as? [[String: Any]], let first = choices.first,
            let message = first["message"] as? [String: Any]
        else {
            throw ModelError.malformed(provider: name, detail: "choices[0].message がありません")
        }
        // A filtered completion may carry null content with finish_reason "content_filter".
        let text = (message["content"] as? String) ?? ""
        return ChatResult(
            text: text, finishReason: first["finish_reason"] as? String, usage: Self.usage(object["usage"]),
            model: object["model"] as? String)
    }

    static func usage(_ value: Any?) -> TokenUsage? {
        guard let usage = value as? [String: Any] else { return nil }
        let prompt = (usage["prompt_tokens"] as? Int) ?? 0
        let completion = (usage["completion_tokens"] as? Int) ?? max(0, ((usage["total_tokens"] as? Int) ?? 0) - prompt)
        return TokenUsage(promptTokens: prompt, completionTokens: completion)
    }

    public func streamChat(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        let call = ProviderCall(url: url("chat/completions", model: request.model), headers: headers.filter { $0.0 != "accept" } + [("accept", "text/event-stream")], body: chatBody(request, stream: true))
        let name = self.name
        return providerStream(call, transport: transport) { response, continuation in
            try await Self.readStream(response, provider: name, continuation: continuation)
        }
    }

    /// Reads `data:` chunks until `[DONE]`. The finish event goes out once, after any usage chunk.
    static func readStream(
        _ response: HTTPClientResponse, provider: String, continuation: AsyncThrowingStream<ChatEvent, Error>.Continuation
    ) async throws {
        var finishReason: String?
        var usage: TokenUsage?
        var done = false
        func handle(_ event: ServerSentEvent) throws {
            if event.data == "[DONE]" {
                done = true
                return
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else {
                throw ModelError.malformed(provider: provider, detail: "ストリームの data が JSON ではありません: \(event.data.prefix(80))")
            }
            if let error = object["error"] as? [String: Any] {
                throw ModelError.streamError(
                    provider: provider, type: (error["code"] as? String) ?? (error["type"] as? String) ?? "error",
                    detail: (error["message"] as? String) ?? "")
            }
            if let u = Self.usage(object["usage"]) { usage = u }
            // Azure's first chunk has empty choices and only prompt_filter_results.
            for choice in (object["choices"] as? [[String: Any]]) ?? [] where (choice["index"] as? Int ?? 0) == 0 {
                if let delta = choice["delta"] as? [String: Any], let content = delta["content"] as? String, !content.isEmpty {
                    continuation.yield(.delta(content))
                }
                if let reason = choice["finish_reason"] as? String { finishReason = reason }
            }
        }
        // A server that closes after the finish_reason without [DONE] has still finished.
        try await readEvents(response, provider: provider, missingEnd: "終了の合図（[DONE]）", isDone: { done },
            isComplete: { done || finishReason != nil }, handle: handle)
        continuation.yield(.finished(reason: finishReason, usage: usage))
    }

    public func embed(_ inputs: [String], model: String) async throws -> EmbeddingResult {
        var body: [String: Any] = ["input": inputs, "encoding_format": "float"]
        if flavor == .openAI { body["model"] = model }
        let data = try JSONSerialization.data(withJSONObject: body)
        let (_, response) = try await transport.send(ProviderCall(url: url("embeddings", model: model), headers: headers, body: data))
        guard let object = try? JSONSerialization.jsonObject(with: response) as? [String: Any],
            let items = object["data"] as? [[String: Any]]
        else { throw ModelError.malformed(provider: name, detail: "embeddings の data がありません") }
        guard items.count == inputs.count else {
            throw ModelError.malformed(provider: name, detail: "入力 \(inputs.count) 件に対し埋め込みが \(items.count) 件")
        }
        var vectors = [[Float]](repeating: [], count: inputs.count)
        for (position, item) in items.enumerated() {
            let index = (item["index"] as? Int) ?? position
            guard vectors.indices.contains(index), let vector = Self.pooledVector(item["embedding"]) else {
                throw ModelError.malformed(provider: name, detail: "埋め込み \(index) を読めません")
            }
            vectors[index] = vector
        }
        let dims = Set(vectors.map(\.count))
        guard dims.count == 1, let dim = dims.first, dim > 0 else {
            throw ModelError.malformed(provider: name, detail: "埋め込みの次元がそろっていません")
        }
        return EmbeddingResult(vectors: vectors, usage: Self.usage(object["usage"]))
    }

    /// One vector per input: either `[Float]`, or per-token `[[Float]]` (llama.cpp without pooling),
    /// which is mean-pooled here.
    static func pooledVector(_ value: Any?) -> [Float]? {
        if let flat = value as? [NSNumber] { return flat.map { $0.floatValue } }
        guard let rows = value as? [[NSNumber]], let width = rows.first?.count, width > 0 else { return nil }
        var sum = [Float](repeating: 0, count: width)
        for row in rows {
            guard row.count == width else { return nil }
            for i in 0..<width { sum[i] += row[i].floatValue }
        }
        let n = Float(rows.count)
        return sum.map { $0 / n }
    }

    public func complete(_ request: CompletionRequest) async throws -> ChatResult {
        var body: [String: Any] = ["prompt": request.prompt, "max_tokens": request.maxTokens]
        if flavor == .openAI { body["model"] = request.model }
        if let t = request.temperature { body["temperature"] = t }
        if !request.stop.isEmpty { body["stop"] = request.stop }
        let data = try JSONSerialization.data(withJSONObject: body)
        let (_, response) = try await transport.send(ProviderCall(url: url("completions", model: request.model), headers: headers, body: data))
        guard let object = try? JSONSerialization.jsonObject(with: response) as? [String: Any],
            let choices = object["choices"] as? [[String: Any]], let first = choices.first
        else { throw ModelError.malformed(provider: name, detail: "choices がありません") }
        return ChatResult(
            text: (first["text"] as? String) ?? "", finishReason: first["finish_reason"] as? String,
            usage: Self.usage(object["usage"]), model: object["model"] as? String)
    }
}
