import AsyncHTTPClient
import Foundation

/// One message of a conversation, in the provider-neutral form the gateway speaks.
public struct ChatMessage: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable { case system, user, assistant }
    public var role: Role
    public var content: String
    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// A chat request as the gateway hands it to a provider. `model` is the provider's own id (an Azure
/// deployment name, an Anthropic model id, whatever a vLLM/llama.cpp server reports).
public struct ChatRequest: Sendable, Equatable {
    public var model: String
    public var messages: [ChatMessage]
    public var maxTokens: Int
    public var temperature: Double?
    public var stop: [String]
    public init(model: String = "", messages: [ChatMessage], maxTokens: Int = 1024, temperature: Double? = nil, stop: [String] = []) {
        self.model = model
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stop = stop
    }
}

/// Tokens a call consumed, as the provider reported them (or as estimated when it did not).
public struct TokenUsage: Sendable, Equatable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// False when the provider sent no usage and the gateway estimated it from the text.
    public var reported: Bool
    public init(promptTokens: Int, completionTokens: Int, reported: Bool = true) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.reported = reported
    }
    public var total: Int { promptTokens + completionTokens }
}

/// What a streaming chat yields, in order: text deltas, then (once) the finish, with usage when known.
public enum ChatEvent: Sendable, Equatable {
    case delta(String)
    case finished(reason: String?, usage: TokenUsage?)
}

/// A complete (non-streamed, or collected) chat answer.
public struct ChatResult: Sendable, Equatable {
    public var text: String
    public var finishReason: String?
    public var usage: TokenUsage?
    /// The provider's own id of the model that answered (from the response, when it says).
    public var model: String?
    public init(text: String, finishReason: String?, usage: TokenUsage?, model: String? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
    }
}

/// Vectors for a batch of inputs, in input order.
public struct EmbeddingResult: Sendable, Equatable {
    public var vectors: [[Float]]
    public var usage: TokenUsage?
    public init(vectors: [[Float]], usage: TokenUsage?) {
        self.vectors = vectors
        self.usage = usage
    }
}

/// A completion (plain prompt → text) request, for OpenAI-compatible servers' `/v1/completions`.
public struct CompletionRequest: Sendable, Equatable {
    public var model: String
    public var prompt: String
    public var maxTokens: Int
    public var temperature: Double?
    public var stop: [String]
    public init(model: String = "", prompt: String, maxTokens: Int = 256, temperature: Double? = nil, stop: [String] = []) {
        self.model = model
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stop = stop
    }
}

/// One protocol every model vendor is reached through. Implementations speak the vendor's wire protocol
/// over HTTP; retries, limits and timeouts live in the shared transport.
public protocol ModelProvider: Sendable {
    var name: String { get }
    /// A whole answer.
    func chat(_ request: ChatRequest) async throws -> ChatResult
    /// The answer as it is generated. The stream ends after `.finished`, or throws.
    func streamChat(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error>
    /// Embedding vectors (pooled: one vector per input).
    func embed(_ inputs: [String], model: String) async throws -> EmbeddingResult
    /// Plain completion, where the protocol has one.
    func complete(_ request: CompletionRequest) async throws -> ChatResult
}

extension ModelProvider {
    /// Collects a stream into one result (used by tests and by callers that want streaming transport
    /// semantics — early failure, partial output — but one value).
    public func collect(_ request: ChatRequest) async throws -> ChatResult {
        var text = ""
        var reason: String?
        var usage: TokenUsage?
        for try await event in streamChat(request) {
            switch event {
            case .delta(let piece): text += piece
            case .finished(let r, let u):
                reason = r
                usage = u
            }
        }
        return ChatResult(text: text, finishReason: reason, usage: usage)
    }
}

/// Rough token count for budgeting before a call and for providers that report no usage: Japanese runs
/// about one token per character on current tokenizers, Latin text about four characters per token.
public enum TokenEstimate {
    public static func count(_ text: String) -> Int {
        var cjk = 0
        var other = 0
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x3000 { cjk += 1 } else { other += 1 }
        }
        return cjk + (other + 3) / 4
    }

    public static func count(_ messages: [ChatMessage]) -> Int {
        messages.reduce(0) { $0 + count($1.content) + 4 }
    }
}

/// A provider's stream: runs one call through the transport and lets `read` turn the 2xx body into events
/// (cancelling the consumer cancels the call).
func providerStream(
    _ call: ProviderCall, transport: ProviderTransport,
    read: @escaping @Sendable (HTTPClientResponse, AsyncThrowingStream<ChatEvent, Error>.Continuation) async throws -> Void
) -> AsyncThrowingStream<ChatEvent, Error> {
    AsyncThrowingStream { continuation in
        let task = Task {
            do {
                try await transport.withResponse(call) { response in try await read(response, continuation) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
    }
}

/// Feeds a response body through the SSE parser into `handle` until `isDone()` (or the body ends), then
/// requires `isComplete()` (default: `isDone()`) — a stream cut before its end is malformed (`missingEnd`
/// names the marker).
func readEvents(
    _ response: HTTPClientResponse, provider: String, missingEnd: String, isDone: () -> Bool, isComplete: (() -> Bool)? = nil,
    handle: (ServerSentEvent) throws -> Void
) async throws {
    var parser = ServerSentEventParser()
    do {
        for try await buffer in response.body {
            for event in try parser.feed(buffer.readableBytesView) where !isDone() { try handle(event) }
            if isDone() { break }
        }
    } catch let error as ModelError {
        throw error
    } catch is ServerSentEventParser.ParseError {
        throw ModelError.malformed(provider: provider, detail: "イベントストリームの行が長すぎます")
    }
    if !isDone() { for event in parser.finish() where !isDone() { try handle(event) } }
    let complete = isComplete?() ?? isDone()
    guard complete else { throw ModelError.malformed(provider: provider, detail: "ストリームが\(missingEnd)なしに切れました") }
}
