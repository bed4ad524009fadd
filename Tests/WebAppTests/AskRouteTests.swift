import Foundation
import GRDB
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

/// An OpenAI-compatible stream that says `pieces`, then reports usage.
func modelStream(_ pieces: [String], prompt: Int = 300, completion: Int = 20) -> Scripted {
    var text = ""
    for piece in pieces {
        let data = try! JSONSerialization.data(withJSONObject: ["choices": [["index": 0, "delta": ["content": piece]]]])
        text += "data: \(String(decoding: data, as: UTF8.self))\n\n"
    }
    text += "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    text += "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":\(prompt),\"completion_tokens\":\(completion)}}\n\ndata: [DONE]\n\n"
    return .sse(text, pieceSize: 9)
}

func localModel(_ baseURL: String, policy: ModelConfiguration.Policy = .init()) -> ModelConfiguration {
    ModelConfiguration(
        providers: [.init(name: "local", kind: .openai, baseURL: baseURL + "/v1", connectTimeoutSeconds: 1, maxRetries: 0)],
        models: [.init(name: "gemma", provider: "local", id: "gemma-3-270m", location: .internal, price: .init(prompt: 10, completion: 20))],
        defaultChatModel: "gemma", defaultPolicy: policy)
}

/// Server-sent events of a response body, as (event, JSON object).
func events(_ response: TestResponse) throws -> [(String, [String: Any])] {
    var parser = ServerSentEventParser()
    return try (parser.feed(Array(String(buffer: response.body).utf8)) + parser.finish()).map {
        ($0.event ?? "message", (try JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any]) ?? [:])
    }
}

@Suite("Grounded answers over the API")
struct AskRouteTests {
    @Test func extractiveAnswerCitesOnlyWhatTheCallerMayRead() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let body = try JSONSerialization.data(withJSONObject: ["question": "支出命令はいつまでに入力しますか"])
            let response = try await client.execute(uri: "/api/v1/ask", method: .post, headers: auth, body: ByteBuffer(data: body))
            #expect(response.status == .ok)
            let json = try WebAppFixture.json(response)
            #expect(json["mode"] as? String == "extract" && json["answered"] as? Bool == true)
            let answer = try #require(json["answer"] as? String)
            #expect(answer.contains("支出命令は支払日の五日前までに入力する。") && answer.contains("[1]"))
            let sources = try #require(json["sources"] as? [[String: Any]])
            #expect(sources.allSatisfy { $0["collection"] as? String == "会計" }, "福祉's section-only document is never a source for 会計")
            #expect((sources.first?["url"] as? String)?.hasPrefix("/documents/") == true)
            #expect(json["cited"] as? [Int] == [1])
        }
        let audit = try fixture.services.audit.entries(limit: 20).filter { $0.action == "answer" }
        #expect(audit.count == 1 && audit[0].actor == "kaikei" && audit[0].detail?.contains("mode=extract") == true)
    }

    @Test func theAnswerStreamsAsServerSentEvents() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json", .accept: "text/event-stream"]
            let body = try JSONSerialization.data(withJSONObject: ["question": "支出命令の入力期限"])
            let response = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let stream = try events(response)
            #expect(stream.map(\.0) == ["sources", "started", "delta", "done"])
            #expect(stream[1].1["mode"] as? String == "extract")
            #expect(stream[3].1["answered"] as? Bool == true)
        }
    }

    @Test func aModelAnswerStreamsIsCleanedAndRecorded() async throws {
        let server = ReplayServer { _, _ in modelStream(["支出命令は支払日の", "五日前までに入力します [1]。", "[9]"]) }
        try await server.start()
        defer { server.stop() }
        let fixture = try WebAppFixture(models: localModel(server.baseURL))
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let body = try JSONSerialization.data(withJSONObject: ["question": "支出命令はいつまでに入力しますか", "stream": true])
            let response = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: body))
            let stream = try events(response)
            #expect(stream.first?.0 == "sources" && stream[1].0 == "started" && stream.last?.0 == "done")
            #expect(stream[1].1["model"] as? String == "gemma")
            let deltas = stream.filter { $0.0 == "delta" }.compactMap { $0.1["text"] as? String }.joined()
            #expect(deltas == "支出命令は支払日の五日前までに入力します [1]。[9]")
            let done = try #require(stream.last?.1)
            #expect(done["answer"] as? String == "支出命令は支払日の五日前までに入力します [1]。", "an invented citation is removed")
            #expect(done["cited"] as? [Int] == [1] && done["mode"] as? String == "model")
        }
        // The prompt quoted the readable source, numbered, and the call is on record.
        let prompt = String(decoding: try #require(server.requests.first).body, as: UTF8.self)
        #expect(prompt.contains("番号=\\\"1\\\"") && prompt.contains("五日前までに入力する") && !prompt.contains("福祉システム"))
        let calls = try fixture.services.usage.calls()
        #expect(calls.count == 1 && calls[0].model == "gemma" && calls[0].promptTokens == 300 && calls[0].login == "kaikei")
        #expect(calls[0].bureau == "会計管理局" && calls[0].sources != nil && calls[0].prompt == nil)
        #expect(abs(calls[0].cost - (300.0 * 10 + 20 * 20) / 1_000_000) < 1e-12)
        let audit = try fixture.services.audit.entries(limit: 20)
        #expect(audit.contains { $0.action == "model.call" && $0.target == "gemma" })
        #expect(audit.contains { $0.action == "answer" && $0.detail?.contains("model=gemma") == true })
    }

    @Test func aBureauOverQuotaGetsAClearRefusalBeforeAnyCall() async throws {
        let server = ReplayServer { _, _ in modelStream(["ok"], prompt: 980, completion: 20) }
        try await server.start()
        defer { server.stop() }
        let policy = ModelConfiguration.Policy(quotas: .init(bureauDailyTokens: 1000))
        let fixture = try WebAppFixture(models: localModel(server.baseURL, policy: policy))
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let body = try JSONSerialization.data(withJSONObject: ["question": "支出命令はいつまでに入力しますか", "stream": true])
            let first = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(first.status == .ok)  // 1,000 tokens used: the bureau's day is spent
            let second = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(second.status == .tooManyRequests)
            let error = try #require(try WebAppFixture.json(second)["error"] as? [String: Any])
            #expect(error["code"] as? String == "quota_exceeded")
            #expect((error["message"] as? String)?.contains("局の本日分") == true)
            // An extract costs no tokens and is still available.
            let extract = try JSONSerialization.data(withJSONObject: ["question": "支出命令はいつまでに入力しますか", "extract": true])
            let fallback = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: extract))
            #expect(try fallback.status == .ok && WebAppFixture.json(fallback)["mode"] as? String == "extract")
        }
        #expect(server.requests.count == 1)
        let totals = try fixture.services.usage.totals(organization: "みなと市", bureau: "会計管理局", login: "kaikei", at: Date())
        #expect(totals.bureauDay == 1000 && totals.userMonth == 1000, "totals are the recorded calls")
    }

    @Test func aBureauWithoutModelAccessGetsAnExtractAndANamedModelIsRefused() async throws {
        let server = ReplayServer { _, _ in modelStream(["ok"]) }
        try await server.start()
        defer { server.stop() }
        var config = localModel(server.baseURL)
        config.policies["みなと市/会計管理局"] = ModelConfiguration.Policy(models: [])
        let fixture = try WebAppFixture(models: config)
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let plain = try JSONSerialization.data(withJSONObject: ["question": "支出命令はいつまでに入力しますか"])
            let response = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: plain))
            #expect(try response.status == .ok && WebAppFixture.json(response)["mode"] as? String == "extract")
            let named = try JSONSerialization.data(withJSONObject: ["question": "支出命令はいつまでに入力しますか", "model": "gemma"])
            let refused = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: named))
            #expect(refused.status == .forbidden)
            #expect((try WebAppFixture.json(refused)["error"] as? [String: Any])?["code"] as? String == "model_not_allowed")
        }
        #expect(server.requests.isEmpty)
    }

    @Test func whenTheModelIsDownTheAnswerIsAnExtractWithANotice() async throws {
        let fixture = try WebAppFixture(models: localModel("http://127.0.0.1:\(closedPort())"))
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let body = try JSONSerialization.data(withJSONObject: ["question": "支出命令はいつまでに入力しますか"])
            let response = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(response.status == .ok)
            let json = try WebAppFixture.json(response)
            #expect(json["mode"] as? String == "extract")
            #expect(((json["notices"] as? [String])?.first ?? "").contains("抜粋で回答"))
        }
        let statuses = try fixture.services.usage.calls().map(\.status)
        #expect(statuses == ["error"])
    }

    @Test func badQuestionsAreRefusedClearly() async throws {
        let fixture = try WebAppFixture()
        let token = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            for (body, code) in [
                (["question": "  "], "empty_question"), (["question": String(repeating: "あ", count: 2001)], "question_too_long"),
                (["question": "予算", "k": 50] as [String: Any], "bad_k"),
            ] {
                let data = try JSONSerialization.data(withJSONObject: body)
                let response = try await client.execute(uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(data: data))
                #expect(response.status == .badRequest)
                #expect((try WebAppFixture.json(response)["error"] as? [String: Any])?["code"] as? String == code)
            }
            let anonymous = try await client.execute(
                uri: "/api/v1/ask", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{\"question\":\"予算\"}"))
            #expect(anonymous.status == .unauthorized)
            let nothing = try await client.execute(
                uri: "/api/v1/ask", method: .post, headers: headers, body: ByteBuffer(string: "{\"question\":\"図書館の開館時間\"}"))
            #expect(try WebAppFixture.json(nothing)["answered"] as? Bool == false)
        }
    }

    @Test func ratingsAreStoredAndReviewedByTheBureauAdministrator() async throws {
        let fixture = try WebAppFixture()
        let section = try fixture.services.accounts.ensurePlacement(organization: "みなと市", bureau: "会計管理局", section: "会計課")
        _ = try fixture.services.accounts.addUser(
            login: "kanri", displayName: "管理 一郎", placement: section, roles: [.bureauAdmin], password: WebAppFixture.password)
        let staffToken = try fixture.services.accounts.issueToken(login: "kaikei", name: "t")
        let adminToken = try fixture.services.accounts.issueToken(login: "kanri", name: "t")
        let otherToken = try fixture.services.accounts.issueToken(login: "fukushi", name: "t")
        try await fixture.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(staffToken)", .contentType: "application/json"]
            let rating: [String: Any] = [
                "question": "支出命令の期限", "answer": "五日前 [1]", "mode": "extract", "sources": [3], "rating": -1, "reason": "根拠が古い",
            ]
            let saved = try await client.execute(
                uri: "/api/v1/answers/feedback", method: .post, headers: headers, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: rating)))
            #expect(saved.status == .created)
            var bad = rating
            bad["rating"] = 5
            let refused = try await client.execute(
                uri: "/api/v1/answers/feedback", method: .post, headers: headers, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: bad)))
            #expect(refused.status == .badRequest)
            let asStaff = try await client.execute(uri: "/api/v1/answers/feedback", method: .get, headers: [.authorization: "Bearer \(staffToken)"])
            #expect(asStaff.status == .forbidden)
            let asAdmin = try await client.execute(uri: "/api/v1/answers/feedback", method: .get, headers: [.authorization: "Bearer \(adminToken)"])
            let rows = try #require(try WebAppFixture.json(asAdmin)["feedback"] as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["reason"] as? String == "根拠が古い" && rows[0]["rating"] as? Int == -1)
            let usage = try await client.execute(uri: "/api/v1/usage?by=user&from=2026-01-01", method: .get, headers: [.authorization: "Bearer \(adminToken)"])
            #expect(usage.status == .ok)
            let badDate = try await client.execute(uri: "/api/v1/usage?from=yesterday", method: .get, headers: [.authorization: "Bearer \(adminToken)"])
            #expect(badDate.status == .badRequest)
            let other = try await client.execute(uri: "/api/v1/usage", method: .get, headers: [.authorization: "Bearer \(otherToken)"])
            #expect(other.status == .forbidden)
        }
    }
}
