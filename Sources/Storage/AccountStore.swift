import Crypto
import Foundation
import GRDB
import HirobaCore
import HummingbirdBcrypt

/// Organisations, bureaus, sections, users, sessions and API tokens.
///
/// Passwords are bcrypt hashes; session and API tokens are random 256-bit values of which only the SHA-256
/// is stored, so a copy of the database lets nobody sign in. Repeated failed logins lock the account for a
/// while (`lockout`).
public final class AccountStore: Sendable {
    public let database: AppDatabase
    /// bcrypt work factor (12 ≈ 0.25 s here; tests use the minimum, 4).
    public let bcryptCost: UInt8
    public let lockout: Lockout
    let now: @Sendable () -> Date
    /// Token digest → its user and expiry, for the current data version (unknown tokens are not kept).
    private let tokenCache = VersionedCache<String, (user: UserAccount, expires: Date?)>(limit: 10_000)

    public struct Lockout: Sendable {
        /// Failed logins in a row that lock the account.
        public var attempts: Int
        /// How long it stays locked.
        public var duration: TimeInterval
        public init(attempts: Int = 5, duration: TimeInterval = 15 * 60) {
            self.attempts = attempts
            self.duration = duration
        }
    }

    public init(
        database: AppDatabase, bcryptCost: UInt8 = 12, lockout: Lockout = Lockout(),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.bcryptCost = bcryptCost
        self.lockout = lockout
        self.now = now
    }

    // MARK: organisation

    /// The placement with these names, creating the organisation, bureau and section as needed.
    public func ensurePlacement(organization: String, bureau: String, section: String) throws -> Placement {
        for (label, name) in [("団体", organization), ("局", bureau), ("課", section)] {
            try Self.validate(name: name, label: label)
        }
        return try database.write { db in
            let o = try Self.upsert(db, "SELECT id FROM organizations WHERE name = ?", [organization],
                "INSERT INTO organizations (name, created_at) VALUES (?, ?)", [organization, iso(now())])
            let b = try Self.upsert(db, "SELECT id FROM bureaus WHERE organization_id = ? AND name = ?", [o, bureau],
                "INSERT INTO bureaus (organization_id, name) VALUES (?, ?)", [o, bureau])
            let s = try Self.upsert(db, "SELECT id FROM sections WHERE bureau_id = ? AND name = ?", [b, section],
                "INSERT INTO sections (bureau_id, name) VALUES (?, ?)", [b, section])
            return Placement(organizationID: o, organization: organization, bureauID: b, bureau: bureau, sectionID: s, section: section)
        }
    }

    private static func upsert(
        _ db: Database, _ select: String, _ selectArgs: StatementArguments, _ insert: String, _ insertArgs: StatementArguments
    ) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: select, arguments: selectArgs) { return id }
        try db.execute(sql: insert, arguments: insertArgs)
        return db.lastInsertedRowID
    }

    static func validate(name: String, label: String) throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed == name, name.count <= 100, !name.contains(where: { $0.isNewline || $0 == "/" })
        else { throw AccountError.invalidName(label, name) }
    }

    /// The id of 「団体」, 「団体/局」 or 「団体/局/課」 (without creating anything) and which kind it is.
    public func lookup(path: String) throws -> (kind: AccessControl.Grant.Kind, id: Int64) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { throw AccountError.unknownPlacement(path) }
        return try database.read { db in
            var id: Int64? = try Int64.fetchOne(db, sql: "SELECT id FROM organizations WHERE name = ?", arguments: [parts[0]])
            if parts.count > 1, let o = id {
                id = try Int64.fetchOne(db, sql: "SELECT id FROM bureaus WHERE organization_id = ? AND name = ?", arguments: [o, parts[1]])
            }
            if parts.count > 2, let b = id {
                id = try Int64.fetchOne(db, sql: "SELECT id FROM sections WHERE bureau_id = ? AND name = ?", arguments: [b, parts[2]])
            }
            guard let id else { throw AccountError.unknownPlacement(path) }
            return ([.organization, .bureau, .section][parts.count - 1], id)
        }
    }

    /// 「団体/局/課」 → its placement, created when `create` is set.
    public func placement(path: String, create: Bool) throws -> Placement {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 3 else { throw AccountError.unknownPlacement(path) }
        if create { return try ensurePlacement(organization: parts[0], bureau: parts[1], section: parts[2]) }
        let (_, id) = try lookup(path: path)
        guard let placement = try database.read({ db in
            try Row.fetchOne(db, sql: Self.placementSQL + " WHERE s.id = ?", arguments: [id]).map(Self.placement)
        }) else { throw AccountError.unknownPlacement(path) }
        return placement
    }

    /// Every section with its bureau and organisation, in name order (for the admin screens' pickers).
    public func allPlacements() throws -> [Placement] {
        try database.read { db in
            try Row.fetchAll(db, sql: Self.placementSQL + " ORDER BY o.name, b.name, s.name").map(Self.placement)
        }
    }

    static let placementSQL = """
        SELECT o.id AS oid, o.name AS oname, b.id AS bid, b.name AS bname, s.id AS sid, s.name AS sname
        FROM sections s JOIN bureaus b ON b.id = s.bureau_id JOIN organizations o ON o.id = b.organization_id
        """

    static func placement(_ row: Row) -> Placement {
        Placement(
            organizationID: row["oid"], organization: row["oname"], bureauID: row["bid"], bureau: row["bname"],
            sectionID: row["sid"], section: row["sname"])
    }

    // MARK: users

    /// Adds a user. The password must be at least 10 characters (NIST SP 800-63B asks for 8; staff
    /// accounts reach 個人情報).
    @discardableResult
    public func addUser(
        login: String, displayName: String, placement: Placement, roles: Set<Role>, password: String?
    ) throws -> UserAccount {
        try Self.validate(login: login)
        try Self.validate(name: displayName, label: "表示名")
        if let password { try Self.validate(password: password) }
        let hash = password.map { Bcrypt.hash($0, cost: bcryptCost) }
        let stamp = iso(now())
        let id: Int64 = try database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE login = ?", arguments: [login]) != nil {
                throw AccountError.loginTaken(login)
            }
            try db.execute(
                sql: """
                    INSERT INTO users (login, display_name, section_id, roles, password_hash, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [login, displayName, placement.sectionID, Self.encode(roles), hash, stamp, stamp])
            return db.lastInsertedRowID
        }
        return UserAccount(id: id, login: login, displayName: displayName, placement: placement, roles: roles, disabled: false)
    }

    static func validate(login: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        guard (1...64).contains(login.count), login.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            throw AccountError.invalidLogin(login)
        }
    }

    static func validate(password: String) throws {
        guard password.count >= 10 else { throw AccountError.weakPassword }
        guard password.utf8.count <= 72 else { throw AccountError.passwordTooLong }  // bcrypt reads 72 bytes
    }

    static func encode(_ roles: Set<Role>) -> String { roles.sorted().map(\.rawValue).joined(separator: ",") }
    static func decode(_ roles: String) -> Set<Role> { Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }

    static let userSQL = """
        SELECT u.id, u.login, u.display_name, u.roles, u.disabled, o.id AS oid, o.name AS oname, b.id AS bid,
               b.name AS bname, s.id AS sid, s.name AS sname
        FROM users u JOIN sections s ON s.id = u.section_id JOIN bureaus b ON b.id = s.bureau_id
        JOIN organizations o ON o.id = b.organization_id
        """

    static func user(_ row: Row) -> UserAccount {
        UserAccount(
            id: row["id"], login: row["login"], displayName: row["display_name"], placement: placement(row),
            roles: decode(row["roles"]), disabled: row["disabled"])
    }

    /// The account of a user signed in through OpenID Connect (`subject` = issuer + "|" + sub), created on first
    /// sign-in and updated from the provider's claims on every later one: the identity provider is where staff
    /// move between sections. Such accounts have no password. A local account is never taken over: when the
    /// preferred login is already someone else's, the new account gets `oidc-<hash>`.
    public func oidcUser(
        subject: String, preferredLogin: String?, displayName: String, placement: Placement, roles: Set<Role>
    ) throws -> UserAccount {
        let name = String(displayName.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let shownName = name.isEmpty || name.contains(where: \.isNewline) ? (preferredLogin ?? "利用者") : name
        let stamp = iso(now())
        let id: Int64 = try database.write { db in
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE oidc_subject = ?", arguments: [subject]) {
                try db.execute(
                    sql: "UPDATE users SET display_name = ?, section_id = ?, roles = ?, updated_at = ? WHERE id = ?",
                    arguments: [shownName, placement.sectionID, Self.encode(roles), stamp, existing])
                return existing
            }
            var login = "oidc-" + String(Self.digest(subject).prefix(12))
            if let preferred = preferredLogin, (try? Self.validate(login: preferred)) != nil,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE login = ?", arguments: [preferred]) == nil
            {
                login = preferred
            }
            try db.execute(
                sql: """
                    INSERT INTO users (login, display_name, section_id, roles, password_hash, oidc_subject, created_at, updated_at)
                    VALUES (?, ?, ?, ?, NULL, ?, ?, ?)
                    """,
                arguments: [login, shownName, placement.sectionID, Self.encode(roles), subject, stamp, stamp])
            return db.lastInsertedRowID
        }
        guard let user = try user(id: id) else { throw AccountError.unknownUser("\(id)") }
        return user
    }

    public func users() throws -> [UserAccount] {
        try database.read { db in try Row.fetchAll(db, sql: Self.userSQL + " ORDER BY u.login").map(Self.user) }
    }

    public func user(login: String) throws -> UserAccount? {
        try database.read { db in try Row.fetchOne(db, sql: Self.userSQL + " WHERE u.login = ?", arguments: [login]).map(Self.user) }
    }

    public func user(id: Int64) throws -> UserAccount? {
        try database.read { db in try Row.fetchOne(db, sql: Self.userSQL + " WHERE u.id = ?", arguments: [id]).map(Self.user) }
    }

    /// Disables or re-enables a user; disabling ends their sessions and revokes their tokens.
    public func setDisabled(login: String, _ disabled: Bool) throws {
        try database.write { db in
            let id = try Self.userID(login, db)
            try db.execute(sql: "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", arguments: [disabled, iso(now()), id])
            if disabled {
                try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [id])
                try db.execute(sql: "UPDATE api_tokens SET revoked = 1 WHERE user_id = ?", arguments: [id])
            }
        }
    }

    /// Sets a new password, unlocks the account and ends its sessions.
    public func resetPassword(login: String, password: String) throws {
        try Self.validate(password: password)
        let hash = Bcrypt.hash(password, cost: bcryptCost)
        try database.write { db in
            let id = try Self.userID(login, db)
            try db.execute(
                sql: "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?",
                arguments: [hash, iso(now()), id])
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [id])
        }
    }

    static func userID(_ login: String, _ db: Database) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE login = ?", arguments: [login]) else {
            throw AccountError.unknownUser(login)
        }
        return id
    }

    // MARK: login

    public enum LoginResult: Sendable, Equatable {
        case success(UserAccount)
        /// Wrong login or password (which one is not said).
        case invalid
        case locked(until: Date)
        case disabled
    }

    /// A password hash nobody's password matches, verified for unknown logins so that they take as long
    /// as known ones.
    private static let decoy = Bcrypt.hash("decoy-password-never-used", cost: 4)

    /// Checks a password, counting failures toward the lockout.
    public func authenticate(login: String, password: String) throws -> LoginResult {
        let row = try database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, password_hash, disabled, failed_logins, locked_until FROM users WHERE login = ?",
                arguments: [login])
        }
        guard let row, let hash = row["password_hash"] as String? else {
            _ = Bcrypt.verify(password, hash: Self.decoy)
            return .invalid
        }
        let id: Int64 = row["id"]
        let current = now()
        if let until = (row["locked_until"] as String?).map(parseISO), until > current { return .locked(until: until) }
        let ok = password.utf8.count <= 72 && Bcrypt.verify(password, hash: hash)
        if row["disabled"] as Bool { return .disabled }
        if !ok {
            return try database.write { db in
                let failures = (try Int.fetchOne(db, sql: "SELECT failed_logins FROM users WHERE id = ?", arguments: [id]) ?? 0) + 1
                if failures >= lockout.attempts {
                    let until = current.addingTimeInterval(lockout.duration)
                    try db.execute(
                        sql: "UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?", arguments: [iso(until), id])
                    return .locked(until: until)
                }
                try db.execute(sql: "UPDATE users SET failed_logins = ? WHERE id = ?", arguments: [failures, id])
                return .invalid
            }
        }
        try database.write { db in
            try db.execute(sql: "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", arguments: [id])
        }
        guard let user = try user(id: id) else { return .invalid }
        return .success(user)
    }

    // MARK: sessions and tokens

    /// A random 256-bit token, URL-safe.
    public static func randomToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = generator.next() }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).withUnsafeBytes { Hex.string($0) }
    }

    public struct Session: Sendable, Equatable {
        public var token: String
        public var csrfToken: String
        public var user: UserAccount
        public var expires: Date
    }

    /// Starts a session; the returned token goes into the cookie and is stored only as its hash.
    public func startSession(user: UserAccount, address: String?, lifetime: TimeInterval = 8 * 3600) throws -> Session {
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let created = now()
        let expires = created.addingTimeInterval(lifetime)
        try database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [iso(created)])
            try db.execute(
                sql: "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, address) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [Self.digest(token), user.id, csrf, iso(created), iso(expires), address])
        }
        return Session(token: token, csrfToken: csrf, user: user, expires: expires)
    }

    /// The live session for a cookie token, or nil (unknown, expired, or its user disabled).
    public func session(token: String) throws -> Session? {
        guard token.count <= 100 else { return nil }
        return try database.read { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ?"),
                arguments: [Self.digest(token)])
            else { return nil }
            let expires = parseISO(row["expires_at"])
            guard expires > now(),
                let user = try Row.fetchOne(db.cachedStatement(sql: Self.userSQL + " WHERE u.id = ?"), arguments: [row["user_id"] as Int64]).map(Self.user),
                !user.disabled
            else { return nil }
            return Session(token: token, csrfToken: row["csrf_token"], user: user, expires: expires)
        }
    }

    public func endSession(token: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [Self.digest(token)]) }
    }

    /// Issues an API token (shown once: only its hash is kept).
    public func issueToken(login: String, name: String, lifetime: TimeInterval? = nil) throws -> String {
        try Self.validate(name: name, label: "トークン名")
        let token = "hbt_" + Self.randomToken()
        let created = now()
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [try Self.userID(login, db), name, Self.digest(token), iso(created), lifetime.map { iso(created.addingTimeInterval($0)) }])
        }
        return token
    }

    /// The user of a live API token, or nil.
    /// `version`: the database's `dataVersion()` if the caller has just read it (else it is read here).
    public func user(apiToken token: String, version: Int64? = nil) throws -> UserAccount? {
        guard token.hasPrefix("hbt_"), token.utf8.count <= 100 else { return nil }
        let digest = Self.digest(token)
        // Every API request names its token: while nothing was committed to the database, the answer stands
        // (a revoked token, a disabled user or a changed role is a commit, and misses the cache).
        let version = try version ?? database.dataVersion()
        if let cached = tokenCache.value(digest, version: version) {
            if let expires = cached.expires, expires <= now() { return nil }
            return cached.user
        }
        let found: (user: UserAccount, expires: Date?)? = try database.read { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT user_id, expires_at, revoked FROM api_tokens WHERE token_hash = ?"),
                arguments: [digest]),
                !(row["revoked"] as Bool)
            else { return nil }
            let expires = (row["expires_at"] as String?).map(parseISO) ?? nil
            guard let user = try Row.fetchOne(db.cachedStatement(sql: Self.userSQL + " WHERE u.id = ?"), arguments: [row["user_id"] as Int64]).map(Self.user),
                !user.disabled
            else { return nil }
            return (user, expires)
        }
        guard let found else { return nil }
        tokenCache.store(found, for: digest, version: version)
        if let expires = found.expires, expires <= now() { return nil }
        return found.user
    }
}
