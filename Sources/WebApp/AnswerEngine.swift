import Foundation
import HirobaCore
import JapaneseText
import LLM
import Search
import Storage

/// Model calls go to `model_calls` (quotas, usage, cost) and each into the audit log (model, app, sources;
/// never the prompt).
public struct DatabaseUsageRecorder: UsageRecorder {
    let usage: UsageStore
    let audit: AuditLog

    public init(usage: UsageStore, audit: AuditLog) {
        self.usage = usage
        self.audit = audit
    }

    public func totals(for caller: GatewayCaller, at date: Date) async throws -> UsageTotals {
        let t = try usage.totals(organization: caller.organization, bureau: caller.bureau, login: caller.login, at: date)
        return UsageTotals(bureauDay: t.bureauDay, bureauMonth: t.bureauMonth, userDay: t.userDay, userMonth: t.userMonth)
    }

    public func record(_ record: UsageRecord, at date: Date) async throws {
        let caller = record.caller
        let personal = record.personalData.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        _ = try usage.insert(
            ModelCallRow(
                at: date, userID: caller.userID, login: caller.login, organization: caller.organization, bureau: caller.bureau,
                app: caller.app, model: record.model, provider: record.provider, promptTokens: record.promptTokens,
                completionTokens: record.completionTokens, usageReported: record.usageReported, milliseconds: record.milliseconds,
                cost: record.cost, status: record.status, error: record.error,
                sources: record.sources.isEmpty ? nil : record.sources.map(String.init).joined(separator: ","),
                personalData: personal.isEmpty ? nil : personal, personalDataAction: record.personalDataAction,
                prompt: record.prompt, output: record.output))
        var detail = "app=\(caller.app) status=\(record.status) tokens=\(record.promptTokens)+\(record.completionTokens)"
        if let action = record.personalDataAction { detail += " 個人情報=\(personal)(\(action))" }
        _ = try await audit.record(
            AuditEvent(
                actorID: caller.userID, actor: caller.login, action: "model.call", target: record.model, documents: [],
                detail: detail + (record.sources.isEmpty ? "" : " chunks=\(record.sources.map(String.init).joined(separator: ","))"),
                address: caller.address))
    }
}

/// What an answer stream yields, in order: the sources, how the answer is being made, text, the result.
public enum AnswerEvent: Sendable, Equatable {
    case sources([AnswerSource])
    case started(mode: AnswerMode, model: String?)
    /// Something the user should know (e.g. the model failed and an extract is shown instead).
    case notice(String)
    case delta(String)
    case done(GroundedAnswer)
}

/// Grounded answers: retrieve with the caller's access (inside the search, before ranking), then answer
/// through the model gateway from numbered sources, or extractively when no model is configured (or the
/// caller asks for an extract, or every model failed).
public struct AnswerEngine: Sendable {
    public let store: KnowledgeStore
    public let gateway: ModelGateway?
    public let vectors: VectorStore
    let extractive: ExtractiveAnswerer
    public static let maxQuestionCharacters = 2000

    public init(store: KnowledgeStore, gateway: ModelGateway?, model: MeCabModel) {
        self.store = store
        self.gateway = gateway
        vectors = VectorStore(database: store.database)
        extractive = ExtractiveAnswerer(model: model)
    }

    public struct Request: Sendable {
        public var question: String
        public var collections: [String]
        public var k: Int
        /// Readable collections and hidden documents (nil scope: the operator's CLI, unrestricted).
        public var scope: Set<Int64>?
        public var hiddenDocuments: Set<Int64>
        /// A configured chat model by name (nil: the default).
        public var model: String?
        public var extractOnly: Bool
        public init(
            question: String, collections: [String] = [], k: Int = 5, scope: Set<Int64>? = nil, hiddenDocuments: Set<Int64> = [],
            model: String? = nil, extractOnly: Bool = false
        ) {
            self.question = question
            self.collections = collections
            self.k = k
            self.scope = scope
            self.hiddenDocuments = hiddenDocuments
            self.model = model
            self.extractOnly = extractOnly
        }
    }

    /// The sources for a question: the top-k chunks the caller may read. With an embedding model configured
    /// and chunks embedded, BM25 and vector results (both within the caller's access) are fused by reciprocal
    /// rank; if the embedding call fails, BM25 alone answers and the notice says so.
    public func sources(for request: Request, caller: GatewayCaller) async throws -> (sources: [AnswerSource], notice: String?) {
        let retrieval = gateway?.configuration.retrieval ?? ModelConfiguration.Retrieval()
        let hybrid = gateway?.configuration.embeddingModel != nil && !request.extractOnly
        let fetch = hybrid ? max(request.k, retrieval.candidates) : request.k
        var hits: [SearchHit]
        do {
            hits = try store.search(
                SearchRequest(
                    query: request.question, collections: request.collections, k: fetch, snippets: false, scope: request.scope,
                    hiddenDocuments: request.hiddenDocuments)
            ).hits
        } catch is SearchError {
            hits = []  // no searchable words: vectors may still find something
        }
        var notice: String?
        if hybrid, let gateway, let model = gateway.configuration.embeddingModel, try vectors.hasVectors(model: model) {
            do {
                let (embedded, _) = try await gateway.embed([request.question], caller: caller)
                let allowed = try store.searchableCollections(request.collections, scope: request.scope)
                let nearest = try vectors.nearest(
                    to: embedded[0], model: model, k: fetch, collections: allowed, hiddenDocuments: request.hiddenDocuments)
                let fused = RankFusion.reciprocal(
                    [hits.map(\.chunkID.rawValue), nearest.map(\.chunkID)], weights: [retrieval.bm25Weight, retrieval.vectorWeight],
                    k: retrieval.rrfK
                ).prefix(request.k)
                var byID = Dictionary(hits.map { ($0.chunkID.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
                let missing = fused.filter { byID[$0.id] == nil }.map { (chunkID: $0.id, score: $0.score) }
                for hit in try store.hits(missing, query: request.question) { byID[hit.chunkID.rawValue] = hit }
                hits = fused.compactMap { byID[$0.id] }
            } catch let error as HirobaError {
                notice = "意味検索（埋め込み）が使えないため、キーワード検索だけで資料を選びました（\(error.message)）"
            }
        }
        let top = hits.prefix(request.k)
        return (
            top.enumerated().map { i, hit in
                AnswerSource(
                    number: i + 1, chunkID: hit.chunkID.rawValue, documentID: hit.documentID.rawValue, collection: hit.collection,
                    title: hit.title, locator: hit.locator.display, text: hit.text)
            }, notice
        )
    }

    public func validate(_ request: Request) throws {
        let question = request.question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !question.isEmpty else {
            throw APIError.badRequest("質問が空です", fix: "Type a question.", code: "empty_question")
        }
        guard question.count <= Self.maxQuestionCharacters else {
            throw APIError.badRequest(
                "質問が長すぎます（\(question.count) 文字。上限は \(Self.maxQuestionCharacters) 文字）",
                fix: "Shorten the question.", code: "question_too_long")
        }
        guard (1...20).contains(request.k) else {
            throw APIError.badRequest("k は 1〜20 で指定してください（\(request.k)）", fix: "Ask for 1–20 sources.", code: "bad_k")
        }
    }

    public func ask(_ request: Request, caller: GatewayCaller) -> AsyncThrowingStream<AnswerEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await run(request, caller: caller, continuation: continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Collects the stream (CLI, evaluation).
    public func answer(_ request: Request, caller: GatewayCaller) async throws -> (sources: [AnswerSource], answer: GroundedAnswer, notices: [String]) {
        var sources: [AnswerSource] = []
        var notices: [String] = []
        var answer: GroundedAnswer?
        for try await event in ask(request, caller: caller) {
            switch event {
            case .sources(let s): sources = s
            case .notice(let n): notices.append(n)
            case .done(let a): answer = a
            case .started, .delta: break
            }
        }
        guard let answer else { throw CancellationError() }
        return (sources, answer, notices)
    }

    private func run(_ request: Request, caller: GatewayCaller, continuation: AsyncThrowingStream<AnswerEvent, Error>.Continuation) async throws {
        try validate(request)
        let (sources, retrievalNotice) = try await self.sources(for: request, caller: caller)
        continuation.yield(.sources(sources))
        if let retrievalNotice { continuation.yield(.notice(retrievalNotice)) }
        let useModel = !request.extractOnly && (gateway?.usesModel(named: request.model, caller: caller) ?? false)
        if useModel, let gateway {
            // A model named by the caller must exist and be allowed, even when there is nothing to answer from.
            _ = try gateway.resolveChatModel(request.model, caller: caller)
            if sources.isEmpty {
                continuation.yield(.started(mode: .model, model: nil))
                let text = "\(GroundedPrompt.notFoundPhrase)。参照できる資料の中に、質問に関係する記述が見つかりませんでした。"
                continuation.yield(.delta(text))
                continuation.yield(.done(GroundedAnswer(mode: .model, text: text, cited: [], answered: false)))
                return
            }
            do {
                var text = ""
                var modelName: String?
                var usage: TokenUsage?
                var cost: Double?
                for try await event in gateway.streamChat(
                    GroundedPrompt.messages(question: request.question, sources: sources), model: request.model, caller: caller,
                    sources: sources.map(\.chunkID))
                {
                    switch event {
                    case .model(let name, _, let masked):
                        modelName = name
                        continuation.yield(.started(mode: .model, model: name))
                        if masked > 0 { continuation.yield(.notice("個人情報 \(masked) 件を伏せ字にして外部モデルに送り、回答では元に戻しています。")) }
                    case .delta(let piece):
                        text += piece
                        continuation.yield(.delta(piece))
                    case .finished(_, let u, let c):
                        usage = u
                        cost = c
                    }
                }
                let cleaned = GroundedPrompt.removingInvalidCitations(text, sourceCount: sources.count)
                let cited = GroundedPrompt.citations(in: cleaned, sourceCount: sources.count)
                let answered = !GroundedPrompt.saysNotFound(cleaned)
                continuation.yield(
                    .done(
                        GroundedAnswer(
                            mode: .model, text: cleaned, cited: answered ? cited : [], answered: answered, model: modelName, usage: usage,
                            cost: cost)))
                return
            } catch GatewayError.allModelsFailed(let last) {
                continuation.yield(.notice("生成AIモデルが応答しないため、資料の抜粋で回答します（\(last.message)）"))
            }
        }
        let answer = try extractive.answer(question: request.question, sources: sources)
        continuation.yield(.started(mode: .extract, model: nil))
        continuation.yield(.delta(answer.text))
        continuation.yield(.done(answer))
    }
}
