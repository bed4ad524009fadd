import Foundation
import HirobaCore
import Storage

/// Collections, their visibility and grants, and the audit log, as administrators and auditors use them
/// from the UI and the API. Platform administrators manage every collection; bureau administrators the
/// collections their bureau owns (and cannot hand one to another bureau). Every change is audited.
struct AdminService {
    let services: AppServices

    func requireAdmin(_ user: UserAccount) throws {
        guard user.has(.platformAdmin) || user.has(.bureauAdmin) else { throw APIError.forbidden }
    }

    func manageableCollections(user: UserAccount) throws -> [AccessControl.CollectionAccess] {
        try requireAdmin(user)
        return try services.access.collections().filter { services.access.canManage($0, user: user) }
    }

    /// Sections an administrator may make owners: every section for platform administrators, their own
    /// bureau's for bureau administrators.
    func ownerChoices(user: UserAccount) throws -> [Placement] {
        try requireAdmin(user)
        let all = try services.accounts.allPlacements()
        return user.has(.platformAdmin) ? all : all.filter { $0.bureauID == user.placement.bureauID }
    }

    func managedCollection(_ name: String, user: UserAccount) throws -> AccessControl.CollectionAccess {
        try requireAdmin(user)
        guard let access = try services.access.collection(named: name) else { throw StorageError.collectionNotFound(name) }
        guard services.access.canManage(access, user: user) else {
            // Readable but not theirs: say so; unreadable: not found.
            if try services.access.readScope(for: user).collections.contains(access.id) { throw APIError.forbidden }
            throw StorageError.collectionNotFound(name)
        }
        return access
    }

    func ownerSection(_ path: String?, user: UserAccount) throws -> Placement {
        guard let path, !path.isEmpty else { return user.placement }
        let placement: Placement
        do { placement = try services.accounts.placement(path: path, create: false) } catch {
            throw APIError.badRequest(
                "所管課が見つかりません: \(path)", fix: "Give the owner as 団体/局/課, e.g. みなと市/会計管理局/会計課.", code: "unknown_section")
        }
        guard user.has(.platformAdmin) || placement.bureauID == user.placement.bureauID else {
            throw APIError(
                .forbidden, code: "forbidden", message: "自局以外の課を所管課にはできません（\(placement.display)）",
                fix: "Choose a section of your own bureau, or ask a platform administrator.")
        }
        return placement
    }

    static func visibility(_ raw: String?) throws -> Visibility {
        guard let raw, let v = Visibility(rawValue: raw) else {
            throw APIError.badRequest(
                "公開範囲が不正です: \(raw ?? "(なし)")", fix: "Use one of: " + Visibility.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                code: "bad_visibility")
        }
        return v
    }

    func createCollection(name: String, owner: String?, visibility: Visibility, user: UserAccount, context: HirobaContext) throws {
        try requireAdmin(user)
        let section = try ownerSection(owner, user: user)
        _ = try services.store.createCollection(name)
        try services.access.setAccess(collection: name, ownerSectionID: section.sectionID, visibility: visibility)
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "collection.create", target: name, collection: name,
                detail: "\(section.display) \(visibility.rawValue)", address: context.address))
    }

    func setAccess(collection: String, owner: String?, visibility: Visibility, user: UserAccount, context: HirobaContext) throws {
        let current = try managedCollection(collection, user: user)
        let section: Placement
        if let owner, !owner.isEmpty {
            section = try ownerSection(owner, user: user)
        } else if let existing = current.owner {
            section = existing
        } else {
            section = try ownerSection(nil, user: user)
        }
        try services.access.setAccess(collection: collection, ownerSectionID: section.sectionID, visibility: visibility)
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "access.set", target: collection, collection: collection,
                detail: "\(current.visibility.rawValue) → \(visibility.rawValue), 所管 \(section.display)", address: context.address))
    }

    /// A grantee as 「団体」「団体/局」「団体/局/課」 or `user:LOGIN`.
    func grantee(_ raw: String) throws -> AccessControl.Grant {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("user:") {
            let login = String(text.dropFirst(5))
            guard let user = try services.accounts.user(login: login) else {
                throw APIError.badRequest("利用者が見つかりません: \(login)", fix: "Check the login with `hiroba users list`.", code: "unknown_user")
            }
            return AccessControl.Grant(kind: .user, granteeID: user.id, label: login)
        }
        do {
            let (kind, id) = try services.accounts.lookup(path: text)
            return AccessControl.Grant(kind: kind, granteeID: id, label: text)
        } catch {
            throw APIError.badRequest(
                "付与先が見つかりません: \(text)", fix: "Give 団体, 団体/局, 団体/局/課 or user:LOGIN.", code: "unknown_grantee")
        }
    }

    func grant(collection: String, to raw: String, user: UserAccount, context: HirobaContext) throws -> AccessControl.Grant {
        _ = try managedCollection(collection, user: user)
        let grant = try grantee(raw)
        try services.access.grant(collection: collection, to: grant, by: user)
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "access.grant", target: collection, collection: collection,
                detail: "\(grant.kind.rawValue) \(grant.label)", address: context.address))
        return grant
    }

    func revoke(collection: String, kind: String, granteeID: Int64, user: UserAccount, context: HirobaContext) throws {
        let access = try managedCollection(collection, user: user)
        guard let kind = AccessControl.Grant.Kind(rawValue: kind) else {
            throw APIError.badRequest("付与の種類が不正です: \(kind)", fix: "Use organization, bureau, section or user.", code: "bad_grant")
        }
        guard let existing = access.grants.first(where: { $0.kind == kind && $0.granteeID == granteeID }) else {
            throw APIError(.notFound, code: "not_found", message: "その付与はありません", fix: "List grants with GET /api/v1/admin/collections.")
        }
        try services.access.revoke(collection: collection, grant: existing)
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "access.revoke", target: collection, collection: collection,
                detail: "\(kind.rawValue) \(existing.label)", address: context.address))
    }

    // MARK: audit

    func requireAuditor(_ user: UserAccount) throws {
        guard user.has(.auditor) || user.has(.platformAdmin) else {
            throw APIError(.forbidden, code: "forbidden", message: "監査ログは監査担当だけが閲覧できます", fix: "Ask for the auditor role.")
        }
    }

    struct AuditQuery {
        var from: String?
        var to: String?
        var actor: String?
        var action: String?
        var text: String?
        var limit: Int = 200
    }

    static func validDate(_ raw: String?, _ label: String) throws -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        let pattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)?$/
        guard raw.wholeMatch(of: pattern) != nil else {
            throw APIError.badRequest("\(label)の日付が不正です: \(raw)", fix: "Use YYYY-MM-DD or an ISO 8601 UTC timestamp.", code: "bad_date")
        }
        return raw
    }

    /// Searches the log (newest first) and records that the auditor looked.
    func auditEntries(_ query: AuditQuery, user: UserAccount, context: HirobaContext) throws -> [AuditEntry] {
        try requireAuditor(user)
        guard (1...5000).contains(query.limit) else {
            throw APIError.badRequest("件数（limit）は 1〜5000 で指定してください", fix: "Use limit=1…5000.", code: "bad_limit")
        }
        let entries = try services.audit.entries(
            from: try Self.validDate(query.from, "開始"), to: try Self.validDate(query.to, "終了"), actor: query.actor,
            action: query.action, text: query.text, limit: query.limit, newestFirst: true)
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "audit.search",
                target: [query.actor, query.action, query.text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "),
                detail: "\(entries.count) 件", address: context.address))
        return entries
    }
}
