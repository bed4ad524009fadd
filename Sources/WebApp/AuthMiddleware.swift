import Foundation
import HirobaCore
import Hummingbird
import Storage

/// Resolves who is calling: an `Authorization: Bearer hbt_…` API token, else the `hiroba_session` cookie.
/// It never rejects; routes decide what needs a user. Unsafe methods on a cookie session must carry the
/// session's CSRF token (form field `csrf` or header `X-CSRF-Token`) — checked by `requireCSRF`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = HirobaContext
    let services: AppServices

    static let sessionCookie = "hiroba_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization] {
            guard let token = Self.bearerToken(authorization) else { throw APIError.unauthorized }
            let version = try services.database.dataVersion()
            guard let user = try services.accounts.user(apiToken: token, version: version) else { throw APIError.unauthorized }
            context.user = user
            context.viaToken = true
            context.dataVersion = version
        } else if let token = request.cookies[Self.sessionCookie]?.value, let session = try services.accounts.session(token: token) {
            context.user = session.user
            context.session = session
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 9110), else nil.
    static func bearerToken(_ header: String) -> String? {
        let utf8 = header.utf8
        guard utf8.count > 7 else { return nil }
        // "bearer " compared as ASCII with the case bit folded: no Unicode lower-casing per request.
        let scheme: [UInt8] = [0x62, 0x65, 0x61, 0x72, 0x65, 0x72]
        for (byte, expected) in zip(utf8.prefix(6), scheme) where byte | 0x20 != expected { return nil }
        guard utf8.dropFirst(6).first == 0x20 else { return nil }
        let token = header.utf8.dropFirst(7)
        return token.isEmpty ? nil : String(token)
    }
}

extension HirobaContext {
    /// The signed-in user, or 401.
    func requireUser() throws -> UserAccount {
        guard let user else { throw APIError.unauthorized }
        return user
    }

    /// For cookie sessions, the CSRF token sent with an unsafe request must match the session's.
    func requireCSRF(_ sent: String?) throws {
        guard !viaToken else { return }
        guard let session, let sent, !sent.isEmpty, constantTimeEqual(sent, session.csrfToken) else { throw APIError.csrf }
    }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}
