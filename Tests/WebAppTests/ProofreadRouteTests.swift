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

/// The proofreading API and page: results, bad input, per-organisation settings, audit without the text.
@Suite("Proofreading routes")
struct ProofreadRouteTests {
    @Test func proofreadTextAndFilesWithOrganisationSettings() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        // みなと市's own settings: one rule off, one term of its own.
        let dir = fixture.services.proofreading.directory
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(#"{"rules": {"sentence-length": false}}"#.utf8).write(to: URL(fileURLWithPath: dir + "/みなと市.json"))
        try Data("誤った表記,正しい表記,説明\nホームページ,ウェブサイト,みなと市用字例\n".utf8).write(to: URL(fileURLWithPath: dir + "/みなと市.csv"))
        let secret = "ホームページで刺身を食べれない人がいます。" + String(repeating: "長い文です", count: 30) + "。"
        try await fixture.test { client in
            var auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let body = try JSONSerialization.data(withJSONObject: ["text": secret])
            let ok = try await client.execute(uri: "/api/v1/proofread", method: .post, headers: auth, body: ByteBuffer(data: body))
            #expect(ok.status == .ok)
            let json = try WebAppFixture.json(ok)
            let findings = try #require(json["findings"] as? [[String: Any]])
            let rules = Set(findings.compactMap { $0["rule"] as? String })
            #expect(rules.contains("ra-nuki") && rules.contains("custom-terms"))
            #expect(!rules.contains("sentence-length"))
            #expect((json["fixed_text"] as? String)?.hasPrefix("ウェブサイトで刺身を食べられない") == true)
            let ra = try #require(findings.first { $0["rule"] as? String == "ra-nuki" })
            #expect(ra["offset_utf16"] as? Int == 10 && ra["text"] as? String == "食べれ")
            // Bad input.
            let notJSON = try await client.execute(
                uri: "/api/v1/proofread", method: .post, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: "text"))
            #expect(notJSON.status == .unsupportedMediaType)
            let malformed = try await client.execute(uri: "/api/v1/proofread", method: .post, headers: auth, body: ByteBuffer(string: "{\"txt\": 1}"))
            #expect(malformed.status == .badRequest)
            let anonymous = try await client.execute(
                uri: "/api/v1/proofread", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
            #expect(anonymous.status == .unauthorized)
            let empty = try await client.execute(uri: "/api/v1/proofread", method: .post, headers: auth, body: ByteBuffer(string: "{\"text\": \"\"}"))
            #expect(try empty.status == .ok && (WebAppFixture.json(empty)["findings"] as? [Any])?.isEmpty == true)
            let tooLong = try JSONSerialization.data(withJSONObject: ["text": String(repeating: "あ", count: ProofreadingService.maxCharacters + 1)])
            let refused = try await client.execute(uri: "/api/v1/proofread", method: .post, headers: auth, body: ByteBuffer(data: tooLong))
            #expect(refused.status == .contentTooLarge)
            #expect(try (WebAppFixture.json(refused)["error"] as? [String: Any])?["code"] as? String == "text_too_long")
            // Files: Shift_JIS text is read with a warning, a broken DOCX is refused without server paths.
            auth[.contentType] = "application/octet-stream"
            let sjis = try await client.execute(
                uri: "/api/v1/proofread/file?filename=tsuchi.txt", method: .post, headers: auth,
                body: ByteBuffer(bytes: [0x8C, 0xA9, 0x82, 0xEA, 0x82, 0xC8, 0x82, 0xA2, 0x81, 0x42]))  // 見れない。
            #expect(sjis.status == .ok)
            let sjisJSON = try WebAppFixture.json(sjis)
            #expect(sjisJSON["text"] as? String == "見れない。")
            #expect((sjisJSON["warnings"] as? [String])?.isEmpty == false)
            let broken = try await client.execute(
                uri: "/api/v1/proofread/file?filename=broken.docx", method: .post, headers: auth, body: ByteBuffer(string: "not a zip"))
            #expect(broken.status == .unprocessableContent)
            #expect(!String(buffer: broken.body).contains("hiroba-proofread-"))
            let exe = try await client.execute(uri: "/api/v1/proofread/file?filename=a.exe", method: .post, headers: auth, body: ByteBuffer(string: "MZ"))
            #expect(exe.status == .unsupportedMediaType)
            // The page, for signed-in staff only.
            let session = try #require(try await WebAppFixture.login(client, login: "kaikei"))
            let cookie: HTTPFields = [.cookie: "\(AuthMiddleware.sessionCookie)=\(session.cookie)"]
            let page = try await client.execute(uri: "/proofread", method: .get, headers: cookie)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("<label for=\"proofread-text\">"))
            #expect(try await client.execute(uri: "/proofread", method: .get).status == .seeOther)
            // A browser session needs the CSRF header.
            var browser = cookie
            browser[.contentType] = "application/json"
            let noCSRF = try await client.execute(uri: "/api/v1/proofread", method: .post, headers: browser, body: ByteBuffer(data: body))
            #expect(noCSRF.status == .forbidden)
        }
        // Every check is on record, and the text never is.
        let entries = try fixture.services.audit.entries(action: "proofread")
        #expect(entries.count >= 3)
        #expect(!entries.contains { ($0.target + ($0.detail ?? "")).contains("刺身") })
    }
}
