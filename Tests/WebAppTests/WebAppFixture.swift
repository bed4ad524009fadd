import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LLM
import NIOCore
import Storage
import TestSupport
import Testing

@testable import WebApp

/// A server over a fresh database with two bureaus of みなと市, their users and collections.
struct WebAppFixture {
    let services: AppServices
    let dir: URL
    let kaikei: UserAccount  // 会計管理局 / 会計課
    let fukushi: UserAccount  // 福祉局 / 福祉課
    static let password = "correct-horse-battery"

    init(config: AppConfig = WebAppFixture.config, models: ModelConfiguration? = nil) throws {
        dir = TestEnvironment.temporaryDirectory()
        var config = config
        config.databasePath = dir.appendingPathComponent("web.sqlite").path
        services = try AppServices(
            config: config, database: try AppDatabase(path: config.databasePath), model: try TestEnvironment.model(), models: models)
        let accounts = services.accounts
        let kaikeiSection = try accounts.ensurePlacement(organization: "みなと市", bureau: "会計管理局", section: "会計課")
        let fukushiSection = try accounts.ensurePlacement(organization: "みなと市", bureau: "福祉局", section: "福祉課")
        kaikei = try accounts.addUser(login: "kaikei", displayName: "会計 太郎", placement: kaikeiSection, roles: [.staff], password: Self.password)
        fukushi = try accounts.addUser(login: "fukushi", displayName: "福祉 花子", placement: fukushiSection, roles: [.staff], password: Self.password)
        try TestEnvironment.write("# 会計事務の手引\n支出命令は支払日の五日前までに入力する。", to: "kaikei/tebiki.md", in: dir)
        try TestEnvironment.write("# 福祉の手引\n支出命令の入力は福祉システムから行う。", to: "fukushi/tebiki.md", in: dir)
        _ = try services.store.ingestFile(path: dir.appendingPathComponent("kaikei/tebiki.md").path, collection: "会計")
        _ = try services.store.ingestFile(path: dir.appendingPathComponent("fukushi/tebiki.md").path, collection: "福祉")
        try services.access.setAccess(collection: "会計", ownerSectionID: kaikeiSection.sectionID, visibility: .bureau)
        try services.access.setAccess(collection: "福祉", ownerSectionID: fukushiSection.sectionID, visibility: .section)
    }

    static var config: AppConfig {
        var c = AppConfig()
        c.bcryptCost = 4
        return c
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(services: services))
        try await app.test(.router, body)
    }

    /// Signs in through the login form; returns the session cookie and its CSRF token.
    static func login(_ client: some TestClientProtocol, login: String, password: String = password) async throws -> (cookie: String, csrf: String)? {
        let page = try await client.execute(uri: "/login", method: .get)
        let csrf = try #require(formValue(named: "csrf", in: String(buffer: page.body)))
        let loginCookie = try #require(cookie(named: WebController.loginCSRFCookie, in: page))
        let body = "login=\(login)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&csrf=\(csrf)"
        let response = try await client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(WebController.loginCSRFCookie)=\(loginCookie)"],
            body: ByteBuffer(string: body))
        guard response.status == .found, let session = cookie(named: AuthMiddleware.sessionCookie, in: response) else { return nil }
        let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: "\(AuthMiddleware.sessionCookie)=\(session)"])
        let token = try #require(formValue(named: "csrf", in: String(buffer: home.body)))
        return (session, token)
    }

    static func cookie(named name: String, in response: TestResponse) -> String? {
        for value in response.headers[values: .setCookie] where value.hasPrefix(name + "=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    static func formValue(named name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }
}
