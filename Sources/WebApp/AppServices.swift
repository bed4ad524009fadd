import Foundation
import HirobaCore
import JapaneseText
import LLM
import Prometheus
import Storage

/// Everything the routes use, built once by the composition root and shared by all requests.
public final class AppServices: Sendable {
    public let config: AppConfig
    public let database: AppDatabase
    public let store: KnowledgeStore
    public let accounts: AccountStore
    public let access: AccessControl
    public let audit: AuditLog
    public let metrics: PrometheusCollectorRegistry
    let loginLimiter: RateLimiter
    /// Single sign-on, when `config.oidc` is set.
    let oidc: OIDCClient?
    let proofreading: ProofreadingService
    public let usage: UsageStore
    /// The configured model providers (nil: no model configured). Shut down with `shutdown()`.
    public let models: ModelRegistry?
    public let gateway: ModelGateway?
    public let answers: AnswerEngine
    /// Broad-listening projects and their background runs.
    let listening: ListeningService

    /// `models` overrides `config.modelsPath` (tests pass a configuration directly).
    public init(config: AppConfig, database: AppDatabase, model: MeCabModel, models configuration: ModelConfiguration? = nil) throws {
        self.config = config
        self.database = database
        store = KnowledgeStore(database: database, model: model)
        accounts = AccountStore(database: database, bcryptCost: config.bcryptCost)
        access = AccessControl(database: database)
        audit = try AuditLog(database: database)
        metrics = PrometheusCollectorRegistry()
        loginLimiter = RateLimiter(limit: config.loginAttemptsPerMinute, window: 60)
        oidc = config.oidc.map(OIDCClient.init(settings:))
        proofreading = ProofreadingService(
            directory: config.proofreadingDirectory
                ?? ((config.databasePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("proofreading"))
        usage = UsageStore(database: database)
        if let configuration = try configuration ?? config.modelsPath.map({ try ModelConfiguration.load(path: $0) }) {
            let registry = try ModelRegistry(configuration: configuration)
            models = registry
            gateway = ModelGateway(
                registry: registry, recorder: DatabaseUsageRecorder(usage: usage, audit: audit), privacy: try PrivacyGuard.standard(model: model))
        } else {
            models = nil
            gateway = nil
        }
        answers = AnswerEngine(store: store, gateway: gateway, model: model)
        listening = ListeningService(
            database: database, audit: audit, gateway: gateway, model: model,
            directory: config.listeningDirectory
                ?? ((config.databasePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("listening"))
    }

    /// Starts the work a stopped server left behind (queued or interrupted listening runs).
    public func resumeBackgroundWork() throws {
        try listening.resumeUnfinished()
    }

    /// Releases the model providers' connections.
    public func shutdown() async {
        await models?.shutdown()
    }
}

/// Counts events per key in a sliding window (failed logins per client address).
final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [String: [Date]] = [:]
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Whether `key` is still under the limit (without recording anything).
    func allows(_ key: String, now: Date = Date()) -> Bool {
        lock.withLock {
            let recent = (events[key] ?? []).filter { now.timeIntervalSince($0) < window }
            events[key] = recent.isEmpty ? nil : recent
            return recent.count < limit
        }
    }

    func record(_ key: String, now: Date = Date()) {
        lock.withLock {
            if events.count > 100_000 { events.removeAll() }  // bound memory under a flood of addresses
            events[key, default: []].append(now)
        }
    }
}
