import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LLM
import NIOCore
import TestSupport
import Testing

@testable import WebApp

@Suite("Proofreading: the optional model pass")
struct ProofreadRewriteTests {
    static let long =
        "本市においては、令和七年度の予算編成にあたり、各局が所管する事業について、その必要性及び効果を改めて検証し、"
        + "真に必要な事業に財源を重点的に配分するとともに、事務の効率化を一層推進することにより、持続可能な財政運営の確立を図ることとしている。短い文です。"

    @Test func longSentencesGetRewriteSuggestionsApartFromTheFindings() async throws {
        let server = ReplayServer { _, _ in
            modelStream(["「本市は令和七年度の予算で、事業の必要性と効果を検証します。", "必要な事業に財源を重点配分し、事務を効率化して財政を安定させます。」"])
        }
        try await server.start()
        defer { server.stop() }
        let fixture = try WebAppFixture(models: localModel(server.baseURL))
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let body = try JSONSerialization.data(withJSONObject: ["text": Self.long, "rewrite": true])
            let response = try await client.execute(uri: "/api/v1/proofread", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(response.status == .ok)
            let json = try WebAppFixture.json(response)
            let findings = try #require(json["findings"] as? [[String: Any]])
            #expect(findings.contains { $0["rule"] as? String == "sentence-length" })
            let rewrites = try #require(json["rewrites"] as? [String: Any])
            #expect(rewrites["model"] as? String == "gemma" && rewrites["failed"] as? Int == 0)
            let suggestions = try #require(rewrites["suggestions"] as? [[String: Any]])
            #expect(suggestions.count == 1, "only the long sentence is sent")
            #expect((suggestions[0]["original"] as? String)?.hasPrefix("本市においては") == true)
            #expect(suggestions[0]["suggestion"] as? String == "本市は令和七年度の予算で、事業の必要性と効果を検証します。必要な事業に財源を重点配分し、事務を効率化して財政を安定させます。")
            #expect((suggestions[0]["start"] as? [String: Any])?["utf16_offset"] as? Int == 0)
        }
        #expect(server.requests.count == 1)
        let sent = String(decoding: server.requests[0].body, as: UTF8.self)
        #expect(sent.contains("公用文") && !sent.contains("短い文です"))
        #expect(try fixture.services.usage.calls().first?.app == "proofread")
    }

    @Test func withoutAModelTheRewriteRequestIsRefusedClearly() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let body = try JSONSerialization.data(withJSONObject: ["text": Self.long, "rewrite": true])
            let response = try await client.execute(uri: "/api/v1/proofread", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(response.status == .badRequest)
            #expect((try WebAppFixture.json(response)["error"] as? [String: Any])?["code"] as? String == "no_model")
            let plain = try JSONSerialization.data(withJSONObject: ["text": Self.long])
            let ok = try await client.execute(uri: "/api/v1/proofread", method: .post, headers: headers, body: ByteBuffer(data: plain))
            #expect(try ok.status == .ok && WebAppFixture.json(ok)["rewrites"] == nil)
        }
    }
}
