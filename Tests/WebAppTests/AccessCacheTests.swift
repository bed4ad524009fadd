import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@testable import WebApp

/// The server keeps an API token's user and a user's read scope while nothing is committed to the database.
/// Any commit — by this server or by another process on the same file, like `hiroba users disable` run by
/// the operator — must take effect on the very next request.
@Suite("Access caches follow every commit")
struct AccessCacheTests {
    /// The same database file opened a second time, as another process (the CLI) would.
    static func otherProcess(_ fixture: WebAppFixture) throws -> (accounts: AccountStore, access: AccessControl) {
        let database = try AppDatabase(path: fixture.services.config.databasePath)
        return (AccountStore(database: database, bcryptCost: 4), AccessControl(database: database))
    }

    static func search(_ client: some TestClientProtocol, _ token: String) async throws -> (status: HTTPResponse.Status, collections: [String]) {
        let response = try await client.execute(
            uri: "/api/v1/search?q=\("支出命令".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", method: .get,
            headers: [.authorization: "Bearer \(token)"])
        guard response.status == .ok else { return (response.status, []) }
        let hits = try WebAppFixture.json(response)["hits"] as? [[String: Any]] ?? []
        return (response.status, hits.compactMap { $0["collection"] as? String }.sorted())
    }

    @Test func aUserDisabledByAnotherProcessIsRefusedOnTheNextRequest() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "test")
        let other = try Self.otherProcess(fixture)
        try await fixture.test { client in
            // Twice: the second answer comes from the cache.
            #expect(try await Self.search(client, token).status == .ok)
            #expect(try await Self.search(client, token).status == .ok)
            try other.accounts.setDisabled(login: "kaikei", true)
            #expect(try await Self.search(client, token).status == .unauthorized)
            // Re-enabling does not bring back the token: disabling revoked it.
            try other.accounts.setDisabled(login: "kaikei", false)
            #expect(try await Self.search(client, token).status == .unauthorized)
        }
    }

    @Test func grantsAndRevocationsByAnyConnectionChangeTheNextSearch() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "test")
        let other = try Self.otherProcess(fixture)
        let bureau = AccessControl.Grant(kind: .bureau, granteeID: fixture.kaikei.placement.bureauID)
        try await fixture.test { client in
            #expect(try await Self.search(client, token).collections == ["会計"])
            #expect(try await Self.search(client, token).collections == ["会計"])
            try other.access.grant(collection: "福祉", to: bureau, by: nil)
            #expect(try await Self.search(client, token).collections == ["会計", "福祉"])
            // Revoked through the server's own store this time.
            try fixture.services.access.revoke(collection: "福祉", grant: bureau)
            #expect(try await Self.search(client, token).collections == ["会計"])
            // A document narrowed by another process disappears as well.
            let document = try #require(try fixture.services.store.documents(collection: "会計").first)
            try other.access.setAccess(
                collection: "会計", ownerSectionID: fixture.fukushi.placement.sectionID, visibility: .organization)
            try other.access.setDocumentVisibility(documentID: document.id.rawValue, .section)
            #expect(try await Self.search(client, token).collections == [])
        }
    }

    @Test func aCachedTokenStillExpiresOnTime() throws {
        let fixture = try WebAppFixture()
        let clock = Clock()
        let accounts = AccountStore(database: fixture.services.accounts.database, bcryptCost: 4, now: { clock.now })
        let token = try accounts.issueToken(login: "kaikei", name: "short", lifetime: 60)
        #expect(try accounts.user(apiToken: token)?.login == "kaikei")
        #expect(try accounts.user(apiToken: token)?.login == "kaikei")
        clock.advance(61)
        #expect(try accounts.user(apiToken: token) == nil)
    }

    @Test func theDataVersionMovesWithCommitsFromEitherConnection() throws {
        let fixture = try WebAppFixture()
        let database = fixture.services.accounts.database
        let before = try database.dataVersion()
        #expect(try database.dataVersion() == before)
        _ = try fixture.services.accounts.issueToken(login: "kaikei", name: "one")
        let afterOwn = try database.dataVersion()
        #expect(afterOwn != before)
        _ = try Self.otherProcess(fixture).accounts.issueToken(login: "fukushi", name: "two")
        #expect(try database.dataVersion() != afterOwn)
    }

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Date()
        var now: Date { lock.withLock { current } }
        func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    }
}
