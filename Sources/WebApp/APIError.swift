import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import Ingest
import Listening
import LLM
import NIOCore
import Search
import Storage

extension APIError: HirobaError {}

/// An error answered as JSON `{"error": {"code", "message", "fix"}}` with a 4xx/5xx status.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var fix: String

    public init(_ status: HTTPResponse.Status, code: String, message: String, fix: String) {
        self.status = status
        self.code = code
        self.message = message
        self.fix = fix
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: [String: Any] = ["error": ["code": code, "message": message, "fix": fix]]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"hiroba\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    static let unauthorized = APIError(
        .unauthorized, code: "unauthorized", message: "ログインしていないか、トークンが無効です",
        fix: "Sign in, or send a valid API token as `Authorization: Bearer hbt_…`.")
    static let forbidden = APIError(
        .forbidden, code: "forbidden", message: "この操作の権限がありません", fix: "Ask an administrator for the role or grant.")
    static let csrf = APIError(
        .forbidden, code: "csrf", message: "フォームの有効期限が切れたか、不正な送信です",
        fix: "Reload the page and submit again (API clients: send the X-CSRF-Token header, or use a token).")

    static func badRequest(_ message: String, fix: String, code: String = "bad_request") -> APIError {
        APIError(.badRequest, code: code, message: message, fix: fix)
    }

    /// Maps the modules' errors to statuses; anything unexpected becomes a 500 without internals.
    static func from(_ error: Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as SearchError: return APIError(.badRequest, code: "bad_query", message: e.message, fix: e.fix)
        case let e as StorageError:
            switch e {
            case .collectionNotFound, .documentNotFound, .listeningProjectNotFound: return APIError(.notFound, code: "not_found", message: e.message, fix: e.fix)
            case .invalidName: return APIError(.badRequest, code: "bad_request", message: e.message, fix: e.fix)
            case .collectionExists: return APIError(.conflict, code: "conflict", message: e.message, fix: e.fix)
            default: return APIError(.internalServerError, code: "storage", message: "保存領域のエラーが発生しました", fix: "See the server log.")
            }
        case let e as ListeningError:
            switch e {
            case .cacheUnreadable, .badResult:
                return APIError(.internalServerError, code: "listening_storage", message: e.message, fix: "Run the analysis again (it redoes every step).")
            default: return APIError(.badRequest, code: "bad_listening_input", message: e.message, fix: e.fix)
            }
        case let e as IngestError:
            return APIError(.unprocessableContent, code: "unreadable_file", message: e.message, fix: e.fix)
        case let e as AccountError:
            if case .notPermitted = e { return APIError(.forbidden, code: "forbidden", message: e.message, fix: e.fix) }
            if case .unknownUser = e { return APIError(.notFound, code: "not_found", message: e.message, fix: e.fix) }
            return APIError(.badRequest, code: "bad_request", message: e.message, fix: e.fix)
        case let e as GatewayError:
            switch e {
            case .quotaExceeded: return APIError(.tooManyRequests, code: "quota_exceeded", message: e.message, fix: e.fix)
            case .personalDataBlocked, .personalDataUncheckable:
                return APIError(.unprocessableContent, code: "personal_data_blocked", message: e.message, fix: e.fix)
            case .modelNotAllowed: return APIError(.forbidden, code: "model_not_allowed", message: e.message, fix: e.fix)
            case .unknownModel, .wrongKind: return APIError(.badRequest, code: "unknown_model", message: e.message, fix: e.fix)
            case .noModelConfigured: return APIError(.badRequest, code: "no_model", message: e.message, fix: e.fix)
            case .allModelsFailed: return APIError(.badGateway, code: "model_unavailable", message: e.message, fix: e.fix)
            }
        case let e as ModelError:
            return APIError(.badGateway, code: "model_error", message: e.message, fix: e.fix)
        case let e as HTTPError:
            return APIError(e.status, code: "http_\(e.status.code)", message: e.body ?? e.status.reasonPhrase, fix: "Check the request.")
        case is DecodingError:
            return badRequest("JSON の形式が正しくありません", fix: "Send a JSON object as described in /api/v1/openapi.json.", code: "malformed_json")
        default:
            return APIError(.internalServerError, code: "internal", message: "サーバー内部でエラーが発生しました", fix: "See the server log.")
        }
    }
}

/// Turns every error thrown under /api into an `APIError` JSON body (and logs the unexpected ones).
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let mapped = APIError.from(error)
            if mapped.status == .internalServerError { context.logger.error("request failed: \(String(reflecting: error))") }
            throw mapped
        }
    }
}
