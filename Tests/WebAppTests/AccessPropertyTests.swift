import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Search
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Random organisations, bureaus, sections, users, collections and grants; ≥ 10,000 random searches through
/// the API, each checked against an independent model of who may read what: no hit, count or snippet
/// from a collection the caller may not read, nor from a document narrowed away from them.
@Suite("Access property test")
struct AccessPropertyTests {
    struct Model: @unchecked Sendable {
        struct Collection {
            var name: String
            var section: Placement
            var visibility: Visibility
            var grants: [(AccessControl.Grant.Kind, Int64)] = []
            var marker: String
            /// A second document narrowed below the collection (nil: not narrowed), with its own marker.
            var narrowed: Visibility?
            var narrowMarker: String
            var narrowDocument: Int64 = 0
        }
        var collections: [Collection] = []

        /// The narrowed documents `user` may not read (independently of AccessControl).
        func hiddenDocuments(for user: UserAccount?) -> Set<Int64> {
            Set(collections.filter { c in
                guard let v = c.narrowed else { return false }
                guard let user else { return true }
                if user.has(.platformAdmin) { return false }
                let p = user.placement
                switch v {
                case .section: return c.section.sectionID != p.sectionID
                case .bureau: return c.section.bureauID != p.bureauID
                case .organization: return c.section.organizationID != p.organizationID
                case .all, .public: return false
                }
            }.map(\.narrowDocument))
        }

        func visible(to user: UserAccount?) -> Set<String> {
            Set(collections.filter { c in
                guard let user else { return c.visibility == .public }
                if user.has(.platformAdmin) { return true }
                let p = user.placement
                switch c.visibility {
                case .public, .all: return true
                case .organization: if c.section.organizationID == p.organizationID { return true }
                case .bureau: if c.section.bureauID == p.bureauID { return true }
                case .section: if c.section.sectionID == p.sectionID { return true }
                }
                return c.grants.contains { kind, id in
                    switch kind {
                    case .organization: id == p.organizationID
                    case .bureau: id == p.bureauID
                    case .section: id == p.sectionID
                    case .user: id == user.id
                    }
                }
            }.map(\.name))
        }
    }

    static let vocabulary = ["予算", "支出命令", "契約", "補助金", "福祉", "道路", "会議", "申請", "決裁", "住民"]

    @Test func randomSearchesNeverShowWhatTheCallerMayNotSee() async throws {
        var rng = SplitMix64(seed: 20261127)
        let dir = TestEnvironment.temporaryDirectory()
        var config = AppConfig()
        config.bcryptCost = 4
        config.databasePath = dir.appendingPathComponent("p.sqlite").path
        let services = try AppServices(config: config, database: try AppDatabase(path: config.databasePath), model: try TestEnvironment.model())

        var sections: [Placement] = []
        for o in 0..<3 {
            for b in 0..<2 {
                for s in 0..<2 {
                    sections.append(try services.accounts.ensurePlacement(organization: "団体\(o)", bureau: "局\(b)", section: "課\(s)"))
                }
            }
        }
        var users: [(UserAccount, String)] = []
        for (i, section) in sections.enumerated() {
            for j in 0..<2 {
                let roles: Set<Role> = (i == 5 && j == 1) ? [.platformAdmin] : (j == 1 ? [.staff, .bureauAdmin] : [.staff])
                let user = try services.accounts.addUser(
                    login: "u\(i)_\(j)", displayName: "利用者\(i)-\(j)", placement: section, roles: roles, password: nil)
                users.append((user, try services.accounts.issueToken(login: user.login, name: "property")))
            }
        }
        var model = Model()
        for c in 0..<16 {
            let name = "蔵書\(c)"
            let marker = "識別\(["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"][c % 8])\(["東", "西", "南", "北"][c / 8 * 2 % 4])\(c)"
            var text = "# \(name)の文書\n"
            for _ in 0..<3 {
                let words = (0..<4).map { _ in Self.vocabulary.randomElement(using: &rng)! }
                text += "\(words[0])と\(words[1])について、\(words[2])の\(words[3])を確認する。\(marker)。\n"
            }
            let path = try TestEnvironment.write(text, to: "c\(c)/doc.md", in: dir)
            _ = try services.store.ingestFile(path: path, collection: name)
            let narrowMarker = "限定\(["子", "丑", "寅", "卯"][c % 4])\(["春", "夏", "秋", "冬"][c / 4])\(c)"
            var narrowText = "# \(name)の限定文書\n"
            for _ in 0..<3 {
                let words = (0..<3).map { _ in Self.vocabulary.randomElement(using: &rng)! }
                narrowText += "\(words[0])の\(words[1])は\(words[2])で扱う。\(narrowMarker)。\n"
            }
            let narrowPath = try TestEnvironment.write(narrowText, to: "c\(c)/narrow.md", in: dir)
            let narrowOutcome = try services.store.ingestFile(path: narrowPath, collection: name)
            guard case .added(let narrowID, _) = narrowOutcome else { Issue.record("narrow document not added"); return }
            let narrowed = [nil, Visibility.section, .bureau, .organization].randomElement(using: &rng)!
            try services.access.setDocumentVisibility(documentID: narrowID.rawValue, narrowed)
            let section = sections.randomElement(using: &rng)!
            let visibility = Visibility.allCases.randomElement(using: &rng)!
            try services.access.setAccess(collection: name, ownerSectionID: section.sectionID, visibility: visibility)
            model.collections.append(
                .init(name: name, section: section, visibility: visibility, marker: marker, narrowed: narrowed, narrowMarker: narrowMarker,
                      narrowDocument: narrowID.rawValue))
        }
        for _ in 0..<12 {
            let c = Int.random(in: 0..<model.collections.count, using: &rng)
            let kind = AccessControl.Grant.Kind.allCases.randomElement(using: &rng)!
            let section = sections.randomElement(using: &rng)!
            let id: Int64 =
                switch kind {
                case .organization: section.organizationID
                case .bureau: section.bureauID
                case .section: section.sectionID
                case .user: users.randomElement(using: &rng)!.0.id
                }
            try services.access.grant(collection: model.collections[c].name, to: .init(kind: kind, granteeID: id), by: nil)
            model.collections[c].grants.append((kind, id))
        }

        let app = Application(router: buildRouter(services: services))
        let searches = 10_000
        let plans: [(user: Int?, query: String, collection: String?)] = (0..<searches).map { _ in
            let user: Int? = Int.random(in: 0..<10, using: &rng) == 0 ? nil : Int.random(in: 0..<users.count, using: &rng)
            let words = (0..<Int.random(in: 1...2, using: &rng)).map { _ in Self.vocabulary.randomElement(using: &rng)! }
            let collection = Int.random(in: 0..<4, using: &rng) == 0 ? model.collections.randomElement(using: &rng)!.name : nil
            return (user, words.joined(separator: " "), collection)
        }
        let markers = model.collections.map { ($0.name, $0.marker) }
        let narrowMarkers = model.collections.map { ($0.narrowDocument, $0.narrowMarker) }
        let frozenModel = model
        let frozenUsers = users
        let (checked, leaks, mismatches) = try await app.test(.router) { client in
            var checked = 0, leaks = 0, mismatches = 0
            for plan in plans {
                let user = plan.user.map { frozenUsers[$0] }
                let visible = frozenModel.visible(to: user?.0)
                let hiddenDocuments = frozenModel.hiddenDocuments(for: user?.0)
                var uri = "/api/v1/search?k=20&q=\(plan.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                if let c = plan.collection { uri += "&collection=\(c.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                var headers = HTTPFields()
                if let token = user?.1 { headers[.authorization] = "Bearer \(token)" }
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                let body = String(buffer: response.body)
                // Nothing of an unreadable collection may appear anywhere in the answer.
                for (name, marker) in markers where !visible.contains(name) && (body.contains(marker) || body.contains("\"\(name)\"")) {
                    leaks += 1
                }
                for (document, marker) in narrowMarkers where hiddenDocuments.contains(document) && body.contains(marker) { leaks += 1 }
                if let c = plan.collection, !visible.contains(c) {
                    if response.status != .notFound { mismatches += 1 }
                    checked += 1
                    continue
                }
                guard response.status == .ok,
                    let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                    let hits = json["hits"] as? [[String: Any]], let total = json["total"] as? Int
                else {
                    mismatches += 1
                    continue
                }
                let scope = Set(try services.store.collections().filter { visible.contains($0.name) }.map(\.id.rawValue))
                let expected = try services.store.search(
                    SearchRequest(
                        query: plan.query, collections: plan.collection.map { [$0] } ?? [], k: 20, snippets: false, scope: scope,
                        hiddenDocuments: hiddenDocuments))
                if hits.contains(where: { !visible.contains($0["collection"] as? String ?? "") }) { leaks += 1 }
                if hits.contains(where: { hiddenDocuments.contains($0["document_id"] as? Int64 ?? -1) }) { leaks += 1 }
                if total != expected.totalMatches || hits.map({ $0["chunk_id"] as? Int64 ?? -1 }) != expected.hits.map(\.chunkID.rawValue) {
                    mismatches += 1
                }
                checked += 1
            }
            return (checked, leaks, mismatches)
        }
        #expect(checked == searches)
        #expect(leaks == 0)
        #expect(mismatches == 0)
        // Every kind of visibility and grant took part.
        #expect(Set(model.collections.map { $0.visibility }).count == Visibility.allCases.count)
        #expect(Set(model.collections.compactMap { $0.narrowed }).count == 3)
    }
}
