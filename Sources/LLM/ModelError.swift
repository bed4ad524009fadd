import Foundation
import HirobaCore

/// What went wrong talking to a model provider. Messages are for the operator and the user (Japanese);
/// no secret and no prompt text is ever part of one.
public enum ModelError: HirobaError, Equatable {
    /// The provider could not be reached (connection refused, DNS, TLS).
    case unavailable(provider: String, detail: String)
    /// No answer (or no next byte of a stream) within the configured time.
    case timeout(provider: String, seconds: Double)
    /// 429 after every retry.
    case rateLimited(provider: String, retryAfter: Double?)
    /// Any other HTTP error status, with the provider's own error message when it sent one.
    case http(provider: String, status: Int, type: String?, detail: String)
    /// The provider answered something that does not follow its protocol.
    case malformed(provider: String, detail: String)
    /// The provider reported an error inside a stream (Anthropic `event: error`, an OpenAI `error` chunk).
    case streamError(provider: String, type: String, detail: String)

    public var message: String {
        switch self {
        case .unavailable(let p, let d): return "モデル提供元「\(p)」に接続できません（\(d)）"
        case .timeout(let p, let s): return "モデル提供元「\(p)」が \(Self.format(s)) 秒以内に応答しませんでした"
        case .rateLimited(let p, let after):
            return "モデル提供元「\(p)」の利用上限（429）に達しました" + (after.map { "（\(Self.format($0)) 秒後に再試行可）" } ?? "")
        case .http(let p, let status, let type, let d):
            return "モデル提供元「\(p)」がエラー \(status)\(type.map { " \($0)" } ?? "") を返しました: \(d)"
        case .malformed(let p, let d): return "モデル提供元「\(p)」の応答を解釈できません: \(d)"
        case .streamError(let p, let type, let d): return "モデル提供元「\(p)」が応答の途中でエラー \(type) を返しました: \(d)"
        }
    }

    public var fix: String {
        switch self {
        case .unavailable: return "Check that the model server is running and that base_url in the model configuration is right."
        case .timeout: return "Raise timeout_seconds for the provider, or use a smaller/faster model."
        case .rateLimited: return "Wait and retry, lower max_concurrency, or configure a fallback model."
        case .http(_, let status, _, _):
            switch status {
            case 401, 403: return "Check the API key (the env variable named by api_key_env) and the key's permissions."
            case 404: return "Check the model id / Azure deployment name and api_version in the model configuration."
            case 400: return "The request was refused (e.g. too long or filtered); shorten the question or the sources."
            default: return "Retry later; configure a fallback model for resilience."
            }
        case .malformed: return "Check that the provider kind (openai, azure, anthropic) matches the server at base_url."
        case .streamError: return "Retry; configure a fallback model for resilience."
        }
    }

    /// Worth another attempt (same provider after backoff, or the fallback model).
    public var isTransient: Bool {
        switch self {
        case .unavailable, .timeout, .rateLimited, .streamError: return true
        case .http(_, let status, _, _): return status == 408 || status == 409 || status >= 500
        case .malformed: return false
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
