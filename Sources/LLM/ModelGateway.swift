import Foundation
import HirobaCore

/// Who is calling a model, for policy, quotas and the record.
public struct GatewayCaller: Sendable, Equatable {
    public var userID: Int64?
    public var login: String
    public var organization: String?
    public var bureau: String?
    /// The app that makes the call (`ask`, `proofread`, `listen`, `cli`…).
    public var app: String
    public var address: String?
    public init(userID: Int64? = nil, login: String, organization: String? = nil, bureau: String? = nil, app: String, address: String? = nil) {
        self.userID = userID
        self.login = login
        self.organization = organization
        self.bureau = bureau
        self.app = app
        self.address = address
    }
}

/// Tokens already used, for the quota check.
public struct UsageTotals: Sendable, Equatable {
    public var bureauDay = 0
    public var bureauMonth = 0
    public var userDay = 0
    public var userMonth = 0
    public init(bureauDay: Int = 0, bureauMonth: Int = 0, userDay: Int = 0, userMonth: Int = 0) {
        self.bureauDay = bureauDay
        self.bureauMonth = bureauMonth
        self.userDay = userDay
        self.userMonth = userMonth
    }
}

/// One model call as recorded (one row per call, whatever its outcome).
public struct UsageRecord: Sendable, Equatable {
    public var caller: GatewayCaller
    /// Hiroba's model name and the provider it went to.
    public var model: String
    public var provider: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// False when the provider reported no usage and the counts are estimates.
    public var usageReported: Bool
    public var milliseconds: Double
    /// Yen, from the model's price table.
    public var cost: Double
    /// `ok`, or the error kind.
    public var status: String
    public var error: String?
    /// Chunk ids the prompt quoted.
    public var sources: [Int64]
    /// Personal data found in the prompt, by kind, and what was done (`masked`, `blocked`, `allowed`, `internal`).
    public var personalData: [String: Int]
    public var personalDataAction: String?
    /// Prompt and output, only when the bureau's policy says to store them.
    public var prompt: String?
    public var output: String?
}

/// Where usage goes and where the quota check reads it from (the database in the server and CLI).
public protocol UsageRecorder: Sendable {
    func totals(for caller: GatewayCaller, at date: Date) async throws -> UsageTotals
    func record(_ record: UsageRecord, at date: Date) async throws
}

/// Detects and masks personal data before text goes to an external model, and puts it back in the answer.
public protocol PersonalDataFilter: Sendable {
    func makeSession() -> any PersonalDataSession
}

/// One call's masking: the same value gets the same placeholder across all of the call's texts.
public protocol PersonalDataSession: AnyObject, Sendable {
    /// Kinds found in `text` (Japanese labels, e.g. 氏名, 電話番号), with counts.
    func detect(_ text: String) throws -> [String: Int]
    /// The text with each value replaced by its placeholder; throws rather than ever return unmasked text.
    func mask(_ text: String) throws -> String
    /// Restores placeholders in streamed output: returns what can be shown now (an unfinished placeholder
    /// at the end is held back); `final: true` flushes everything.
    func restore(streamed piece: String, final: Bool) -> String
}

/// Refusals by the gateway itself: no provider has been called when one of these is thrown.
public enum GatewayError: HirobaError, Equatable {
    case noModelConfigured
    case unknownModel(String)
    case wrongKind(String)
    case modelNotAllowed(model: String, bureau: String)
    case quotaExceeded(scope: String, used: Int, limit: Int)
    case personalDataBlocked(kinds: [String])
    /// No personal-data detector is configured, so nothing may go to an external model (unless the policy allows it).
    case personalDataUncheckable
    case allModelsFailed(last: ModelError)

    public var message: String {
        switch self {
        case .noModelConfigured: return "生成AIモデルが設定されていません"
        case .unknownModel(let m): return "モデル「\(m)」は設定されていません"
        case .wrongKind(let m): return "モデル「\(m)」はこの用途（チャット/埋め込み）には使えません"
        case .modelNotAllowed(let m, let b): return "\(b) はモデル「\(m)」の利用を認められていません"
        case .quotaExceeded(let scope, let used, let limit):
            return "\(scope)のトークン上限に達しています（使用済み \(used) / 上限 \(limit)）。生成AIの呼び出しは行っていません"
        case .personalDataBlocked(let kinds):
            return "質問または参照資料に個人情報（\(kinds.joined(separator: "、"))）が含まれるため、外部モデルへの送信を止めました"
        case .personalDataUncheckable: return "個人情報の検査ができないため、外部モデルへの送信を止めました"
        case .allModelsFailed(let last): return "利用できるモデルがありません。最後のエラー: \(last.message)"
        }
    }

    public var fix: String {
        switch self {
        case .noModelConfigured: return "Configure a chat model in the model configuration (--models / HIROBA_MODELS), or use the extractive answer."
        case .unknownModel: return "Use a model name from the model configuration."
        case .wrongKind: return "Use a chat model for answers and an embedding model for vectors."
        case .modelNotAllowed: return "Ask the platform administrator to allow the model for the bureau, or choose an allowed model."
        case .quotaExceeded: return "Wait for the next day/month, or ask the bureau administrator to raise the quota."
        case .personalDataBlocked: return "Remove the personal data from the question, or use an internal model (the bureau policy blocks sending it outside)."
        case .personalDataUncheckable: return "Run Hiroba with its personal-data filter, use an internal model, or set personal_data: allow for the bureau."
        case .allModelsFailed(let last): return last.fix
        }
    }
}

/// What a gateway chat yields: which model answers (after any failover), text, then the finish.
public enum GatewayEvent: Sendable, Equatable {
    case model(name: String, location: ModelConfiguration.Model.Location, masked: Int)
    case delta(String)
    case finished(reason: String?, usage: TokenUsage, cost: Double)
}

/// Every model call goes through here: policy (which models a bureau may use), quotas checked before the
/// call, personal data masked or blocked for external models, failover to the fallback model, and one
/// usage record per call.
public final class ModelGateway: Sendable {
    public let registry: ModelRegistry
    let recorder: any UsageRecorder
    let privacy: (any PersonalDataFilter)?
    let now: @Sendable () -> Date

    public init(
        registry: ModelRegistry, recorder: any UsageRecorder, privacy: (any PersonalDataFilter)?,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.registry = registry
        self.recorder = recorder
        self.privacy = privacy
        self.now = now
    }

    public var configuration: ModelConfiguration { registry.configuration }

    /// The chat model a request would use (the named one or the default), checked against the policy.
    public func resolveChatModel(_ name: String?, caller: GatewayCaller) throws -> ModelConfiguration.Model {
        guard let name = name ?? configuration.defaultChatModel else { throw GatewayError.noModelConfigured }
        guard let model = configuration.model(named: name) else { throw GatewayError.unknownModel(name) }
        guard model.kind == .chat else { throw GatewayError.wrongKind(name) }
        let policy = configuration.policy(organization: caller.organization, bureau: caller.bureau)
        guard policy.allows(model.name) else {
            throw GatewayError.modelNotAllowed(model: model.name, bureau: caller.bureau ?? caller.organization ?? caller.login)
        }
        return model
    }

    /// Whether a request from `caller` would use a model: one it names, or the default when the caller's
    /// policy allows it (a bureau without model access gets extracts, not an error).
    public func usesModel(named name: String?, caller: GatewayCaller) -> Bool {
        if name != nil { return true }
        guard let model = configuration.defaultChatModel else { return false }
        return configuration.policy(organization: caller.organization, bureau: caller.bureau).allows(model)
    }

    /// Refuses before any call when the caller's bureau or the caller is at a quota.
    public func checkQuota(caller: GatewayCaller, estimate: Int) async throws {
        let quotas = configuration.policy(organization: caller.organization, bureau: caller.bureau).quotas
        guard quotas != .init() else { return }
        let used = try await recorder.totals(for: caller, at: now())
        let checks: [(String, Int, Int?)] = [
            ("局の本日分", used.bureauDay, quotas.bureauDailyTokens),
            ("局の今月分", used.bureauMonth, quotas.bureauMonthlyTokens),
            ("あなたの本日分", used.userDay, quotas.userDailyTokens),
            ("あなたの今月分", used.userMonth, quotas.userMonthlyTokens),
        ]
        for (scope, used, limit) in checks {
            if let limit, used + estimate > limit { throw GatewayError.quotaExceeded(scope: scope, used: used, limit: limit) }
        }
    }

    /// Streams a chat through the policy, quota, privacy and failover steps. `sources` are the chunk ids the
    /// prompt quotes (for the record). Errors raised before any text are `GatewayError`s or, when every
    /// model in the chain failed, `.allModelsFailed`; a failure after text has been shown is the provider's.
    public func streamChat(
        _ messages: [ChatMessage], model name: String? = nil, maxTokens: Int? = nil, temperature: Double? = nil,
        caller: GatewayCaller, sources: [Int64] = []
    ) -> AsyncThrowingStream<GatewayEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.run(
                        messages, model: name, maxTokens: maxTokens, temperature: temperature, caller: caller, sources: sources,
                        continuation: continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The whole answer at once (same steps as `streamChat`).
    public func chat(
        _ messages: [ChatMessage], model: String? = nil, maxTokens: Int? = nil, temperature: Double? = nil,
        caller: GatewayCaller, sources: [Int64] = []
    ) async throws -> (text: String, model: String, usage: TokenUsage, cost: Double) {
        var text = ""
        var used = ""
        var usage = TokenUsage(promptTokens: 0, completionTokens: 0)
        var cost = 0.0
        for try await event in streamChat(
            messages, model: model, maxTokens: maxTokens, temperature: temperature, caller: caller, sources: sources)
        {
            switch event {
            case .model(let name, _, _): used = name
            case .delta(let piece): text += piece
            case .finished(_, let u, let c):
                usage = u
                cost = c
            }
        }
        return (text, used, usage, cost)
    }

    private func run(
        _ messages: [ChatMessage], model name: String?, maxTokens: Int?, temperature: Double?, caller: GatewayCaller,
        sources: [Int64], continuation: AsyncThrowingStream<GatewayEvent, Error>.Continuation
    ) async throws {
        let primary = try resolveChatModel(name, caller: caller)
        let policy = configuration.policy(organization: caller.organization, bureau: caller.bureau)
        let estimate = TokenEstimate.count(messages)
        try await checkQuota(caller: caller, estimate: estimate)
        let chain = configuration.chain(from: primary.name).filter { policy.allows($0.name) }

        // Personal data is looked for once; whether it matters depends on where each model runs.
        var session = privacy?.makeSession()
        var found: [String: Int] = [:]
        if let s = session {
            do {
                for message in messages { found.merge(try s.detect(message.content), uniquingKeysWith: +) }
            } catch {
                session = nil  // not checkable: external models are refused below, internal ones still answer
            }
        }
        var lastError: ModelError?
        var blocked = false
        for model in chain {
            guard let provider = registry.provider(for: model) else { continue }
            var outgoing = messages
            var action: String? = found.isEmpty ? nil : "internal"
            var masking: (any PersonalDataSession)?
            // Without a detector nothing can be checked: fail closed for external models unless allowed.
            if model.location == .external, session == nil, policy.personalData != .allow {
                blocked = true
                continue
            }
            if model.location == .external, !found.isEmpty {
                switch policy.personalData {
                case .block:
                    blocked = true
                    continue  // a later, internal model in the chain may still take it
                case .mask:
                    guard let session else { break }
                    do {
                        outgoing = try messages.map { ChatMessage($0.role, try session.mask($0.content)) }
                    } catch {
                        blocked = true
                        continue
                    }
                    masking = session
                    action = "masked"
                case .allow:
                    action = "allowed"
                }
            }
            if model.mergeSystem { outgoing = Self.mergingSystem(outgoing) }
            let request = ChatRequest(
                model: model.id, messages: outgoing, maxTokens: min(maxTokens ?? model.maxOutputTokens, model.maxOutputTokens),
                temperature: temperature)
            let started = ContinuousClock.now
            var shown = false
            var output = ""
            var finishReason: String?
            var reported: TokenUsage?
            func record(status: String, error: String?) async throws {
                let usage =
                    reported
                    ?? TokenUsage(
                        promptTokens: TokenEstimate.count(outgoing), completionTokens: TokenEstimate.count(output), reported: false)
                let elapsed = (ContinuousClock.now - started).components
                try await recorder.record(
                    UsageRecord(
                        caller: caller, model: model.name, provider: model.provider, promptTokens: usage.promptTokens,
                        completionTokens: usage.completionTokens, usageReported: usage.reported,
                        milliseconds: Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15,
                        cost: model.price.cost(usage), status: status, error: error, sources: sources, personalData: found,
                        personalDataAction: action,
                        prompt: policy.storePrompts ? outgoing.map { "[\($0.role.rawValue)] \($0.content)" }.joined(separator: "\n") : nil,
                        output: policy.storePrompts ? output : nil),
                    at: now())
            }
            do {
                for try await event in provider.streamChat(request) {
                    switch event {
                    case .delta(let piece):
                        if !shown {
                            shown = true
                            continuation.yield(.model(name: model.name, location: model.location, masked: masking == nil ? 0 : found.values.reduce(0, +)))
                        }
                        output += piece
                        let visible = masking?.restore(streamed: piece, final: false) ?? piece
                        if !visible.isEmpty { continuation.yield(.delta(visible)) }
                    case .finished(let reason, let usage):
                        finishReason = reason
                        reported = usage
                    }
                }
            } catch let error as ModelError {
                try await record(status: "error", error: error.message)
                if shown || !error.isTransient { throw error }
                lastError = error
                continue
            } catch {
                try? await record(status: "cancelled", error: String(describing: error))
                throw error
            }
            if !shown {
                continuation.yield(.model(name: model.name, location: model.location, masked: masking == nil ? 0 : found.values.reduce(0, +)))
            }
            if let masking {
                let rest = masking.restore(streamed: "", final: true)
                if !rest.isEmpty { continuation.yield(.delta(rest)) }
            }
            try await record(status: "ok", error: nil)
            let usage =
                reported
                ?? TokenUsage(promptTokens: TokenEstimate.count(outgoing), completionTokens: TokenEstimate.count(output), reported: false)
            continuation.yield(.finished(reason: finishReason, usage: usage, cost: model.price.cost(usage)))
            return
        }
        if let lastError { throw GatewayError.allModelsFailed(last: lastError) }
        if blocked {
            throw session == nil ? GatewayError.personalDataUncheckable : GatewayError.personalDataBlocked(kinds: found.keys.sorted())
        }
        throw GatewayError.noModelConfigured
    }

    /// System instructions moved into the first user message (kept apart by a heading), for models without
    /// a system role.
    static func mergingSystem(_ messages: [ChatMessage]) -> [ChatMessage] {
        let system = messages.filter { $0.role == .system }.map(\.content)
        guard !system.isEmpty else { return messages }
        var rest = messages.filter { $0.role != .system }
        let preface = "【指示】\n" + system.joined(separator: "\n\n") + "\n\n【依頼】\n"
        if let first = rest.firstIndex(where: { $0.role == .user }) {
            rest[first].content = preface + rest[first].content
        } else {
            rest.insert(ChatMessage(.user, preface), at: 0)
        }
        return rest
    }

    /// Embedding vectors through the configured embedding model (internal or external per its location;
    /// texts for an external embedding model are masked like prompts).
    public func embed(_ inputs: [String], caller: GatewayCaller) async throws -> (vectors: [[Float]], model: String) {
        guard let name = configuration.embeddingModel, let model = configuration.model(named: name) else {
            throw GatewayError.noModelConfigured
        }
        guard let provider = registry.provider(for: model) else { throw GatewayError.unknownModel(name) }
        var texts = inputs
        let policy = configuration.policy(organization: caller.organization, bureau: caller.bureau)
        if model.location == .external, policy.personalData != .allow {
            guard let session = privacy?.makeSession() else { throw GatewayError.personalDataUncheckable }
            var kinds = Set<String>()
            for text in texts { kinds.formUnion(try session.detect(text).keys) }
            if !kinds.isEmpty {
                if policy.personalData == .block { throw GatewayError.personalDataBlocked(kinds: kinds.sorted()) }
                texts = try texts.map { try session.mask($0) }
            }
        }
        let started = ContinuousClock.now
        do {
            let result = try await provider.embed(texts, model: model.id)
            let usage =
                result.usage ?? TokenUsage(promptTokens: texts.reduce(0) { $0 + TokenEstimate.count($1) }, completionTokens: 0, reported: false)
            let elapsed = (ContinuousClock.now - started).components
            try await recorder.record(
                UsageRecord(
                    caller: caller, model: model.name, provider: model.provider, promptTokens: usage.promptTokens, completionTokens: 0,
                    usageReported: usage.reported, milliseconds: Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15,
                    cost: model.price.cost(usage), status: "ok", error: nil, sources: [], personalData: [:], personalDataAction: nil),
                at: now())
            return (result.vectors, model.name)
        } catch let error as ModelError {
            try await recorder.record(
                UsageRecord(
                    caller: caller, model: model.name, provider: model.provider, promptTokens: 0, completionTokens: 0, usageReported: false,
                    milliseconds: 0, cost: 0, status: "error", error: error.message, sources: [], personalData: [:], personalDataAction: nil),
                at: now())
            throw error
        }
    }
}
