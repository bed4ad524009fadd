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

/// Documents, uploads, collection administration and the audit API: rights, bad input and audit records.
@Suite("Document, upload, admin and audit routes")
struct DocumentRouteTests {
    static func code(_ r: TestResponse) throws -> String? {
        (try WebAppFixture.json(r)["error"] as? [String: Any])?["code"] as? String
    }

    static func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test func documentsAreReadOnlyWithAccessAndIdsCannotTraversePaths() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        let mine = try #require(try fixture.services.store.documents(collection: "会計").first)
        let theirs = try #require(try fixture.services.store.documents(collection: "福祉").first)
        try await fixture.test { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let ok = try await client.execute(uri: "/api/v1/documents/\(mine.id.rawValue)", method: .get, headers: auth)
            #expect(ok.status == .ok)
            let body = try WebAppFixture.json(ok)
            #expect(body["title"] as? String == "会計事務の手引")
            let chunks = try #require(body["chunks"] as? [[String: Any]])
            #expect(chunks.contains { ($0["text"] as? String)?.contains("五日前") == true })
            // Another section's document answers exactly like a missing one.
            let hidden = try await client.execute(uri: "/api/v1/documents/\(theirs.id.rawValue)", method: .get, headers: auth)
            let missing = try await client.execute(uri: "/api/v1/documents/999999", method: .get, headers: auth)
            #expect(hidden.status == .notFound && missing.status == .notFound)
            #expect(try Self.code(hidden) == Self.code(missing))
            // Path traversal and other non-numeric ids never reach storage.
            for raw in ["..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "1%00", "1;DROP%20TABLE%20documents", "-1", "0",
                        "99999999999999999999999", "%E6%96%87%E6%9B%B8", "1e3"] {
                let r = try await client.execute(uri: "/api/v1/documents/\(raw)", method: .get, headers: auth)
                #expect(r.status == .badRequest, "\(raw) → \(r.status)")
                #expect(try Self.code(r) == "bad_document_id")
            }
            // Dot segments sent as-is match no route at all.
            let dots = try await client.execute(uri: "/api/v1/documents/../../etc/passwd", method: .get, headers: auth)
            #expect(dots.status == .notFound)
            // A collection name that is not valid percent-encoded UTF-8.
            let badName = try await client.execute(uri: "/api/v1/collections/%E6/documents", method: .get, headers: auth)
            #expect(try badName.status == .badRequest && Self.code(badName) == "bad_collection")
            // Anonymous callers get nothing that is not public.
            let anonymous = try await client.execute(uri: "/api/v1/documents/\(mine.id.rawValue)", method: .get)
            #expect(anonymous.status == .notFound)
            // The web viewer: the cited chunk carries its anchor; unreadable documents are not shown.
            let session = try #require(try await WebAppFixture.login(client, login: "kaikei"))
            let cookie: HTTPFields = [.cookie: "\(AuthMiddleware.sessionCookie)=\(session.cookie)"]
            let page = try await client.execute(uri: "/documents/\(mine.id.rawValue)", method: .get, headers: cookie)
            let chunkID = try #require(try fixture.services.store.storedChunks(documentID: mine.id).first?.id)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("id=\"chunk-\(chunkID)\""))
            let denied = try await client.execute(uri: "/documents/\(theirs.id.rawValue)", method: .get, headers: cookie)
            #expect(denied.status == .notFound)
            #expect(!String(buffer: denied.body).contains("福祉システム"))
            let traversal = try await client.execute(uri: "/documents/..%2F..%2Fetc%2Fpasswd", method: .get, headers: cookie)
            #expect(traversal.status == .badRequest)
        }
        let views = try fixture.services.audit.entries(action: "document.view")
        #expect(views.count == 2 && views.allSatisfy { $0.actor == "kaikei" && $0.documents == "\(mine.id.rawValue)" })
    }

    @Test func uploadsAreCheckedStoredSearchableAndAudited() async throws {
        let fixture = try WebAppFixture()
        let kaikeiToken = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        let fukushiToken = try fixture.services.accounts.issueToken(login: "fukushi", name: "t")
        let docx = try Data(contentsOf: TestEnvironment.fixture("regulation.docx"))
        try await fixture.test { client in
            func upload(_ collection: String, _ name: String?, _ body: ByteBuffer, token: String? = kaikeiToken, headers extra: HTTPFields = [:])
                async throws -> TestResponse
            {
                var headers = extra
                if let token { headers[.authorization] = "Bearer \(token)" }
                let query = name.map { "?filename=\(Self.enc($0))" } ?? ""
                return try await client.execute(
                    uri: "/api/v1/collections/\(Self.enc(collection))/documents\(query)", method: .post, headers: headers, body: body)
            }
            let added = try await upload("会計", "文書管理規程.docx", ByteBuffer(data: docx))
            #expect(added.status == .created)
            let result = try WebAppFixture.json(added)
            #expect(result["status"] as? String == "added")
            #expect(result["title"] as? String == "みなと市文書管理規程")
            let again = try await upload("会計", "文書管理規程.docx", ByteBuffer(data: docx))
            #expect(again.status == .ok)
            #expect(try WebAppFixture.json(again)["status"] as? String == "unchanged")
            // Searchable at once, by its owner bureau only.
            let search = try await client.execute(
                uri: "/api/v1/search?q=\(Self.enc("保存期間"))", method: .get, headers: [.authorization: "Bearer \(kaikeiToken)"])
            let found = try WebAppFixture.json(search)
            #expect((found["hits"] as? [[String: Any]])?.first?["title"] as? String == "みなと市文書管理規程")
            // The hand-written response carries every field the OpenAPI document's SearchResult and Hit require.
            #expect(found["query"] as? String == "保存期間")
            #expect(found["total"] is Int && found["total_is_exact"] is Bool && found["elapsed_ms"] is NSNumber)
            for hit in found["hits"] as? [[String: Any]] ?? [] {
                #expect(hit["chunk_id"] is Int && hit["document_id"] is Int && hit["score"] is NSNumber)
                for key in ["collection", "title", "citation", "url", "locator", "snippet"] { #expect(hit[key] is String, "\(key)") }
            }

            // Rights: unreadable → 404; readable but not writable → 403; anonymous → 401.
            #expect(try await upload("福祉", "a.md", ByteBuffer(string: "# a\n本文")).status == .notFound)
            let bureau = try fixture.services.accounts.lookup(path: "みなと市/会計管理局")
            try fixture.services.access.grant(collection: "福祉", to: .init(kind: bureau.kind, granteeID: bureau.id), by: nil)
            #expect(try await upload("福祉", "a.md", ByteBuffer(string: "# a\n本文")).status == .forbidden)
            #expect(try await upload("会計", "a.md", ByteBuffer(string: "# a\n本文"), token: nil).status == .unauthorized)
            #expect(try await upload("会計", "a.md", ByteBuffer(string: "# a\n本文"), token: fukushiToken).status == .notFound)

            // Bad input: each a clear JSON error, nothing stored.
            let noName = try await upload("会計", nil, ByteBuffer(string: "x"))
            #expect(try noName.status == .badRequest && Self.code(noName) == "bad_filename")
            let exe = try await upload("会計", "tool.exe", ByteBuffer(string: "MZ"))
            #expect(try exe.status == .unsupportedMediaType && Self.code(exe) == "unsupported_type")
            let empty = try await upload("会計", "empty.md", ByteBuffer())
            #expect(try empty.status == .badRequest && Self.code(empty) == "empty_file")
            let corrupt = try await upload("会計", "broken.docx", ByteBuffer(string: "PK\u{3}\u{4} not really a zip"))
            #expect(try corrupt.status == .unprocessableContent && Self.code(corrupt) == "unreadable_file")
            let message = try #require((try WebAppFixture.json(corrupt)["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("broken.docx") && !message.contains("hiroba-upload-"), "no server path in \(message)")
            let sjis = try await upload("会計", "sjis.txt", ByteBuffer(bytes: [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]))
            #expect(sjis.status == .unprocessableContent)
            let traversal = try await upload("会計", "../../etc/passwd.md", ByteBuffer(string: "# 名前\n本文です。"))
            #expect(traversal.status == .created)
            #expect(try WebAppFixture.json(traversal)["file_name"] as? String == "passwd.md")
            // The file name is decoded once: a literal % stays as it is.
            let percent = try await upload("会計", "100%達成.md", ByteBuffer(string: "# 達成率\n本文です。"))
            #expect(percent.status == .created)
            #expect(try WebAppFixture.json(percent)["file_name"] as? String == "100%達成.md")
            let huge = try await upload("会計", "huge.txt", ByteBuffer(repeating: UInt8(ascii: "a"), count: 65 * 1024 * 1024))
            #expect(huge.status == .contentTooLarge)

            // A browser session must send the CSRF header.
            let session = try #require(try await WebAppFixture.login(client, login: "kaikei"))
            let cookie: HTTPFields = [.cookie: "\(AuthMiddleware.sessionCookie)=\(session.cookie)"]
            let noCSRF = try await upload("会計", "b.md", ByteBuffer(string: "# b\n本文"), token: nil, headers: cookie)
            #expect(try noCSRF.status == .forbidden && Self.code(noCSRF) == "csrf")
            var withCSRF = cookie
            withCSRF[HTTPField.Name("X-CSRF-Token")!] = session.csrf
            #expect(try await upload("会計", "b.md", ByteBuffer(string: "# b\n本文です。"), token: nil, headers: withCSRF).status == .created)
        }
        let names = Set(try fixture.services.store.documents(collection: "会計").map(\.source))
        #expect(names.isSuperset(of: ["b.md", "passwd.md", "文書管理規程.docx", "100%達成.md"]) && names.count == 5)
        #expect(try fixture.services.store.documents(collection: "福祉").count == 1)
        let uploads = try fixture.services.audit.entries(action: "document.upload")
        #expect(uploads.filter { $0.action == "document.upload" }.count == 5)
        #expect(try fixture.services.audit.entries(action: "document.upload.rejected").count == 2)
    }

    @Test func deletingAndNarrowingDocuments() async throws {
        let fixture = try WebAppFixture()
        let accounts = fixture.services.accounts
        let kaikeiToken = try accounts.issueToken(login: "kaikei", name: "t")
        let fukushiToken = try accounts.issueToken(login: "fukushi", name: "t")
        let admin = try accounts.addUser(
            login: "kanri", displayName: "局管理", placement: fixture.kaikei.placement, roles: [.staff, .bureauAdmin], password: nil)
        let adminToken = try accounts.issueToken(login: admin.login, name: "t")
        try fixture.services.access.setAccess(collection: "会計", ownerSectionID: fixture.kaikei.placement.sectionID, visibility: .organization)
        let doc = try #require(try fixture.services.store.documents(collection: "会計").first)
        try await fixture.test { client in
            func search(_ token: String) async throws -> [String] {
                let r = try await client.execute(
                    uri: "/api/v1/search?q=\(Self.enc("支出命令"))", method: .get, headers: [.authorization: "Bearer \(token)"])
                return (try WebAppFixture.json(r)["hits"] as? [[String: Any]])?.compactMap { $0["collection"] as? String } ?? []
            }
            #expect(Set(try await search(fukushiToken)) == ["会計", "福祉"])
            // Staff may not narrow; the bureau admin narrows the document to its section.
            func narrow(_ token: String, _ value: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/documents/\(doc.id.rawValue)/visibility", method: .put,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(string: value))
            }
            #expect(try await narrow(kaikeiToken, #"{"visibility":"section"}"#).status == .forbidden)
            #expect(try await narrow(adminToken, #"{"visibility":"public"}"#).status == .badRequest)
            #expect(try await narrow(adminToken, #"{"visibility":"everyone"}"#).status == .badRequest)
            #expect(try await narrow(adminToken, #"{"visibility":"section"}"#).status == .ok)
            // Now 福祉 staff of the same organisation see neither hits, counts nor the document.
            #expect(try await search(fukushiToken) == ["福祉"])
            let total = try WebAppFixture.json(
                try await client.execute(
                    uri: "/api/v1/search?q=\(Self.enc("五日前"))", method: .get, headers: [.authorization: "Bearer \(fukushiToken)"]))["total"]
            #expect(total as? Int == 0)
            #expect(
                try await client.execute(
                    uri: "/api/v1/documents/\(doc.id.rawValue)", method: .get, headers: [.authorization: "Bearer \(fukushiToken)"]
                ).status == .notFound)
            let listing = try WebAppFixture.json(
                try await client.execute(
                    uri: "/api/v1/collections/\(Self.enc("会計"))/documents", method: .get, headers: [.authorization: "Bearer \(fukushiToken)"]))
            #expect((listing["documents"] as? [Any])?.isEmpty == true)
            #expect(try await search(kaikeiToken).contains("会計"))
            #expect(try await narrow(adminToken, #"{"visibility":null}"#).status == .ok)
            #expect(Set(try await search(fukushiToken)) == ["会計", "福祉"])

            // Delete: others cannot; the owner section can, and the chunks leave the index.
            let other = try await client.execute(
                uri: "/api/v1/documents/\(doc.id.rawValue)", method: .delete, headers: [.authorization: "Bearer \(fukushiToken)"])
            #expect(other.status == .forbidden)
            let deleted = try await client.execute(
                uri: "/api/v1/documents/\(doc.id.rawValue)", method: .delete, headers: [.authorization: "Bearer \(kaikeiToken)"])
            #expect(deleted.status == .ok)
            #expect(try await search(kaikeiToken) == [])
            let gone = try await client.execute(
                uri: "/api/v1/documents/\(doc.id.rawValue)", method: .delete, headers: [.authorization: "Bearer \(kaikeiToken)"])
            #expect(gone.status == .notFound)
        }
        #expect(try fixture.services.audit.entries(action: "document.visibility").map(\.detail) == ["section", "inherit"])
        #expect(try fixture.services.audit.entries(action: "document.delete").count == 1)
    }

    @Test func bureauAdminsManageOnlyTheirBureausCollections() async throws {
        let fixture = try WebAppFixture()
        let accounts = fixture.services.accounts
        let fukushiAdmin = try accounts.addUser(
            login: "fadmin", displayName: "福祉管理", placement: fixture.fukushi.placement, roles: [.staff, .bureauAdmin], password: nil)
        let adminToken = try accounts.issueToken(login: fukushiAdmin.login, name: "t")
        let staffToken = try accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            func call(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, token: String? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [.authorization: "Bearer \(token ?? adminToken)"]
                if body != nil { headers[.contentType] = "application/json" }
                return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            }
            let list = try WebAppFixture.json(try await call(.get, "/api/v1/admin/collections"))
            #expect((list["collections"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["福祉"])
            #expect(try await call(.get, "/api/v1/admin/collections", token: staffToken).status == .forbidden)
            // Another bureau's collection: not found (unreadable) — never editable.
            let foreign = try await call(.put, "/api/v1/admin/collections/\(Self.enc("会計"))/access", #"{"visibility":"all"}"#)
            #expect(foreign.status == .notFound)
            // Handing a collection to another bureau's section is refused.
            let handOff = try await call(
                .put, "/api/v1/admin/collections/\(Self.enc("福祉"))/access", #"{"visibility":"bureau","owner":"みなと市/会計管理局/会計課"}"#)
            #expect(handOff.status == .forbidden)
            let widened = try await call(.put, "/api/v1/admin/collections/\(Self.enc("福祉"))/access", #"{"visibility":"bureau"}"#)
            #expect(widened.status == .ok)
            #expect(try WebAppFixture.json(widened)["visibility"] as? String == "bureau")
            let badVisibility = try await call(.put, "/api/v1/admin/collections/\(Self.enc("福祉"))/access", #"{"visibility":"world"}"#)
            #expect(try badVisibility.status == .badRequest && Self.code(badVisibility) == "bad_visibility")
            // Grants, then the other bureau's staff see it; revoking takes it away again.
            let badGrantee = try await call(.post, "/api/v1/admin/collections/\(Self.enc("福祉"))/grants", #"{"grantee":"どこか/何か"}"#)
            #expect(try badGrantee.status == .badRequest && Self.code(badGrantee) == "unknown_grantee")
            let granted = try await call(.post, "/api/v1/admin/collections/\(Self.enc("福祉"))/grants", #"{"grantee":"user:kaikei"}"#)
            #expect(granted.status == .created)
            let search = try await call(.get, "/api/v1/search?q=\(Self.enc("福祉システム"))", token: staffToken)
            #expect(try WebAppFixture.json(search)["total"] as? Int == 1)
            let revoke = try await call(.delete, "/api/v1/admin/collections/\(Self.enc("福祉"))/grants/user/\(fixture.kaikei.id)")
            #expect(revoke.status == .ok)
            #expect(try WebAppFixture.json(try await call(.get, "/api/v1/search?q=\(Self.enc("福祉システム"))", token: staffToken))["total"] as? Int == 0)
            #expect(try await call(.delete, "/api/v1/admin/collections/\(Self.enc("福祉"))/grants/user/\(fixture.kaikei.id)").status == .notFound)
            let badID = try await call(.delete, "/api/v1/admin/collections/\(Self.enc("福祉"))/grants/user/abc")
            #expect(try badID.status == .badRequest && Self.code(badID) == "bad_grant")
            let badKind = try await call(.delete, "/api/v1/admin/collections/\(Self.enc("福祉"))/grants/alien/1")
            #expect(try badKind.status == .badRequest && Self.code(badKind) == "bad_grant")
            // Create: in their own bureau; a duplicate name conflicts.
            let created = try await call(.post, "/api/v1/admin/collections", #"{"name":"福祉の手引","visibility":"organization"}"#)
            #expect(created.status == .created)
            #expect(try WebAppFixture.json(created)["owner_path"] as? String == "みなと市/福祉局/福祉課")
            let duplicate = try await call(.post, "/api/v1/admin/collections", #"{"name":"福祉の手引"}"#)
            #expect(duplicate.status == .conflict)
            let badName = try await call(.post, "/api/v1/admin/collections", #"{"name":"a/b"}"#)
            #expect(badName.status == .badRequest)
        }
        let actions = try fixture.services.audit.entries(action: "access").map(\.action)
        #expect(actions == ["access.set", "access.grant", "access.revoke"])
        #expect(try fixture.services.audit.entries(action: "collection.create").count == 1)
    }

    @Test func theAuditLogIsForAuditors() async throws {
        let fixture = try WebAppFixture()
        let accounts = fixture.services.accounts
        _ = try accounts.addUser(login: "kansa", displayName: "監査", placement: fixture.kaikei.placement, roles: [.auditor], password: nil)
        let auditor = try accounts.issueToken(login: "kansa", name: "t")
        let staff = try accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            func get(_ path: String, _ token: String) async throws -> TestResponse {
                try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"])
            }
            _ = try await get("/api/v1/search?q=\(Self.enc("支出命令"))", staff)
            #expect(try await get("/api/v1/audit", staff).status == .forbidden)
            let entries = try #require(try WebAppFixture.json(try await get("/api/v1/audit?action=search&actor=kaikei", auditor))["entries"] as? [[String: Any]])
            #expect(entries.count == 1 && entries[0]["target"] as? String == "支出命令")
            let badDate = try await get("/api/v1/audit?from=yesterday", auditor)
            #expect(try badDate.status == .badRequest && Self.code(badDate) == "bad_date")
            #expect(try await get("/api/v1/audit?limit=0", auditor).status == .badRequest)
            let verify = try WebAppFixture.json(try await get("/api/v1/audit/verify", auditor))
            #expect(verify["ok"] as? Bool == true)
            // The web viewer and its CSV export.
            try accounts.resetPassword(login: "kansa", password: WebAppFixture.password)
            let session = try #require(try await WebAppFixture.login(client, login: "kansa"))
            let cookie: HTTPFields = [.cookie: "\(AuthMiddleware.sessionCookie)=\(session.cookie)"]
            let page = try await client.execute(uri: "/audit?action=search", method: .get, headers: cookie)
            #expect(page.status == .ok && String(buffer: page.body).contains("改ざんは検出されませんでした"))
            let csv = try await client.execute(uri: "/audit/export?format=csv", method: .get, headers: cookie)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(String(buffer: csv.body).contains(",search,支出命令,"))
        }
        #expect(try fixture.services.audit.entries(action: "audit.").map(\.action).contains("audit.export"))
    }

    @Test func adminFormsNeedTheSessionsCSRFTokenAndTheRole() async throws {
        let fixture = try WebAppFixture()
        let accounts = fixture.services.accounts
        _ = try accounts.addUser(
            login: "kanri", displayName: "局管理", placement: fixture.kaikei.placement, roles: [.staff, .bureauAdmin],
            password: WebAppFixture.password)
        try await fixture.test { client in
            let admin = try #require(try await WebAppFixture.login(client, login: "kanri"))
            let staff = try #require(try await WebAppFixture.login(client, login: "kaikei"))
            func post(_ path: String, _ body: String, _ session: (cookie: String, csrf: String)) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post,
                    headers: [.cookie: "\(AuthMiddleware.sessionCookie)=\(session.cookie)", .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: body))
            }
            let name = Self.enc("新しい蔵書")
            let noCSRF = try await post("/admin/collections", "name=\(name)&visibility=section", admin)
            #expect(noCSRF.status == .forbidden)
            let wrongCSRF = try await post("/admin/collections", "name=\(name)&visibility=section&csrf=\(staff.csrf)", admin)
            #expect(wrongCSRF.status == .forbidden)
            let notAdmin = try await post("/admin/collections", "name=\(name)&visibility=section&csrf=\(staff.csrf)", staff)
            #expect(notAdmin.status == .forbidden)
            let grant = try await post(
                "/admin/collections/\(Self.enc("会計"))/grants", "grantee=\(Self.enc("みなと市/福祉局"))", admin)
            #expect(grant.status == .forbidden)
            let created = try await post("/admin/collections", "name=\(name)&visibility=section&csrf=\(admin.csrf)", admin)
            #expect(created.status == .seeOther)
            #expect(created.headers[.location]?.hasPrefix("/admin/collections?notice=") == true)
            let delete = try await post("/documents/1/delete", "", staff)
            #expect(delete.status == .forbidden)
        }
        #expect(try fixture.services.store.collections().map(\.name).filter { $0 == "新しい蔵書" }.count == 1)
        #expect(try fixture.services.access.collection(named: "会計")?.grants.isEmpty == true)
        #expect(try fixture.services.store.documents(collection: "会計").count == 1)
    }
}
