import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import TestSupport
import Testing

@testable import WebApp

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real OpenID Connect provider (Authlib, e2e/oidc/provider.py) on 127.0.0.1, started per test.
final class OIDCProvider: @unchecked Sendable {
    let process = Process()
    let stdin = Pipe()
    let issuer: String
    static let secret = "test-client-secret-\(UUID().uuidString)"
    static let redirect = "http://127.0.0.1:8080/auth/oidc/callback"

    init() throws {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("e2e/oidc/provider.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script, "--port", "0", "--client-id", "hiroba", "--client-secret", Self.secret, "--redirect-uri", Self.redirect,
            "--exit-on-stdin-eof",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = stdin
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY ") else {
            process.terminate()
            throw OIDCError(message: "provider did not start (is Authlib installed? scripts/install-test-deps.sh)", detail: text)
        }
        issuer = String(text.dropFirst(6))
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
    }

    var settings: OIDCSettings { OIDCSettings(issuer: issuer, clientID: "hiroba", clientSecret: Self.secret, redirectURI: Self.redirect) }

    func setMode(_ mode: String) async throws {
        var request = URLRequest(url: URL(string: issuer + "/_test/mode")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"mode":"\#(mode)"}"#.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }

    /// The user's part at the provider: posts the login form for the authorization request in `authorizeURL`
    /// and returns where the provider redirects the browser (Hiroba's callback), without following it.
    func signIn(authorizeURL: String, username: String, password: String = "password123") async throws -> URLComponents {
        let url = try #require(URL(string: authorizeURL))
        let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        var form = query.map { ($0.name, $0.value ?? "") }
        form += [("username", username), ("password", password)]
        var request = URLRequest(url: URL(string: issuer + "/authorize")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        request.httpBody = Data(
            form.map { "\($0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
                .joined(separator: "&").utf8)
        let location = try await NoRedirect.location(of: request)
        return try #require(URLComponents(string: location))
    }
}

/// Performs a request without following redirects and returns the Location header.
final class NoRedirect: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping (URLRequest?) -> Void
    ) { completionHandler(nil) }

    static func location(of request: URLRequest) async throws -> String {
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirect(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { _, response, error in
                if let error { return continuation.resume(throwing: error) }
                let http = response as? HTTPURLResponse
                guard let location = http?.value(forHTTPHeaderField: "Location") else {
                    return continuation.resume(throwing: OIDCError(message: "no redirect", detail: "status \(http?.statusCode ?? 0)"))
                }
                continuation.resume(returning: location)
            }.resume()
        }
    }
}

@Suite("OpenID Connect login against a real provider", .serialized)
struct OIDCTests {
    /// Hiroba's /auth/oidc/login → the provider's login form → Hiroba's callback; returns the callback's response.
    static func login(
        _ client: some TestClientProtocol, provider: OIDCProvider, username: String, tamperState: Bool = false
    ) async throws -> TestResponse {
        let start = try await client.execute(uri: "/auth/oidc/login", method: .get)
        #expect(start.status == .found)
        let authorize = try #require(start.headers[.location])
        let query = URLComponents(string: authorize)?.queryItems ?? []
        #expect(query.first { $0.name == "code_challenge_method" }?.value == "S256")
        #expect(query.first { $0.name == "nonce" }?.value?.isEmpty == false)
        let stateCookie = try #require(WebAppFixture.cookie(named: WebController.oidcStateCookie, in: start))
        let back = try await provider.signIn(authorizeURL: authorize, username: username)
        let path = (back.path) + "?" + (back.percentEncodedQuery ?? "")
        return try await client.execute(
            uri: path, method: .get,
            headers: [.cookie: "\(WebController.oidcStateCookie)=\(tamperState ? "someone-elses-state" : stateCookie)"])
    }

    static func fixture(_ provider: OIDCProvider) throws -> WebAppFixture {
        var config = WebAppFixture.config
        config.oidc = provider.settings
        return try WebAppFixture(config: config)
    }

    @Test func signInCreatesTheAccountFromTheClaimsAndReusesIt() async throws {
        let provider = try OIDCProvider()
        let fixture = try Self.fixture(provider)
        try await fixture.test { client in
            let page = try await client.execute(uri: "/login", method: .get)
            #expect(String(buffer: page.body).contains("/auth/oidc/login"))
            let done = try await Self.login(client, provider: provider, username: "tanaka")
            #expect(done.status == .found)
            #expect(done.headers[.location] == "/")
            let session = try #require(WebAppFixture.cookie(named: AuthMiddleware.sessionCookie, in: done))
            let me = try WebAppFixture.json(
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "\(AuthMiddleware.sessionCookie)=\(session)"]))
            #expect(me["login"] as? String == "tanaka")
            #expect(me["display_name"] as? String == "田中 花子")
            #expect(me["section"] as? String == "会計課" && me["bureau"] as? String == "財務局")
            #expect(me["roles"] as? [String] == ["staff"])
            // Signing in again uses the same account; roles follow the provider (suzuki is a bureau admin).
            _ = try await Self.login(client, provider: provider, username: "tanaka")
            let suzuki = try await Self.login(client, provider: provider, username: "suzuki")
            #expect(suzuki.status == .found)
        }
        let users = try fixture.services.accounts.users()
        #expect(users.filter { $0.login == "tanaka" }.count == 1)
        #expect(users.first { $0.login == "suzuki" }?.roles == [.staff, .bureauAdmin])
        // SSO accounts have no password.
        #expect(try fixture.services.accounts.authenticate(login: "tanaka", password: "password123") == .invalid)
        let logins = try fixture.services.audit.entries(action: "login.oidc").filter { $0.action == "login.oidc" }
        #expect(logins.count == 3)
    }

    @Test func forgedOrMismatchedTokensAreRefused() async throws {
        let provider = try OIDCProvider()
        let fixture = try Self.fixture(provider)
        try await fixture.test { client in
            for mode in ["bad_signature", "wrong_nonce", "wrong_audience", "wrong_issuer", "expired", "alg_none"] {
                try await provider.setMode(mode)
                let response = try await Self.login(client, provider: provider, username: "tanaka")
                #expect(response.status == .unauthorized, "\(mode) → \(response.status)")
                #expect(WebAppFixture.cookie(named: AuthMiddleware.sessionCookie, in: response) == nil, "\(mode) gave a session")
                #expect(String(buffer: response.body).contains("ログインできませんでした"), "\(mode)")
            }
            try await provider.setMode("normal")
            // A callback whose state is not this browser's (login CSRF) is refused before the code is redeemed.
            let crossed = try await Self.login(client, provider: provider, username: "tanaka", tamperState: true)
            #expect(crossed.status == .unauthorized)
            // A code replayed after use, and a forged code.
            let forged = try await client.execute(uri: "/auth/oidc/callback?code=forged&state=nothing", method: .get)
            #expect(forged.status == .unauthorized)
            // The provider's own refusal comes back as an error parameter.
            let denied = try await client.execute(uri: "/auth/oidc/callback?error=access_denied&state=x", method: .get)
            #expect(denied.status == .unauthorized && String(buffer: denied.body).contains("取り消されました"))
            // A user the provider knows but without a section cannot sign in.
            let nobody = try await Self.login(client, provider: provider, username: "nobody")
            #expect(nobody.status == .unauthorized && String(buffer: nobody.body).contains("所属"))
            // After all that, a genuine sign-in still works.
            let ok = try await Self.login(client, provider: provider, username: "tanaka")
            #expect(ok.status == .found)
        }
        #expect(try fixture.services.accounts.users().contains { $0.login == "tanaka" })
        #expect(try !fixture.services.accounts.users().contains { $0.displayName == "名無し" })
        let failures = try fixture.services.audit.entries(action: "login.oidc.failure")
        #expect(failures.count == 10)
        #expect(failures.contains { $0.detail?.contains("nonce") == true })
        #expect(!failures.contains { $0.detail?.contains(OIDCProvider.secret) == true })
    }

    @Test func aLocalAccountIsNeverTakenOver() async throws {
        let provider = try OIDCProvider()
        let fixture = try Self.fixture(provider)
        let local = try fixture.services.accounts.addUser(
            login: "tanaka", displayName: "別人 田中", placement: fixture.fukushi.placement, roles: [.platformAdmin], password: "local-password-1")
        try await fixture.test { client in
            let done = try await Self.login(client, provider: provider, username: "tanaka")
            let session = try #require(WebAppFixture.cookie(named: AuthMiddleware.sessionCookie, in: done))
            let me = try WebAppFixture.json(
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "\(AuthMiddleware.sessionCookie)=\(session)"]))
            #expect((me["login"] as? String)?.hasPrefix("oidc-") == true)
            #expect(me["roles"] as? [String] == ["staff"])
        }
        #expect(try fixture.services.accounts.user(id: local.id)?.roles == [.platformAdmin])
    }

    @Test func settingsFromTheEnvironment() throws {
        #expect(try AppConfig.fromEnvironment([:]).oidc == nil)
        let c = try AppConfig.fromEnvironment([
            "HIROBA_OIDC_ISSUER": "https://idp.city.example/realms/staff/", "HIROBA_OIDC_CLIENT_ID": "hiroba",
            "HIROBA_OIDC_CLIENT_SECRET": "s", "HIROBA_PORT": "9000",
        ])
        #expect(c.oidc?.issuer == "https://idp.city.example/realms/staff")
        #expect(c.oidc?.redirectURI == "http://127.0.0.1:9000/auth/oidc/callback")
        #expect(throws: ConfigError.missing("HIROBA_OIDC_CLIENT_SECRET", "the client secret issued by the provider")) {
            try AppConfig.fromEnvironment(["HIROBA_OIDC_ISSUER": "https://idp.example", "HIROBA_OIDC_CLIENT_ID": "x"])
        }
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["HIROBA_OIDC_ISSUER": "idp.example"]) }
        #expect(throws: ConfigError.self) {
            try AppConfig.fromEnvironment([
                "HIROBA_OIDC_ISSUER": "https://idp.example", "HIROBA_OIDC_CLIENT_ID": "x", "HIROBA_OIDC_CLIENT_SECRET": "s",
                "HIROBA_OIDC_SCOPES": "profile",
            ])
        }
    }
}
