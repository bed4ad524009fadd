import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingest
import Listening
import NIOCore
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Broad listening on the server: upload → columns → background run → clusters, staff edits (kept and
/// audited, in every output), publication by the access rules, resumption after a restart, and bad input.
@Suite("Listening projects (web and API)")
struct ListeningRouteTests {
    static func code(_ r: TestResponse) throws -> String? {
        (try WebAppFixture.json(r)["error"] as? [String: Any])?["code"] as? String
    }

    static func message(_ r: TestResponse) throws -> String {
        (try WebAppFixture.json(r)["error"] as? [String: Any])?["message"] as? String ?? ""
    }

    /// A realistic comment file (generated citizen comments with 年代/地域/性別) as CSV bytes.
    static func commentsCSV(count: Int = 120) throws -> Data {
        let url = TestEnvironment.temporaryDirectory().appendingPathComponent("comments.csv")
        try CommentCorpus.writeCSV(CommentCorpus.generate(count: count, seed: 7), to: url)
        return try Data(contentsOf: url)
    }

    /// Waits until the project leaves queued/running (the run is in the background).
    static func waitForRun(_ fixture: WebAppFixture, _ id: Int64) async throws -> ListeningProject {
        for _ in 0..<1200 {
            let project = try #require(try fixture.services.listening.store.project(id))
            if project.status != .queued && project.status != .running { return project }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the listening run did not finish in 120 s")
        return try #require(try fixture.services.listening.store.project(id))
    }

    static func upload(
        _ client: some TestClientProtocol, _ data: Data, name: String, auth: HTTPFields, title: String? = nil
    ) async throws -> TestResponse {
        var uri = "/api/v1/listening?filename=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        if let title { uri += "&title=\(title.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
        return try await client.execute(uri: uri, method: .post, headers: auth, body: ByteBuffer(data: data))
    }

    static func json(_ value: Any) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: value))
    }

    @Test func uploadRunEditPublishAndDownload() async throws {
        let fixture = try WebAppFixture()
        let accounts = fixture.services.accounts
        let kaikeiAdmin = try accounts.addUser(
            login: "kaikei-admin", displayName: "会計 局管理者", placement: fixture.kaikei.placement, roles: [.bureauAdmin],
            password: WebAppFixture.password)
        _ = kaikeiAdmin
        let token = try accounts.issueToken(login: "kaikei", name: "t")
        let adminToken = try accounts.issueToken(login: "kaikei-admin", name: "t")
        let otherToken = try accounts.issueToken(login: "fukushi", name: "t")
        let csv = try Self.commentsCSV()
        try await fixture.test { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let other: HTTPFields = [.authorization: "Bearer \(otherToken)", .contentType: "application/json"]
            let admin: HTTPFields = [.authorization: "Bearer \(adminToken)", .contentType: "application/json"]

            // Upload: the project is created with the columns suggested.
            let created = try await Self.upload(client, csv, name: "意見.csv", auth: [.authorization: "Bearer \(token)"], title: "公園の意見")
            #expect(created.status == .created)
            let body = try WebAppFixture.json(created)
            let id = try #require(body["id"] as? Int64 ?? (body["id"] as? Int).map(Int64.init))
            #expect(body["status"] as? String == "uploaded")
            #expect(body["title"] as? String == "公園の意見")
            let columns = try #require(body["columns"] as? [String: Any])
            #expect(columns["suggested_comment_column"] as? String == "意見")
            #expect((columns["suggested_attribute_columns"] as? [String])?.contains("年代") == true)
            #expect(columns["rows"] as? Int == 120)

            // Other bureaus see nothing of a draft.
            let hidden = try await client.execute(uri: "/api/v1/listening/\(id)", method: .get, headers: other)
            #expect(hidden.status == .notFound)
            let otherList = try WebAppFixture.json(try await client.execute(uri: "/api/v1/listening", method: .get, headers: other))
            #expect((otherList["projects"] as? [Any])?.isEmpty == true)

            // Run in the background; progress is visible while it runs.
            let run = try await client.execute(
                uri: "/api/v1/listening/\(id)/run", method: .post, headers: auth,
                body: try Self.json(["comment_column": "意見", "attribute_columns": ["年代", "地域"], "seed": 3]))
            #expect(run.status == .accepted)
            let project = try await Self.waitForRun(fixture, id)
            #expect(project.status == .done, "\(project.error ?? "")")
            #expect(project.progressTotal > 0)
            let status = try WebAppFixture.json(try await client.execute(uri: "/api/v1/listening/\(id)", method: .get, headers: auth))
            #expect((status["summary"] as? [String: Any])?["rows"] as? Int == 120)
            #expect((status["settings"] as? [String: Any])?["seed"] as? Int == 3)

            // Clusters, then a staff edit: kept with the previous text and audited, in every output.
            let clustersResponse = try await client.execute(uri: "/api/v1/listening/\(id)/clusters", method: .get, headers: auth)
            let clusters = try #require(try WebAppFixture.json(clustersResponse)["clusters"] as? [[String: Any]])
            #expect(clusters.count >= 3)
            let first = try #require(clusters.first)
            let clusterID = try #require(first["id"] as? String)
            let oldLabel = try #require(first["label"] as? String)
            let edit = try await client.execute(
                uri: "/api/v1/listening/\(id)/clusters/\(clusterID)", method: .put, headers: auth,
                body: try Self.json(["label": "公園と緑地の整備", "summary": "公園の遊具と緑地の手入れを求める意見。"]))
            #expect(edit.status == .ok)
            #expect(try WebAppFixture.json(edit)["edited"] as? Bool == true)
            let after = try WebAppFixture.json(try await client.execute(uri: "/api/v1/listening/\(id)/clusters", method: .get, headers: auth))
            let edits = try #require(after["edits"] as? [[String: Any]])
            #expect(edits.count == 1 && edits[0]["previous_label"] as? String == oldLabel && edits[0]["by"] as? String == "kaikei")
            #expect((after["clusters"] as? [[String: Any]])?.first { $0["id"] as? String == clusterID }?["label"] as? String == "公園と緑地の整備")
            // A label-only edit keeps the summary in force.
            let relabel = try await client.execute(
                uri: "/api/v1/listening/\(id)/clusters/\(clusterID)", method: .put, headers: auth, body: try Self.json(["label": "公園・緑地の整備"]))
            #expect(try WebAppFixture.json(relabel)["summary"] as? String == "公園の遊具と緑地の手入れを求める意見。")
            let relabelled = try await client.execute(
                uri: "/api/v1/listening/\(id)/clusters/\(clusterID)", method: .put, headers: auth, body: try Self.json(["label": "公園と緑地の整備"]))
            #expect(relabelled.status == .ok)
            let report = try await client.execute(uri: "/api/v1/listening/\(id)/files/report.html", method: .get, headers: auth)
            #expect(report.status == .ok)
            #expect(String(buffer: report.body).contains("公園と緑地の整備"))
            // The report's script runs sandboxed: an opaque origin without the session.
            #expect(report.headers[.contentSecurityPolicy]?.hasPrefix("sandbox allow-scripts") == true)
            let table = try await client.execute(uri: "/api/v1/listening/\(id)/files/opinions.csv", method: .get, headers: auth)
            #expect(String(buffer: table.body).contains("公園と緑地の整備"))
            #expect(table.headers[.contentDisposition]?.contains("attachment") == true)
            let result = try await client.execute(uri: "/api/v1/listening/\(id)/files/result.json", method: .get, headers: auth)
            let decoded = try ListeningOutput.decode(Data(buffer: result.body), path: "result.json")
            #expect(decoded.clusters.first { $0.id == clusterID }?.label == "公園と緑地の整備")
            #expect(decoded.clusters.first { $0.id == clusterID }?.edited == true)
            // The run's own result.json is kept exactly as the pipeline wrote it.
            let pristine = try ListeningOutput.decode(
                try Data(contentsOf: fixture.services.listening.folder(id).appendingPathComponent("result.json")), path: "result.json")
            #expect(pristine.clusters.first { $0.id == clusterID }?.label == oldLabel)
            let audit = try fixture.services.audit.entries(limit: 1000).map(\.action)
            for action in ["listening.create", "listening.run", "listening.done", "listening.cluster.edit", "listening.read"] {
                #expect(audit.contains(action), "audit lacks \(action)")
            }

            // Publication: staff may publish within the organisation, not to citizens.
            let toCitizens = try await client.execute(
                uri: "/api/v1/listening/\(id)/publication", method: .put, headers: auth, body: try Self.json(["visibility": "public"]))
            #expect(toCitizens.status == .forbidden)
            let anonymousDraft = try await client.execute(uri: "/api/v1/listening/\(id)/files/report.html", method: .get)
            #expect(anonymousDraft.status == .notFound)
            let published = try await client.execute(
                uri: "/api/v1/listening/\(id)/publication", method: .put, headers: auth, body: try Self.json(["visibility": "organization"]))
            #expect(published.status == .ok)
            #expect(try WebAppFixture.json(published)["published"] as? Bool == true)
            let seen = try await client.execute(uri: "/api/v1/listening/\(id)/files/report.html", method: .get, headers: other)
            #expect(seen.status == .ok)
            // Readers of another bureau may not edit.
            let foreignEdit = try await client.execute(
                uri: "/api/v1/listening/\(id)/clusters/\(clusterID)", method: .put, headers: other, body: try Self.json(["label": "乗っ取り"]))
            #expect(foreignEdit.status == .forbidden)
            // The bureau administrator publishes to citizens; anonymous visitors then read the report.
            let toPublic = try await client.execute(
                uri: "/api/v1/listening/\(id)/publication", method: .put, headers: admin, body: try Self.json(["visibility": "public"]))
            #expect(toPublic.status == .ok)
            let anonymous = try await client.execute(uri: "/listening/\(id)/report", method: .get)
            #expect(anonymous.status == .ok)
            #expect(String(buffer: anonymous.body).contains("公園と緑地の整備"))
            let anonymousList = try WebAppFixture.json(try await client.execute(uri: "/api/v1/listening", method: .get))
            let publicProjects = try #require(anonymousList["projects"] as? [[String: Any]])
            #expect(publicProjects.count == 1)
            #expect(publicProjects.first?["created_by"] == nil && publicProjects.first?["settings"] == nil)
            // Withdrawn: gone for everyone but the owners.
            let withdrawn = try await client.execute(
                uri: "/api/v1/listening/\(id)/publication", method: .put, headers: auth, body: try Self.json(["visibility": NSNull()]))
            #expect(withdrawn.status == .ok)
            let gone = try await client.execute(uri: "/api/v1/listening/\(id)/files/report.html", method: .get, headers: other)
            #expect(gone.status == .notFound)

            // XLSX download of the opinions reads back as a table with the edited label.
            let xlsx = try await client.execute(uri: "/api/v1/listening/\(id)/files/opinions.xlsx", method: .get, headers: auth)
            #expect(xlsx.status == .ok)
            let rows = try SpreadsheetTable.rows(data: Data(buffer: xlsx.body), path: "opinions.xlsx").rows
            #expect(rows.count == decoded.opinions.count + 1)
            #expect(rows.dropFirst().contains { $0.contains("公園と緑地の整備") })

            // Delete removes the project and its files.
            let deleted = try await client.execute(uri: "/api/v1/listening/\(id)", method: .delete, headers: auth)
            #expect(deleted.status == .ok)
            #expect(!FileManager.default.fileExists(atPath: fixture.services.listening.folder(id).path))
            let afterDelete = try await client.execute(uri: "/api/v1/listening/\(id)", method: .get, headers: auth)
            #expect(afterDelete.status == .notFound)
        }
    }

    @Test func badInputIsRefusedClearlyAndNothingIsLost() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        let csv = try Self.commentsCSV(count: 60)
        try await fixture.test { client in
            let raw: HTTPFields = [.authorization: "Bearer \(token)"]
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            // Not a table format.
            let pdf = try await Self.upload(client, Data("%PDF-1.4".utf8), name: "意見.pdf", auth: raw)
            #expect(pdf.status == .unsupportedMediaType)
            // A table without any text column.
            let numbers = try await Self.upload(client, Data("番号,点数\n1,5\n2,3\n3,4\n".utf8), name: "点数.csv", auth: raw)
            #expect(numbers.status == .badRequest)
            #expect(try Self.message(numbers).contains("コメント本文"))
            // An empty body, a broken workbook, an over-long title.
            let empty = try await Self.upload(client, Data(), name: "空.csv", auth: raw)
            #expect(try empty.status == .badRequest && Self.code(empty) == "empty_file")
            let broken = try await Self.upload(client, Data("PK\u{03}\u{04}broken".utf8), name: "壊れ.xlsx", auth: raw)
            #expect(broken.status == .unprocessableContent)
            let longTitle = try await Self.upload(client, csv, name: "意見.csv", auth: raw, title: String(repeating: "長", count: 101))
            #expect(try longTitle.status == .badRequest && Self.code(longTitle) == "bad_title")
            // Anonymous uploads are refused before the body is read.
            let anonymous = try await Self.upload(client, csv, name: "意見.csv", auth: [:])
            #expect(anonymous.status == .unauthorized)
            // None of that stored anything.
            #expect(try fixture.services.listening.store.projects(readableBy: fixture.kaikei).isEmpty)

            let created = try WebAppFixture.json(try await Self.upload(client, csv, name: "意見.csv", auth: raw))
            let id = try #require((created["id"] as? Int).map(Int64.init))
            // Unknown column, bad cluster counts, malformed JSON, a non-numeric id.
            let unknown = try await client.execute(
                uri: "/api/v1/listening/\(id)/run", method: .post, headers: auth, body: try Self.json(["comment_column": "意見本文"]))
            #expect(try unknown.status == .badRequest && Self.message(unknown).contains("意見本文"))
            let badClusters = try await client.execute(
                uri: "/api/v1/listening/\(id)/run", method: .post, headers: auth,
                body: try Self.json(["comment_column": "意見", "clusters": [8, 3]]))
            #expect(try badClusters.status == .badRequest && Self.code(badClusters) == "bad_listening_input")
            let malformed = try await client.execute(
                uri: "/api/v1/listening/\(id)/run", method: .post, headers: auth, body: ByteBuffer(string: "{\"comment_column\": 5}"))
            #expect(try malformed.status == .badRequest && Self.code(malformed) == "malformed_json")
            let badID = try await client.execute(uri: "/api/v1/listening/abc", method: .get, headers: auth)
            #expect(try badID.status == .badRequest && Self.code(badID) == "bad_id")
            // Edits and downloads before the run has finished are refused.
            let early = try await client.execute(uri: "/api/v1/listening/\(id)/files/report.html", method: .get, headers: auth)
            #expect(early.status == .conflict)
            let earlyPublish = try await client.execute(
                uri: "/api/v1/listening/\(id)/publication", method: .put, headers: auth, body: try Self.json(["visibility": "bureau"]))
            #expect(earlyPublish.status == .conflict)
            let badVisibility = try await client.execute(
                uri: "/api/v1/listening/\(id)/publication", method: .put, headers: auth, body: try Self.json(["visibility": "everyone"]))
            #expect(badVisibility.status == .badRequest)
            #expect(try fixture.services.listening.store.project(id)?.status == .uploaded)

            _ = try await client.execute(
                uri: "/api/v1/listening/\(id)/run", method: .post, headers: auth, body: try Self.json(["comment_column": "意見"]))
            let done = try await Self.waitForRun(fixture, id)
            #expect(done.status == .done, "\(done.error ?? "")")
            // Bad edits: empty or multi-line label, unknown cluster, nothing changed, unknown file.
            let emptyLabel = try await client.execute(
                uri: "/api/v1/listening/\(id)/clusters/c0", method: .put, headers: auth, body: try Self.json(["label": "  "]))
            #expect(try emptyLabel.status == .badRequest && Self.code(emptyLabel) == "bad_label")
            let newline = try await client.execute(
                uri: "/api/v1/listening/\(id)/clusters/c0", method: .put, headers: auth, body: try Self.json(["label": "a\nb"]))
            #expect(newline.status == .badRequest)
            let missing = try await client.execute(
                uri: "/api/v1/listening/\(id)/clusters/zz9", method: .put, headers: auth, body: try Self.json(["label": "何か"]))
            #expect(missing.status == .notFound)
            let clusters = try WebAppFixture.json(try await client.execute(uri: "/api/v1/listening/\(id)/clusters", method: .get, headers: auth))
            let first = try #require((clusters["clusters"] as? [[String: Any]])?.first)
            let same = try await client.execute(
                uri: "/api/v1/listening/\(id)/clusters/\(first["id"] as? String ?? "")", method: .put, headers: auth,
                body: try Self.json(["label": first["label"] as? String ?? "", "summary": first["summary"] as? String ?? ""]))
            #expect(try same.status == .badRequest && Self.code(same) == "unchanged")
            for name in ["input.csv", "..%2Fresult.json", ".cache"] {
                let r = try await client.execute(uri: "/api/v1/listening/\(id)/files/\(name)", method: .get, headers: auth)
                #expect(r.status == .notFound, "\(name) → \(r.status)")
            }
            // The finished result is intact after all of it.
            #expect(try fixture.services.listening.editedResult(id).counts.rows == 60)
        }
    }

    @Test func aRunLeftByAStoppedServerResumesAndAFailureIsReported() async throws {
        let fixture = try WebAppFixture()
        let listening = fixture.services.listening
        let csv = try Self.commentsCSV(count: 50)
        let path = fixture.dir.appendingPathComponent("upload.csv")
        try csv.write(to: path)
        let project = try listening.create(upload: path.path, fileName: "意見.csv", title: nil, user: fixture.kaikei, address: nil)
        #expect(project.title == "意見分析: 意見")
        // Queued, as a server stopped before running it would leave it.
        let settings = ListeningSettings(
            commentColumn: "意見", attributeColumns: [], seed: 1, clusters: nil, useModel: false, startedBy: "kaikei", startedByID: nil)
        try listening.store.queue(project.id, settings: String(decoding: try JSONEncoder().encode(settings), as: UTF8.self))
        // A second project whose input vanished: it fails with a message, and the queue goes on.
        let broken = try listening.create(upload: path.path, fileName: "意見2.csv", title: "壊れた", user: fixture.kaikei, address: nil)
        try listening.store.queue(broken.id, settings: String(decoding: try JSONEncoder().encode(settings), as: UTF8.self))
        try FileManager.default.removeItem(at: listening.inputFile(broken))

        let restarted = try AppServices(
            config: fixture.services.config, database: fixture.services.database, model: try TestEnvironment.model())
        try restarted.resumeBackgroundWork()
        var done: ListeningProject? = nil
        var failed: ListeningProject? = nil
        for _ in 0..<1200 {
            done = try restarted.listening.store.project(project.id)
            failed = try restarted.listening.store.project(broken.id)
            if done?.status == .done && failed?.status == .failed { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(done?.status == .done)
        #expect(failed?.status == .failed)
        #expect(failed?.error?.isEmpty == false)
        #expect(try restarted.audit.entries(limit: 100).contains { $0.action == "listening.failed" })
        // A re-run of the failed project is possible once its file is back.
        try csv.write(to: restarted.listening.inputFile(broken))
        _ = try restarted.listening.start(
            broken.id, commentColumn: "意見", attributeColumns: [], seed: nil, clusters: nil, useModel: false, user: fixture.kaikei,
            address: nil)
        for _ in 0..<1200 {
            if try restarted.listening.store.project(broken.id)?.status == .done { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try restarted.listening.store.project(broken.id)?.status == .done)
    }

    @Test func webPagesShowColumnsProgressAndEditFormsWithCSRF() async throws {
        let fixture = try WebAppFixture()
        let listening = fixture.services.listening
        let path = fixture.dir.appendingPathComponent("upload.csv")
        try Self.commentsCSV(count: 60).write(to: path)
        let project = try listening.create(upload: path.path, fileName: "意見.csv", title: "駅前の意見", user: fixture.kaikei, address: nil)
        try await fixture.test { client in
            let session = try #require(try await WebAppFixture.login(client, login: "kaikei"))
            let cookie: HTTPFields = [.cookie: "\(AuthMiddleware.sessionCookie)=\(session.cookie)"]
            let list = String(buffer: try await client.execute(uri: "/listening", method: .get, headers: cookie).body)
            #expect(list.contains("駅前の意見") && list.contains("列の確認待ち"))
            let page = String(buffer: try await client.execute(uri: "/listening/\(project.id)", method: .get, headers: cookie).body)
            #expect(page.contains("<option value=\"意見\" selected>"))
            #expect(page.contains("name=\"attribute_") && page.contains("value=\"年代\" checked"))
            var form = HTTPFields()
            form[.cookie] = "\(AuthMiddleware.sessionCookie)=\(session.cookie)"
            form[.contentType] = "application/x-www-form-urlencoded"
            // Without the CSRF token nothing starts.
            let forged = try await client.execute(
                uri: "/listening/\(project.id)/run", method: .post, headers: form, body: ByteBuffer(string: "comment_column=%E6%84%8F%E8%A6%8B"))
            #expect(forged.status == .forbidden)
            #expect(try listening.store.project(project.id)?.status == .uploaded)
            let bad = try await client.execute(
                uri: "/listening/\(project.id)/run", method: .post, headers: form,
                body: ByteBuffer(string: "csrf=\(session.csrf)&comment_column=%E6%84%8F%E8%A6%8B&seed=-1"))
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("乱数の種"))
            let start = try await client.execute(
                uri: "/listening/\(project.id)/run", method: .post, headers: form,
                body: ByteBuffer(string: "csrf=\(session.csrf)&comment_column=%E6%84%8F%E8%A6%8B&attribute_0=%E5%B9%B4%E4%BB%A3&seed=5&clusters="))
            #expect(start.status == .seeOther)
            let finished = try await Self.waitForRun(fixture, project.id)
            #expect(finished.status == .done, "\(finished.error ?? "")")
            let result = try listening.editedResult(project.id)
            #expect(result.parameters.attributeColumns == ["年代"])
            // The page reads the small cluster view, rebuilt from result.json when it is missing.
            let view = listening.outputFolder(project.id).appendingPathComponent(ListeningService.clusterViewFile)
            #expect(FileManager.default.fileExists(atPath: view.path))
            try FileManager.default.removeItem(at: view)
            let donePage = String(buffer: try await client.execute(uri: "/listening/\(project.id)", method: .get, headers: cookie).body)
            #expect(FileManager.default.fileExists(atPath: view.path))
            #expect(donePage.contains("レポートを開く") && donePage.contains("意見一覧（Excel）"))
            let cluster = try #require(result.clusters.first)
            #expect(donePage.contains("action=\"/listening/\(project.id)/clusters/\(cluster.id)\""))
            let saved = try await client.execute(
                uri: "/listening/\(project.id)/clusters/\(cluster.id)", method: .post, headers: form,
                body: ByteBuffer(string: "csrf=\(session.csrf)&label=%E9%A7%85%E5%89%8D%E3%81%AE%E9%A7%90%E8%BC%AA&summary=x"))
            #expect(saved.status == .seeOther)
            // The notice rides in the query, the fragment brings the edited cluster into view.
            let location = saved.headers[.location] ?? ""
            #expect(location.contains("?notice=") && location.hasSuffix("#cluster-\(cluster.id)"), "\(location)")
            let edited = String(buffer: try await client.execute(uri: "/listening/\(project.id)", method: .get, headers: cookie).body)
            #expect(edited.contains("駅前の駐輪") && edited.contains("編集の履歴") && edited.contains("編集済み"))
            // Another bureau's user is told it does not exist.
            let other = try #require(try await WebAppFixture.login(client, login: "fukushi"))
            let foreign = try await client.execute(
                uri: "/listening/\(project.id)", method: .get, headers: [.cookie: "\(AuthMiddleware.sessionCookie)=\(other.cookie)"])
            #expect(foreign.status == .notFound)
        }
    }
}
