import Foundation
import GRDB
import HirobaCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import TestSupport
import Testing

@testable import WebApp

@Suite("Server: health, login, search, API")
struct ServerTests {
    @Test func healthReadinessAndMetrics() async throws {
        let fixture = try WebAppFixture()
        try await fixture.test { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(String(buffer: metrics.body).contains("hiroba_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"))
        }
    }

    @Test func loginSearchAndLogout() async throws {
        let fixture = try WebAppFixture()
        try await fixture.test { client in
            #expect(try await client.execute(uri: "/", method: .get).headers[.location] == "/login")
            let loginPage = String(buffer: try await client.execute(uri: "/login", method: .get).body)
            #expect(loginPage.contains("<label for=\"password\">パスワード</label>"))
            #expect(!loginPage.contains("role=\"alert\""), "an empty login form shows no error")
            let wrong = try await WebAppFixture.login(client, login: "kaikei", password: "wrong-password-1")
            #expect(wrong == nil)
            let (cookie, csrf) = try #require(try await WebAppFixture.login(client, login: "kaikei"))
            let session = "\(AuthMiddleware.sessionCookie)=\(cookie)"
            let page = try await client.execute(uri: "/?q=%E6%94%AF%E5%87%BA%E5%91%BD%E4%BB%A4", method: .get, headers: [.cookie: session])
            let html = String(buffer: page.body)
            #expect(html.contains("会計 太郎"))
            #expect(html.contains("会計事務の手引"))
            #expect(!html.contains("福祉の手引"), "another bureau's section-only collection leaked into the page")
            #expect(html.contains("<mark>支出命令</mark>") || html.contains("<mark>支出</mark>"))
            // A form post without the session's CSRF token is refused and the session survives.
            let forged = try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=forged"))
            #expect(forged.status == .forbidden)
            #expect(try WebAppFixture.json(forged)["error"] != nil)
            let out = try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(csrf)"))
            #expect(out.status == .found)
            // The old cookie no longer opens anything.
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).headers[.location] == "/login")
        }
        let actions = try fixture.services.audit.entries().map(\.action)
        #expect(actions.contains("login.failure") && actions.contains("login.success") && actions.contains("search") && actions.contains("logout"))
        #expect(try fixture.services.audit.verify().ok)
    }

    @Test func repeatedFailuresLockTheAccount() async throws {
        let fixture = try WebAppFixture()
        try await fixture.test { client in
            for _ in 0..<5 {
                let failed = try await WebAppFixture.login(client, login: "fukushi", password: "not-the-password")
                #expect(failed == nil)
            }
            // Locked: even the right password is refused for now.
            let refused = try await WebAppFixture.login(client, login: "fukushi")
            #expect(refused == nil)
        }
        let locked = try fixture.services.accounts.authenticate(login: "fukushi", password: WebAppFixture.password)
        #expect(locked != .success(fixture.fukushi))
        try fixture.services.accounts.resetPassword(login: "fukushi", password: "a-brand-new-passphrase")
        let unlocked = try fixture.services.accounts.authenticate(login: "fukushi", password: "a-brand-new-passphrase")
        #expect(unlocked == .success(fixture.fukushi))
        #expect(try fixture.services.audit.entries(action: "login.locked").count >= 1)
    }

    @Test func loginFloodFromOneAddressIsThrottled() async throws {
        var config = WebAppFixture.config
        config.loginAttemptsPerMinute = 3
        let fixture = try WebAppFixture(config: config)
        try await fixture.test { client in
            for _ in 0..<3 { _ = try await WebAppFixture.login(client, login: "nobody", password: "whatever-123") }
            let page = try await client.execute(uri: "/login", method: .get)
            let csrf = WebAppFixture.formValue(named: "csrf", in: String(buffer: page.body)) ?? ""
            let cookie = WebAppFixture.cookie(named: WebController.loginCSRFCookie, in: page) ?? ""
            let response = try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(WebController.loginCSRFCookie)=\(cookie)"],
                body: ByteBuffer(string: "login=kaikei&password=\(WebAppFixture.password)&csrf=\(csrf)"))
            #expect(response.status == .tooManyRequests)
        }
    }

    @Test func apiWithTokensAndAccessScope() async throws {
        let fixture = try WebAppFixture()
        let kaikeiToken = try fixture.services.accounts.issueToken(login: "kaikei", name: "test")
        let fukushiToken = try fixture.services.accounts.issueToken(login: "fukushi", name: "test")
        try await fixture.test { client in
            func search(_ token: String?, _ query: String = "支出命令", collection: String? = nil) async throws -> TestResponse {
                var uri = "/api/v1/search?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                if let collection { uri += "&collection=\(collection.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                var headers = HTTPFields()
                if let token { headers[.authorization] = "Bearer \(token)" }
                return try await client.execute(uri: uri, method: .get, headers: headers)
            }
            let mine = try WebAppFixture.json(try await search(kaikeiToken))
            #expect((mine["hits"] as? [[String: Any]])?.compactMap { $0["collection"] as? String } == ["会計"])
            #expect(mine["total"] as? Int == 1)
            // A collection the caller may not read answers exactly like one that does not exist.
            let hidden = try await search(kaikeiToken, collection: "福祉")
            #expect(hidden.status == .notFound)
            let missing = try await search(kaikeiToken, collection: "存在しない")
            #expect(missing.status == .notFound)
            let hiddenError = try #require(try WebAppFixture.json(hidden)["error"] as? [String: String])
            let missingError = try #require(try WebAppFixture.json(missing)["error"] as? [String: String])
            #expect(hiddenError["code"] == missingError["code"])
            #expect(hiddenError["fix"] == missingError["fix"])
            #expect(hiddenError["message"] == missingError["message"]?.replacingOccurrences(of: "存在しない", with: "福祉"))
            // Anonymous callers see public collections only (none yet).
            let anonymous = try WebAppFixture.json(try await search(nil))
            #expect(anonymous["total"] as? Int == 0)
            // A grant to the 会計管理局 opens 福祉 to kaikei but not to anyone else.
            let bureau = try fixture.services.accounts.lookup(path: "みなと市/会計管理局")
            try fixture.services.access.grant(
                collection: "福祉", to: .init(kind: bureau.kind, granteeID: bureau.id), by: nil)
            let granted = try WebAppFixture.json(try await search(kaikeiToken))
            #expect(Set((granted["hits"] as? [[String: Any]])?.compactMap { $0["collection"] as? String } ?? []) == ["会計", "福祉"])
            let other = try WebAppFixture.json(try await search(fukushiToken))
            #expect((other["hits"] as? [[String: Any]])?.compactMap { $0["collection"] as? String } == ["福祉"])
            // Forged and revoked tokens are refused with a JSON error.
            let forged = try await search("hbt_forged")
            #expect(forged.status == .unauthorized)
            #expect((try WebAppFixture.json(forged)["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            try fixture.services.accounts.setDisabled(login: "fukushi", true)
            #expect(try await search(fukushiToken).status == .unauthorized)
        }
    }

    @Test func badRequestsGetClearJSONErrorsAndTheServerStaysUp() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "test")
        try await fixture.test { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            func post(_ body: String, headers: HTTPFields = auth) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/search", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            func code(_ r: TestResponse) throws -> String? { (try WebAppFixture.json(r)["error"] as? [String: Any])?["code"] as? String }
            let malformed = try await post("{\"query\": ")
            #expect(malformed.status == .badRequest)
            #expect(try code(malformed) == "malformed_json")
            let wrongType = try await post("query=支出", headers: [.authorization: "Bearer \(token)", .contentType: "text/plain"])
            #expect(wrongType.status == .unsupportedMediaType)
            let long = try await post("{\"query\": \"\(String(repeating: "予算", count: 5000))\"}")
            #expect(long.status == .badRequest)
            #expect(try code(long) == "query_too_long")
            let badK = try await post("{\"query\": \"支出\", \"k\": 100000}")
            #expect(badK.status == .badRequest)
            let empty = try await post("{\"query\": \"   \"}")
            #expect(empty.status == .badRequest)
            // Query syntax of SQL or FTS engines is plain text here.
            for hostile in ["支出' OR 1=1 --", "支出 NEAR(\\\"a\\\" b) OR * ^", "\\\"; DROP TABLE chunks; --"] {
                let r = try await post("{\"query\": \"\(hostile)\"}")
                #expect(r.status == .ok || r.status == .badRequest, "\(hostile) → \(r.status)")
            }
            let oversized = try await client.execute(
                uri: "/api/v1/search", method: .post, headers: auth,
                body: ByteBuffer(repeating: UInt8(ascii: " "), count: 70 * 1024 * 1024))
            #expect(oversized.status == .contentTooLarge)
            // Still up, and nothing was lost.
            let ok = try await post("{\"query\": \"支出命令\"}")
            #expect(ok.status == .ok)
            #expect(try WebAppFixture.json(ok)["total"] as? Int == 1)
        }
    }

    @Test func expiredSessionCookiesAreAnonymous() async throws {
        let fixture = try WebAppFixture()
        let session = try fixture.services.accounts.startSession(user: fixture.kaikei, address: nil, lifetime: -1)
        try await fixture.test { client in
            let me = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.cookie: "\(AuthMiddleware.sessionCookie)=\(session.token)"])
            #expect(me.status == .unauthorized)
            let forged = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.cookie: "\(AuthMiddleware.sessionCookie)=forged-value"])
            #expect(forged.status == .unauthorized)
        }
    }

    @Test func configurationFromTheEnvironment() throws {
        let c = try AppConfig.fromEnvironment(["HIROBA_PORT": "9090", "HIROBA_SECURE_COOKIES": "1", "HIROBA_SESSION_HOURS": "2"])
        #expect(c.port == 9090 && c.secureCookies && c.sessionLifetime == 7200)
        #expect(throws: ConfigError.invalid("HIROBA_PORT", "80a", "1…65535")) { try AppConfig.fromEnvironment(["HIROBA_PORT": "80a"]) }
        #expect(throws: ConfigError.invalid("HIROBA_BCRYPT_COST", "40", "4…16")) {
            try AppConfig.fromEnvironment(["HIROBA_BCRYPT_COST": "40"])
        }
        // Event loops: a quarter of the cores by default, at least one; out of range or not a number is refused.
        #expect(try AppConfig.fromEnvironment([:]).eventLoops == max(1, ProcessInfo.processInfo.activeProcessorCount / 4))
        #expect(try AppConfig.fromEnvironment(["HIROBA_EVENT_LOOPS": "3"]).eventLoops == 3)
        #expect(throws: ConfigError.invalid("HIROBA_EVENT_LOOPS", "0", "1…256")) { try AppConfig.fromEnvironment(["HIROBA_EVENT_LOOPS": "0"]) }
        #expect(throws: ConfigError.invalid("HIROBA_EVENT_LOOPS", "two", "1…256")) {
            try AppConfig.fromEnvironment(["HIROBA_EVENT_LOOPS": "two"])
        }
    }

    @Test func openAPIDescribesExactlyTheAPIRoutes() throws {
        let fixture = try WebAppFixture()
        let router = buildRouter(services: fixture.services)
        let routed = Set(
            router.routes.filter { $0.path.description.hasPrefix("/api/v1") }.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPI.document.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
        #expect(routed == documented)
    }
}
