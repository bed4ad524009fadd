import Foundation
import HirobaCore

/// Server settings, read once: command-line flags over `HIROBA_*` environment variables over defaults.
public struct AppConfig: Sendable {
    /// Address to listen on (`HIROBA_HOST`).
    public var host = "127.0.0.1"
    /// Port (`HIROBA_PORT`).
    public var port = 8080
    /// SQLite database (`HIROBA_DB`).
    public var databasePath = "var/hiroba.sqlite"
    /// Session lifetime in seconds (`HIROBA_SESSION_HOURS` × 3600).
    public var sessionLifetime: TimeInterval = 8 * 3600
    /// Mark cookies `Secure` (`HIROBA_SECURE_COOKIES=1`; set it whenever Hiroba is served over HTTPS).
    public var secureCookies = false
    /// bcrypt work factor for new passwords (`HIROBA_BCRYPT_COST`, 10–14; tests use 4).
    public var bcryptCost: UInt8 = 12
    /// Delete audit entries older than this many days (`HIROBA_AUDIT_RETENTION_DAYS`; 0 keeps everything).
    public var auditRetentionDays = 0
    /// Failed logins from one address per minute before further attempts are refused (`HIROBA_LOGIN_RATE`).
    public var loginAttemptsPerMinute = 10

    public init() {}

    /// Defaults overridden by the environment.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var c = AppConfig()
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let raw = env[key] else { return nil }
            guard let v = Int(raw), range.contains(v) else { throw ConfigError.invalid(key, raw, "\(range.lowerBound)…\(range.upperBound)") }
            return v
        }
        if let v = env["HIROBA_HOST"] { c.host = v }
        if let v = try int("HIROBA_PORT", 1...65535) { c.port = v }
        if let v = env["HIROBA_DB"] { c.databasePath = v }
        if let v = try int("HIROBA_SESSION_HOURS", 1...168) { c.sessionLifetime = TimeInterval(v * 3600) }
        if let v = env["HIROBA_SECURE_COOKIES"] { c.secureCookies = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = try int("HIROBA_BCRYPT_COST", 4...16) { c.bcryptCost = UInt8(v) }
        if let v = try int("HIROBA_AUDIT_RETENTION_DAYS", 0...36500) { c.auditRetentionDays = v }
        if let v = try int("HIROBA_LOGIN_RATE", 1...10000) { c.loginAttemptsPerMinute = v }
        return c
    }
}

public enum ConfigError: HirobaError, Equatable {
    case invalid(String, String, String)
    public var message: String {
        switch self {
        case .invalid(let key, let value, _): "設定 \(key) の値「\(value)」が不正です"
        }
    }
    public var fix: String {
        switch self {
        case .invalid(let key, _, let expected): "Set \(key) to a whole number in \(expected), or unset it for the default."
        }
    }
}
