import ArgumentParser
import Foundation
import HirobaCore
import Storage

/// The operator's account management: `hiroba users add|list|disable|enable|reset-password|token`.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "利用者の管理 (manage user accounts).",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, ResetPassword.self, Token.self])

    /// Who the audit log names for operator commands.
    static var operatorName: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "operator") }

    static func open(_ options: DatabaseOptions, bcryptCost: UInt8? = nil) throws -> (AccountStore, AuditLog) {
        let database = try AppDatabase(path: options.db)
        let cost = bcryptCost ?? ProcessInfo.processInfo.environment["HIROBA_BCRYPT_COST"].flatMap { UInt8($0) } ?? 12
        return (AccountStore(database: database, bcryptCost: cost), try AuditLog(database: database))
    }

    /// A password from stdin (first line) when asked, else a generated one that is printed once.
    static func password(fromStdin: Bool) throws -> (String, generated: Bool) {
        if fromStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("No password on standard input.")
            }
            return (line, false)
        }
        return (String(AccountStore.randomToken().prefix(20)), true)
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "利用者を追加 (add a user).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Login id (A–Z a–z 0–9 . _ @ -).") var login: String
        @Option(help: "Display name, e.g. 会計 太郎.") var name: String
        @Option(help: "団体/局/課, e.g. みなと市/会計管理局/会計課 (created if new).") var placement: String
        @Option(help: "Role: staff, bureau_admin, platform_admin, auditor (repeatable).") var role: [String] = ["staff"]
        @Flag(help: "Read the password from the first line of standard input (else one is generated and printed).")
        var passwordStdin = false

        func run() throws {
            let roles = try Set(role.map { r in
                guard let role = Role(rawValue: r) else {
                    throw ValidationError("Unknown role \(r); use \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return role
            })
            let (accounts, audit) = try UsersCommand.open(database)
            let (password, generated) = try UsersCommand.password(fromStdin: passwordStdin)
            let user = try accounts.addUser(
                login: login, displayName: name, placement: try accounts.placement(path: placement, create: true), roles: roles,
                password: password)
            try audit.append(
                AuditEvent(actor: UsersCommand.operatorName, action: "user.add", target: user.login,
                           detail: "\(user.placement.display) \(roles.sorted().map(\.rawValue).joined(separator: ","))"))
            print("利用者 \(user.login)（\(user.displayName)、\(user.placement.display)）を追加しました。")
            if generated { print("初期パスワード: \(password)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "利用者一覧 (list users).")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "JSON on stdout.") var json = false

        func run() throws {
            let users = try UsersCommand.open(database).0.users()
            if json {
                print(jsonString(users.map {
                    ["login": $0.login, "name": $0.displayName, "placement": $0.placement.display,
                     "roles": $0.roles.sorted().map(\.rawValue), "disabled": $0.disabled] as [String: Any]
                }))
                return
            }
            for u in users {
                print([u.login, u.displayName, u.placement.display, u.roles.sorted().map(\.label).joined(separator: "・"),
                       u.disabled ? "無効" : "有効"].joined(separator: "\t"))
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "利用者を無効化 (disable; ends sessions, revokes tokens).")
        @OptionGroup var database: DatabaseOptions
        @Argument var login: String
        func run() throws { try UsersCommand.setDisabled(login, true, database) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "無効化した利用者を戻す (enable again).")
        @OptionGroup var database: DatabaseOptions
        @Argument var login: String
        func run() throws { try UsersCommand.setDisabled(login, false, database) }
    }

    static func setDisabled(_ login: String, _ disabled: Bool, _ database: DatabaseOptions) throws {
        let (accounts, audit) = try open(database)
        try accounts.setDisabled(login: login, disabled)
        try audit.append(AuditEvent(actor: operatorName, action: disabled ? "user.disable" : "user.enable", target: login))
        print("利用者 \(login) を\(disabled ? "無効" : "有効")にしました。")
    }

    struct ResetPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "パスワードを再設定 (also unlocks and ends sessions).")
        @OptionGroup var database: DatabaseOptions
        @Argument var login: String
        @Flag(help: "Read the new password from standard input (else one is generated and printed).") var passwordStdin = false
        func run() throws {
            let (accounts, audit) = try UsersCommand.open(database)
            let (password, generated) = try UsersCommand.password(fromStdin: passwordStdin)
            try accounts.resetPassword(login: login, password: password)
            try audit.append(AuditEvent(actor: UsersCommand.operatorName, action: "user.reset_password", target: login))
            print("利用者 \(login) のパスワードを再設定しました。")
            if generated { print("新しいパスワード: \(password)") }
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "API トークンを発行 (printed once; only its hash is stored).")
        @OptionGroup var database: DatabaseOptions
        @Argument var login: String
        @Option(help: "What the token is for.") var name: String = "api"
        @Option(help: "Days until it expires (default: never).") var days: Int?
        func run() throws {
            let (accounts, audit) = try UsersCommand.open(database)
            let token = try accounts.issueToken(login: login, name: name, lifetime: days.map { Double($0) * 86400 })
            try audit.append(AuditEvent(actor: UsersCommand.operatorName, action: "token.issue", target: login, detail: name))
            print(token)
        }
    }
}
