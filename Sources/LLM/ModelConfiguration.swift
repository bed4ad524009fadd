import Foundation
import HirobaCore
import Yams

/// The model configuration file (`hiroba.yaml`): providers, models, defaults and per-bureau policy.
/// Secrets are never in the file: a provider names the environment variable that holds its key.
public struct ModelConfiguration: Sendable, Equatable {
    public struct Provider: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable { case openai, azure, anthropic }
        public var name: String
        public var kind: Kind
        public var baseURL: String
        public var apiKeyEnv: String?
        public var apiVersion: String?
        public var timeoutSeconds: Double
        /// How long to keep trying to connect (a provider that is down fails over after this).
        public var connectTimeoutSeconds: Double
        public var maxConcurrency: Int
        public var maxRetries: Int
        public var streamUsage: Bool

        enum CodingKeys: String, CodingKey {
            case name, kind
            case baseURL = "base_url"
            case apiKeyEnv = "api_key_env"
            case apiVersion = "api_version"
            case timeoutSeconds = "timeout_seconds"
            case connectTimeoutSeconds = "connect_timeout_seconds"
            case maxConcurrency = "max_concurrency"
            case maxRetries = "max_retries"
            case streamUsage = "stream_usage"
        }

        public init(
            name: String, kind: Kind, baseURL: String, apiKeyEnv: String? = nil, apiVersion: String? = nil,
            timeoutSeconds: Double = 60, connectTimeoutSeconds: Double = 5, maxConcurrency: Int = 4, maxRetries: Int = 3,
            streamUsage: Bool = true
        ) {
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.name = name
            self.kind = kind
            self.baseURL = baseURL
            self.apiKeyEnv = apiKeyEnv
            self.apiVersion = apiVersion
            self.timeoutSeconds = timeoutSeconds
            self.maxConcurrency = maxConcurrency
            self.maxRetries = maxRetries
            self.streamUsage = streamUsage
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            kind = try c.decode(Kind.self, forKey: .kind)
            baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL) ?? (kind == .anthropic ? "https://api.anthropic.com" : "")
            apiKeyEnv = try c.decodeIfPresent(String.self, forKey: .apiKeyEnv)
            apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
            timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 60
            connectTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .connectTimeoutSeconds) ?? 5
            maxConcurrency = try c.decodeIfPresent(Int.self, forKey: .maxConcurrency) ?? 4
            maxRetries = try c.decodeIfPresent(Int.self, forKey: .maxRetries) ?? 3
            streamUsage = try c.decodeIfPresent(Bool.self, forKey: .streamUsage) ?? true
        }
    }

    public struct Price: Sendable, Equatable, Codable {
        /// Yen per million prompt (input) tokens.
        public var prompt: Double
        /// Yen per million completion (output) tokens.
        public var completion: Double
        public init(prompt: Double = 0, completion: Double = 0) {
            self.prompt = prompt
            self.completion = completion
        }
        public func cost(_ usage: TokenUsage) -> Double {
            (Double(usage.promptTokens) * prompt + Double(usage.completionTokens) * completion) / 1_000_000
        }
    }

    public struct Model: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable { case chat, embedding }
        /// Where the model runs: on the city's own machines, or at an outside vendor (personal data must
        /// be masked or blocked before it goes there, per the bureau's policy).
        public enum Location: String, Sendable, Codable { case `internal`, external }
        /// Hiroba's name for the model (what policies and the UI use).
        public var name: String
        public var provider: String
        /// The provider's model id, or the Azure deployment name.
        public var id: String
        public var kind: Kind
        public var location: Location
        public var fallback: String?
        public var contextTokens: Int
        public var maxOutputTokens: Int
        public var price: Price
        /// Fold system instructions into the first user message, for models or chat templates without a
        /// system role (llama.cpp's `gemma` format drops system messages silently).
        public var mergeSystem: Bool

        enum CodingKeys: String, CodingKey {
            case name, provider, id, kind, location, fallback, price
            case contextTokens = "context_tokens"
            case maxOutputTokens = "max_output_tokens"
            case mergeSystem = "merge_system"
        }

        public init(
            name: String, provider: String, id: String, kind: Kind = .chat, location: Location, fallback: String? = nil,
            contextTokens: Int = 8192, maxOutputTokens: Int = 1024, price: Price = Price(), mergeSystem: Bool = false
        ) {
            self.mergeSystem = mergeSystem
            self.name = name
            self.provider = provider
            self.id = id
            self.kind = kind
            self.location = location
            self.fallback = fallback
            self.contextTokens = contextTokens
            self.maxOutputTokens = maxOutputTokens
            self.price = price
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            provider = try c.decode(String.self, forKey: .provider)
            id = try c.decodeIfPresent(String.self, forKey: .id) ?? name
            kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .chat
            location = try c.decode(Location.self, forKey: .location)
            fallback = try c.decodeIfPresent(String.self, forKey: .fallback)
            contextTokens = try c.decodeIfPresent(Int.self, forKey: .contextTokens) ?? 8192
            maxOutputTokens = try c.decodeIfPresent(Int.self, forKey: .maxOutputTokens) ?? 1024
            price = try c.decodeIfPresent(Price.self, forKey: .price) ?? Price()
            mergeSystem = try c.decodeIfPresent(Bool.self, forKey: .mergeSystem) ?? false
        }
    }

    /// What a bureau may do with models.
    public struct Policy: Sendable, Equatable, Codable {
        /// Personal data before a call to an external model: masked with placeholders, the call refused,
        /// or sent as is. Internal models always get the text as is.
        public enum PersonalData: String, Sendable, Codable { case mask, block, allow }
        public struct Quotas: Sendable, Equatable, Codable {
            public var bureauDailyTokens: Int?
            public var bureauMonthlyTokens: Int?
            public var userDailyTokens: Int?
            public var userMonthlyTokens: Int?
            enum CodingKeys: String, CodingKey {
                case bureauDailyTokens = "bureau_daily_tokens"
                case bureauMonthlyTokens = "bureau_monthly_tokens"
                case userDailyTokens = "user_daily_tokens"
                case userMonthlyTokens = "user_monthly_tokens"
            }
            public init(bureauDailyTokens: Int? = nil, bureauMonthlyTokens: Int? = nil, userDailyTokens: Int? = nil, userMonthlyTokens: Int? = nil) {
                self.bureauDailyTokens = bureauDailyTokens
                self.bureauMonthlyTokens = bureauMonthlyTokens
                self.userDailyTokens = userDailyTokens
                self.userMonthlyTokens = userMonthlyTokens
            }
        }
        /// Model names the bureau may use; `*` allows every configured model.
        public var models: [String]
        public var personalData: PersonalData
        /// Keep prompts and outputs of calls (default: only metadata and token counts).
        public var storePrompts: Bool
        public var quotas: Quotas

        enum CodingKeys: String, CodingKey {
            case models, quotas
            case personalData = "personal_data"
            case storePrompts = "store_prompts"
        }

        public init(models: [String] = ["*"], personalData: PersonalData = .mask, storePrompts: Bool = false, quotas: Quotas = Quotas()) {
            self.models = models
            self.personalData = personalData
            self.storePrompts = storePrompts
            self.quotas = quotas
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            models = try c.decodeIfPresent([String].self, forKey: .models) ?? ["*"]
            personalData = try c.decodeIfPresent(PersonalData.self, forKey: .personalData) ?? .mask
            storePrompts = try c.decodeIfPresent(Bool.self, forKey: .storePrompts) ?? false
            quotas = try c.decodeIfPresent(Quotas.self, forKey: .quotas) ?? Quotas()
        }

        public func allows(_ model: String) -> Bool { models.contains("*") || models.contains(model) }
    }

    /// How BM25 and vector results are fused when an embedding model is configured.
    public struct Retrieval: Sendable, Equatable, Codable {
        public var rrfK: Double
        public var bm25Weight: Double
        public var vectorWeight: Double
        /// Candidates taken from each list before fusion.
        public var candidates: Int
        enum CodingKeys: String, CodingKey {
            case rrfK = "rrf_k"
            case bm25Weight = "bm25_weight"
            case vectorWeight = "vector_weight"
            case candidates
        }
        public init(rrfK: Double = 60, bm25Weight: Double = 1, vectorWeight: Double = 1, candidates: Int = 30) {
            self.rrfK = rrfK
            self.bm25Weight = bm25Weight
            self.vectorWeight = vectorWeight
            self.candidates = candidates
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            rrfK = try c.decodeIfPresent(Double.self, forKey: .rrfK) ?? 60
            bm25Weight = try c.decodeIfPresent(Double.self, forKey: .bm25Weight) ?? 1
            vectorWeight = try c.decodeIfPresent(Double.self, forKey: .vectorWeight) ?? 1
            candidates = try c.decodeIfPresent(Int.self, forKey: .candidates) ?? 30
        }
    }

    public var providers: [Provider]
    public var models: [Model]
    public var retrieval = Retrieval()
    /// The chat model answers use unless a request names one.
    public var defaultChatModel: String?
    /// The embedding model for hybrid retrieval (none: BM25 only).
    public var embeddingModel: String?
    /// Policy for bureaus without their own entry.
    public var defaultPolicy: Policy
    /// Keyed by 「団体名/局名」 or by 「団体名」 (applies to all its bureaus).
    public var policies: [String: Policy]

    public init(
        providers: [Provider], models: [Model], defaultChatModel: String? = nil, embeddingModel: String? = nil,
        defaultPolicy: Policy = Policy(), policies: [String: Policy] = [:]
    ) {
        self.providers = providers
        self.models = models
        self.defaultChatModel = defaultChatModel
        self.embeddingModel = embeddingModel
        self.defaultPolicy = defaultPolicy
        self.policies = policies
    }

    public func model(named name: String) -> Model? { models.first { $0.name == name } }
    public func provider(named name: String) -> Provider? { providers.first { $0.name == name } }

    /// The policy for a bureau: its own, else its organisation's, else the default.
    public func policy(organization: String?, bureau: String?) -> Policy {
        if let organization, let bureau, let own = policies["\(organization)/\(bureau)"] { return own }
        if let organization, let own = policies[organization] { return own }
        return defaultPolicy
    }

    /// The model and its fallbacks, in order (cycles stop at the first repeat).
    public func chain(from name: String) -> [Model] {
        var chain: [Model] = []
        var next: String? = name
        while let current = next, let model = model(named: current), !chain.contains(where: { $0.name == current }) {
            chain.append(model)
            next = model.fallback
        }
        return chain
    }
}

/// A model configuration that cannot be used, with where and how to fix it.
public struct ModelConfigurationError: HirobaError, Equatable {
    public var message: String
    public var fix: String
    public init(message: String, fix: String) {
        self.message = message
        self.fix = fix
    }
}

extension ModelConfiguration {
    private struct FileForm: Decodable {
        struct Defaults: Decodable {
            var chat: String?
            var embedding: String?
        }
        struct Policies: Decodable {
            var `default`: Policy?
            var bureaus: [String: Policy]?
        }
        var providers: [Provider]?
        var models: [Model]?
        var defaults: Defaults?
        var policies: Policies?
        var retrieval: Retrieval?
    }

    /// Reads and validates `hiroba.yaml`.
    public static func load(path: String) throws -> ModelConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelConfigurationError(
                message: "モデル設定ファイル \(path) を読めません", fix: "Check the path given by --models or HIROBA_MODELS.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelConfigurationError(message: "モデル設定ファイル \(path) が UTF-8 ではありません", fix: "Save the file as UTF-8.")
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String = "hiroba.yaml") throws -> ModelConfiguration {
        let form: FileForm
        do {
            form = try YAMLDecoder().decode(FileForm.self, from: text)
        } catch let error as DecodingError {
            throw ModelConfigurationError(
                message: "モデル設定 \(source) の形式が正しくありません: \(describe(error))",
                fix: "Compare the file with docs/models.example.yaml (keys, value types, allowed values).")
        } catch {
            throw ModelConfigurationError(
                message: "モデル設定 \(source) を YAML として読めません: \(error)", fix: "Fix the YAML syntax at the position shown.")
        }
        var configuration = ModelConfiguration(
            providers: form.providers ?? [], models: form.models ?? [], defaultChatModel: form.defaults?.chat,
            embeddingModel: form.defaults?.embedding, defaultPolicy: form.policies?.default ?? Policy(),
            policies: form.policies?.bureaus ?? [:])
        if let retrieval = form.retrieval { configuration.retrieval = retrieval }
        try configuration.validate(source: source)
        return configuration
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context)) に必須の「\(key.stringValue)」がありません"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) の値の型が違います"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }

    public func validate(source: String = "hiroba.yaml") throws {
        func fail(_ message: String, _ fix: String) -> ModelConfigurationError {
            ModelConfigurationError(message: "モデル設定 \(source): \(message)", fix: fix)
        }
        var seen = Set<String>()
        for provider in providers {
            guard seen.insert(provider.name).inserted else {
                throw fail("プロバイダー名「\(provider.name)」が重複しています", "Give each provider a unique name.")
            }
            guard let url = URL(string: provider.baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
            else {
                throw fail("プロバイダー「\(provider.name)」の base_url「\(provider.baseURL)」が URL ではありません", "Use e.g. http://127.0.0.1:8080/v1.")
            }
            if provider.kind == .azure, (provider.apiVersion ?? "").isEmpty {
                throw fail("Azure プロバイダー「\(provider.name)」に api_version がありません", "Add api_version, e.g. 2024-10-21.")
            }
            guard provider.timeoutSeconds > 0, provider.connectTimeoutSeconds > 0, provider.maxConcurrency >= 1, (0...10).contains(provider.maxRetries) else {
                throw fail(
                    "プロバイダー「\(provider.name)」の timeout_seconds / max_concurrency / max_retries が範囲外です",
                    "Use timeout_seconds > 0, max_concurrency ≥ 1, max_retries 0–10.")
            }
        }
        var names = Set<String>()
        for model in models {
            guard names.insert(model.name).inserted else {
                throw fail("モデル名「\(model.name)」が重複しています", "Give each model a unique name.")
            }
            guard let provider = provider(named: model.provider) else {
                throw fail("モデル「\(model.name)」のプロバイダー「\(model.provider)」が定義されていません", "Add it under providers or fix the name.")
            }
            if model.kind == .embedding, provider.kind == .anthropic {
                throw fail("モデル「\(model.name)」: Anthropic には埋め込み API がありません", "Use an OpenAI-compatible provider for embeddings.")
            }
            guard model.contextTokens > 0, model.maxOutputTokens > 0, model.price.prompt >= 0, model.price.completion >= 0 else {
                throw fail("モデル「\(model.name)」の context_tokens / max_output_tokens / price が不正です", "Use positive token counts and non-negative prices.")
            }
        }
        for model in models {
            if let fallback = model.fallback {
                guard let target = self.model(named: fallback) else {
                    throw fail("モデル「\(model.name)」の fallback「\(fallback)」が定義されていません", "Name a configured model.")
                }
                guard target.kind == model.kind else {
                    throw fail("モデル「\(model.name)」の fallback「\(fallback)」は種類（chat/embedding）が違います", "Fall back to a model of the same kind.")
                }
            }
        }
        if let chat = defaultChatModel {
            guard model(named: chat)?.kind == .chat else {
                throw fail("defaults.chat「\(chat)」は定義された chat モデルではありません", "Name a model with kind: chat.")
            }
        }
        if let embedding = embeddingModel {
            guard model(named: embedding)?.kind == .embedding else {
                throw fail("defaults.embedding「\(embedding)」は定義された embedding モデルではありません", "Name a model with kind: embedding.")
            }
        }
        guard retrieval.rrfK > 0, retrieval.bm25Weight >= 0, retrieval.vectorWeight >= 0, (1...1000).contains(retrieval.candidates) else {
            throw fail("retrieval の rrf_k / 重み / candidates が範囲外です", "Use rrf_k > 0, weights ≥ 0 and candidates 1–1000.")
        }
        for (key, policy) in [("default", defaultPolicy)] + policies.sorted(by: { $0.key < $1.key }) {
            for name in policy.models where name != "*" && model(named: name) == nil {
                throw fail("ポリシー「\(key)」のモデル「\(name)」が定義されていません", "List configured model names, or \"*\".")
            }
            let q = policy.quotas
            for value in [q.bureauDailyTokens, q.bureauMonthlyTokens, q.userDailyTokens, q.userMonthlyTokens] {
                if let value, value < 0 { throw fail("ポリシー「\(key)」のクォータが負の値です", "Use 0 or more tokens (0 forbids use).") }
            }
        }
    }
}
