import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import LLM
import NIOCore
import Storage

/// Grounded answers (`POST /api/v1/ask`, JSON or a server-sent event stream), ratings of answers, and model
/// usage for administrators.
extension APIController {
    struct AskBody: Decodable {
        var question: String
        var collections: [String]?
        var k: Int?
        var model: String?
        /// Extractive answer even when a model is configured.
        var extract: Bool?
        /// Stream as server-sent events (also chosen by `Accept: text/event-stream`).
        var stream: Bool?
    }

    struct FeedbackBody: Decodable {
        var question: String
        var answer: String
        var mode: String
        var model: String?
        /// Chunk ids the answer cited.
        var sources: [Int64]?
        /// 1 (👍) or -1 (👎).
        var rating: Int
        var reason: String?
    }

    static func caller(_ user: UserAccount, context: HirobaContext, app: String = "ask") -> GatewayCaller {
        GatewayCaller(
            userID: user.id, login: user.login, organization: user.placement.organization, bureau: user.placement.bureau, app: app,
            address: context.address)
    }

    func registerAnswers(on group: RouterGroup<HirobaContext>) {
        group.post("ask") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let body = try await decodeJSON(AskBody.self, from: request, limit: 64 * 1024)
            let scope = try services.access.readScope(for: user)
            let askRequest = AnswerEngine.Request(
                question: body.question, collections: body.collections ?? [], k: body.k ?? 5, scope: scope.collections,
                hiddenDocuments: scope.hiddenDocuments, model: body.model, extractOnly: body.extract ?? false)
            let wantsStream = body.stream ?? (request.headers[.accept]?.contains("text/event-stream") ?? false)
            return try await ask(askRequest, user: user, context: context, stream: wantsStream)
        }
        group.post("answers/feedback") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let body = try await decodeJSON(FeedbackBody.self, from: request, limit: 256 * 1024)
            guard body.rating == 1 || body.rating == -1 else {
                throw APIError.badRequest("rating は 1（👍）か -1（👎）で指定してください（\(body.rating)）", fix: "Send rating 1 or -1.", code: "bad_rating")
            }
            guard ["model", "extract"].contains(body.mode) else {
                throw APIError.badRequest("mode は model か extract です（\(body.mode)）", fix: "Send the mode the answer had.", code: "bad_mode")
            }
            let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (reason?.count ?? 0) <= 1000, body.question.count <= AnswerEngine.maxQuestionCharacters, body.answer.count <= 20_000,
                !body.question.trimmingCharacters(in: .whitespaces).isEmpty
            else {
                throw APIError.badRequest(
                    "評価の内容が空か長すぎます（質問 \(AnswerEngine.maxQuestionCharacters) 文字・回答 20000 文字・理由 1000 文字まで）",
                    fix: "Send the question and answer as shown, and a short reason.", code: "bad_feedback")
            }
            let row = try services.usage.insertFeedback(
                AnswerFeedbackRow(
                    at: Date(), userID: user.id, login: user.login, organization: user.placement.organization, bureau: user.placement.bureau,
                    question: body.question, answer: body.answer, mode: body.mode, model: body.model, sources: body.sources ?? [],
                    rating: body.rating, reason: reason?.isEmpty == true ? nil : reason))
            try await services.audit.record(
                AuditEvent(
                    actorID: user.id, actor: user.login, action: "answer.feedback", target: body.rating > 0 ? "👍" : "👎",
                    detail: "feedback #\(row.id ?? 0) mode=\(body.mode)", address: context.address))
            return try json(["id": row.id ?? 0, "rating": row.rating], status: .created)
        }
        group.get("answers/feedback") { _, context in
            let user = try context.requireUser()
            let (organization, bureau) = try Self.reviewScope(user)
            let rows = try services.usage.feedback(organization: organization, bureau: bureau)
            return try encodedJSON(["feedback": rows])
        }
        group.get("usage") { request, context in
            let user = try context.requireUser()
            let (organization, bureau) = try Self.reviewScope(user)
            let q = request.uri.queryParameters
            let grouping = try q["by"].map { raw -> UsageStore.Grouping in
                guard let g = UsageStore.Grouping(rawValue: String(raw)) else {
                    throw APIError.badRequest("by は bureau・user・model のいずれかです（\(raw)）", fix: "Use by=bureau, user or model.", code: "bad_grouping")
                }
                return g
            } ?? .bureau
            let today = UsageStore.period(Date()).day
            let from = try Self.day(q["from"].map(String.init) ?? String(today.prefix(8)) + "01", name: "from")
            let to = try Self.day(q["to"].map(String.init) ?? today, name: "to")
            let rows = try services.usage.summary(by: grouping, fromDay: from, toDay: to, organization: organization, bureau: bureau)
            return try encodedJSON(UsageBody(by: grouping.rawValue, from: from, to: to, rows: rows))
        }
    }

    struct UsageBody: Encodable {
        var by: String
        var from: String
        var to: String
        var rows: [UsageSummary]
    }

    static func day(_ raw: String, name: String) throws -> String {
        nonisolated(unsafe) let pattern = /^\d{4}-\d{2}-\d{2}$/
        guard raw.wholeMatch(of: pattern) != nil else {
            throw APIError.badRequest("\(name) は YYYY-MM-DD 形式の日付です（\(raw)）", fix: "Use e.g. \(name)=2026-04-01.", code: "bad_date")
        }
        return raw
    }

    /// Platform administrators and auditors see every bureau; a bureau administrator sees their own.
    static func reviewScope(_ user: UserAccount) throws -> (organization: String?, bureau: String?) {
        if user.has(.platformAdmin) || user.has(.auditor) { return (nil, nil) }
        if user.has(.bureauAdmin) { return (user.placement.organization, user.placement.bureau) }
        throw APIError.forbidden
    }

    struct SourceBody: Encodable, Equatable {
        var number: Int
        var chunk_id: Int64
        var document_id: Int64
        var collection: String
        var title: String
        var locator: String
        var citation: String
        var url: String
    }

    struct DoneBody: Encodable {
        var mode: String
        var answer: String
        var answered: Bool
        var cited: [Int]
        var model: String?
        var usage: TokenUsage?
        var cost_yen: Double?
    }

    struct AnswerBody: Encodable {
        var question: String
        var mode: String
        var answer: String
        var answered: Bool
        var cited: [Int]
        var model: String?
        var usage: TokenUsage?
        var cost_yen: Double?
        var notices: [String]
        var sources: [SourceBody]
    }

    static func sourceBody(_ s: AnswerSource) -> SourceBody {
        SourceBody(
            number: s.number, chunk_id: s.chunkID, document_id: s.documentID, collection: s.collection, title: s.title, locator: s.locator,
            citation: s.citation, url: "/documents/\(s.documentID)#chunk-\(s.chunkID)")
    }

    static func doneBody(_ a: GroundedAnswer) -> DoneBody {
        DoneBody(
            mode: a.mode.rawValue, answer: a.text, answered: a.answered, cited: a.cited, model: a.model, usage: a.usage,
            cost_yen: a.cost.map { ($0 * 10000).rounded() / 10000 })
    }

    /// Runs the answer. Everything that can refuse it (bad input, a model the bureau may not use, quota,
    /// personal data blocked) happens before the first byte, so it comes back as a JSON error with its
    /// status; once streaming, a failure arrives as `event: error`.
    func ask(_ request: AnswerEngine.Request, user: UserAccount, context: HirobaContext, stream: Bool) async throws -> Response {
        let engine = services.answers
        try engine.validate(request)
        let caller = Self.caller(user, context: context)
        if let gateway = engine.gateway, !request.extractOnly, gateway.usesModel(named: request.model, caller: caller) {
            _ = try gateway.resolveChatModel(request.model, caller: caller)
            try await gateway.checkQuota(caller: caller, estimate: TokenEstimate.count(request.question))
        }
        let events = engine.ask(request, caller: caller)
        nonisolated(unsafe) var iterator = events.makeAsyncIterator()
        var head: [AnswerEvent] = []
        do {
            while let event = try await iterator.next() {
                head.append(event)
                if case .started = event { break }
            }
        } catch {
            throw APIError.from(error)
        }
        let audit = services.audit
        let record: @Sendable ([AnswerSource], GroundedAnswer) async throws -> Void = { sources, answer in
            let documents = Array(Set(sources.filter { answer.cited.contains($0.number) }.map(\.documentID))).sorted()
            try await audit.record(
                AuditEvent(
                    actorID: user.id, actor: user.login, action: "answer", target: request.question,
                    collection: request.collections.isEmpty ? nil : request.collections.joined(separator: ","), documents: documents,
                    detail: "mode=\(answer.mode.rawValue)\(answer.model.map { " model=\($0)" } ?? "") sources=\(sources.count) cited=\(answer.cited.count)",
                    address: context.address))
        }
        if !stream {
            var sources: [AnswerSource] = []
            var notices: [String] = []
            var final: GroundedAnswer?
            func take(_ event: AnswerEvent) {
                switch event {
                case .sources(let s): sources = s
                case .notice(let n): notices.append(n)
                case .done(let a): final = a
                case .started, .delta: break
                }
            }
            head.forEach(take)
            do {
                while let event = try await iterator.next() { take(event) }
            } catch {
                throw APIError.from(error)
            }
            guard let final else { throw APIError.from(CancellationError()) }
            try await record(sources, final)
            return try encodedJSON(
                AnswerBody(
                    question: request.question, mode: final.mode.rawValue, answer: final.text, answered: final.answered, cited: final.cited,
                    model: final.model, usage: final.usage, cost_yen: final.cost.map { ($0 * 10000).rounded() / 10000 }, notices: notices,
                    sources: sources.map(Self.sourceBody)))
        }
        let firstEvents = head
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var sources: [AnswerSource] = []
                func send(_ event: AnswerEvent) async throws {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.withoutEscapingSlashes]
                    let (name, data): (String, Data)
                    switch event {
                    case .sources(let s):
                        sources = s
                        (name, data) = ("sources", try encoder.encode(["sources": s.map(Self.sourceBody)]))
                    case .started(let mode, let model):
                        (name, data) = ("started", try encoder.encode(["mode": mode.rawValue, "model": model ?? ""]))
                    case .notice(let text): (name, data) = ("notice", try encoder.encode(["message": text]))
                    case .delta(let text): (name, data) = ("delta", try encoder.encode(["text": text]))
                    case .done(let answer):
                        try await record(sources, answer)
                        (name, data) = ("done", try encoder.encode(Self.doneBody(answer)))
                    }
                    try await writer.write(ByteBuffer(string: "event: \(name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                }
                do {
                    for event in firstEvents { try await send(event) }
                    while let event = try await iterator.next() { try await send(event) }
                } catch {
                    let api = APIError.from(error)
                    let data = (try? JSONSerialization.data(withJSONObject: ["code": api.code, "message": api.message, "fix": api.fix])) ?? Data()
                    try await writer.write(ByteBuffer(string: "event: error\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                }
                try await writer.finish(nil)
            })
    }
}
