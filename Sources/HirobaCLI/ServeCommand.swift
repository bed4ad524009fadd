import ArgumentParser
import Foundation
import HirobaCore
import Hummingbird
import JapaneseText
import Logging
import Storage
import WebApp

/// `hiroba serve`: the web UI and API. Settings: flags > `HIROBA_*` environment > defaults (see AppConfig).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Web 画面と API を起動 (serve the web UI and API).")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (env HIROBA_HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port (env HIROBA_PORT, default 8080).") var port: Int?
    @Option(help: "NIO event loops for connections (env HIROBA_EVENT_LOOPS, default a quarter of the cores, at least 1).")
    var eventLoops: Int?
    @Option(help: "Placement 団体/局/課 of the first administrator, created when there are no users yet.")
    var adminPlacement = "既定の団体/デジタル局/基盤管理課"

    func run() throws {
        var config = try AppConfig.fromEnvironment()
        config.databasePath = database.db
        if let host { config.host = host }
        if let port {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be 1–65535.") }
            config.port = port
        }
        if let eventLoops {
            guard (1...256).contains(eventLoops) else { throw ValidationError("--event-loops must be 1–256.") }
            config.eventLoops = eventLoops
        }
        let services = try AppServices(config: config, database: try AppDatabase(path: config.databasePath), model: try MeCabModel.shared())
        try createFirstAdmin(services)
        if config.auditRetentionDays > 0 {
            let removed = try services.audit.purge(olderThanDays: config.auditRetentionDays)
            if removed > 0 { printError("監査ログ: 保存期間（\(config.auditRetentionDays) 日）を過ぎた \(removed) 件を削除しました。") }
        }
        try services.audit.append(AuditEvent(actor: "system", action: "server.start", target: "\(config.host):\(config.port)"))
        try services.resumeBackgroundWork()
        var logger = Logger(label: "hiroba") { ServerLogHandler(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        let app = buildApplication(services: services, logger: logger)
        printError("広場 Hiroba: http://\(config.host == "0.0.0.0" ? "localhost" : config.host):\(config.port)/ で待ち受けています（Ctrl-C で停止）。")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: Error? = nil
        Task {
            do { try await app.runService() } catch { failure = error }
            await services.shutdown()
            done.signal()
        }
        done.wait()
        _ = try? services.audit.append(AuditEvent(actor: "system", action: "server.stop", target: "\(config.host):\(config.port)"))
        if let failure { throw failure }
    }

    /// A fresh deployment gets one platform administrator with a generated password, printed once.
    func createFirstAdmin(_ services: AppServices) throws {
        guard try services.accounts.users().isEmpty else { return }
        let password = String(AccountStore.randomToken().prefix(20))
        let placement = try services.accounts.placement(path: adminPlacement, create: true)
        try services.accounts.addUser(
            login: "admin", displayName: "基盤管理者", placement: placement, roles: [.platformAdmin, .auditor], password: password)
        try services.audit.append(AuditEvent(actor: "system", action: "user.add", target: "admin", detail: "first administrator"))
        printError("最初の管理者を作成しました — ログイン ID: admin  パスワード: \(password)")
        printError("（このパスワードは再表示されません。`hiroba users reset-password admin` で再設定できます）")
    }
}
