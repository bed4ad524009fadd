import Crypto
import Foundation
import HirobaCore
import JWTKit
import Storage

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Why a single sign-on attempt was refused. Messages are for the login page; details go to the audit log.
struct OIDCError: Error, Equatable {
    var message: String
    var detail: String
}

/// The OpenID Connect relying party: authorization-code flow with PKCE (S256), state bound to a cookie, nonce,
/// and an ID token whose RS256/PS256/ES256 signature is checked against the provider's JWKS (refetched when a
/// key id is unknown), with issuer, audience, expiry and nonce checked before any account is touched.
final class OIDCClient: @unchecked Sendable {
    let settings: OIDCSettings
    private let lock = NSLock()
    private var metadata: Metadata?
    private var keys: JWTKeyCollection?
    private var pending: [String: Pending] = [:]
    let session: URLSession

    struct Metadata: Decodable {
        var issuer: String
        var authorization_endpoint: String
        var token_endpoint: String
        var jwks_uri: String
    }

    /// One authorization request in flight, keyed by its `state`.
    struct Pending {
        var nonce: String
        var verifier: String
        var created: Date
    }

    /// What a successful sign-in proves about the user.
    struct Identity: Equatable {
        var subject: String
        var preferredLogin: String?
        var displayName: String
        var claims: [String: String]
        var roles: [String]
    }

    static let allowedAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
    static let pendingLifetime: TimeInterval = 600

    init(settings: OIDCSettings) {
        self.settings = settings
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration)
    }

    // MARK: HTTP

    func getJSON<T: Decodable>(_ url: String, as type: T.Type) async throws -> T {
        guard let u = URL(string: url) else { throw OIDCError(message: Self.providerTrouble, detail: "bad URL \(url)") }
        let (data, response) = try await session.data(from: u)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw OIDCError(message: Self.providerTrouble, detail: "GET \(url) → \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }

    static let providerTrouble = "認証サーバーに接続できませんでした。しばらくしてから再度お試しください。"

    func discover() async throws -> Metadata {
        if let m = lock.withLock({ metadata }) { return m }
        let m: Metadata
        do {
            m = try await getJSON(settings.issuer + "/.well-known/openid-configuration", as: Metadata.self)
        } catch let e as OIDCError { throw e } catch {
            throw OIDCError(message: Self.providerTrouble, detail: "discovery: \(error)")
        }
        // The document must be the configured issuer's own (OpenID Connect Discovery 1.0 §4.3).
        guard m.issuer == settings.issuer else {
            throw OIDCError(message: Self.providerTrouble, detail: "discovery issuer \(m.issuer) ≠ configured \(settings.issuer)")
        }
        lock.withLock { metadata = m }
        return m
    }

    func keyCollection(refresh: Bool) async throws -> JWTKeyCollection {
        if !refresh, let k = lock.withLock({ keys }) { return k }
        let m = try await discover()
        guard let url = URL(string: m.jwks_uri) else { throw OIDCError(message: Self.providerTrouble, detail: "bad jwks_uri") }
        let (data, _) = try await session.data(from: url)
        let collection = JWTKeyCollection()
        do {
            try await collection.add(jwksJSON: String(decoding: data, as: UTF8.self))
        } catch {
            throw OIDCError(message: Self.providerTrouble, detail: "JWKS unreadable: \(error)")
        }
        lock.withLock { keys = collection }
        return collection
    }

    // MARK: the flow

    static func random() -> String { base64URL(Data((0..<32).map { _ in UInt8.random(in: 0...255) })) }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The provider's authorization URL for a new sign-in, and the `state` to bind to the browser.
    func start(now: Date = Date()) async throws -> (url: String, state: String) {
        let m = try await discover()
        let state = Self.random(), nonce = Self.random(), verifier = Self.random()
        let challenge = Self.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
        lock.withLock {
            pending = pending.filter { now.timeIntervalSince($0.value.created) < Self.pendingLifetime }
            if pending.count > 10_000 { pending.removeAll() }
            pending[state] = Pending(nonce: nonce, verifier: verifier, created: now)
        }
        var components = URLComponents(string: m.authorization_endpoint)
        let existing = components?.queryItems ?? []
        components?.queryItems = existing + [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: settings.clientID),
            URLQueryItem(name: "redirect_uri", value: settings.redirectURI), URLQueryItem(name: "scope", value: settings.scopes),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: challenge), URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let url = components?.url?.absoluteString else {
            throw OIDCError(message: Self.providerTrouble, detail: "bad authorization_endpoint")
        }
        return (url, state)
    }

    /// Completes a sign-in: `state` must be one we issued to this browser (`cookieState`), unexpired and unused.
    func finish(code: String, state: String, cookieState: String?, now: Date = Date()) async throws -> Identity {
        guard let cookieState, constantTimeEqual(cookieState, state) else {
            throw OIDCError(message: Self.expired, detail: "state does not match the browser's cookie")
        }
        guard let request = lock.withLock({ pending.removeValue(forKey: state) }),
            now.timeIntervalSince(request.created) < Self.pendingLifetime
        else { throw OIDCError(message: Self.expired, detail: "unknown or expired state") }
        let m = try await discover()
        let idToken = try await exchange(code: code, verifier: request.verifier, tokenEndpoint: m.token_endpoint)
        return try await verify(idToken: idToken, nonce: request.nonce, now: now)
    }

    static let expired = "ログインの手続きの有効期限が切れたか、別の画面で開始されました。もう一度ログインしてください。"
    static let rejected = "認証サーバーからの応答を確認できなかったため、ログインできませんでした。"

    func exchange(code: String, verifier: String, tokenEndpoint: String) async throws -> String {
        guard let url = URL(string: tokenEndpoint) else { throw OIDCError(message: Self.providerTrouble, detail: "bad token_endpoint") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        func enc(_ s: String) -> String {
            s.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
        }
        // client_secret_basic (RFC 6749 §2.3.1: form-encode, then Base64).
        let basic = Data("\(enc(settings.clientID)):\(enc(settings.clientSecret))".utf8).base64EncodedString()
        request.setValue("Basic \(basic)", forHTTPHeaderField: "Authorization")
        request.httpBody = Data(
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", settings.redirectURI), ("code_verifier", verifier)]
                .map { "\($0)=\(enc($1))" }.joined(separator: "&").utf8)
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard status == 200, let idToken = body?["id_token"] as? String else {
            throw OIDCError(message: Self.rejected, detail: "token endpoint → \(status) \(body?["error"] as? String ?? "")")
        }
        return idToken
    }

    struct IDTokenClaims: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var nonce: String?

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    /// Checks the ID token (algorithm, signature, issuer, audience, expiry, issue time, nonce) and reads the claims.
    func verify(idToken: String, nonce: String, now: Date = Date()) async throws -> Identity {
        let parts = idToken.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.decodeSegment(parts[0]), let alg = header["alg"] as? String else {
            throw OIDCError(message: Self.rejected, detail: "ID token is not a JWS")
        }
        guard Self.allowedAlgorithms.contains(alg) else {
            throw OIDCError(message: Self.rejected, detail: "ID token algorithm \(alg) refused")
        }
        var collection = try await keyCollection(refresh: false)
        if let kid = header["kid"] as? String, !(await Self.has(collection, kid: kid)) {
            // The provider may have rotated its keys: fetch its JWKS once more.
            collection = try await keyCollection(refresh: true)
        }
        let claims: IDTokenClaims
        do {
            claims = try await collection.verify(idToken, as: IDTokenClaims.self)
        } catch {
            throw OIDCError(message: Self.rejected, detail: "ID token signature or expiry: \(error)")
        }
        guard claims.iss.value == settings.issuer else {
            throw OIDCError(message: Self.rejected, detail: "issuer \(claims.iss.value) ≠ \(settings.issuer)")
        }
        guard claims.aud.value.contains(settings.clientID) else {
            throw OIDCError(message: Self.rejected, detail: "audience \(claims.aud.value) lacks \(settings.clientID)")
        }
        guard let sent = claims.nonce, constantTimeEqual(sent, nonce) else {
            throw OIDCError(message: Self.rejected, detail: "nonce mismatch")
        }
        guard claims.iat.value.timeIntervalSince(now) < 300 else {
            throw OIDCError(message: Self.rejected, detail: "issued in the future")
        }
        let payload = Self.decodeSegment(parts[1]) ?? [:]
        var values: [String: String] = [:]
        for key in [settings.organizationClaim, settings.bureauClaim, settings.sectionClaim] {
            if let v = payload[key] as? String { values[key] = v.trimmingCharacters(in: .whitespaces) }
        }
        let roles: [String]
        switch payload[settings.rolesClaim] {
        case let list as [String]: roles = list
        case let text as String: roles = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        default: roles = []
        }
        return Identity(
            subject: "\(claims.iss.value)|\(claims.sub.value)", preferredLogin: payload["preferred_username"] as? String,
            displayName: (payload["name"] as? String) ?? (payload["preferred_username"] as? String) ?? claims.sub.value,
            claims: values, roles: roles)
    }

    static func has(_ keys: JWTKeyCollection, kid: String) async -> Bool {
        (try? await keys.getKey(for: JWKIdentifier(string: kid))) != nil
    }

    static func decodeSegment(_ segment: Substring) -> [String: Any]? {
        var s = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        guard let data = Data(base64Encoded: s) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Where the claims place the user, and their roles (unknown role names are ignored; staff at least).
    func placement(_ identity: Identity, accounts: AccountStore) throws -> (Placement, Set<Role>) {
        guard let org = identity.claims[settings.organizationClaim], let bureau = identity.claims[settings.bureauClaim],
            let section = identity.claims[settings.sectionClaim], !org.isEmpty, !bureau.isEmpty, !section.isEmpty
        else {
            throw OIDCError(
                message: "認証サーバーの登録に所属（団体・局・課）がないため、ログインできません。情報システム担当に所属の登録を依頼してください。",
                detail: "missing claims \(settings.organizationClaim)/\(settings.bureauClaim)/\(settings.sectionClaim)")
        }
        let placement: Placement
        do {
            placement = try accounts.ensurePlacement(organization: org, bureau: bureau, section: section)
        } catch {
            throw OIDCError(message: "所属の名前が不正なため、ログインできません（\(org) / \(bureau) / \(section)）。", detail: "\(error)")
        }
        var roles = Set(identity.roles.compactMap(Role.init(rawValue:)))
        roles.insert(.staff)
        return (placement, roles)
    }
}
