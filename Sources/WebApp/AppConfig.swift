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
    /// Single sign-on through an OpenID Connect provider (`HIROBA_OIDC_*`); nil: passwords only.
    public var oidc: OIDCSettings?
    /// Per-organisation proofreading settings: `<dir>/<団体名>.json` (rules) and `<団体名>.csv` (用字用語)
    /// (`HIROBA_PROOFREADING_DIR`; default `proofreading/` next to the database).
    public var proofreadingDirectory: String?
    /// Model configuration file (`HIROBA_MODELS`, YAML: providers, models, per-bureau policy); nil: no
    /// model, answers are extracts.
    public var modelsPath: String?
    /// Listening projects' files: uploads, caches, outputs (`HIROBA_LISTENING_DIR`; default `listening/`
    /// next to the database).
    public var listeningDirectory: String?
    /// NIO event loops for connections (`HIROBA_EVENT_LOOPS`; default a quarter of the cores, at least one).
    /// They only read requests and write responses: the handlers run on Swift's cooperative pool (one thread
    /// a core), so more loops add threads competing for the same cores. On 2 cores one loop instead of two
    /// served 3–13 % more searches a second, p99 lower in most pairs (`bench/compare.sh`, ARCHITECTURE).
    public var eventLoops = AppConfig.defaultEventLoops

    public static var defaultEventLoops: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / 4) }

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
        if let v = env["HIROBA_PROOFREADING_DIR"], !v.isEmpty { c.proofreadingDirectory = v }
        if let v = env["HIROBA_MODELS"], !v.isEmpty { c.modelsPath = v }
        if let v = env["HIROBA_LISTENING_DIR"], !v.isEmpty { c.listeningDirectory = v }
        if let v = try int("HIROBA_EVENT_LOOPS", 1...256) { c.eventLoops = v }
        c.oidc = try OIDCSettings.fromEnvironment(env, defaultRedirect: "http://\(c.host == "0.0.0.0" ? "localhost" : c.host):\(c.port)/auth/oidc/callback")
        return c
    }
}

/// OpenID Connect sign-in: the provider, this client, and which ID-token claims say where a user sits.
public struct OIDCSettings: Sendable, Equatable {
    /// `HIROBA_OIDC_ISSUER`, e.g. https://idp.city.example/realms/staff (discovery at /.well-known/openid-configuration).
    public var issuer: String
    /// `HIROBA_OIDC_CLIENT_ID`
    public var clientID: String
    /// `HIROBA_OIDC_CLIENT_SECRET` (never logged).
    public var clientSecret: String
    /// `HIROBA_OIDC_REDIRECT_URI`, registered at the provider (default http://HOST:PORT/auth/oidc/callback).
    public var redirectURI: String
    /// `HIROBA_OIDC_SCOPES` (default "openid profile email").
    public var scopes = "openid profile email"
    /// Claims naming the organisation, bureau and section (`HIROBA_OIDC_CLAIM_ORG|BUREAU|SECTION`) and the roles
    /// (`HIROBA_OIDC_CLAIM_ROLES`, a string array or a space/comma separated string).
    public var organizationClaim = "hiroba_org"
    public var bureauClaim = "hiroba_bureau"
    public var sectionClaim = "hiroba_section"
    public var rolesClaim = "hiroba_roles"
    /// The button label on the login page (`HIROBA_OIDC_LABEL`).
    public var label = "庁内アカウント（シングルサインオン）でログイン"

    public init(issuer: String, clientID: String, clientSecret: String, redirectURI: String) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
    }

    static func fromEnvironment(_ env: [String: String], defaultRedirect: String) throws -> OIDCSettings? {
        guard let issuer = env["HIROBA_OIDC_ISSUER"], !issuer.isEmpty else { return nil }
        guard let url = URL(string: issuer), ["https", "http"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigError.invalidValue("HIROBA_OIDC_ISSUER", issuer, "an https:// URL of the provider (its issuer identifier)")
        }
        guard let clientID = env["HIROBA_OIDC_CLIENT_ID"], !clientID.isEmpty else {
            throw ConfigError.missing("HIROBA_OIDC_CLIENT_ID", "the client id registered at the provider")
        }
        guard let secret = env["HIROBA_OIDC_CLIENT_SECRET"], !secret.isEmpty else {
            throw ConfigError.missing("HIROBA_OIDC_CLIENT_SECRET", "the client secret issued by the provider")
        }
        var s = OIDCSettings(
            issuer: issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer, clientID: clientID, clientSecret: secret,
            redirectURI: env["HIROBA_OIDC_REDIRECT_URI"] ?? defaultRedirect)
        if let v = env["HIROBA_OIDC_SCOPES"] {
            guard v.split(separator: " ").contains("openid") else {
                throw ConfigError.invalidValue("HIROBA_OIDC_SCOPES", v, "a space-separated list that includes openid")
            }
            s.scopes = v
        }
        if let v = env["HIROBA_OIDC_CLAIM_ORG"] { s.organizationClaim = v }
        if let v = env["HIROBA_OIDC_CLAIM_BUREAU"] { s.bureauClaim = v }
        if let v = env["HIROBA_OIDC_CLAIM_SECTION"] { s.sectionClaim = v }
        if let v = env["HIROBA_OIDC_CLAIM_ROLES"] { s.rolesClaim = v }
        if let v = env["HIROBA_OIDC_LABEL"] { s.label = v }
        return s
    }
}

public enum ConfigError: HirobaError, Equatable {
    case invalid(String, String, String)
    case invalidValue(String, String, String)
    case missing(String, String)
    public var message: String {
        switch self {
        case .invalid(let key, let value, _), .invalidValue(let key, let value, _): "設定 \(key) の値「\(value)」が不正です"
        case .missing(let key, _): "設定 \(key) がありません"
        }
    }
    public var fix: String {
        switch self {
        case .invalid(let key, _, let expected): "Set \(key) to a whole number in \(expected), or unset it for the default."
        case .invalidValue(let key, _, let expected): "Set \(key) to \(expected)."
        case .missing(let key, let what): "Set \(key) to \(what) (HIROBA_OIDC_ISSUER turns single sign-on on)."
        }
    }
}
