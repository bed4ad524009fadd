import ArgumentParser
import Foundation
import HirobaCore
import Storage

/// Who may read a collection: `hiroba access list|set|grant|revoke`.
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access", abstract: "コレクションの閲覧範囲 (collection ownership, visibility and grants).",
        subcommands: [List.self, Set_.self, Grant.self, Revoke.self])

    static func open(_ options: DatabaseOptions) throws -> (AccessControl, AccountStore, AuditLog) {
        let database = try AppDatabase(path: options.db)
        return (AccessControl(database: database), AccountStore(database: database), try AuditLog(database: database))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "コレクションごとの所有課・公開範囲・付与 (list).")
        @OptionGroup var database: DatabaseOptions
        func run() throws {
            for c in try AccessCommand.open(database).0.collections() {
                let grants = c.grants.map { "\($0.kind.rawValue):\($0.label)" }.joined(separator: ", ")
                print([c.name, c.owner?.display ?? "（所有課なし）", c.visibility.label, grants].joined(separator: "\t"))
            }
        }
    }

    struct Set_: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "所有課と公開範囲を設定 (set owner and visibility).")
        @OptionGroup var database: DatabaseOptions
        @Argument var collection: String
        @Option(help: "Owning section 団体/局/課 (created if new).") var owner: String
        @Option(help: "section, bureau, organization, all or public.") var visibility: String
        func run() throws {
            guard let v = Visibility(rawValue: visibility) else {
                throw ValidationError("Unknown visibility \(visibility); use \(Visibility.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let (access, accounts, audit) = try AccessCommand.open(database)
            let placement = try accounts.placement(path: owner, create: true)
            try access.setAccess(collection: collection, ownerSectionID: placement.sectionID, visibility: v)
            try audit.append(
                AuditEvent(actor: UsersCommand.operatorName, action: "collection.access", target: collection, collection: collection,
                           detail: "\(placement.display) \(v.rawValue)"))
            print("\(collection): 所有 \(placement.display)、公開範囲 \(v.label)")
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "閲覧を付与 (grant to 団体, 団体/局, 団体/局/課 or a user).")
        @OptionGroup var database: DatabaseOptions
        @Argument var collection: String
        @Option(help: "団体, 団体/局 or 団体/局/課.") var to: String?
        @Option(help: "A user's login.") var user: String?
        func run() throws { try AccessCommand.change(collection, to: to, user: user, granting: true, database) }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "付与を取り消す (revoke a grant).")
        @OptionGroup var database: DatabaseOptions
        @Argument var collection: String
        @Option(help: "団体, 団体/局 or 団体/局/課.") var to: String?
        @Option(help: "A user's login.") var user: String?
        func run() throws { try AccessCommand.change(collection, to: to, user: user, granting: false, database) }
    }

    static func change(_ collection: String, to: String?, user: String?, granting: Bool, _ database: DatabaseOptions) throws {
        let (access, accounts, audit) = try open(database)
        let grant = try grant(to: to, user: user, accounts: accounts)
        if granting { try access.grant(collection: collection, to: grant, by: nil) } else { try access.revoke(collection: collection, grant: grant) }
        let whom = to ?? user ?? ""
        try audit.append(
            AuditEvent(actor: UsersCommand.operatorName, action: granting ? "collection.grant" : "collection.revoke", target: collection,
                       collection: collection, detail: "\(grant.kind.rawValue) \(whom)"))
        print(granting ? "\(collection) の閲覧を \(whom) に付与しました。" : "\(collection) の \(whom) への閲覧付与を取り消しました。")
    }

    static func grant(to: String?, user: String?, accounts: AccountStore) throws -> AccessControl.Grant {
        switch (to, user) {
        case (let path?, nil):
            let (kind, id) = try accounts.lookup(path: path)
            return AccessControl.Grant(kind: kind, granteeID: id)
        case (nil, let login?):
            guard let u = try accounts.user(login: login) else { throw AccountError.unknownUser(login) }
            return AccessControl.Grant(kind: .user, granteeID: u.id)
        default:
            throw ValidationError("Give exactly one of --to 団体[/局[/課]] or --user LOGIN.")
        }
    }
}
