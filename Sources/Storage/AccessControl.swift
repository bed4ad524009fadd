import Foundation
import GRDB
import HirobaCore

/// Who may read which collection: the owner section's visibility (課内 / 局内 / 団体内 / 全団体 / 公開) plus
/// explicit grants to an organisation, bureau, section or user. The result is a set of collection ids that
/// search applies inside scoring (`SearchRequest.scope`), so nothing outside it is ever ranked or counted.
public final class AccessControl: Sendable {
    public let database: AppDatabase
    let now: @Sendable () -> Date
    /// User id (−1: anonymous) → the user it was computed for and their read scope, for the current data
    /// version. Used only for an identical user (same roles and placement).
    private let scopeCache = VersionedCache<Int64, (user: UserAccount?, scope: ReadScope)>(limit: 10_000)

    public init(database: AppDatabase, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.now = now
    }

    /// The collections `user` may read; nil user = an anonymous citizen (public collections only).
    /// Platform administrators read everything.
    public func readableCollectionIDs(for user: UserAccount?) throws -> Set<Int64> {
        try database.read { db in try Self.readableCollectionIDs(for: user, in: db) }
    }

    static func readableCollectionIDs(for user: UserAccount?, in db: Database) throws -> Set<Int64> {
        guard let user else {
            return Set(try Int64.fetchAll(db, sql: "SELECT id FROM collections WHERE visibility = 'public'"))
        }
        if user.has(.platformAdmin) { return Set(try Int64.fetchAll(db, sql: "SELECT id FROM collections")) }
        let p = user.placement
        return Set(
            try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                    SELECT c.id FROM collections c
                    LEFT JOIN sections s ON s.id = c.owner_section_id
                    LEFT JOIN bureaus b ON b.id = s.bureau_id
                    WHERE c.visibility IN ('public', 'all')
                       OR (c.visibility = 'organization' AND b.organization_id = :o)
                       OR (c.visibility = 'bureau' AND s.bureau_id = :b)
                       OR (c.visibility = 'section' AND c.owner_section_id = :s)
                       OR EXISTS (
                            SELECT 1 FROM collection_grants g WHERE g.collection_id = c.id AND (
                                (g.grantee_kind = 'organization' AND g.grantee_id = :o)
                                OR (g.grantee_kind = 'bureau' AND g.grantee_id = :b)
                                OR (g.grantee_kind = 'section' AND g.grantee_id = :s)
                                OR (g.grantee_kind = 'user' AND g.grantee_id = :u)))
                    """),
                arguments: ["o": p.organizationID, "b": p.bureauID, "s": p.sectionID, "u": user.id]))
    }

    /// Everything a caller may read, as search applies it inside scoring.
    public struct ReadScope: Sendable, Equatable {
        /// Readable collection ids.
        public var collections: Set<Int64>
        /// Documents inside readable collections that are narrowed away from the caller.
        public var hiddenDocuments: Set<Int64>

        public func allows(collectionID: Int64, documentID: Int64) -> Bool {
            collections.contains(collectionID) && !hiddenDocuments.contains(documentID)
        }
    }

    /// The collections `user` may read and the narrowed documents among them they may not.
    /// `version`: the database's `dataVersion()` read earlier in the same request (before anything this
    /// request reads), or nil to read it now.
    public func readScope(for user: UserAccount?, version: Int64? = nil) throws -> ReadScope {
        // Every search asks: while nothing was committed (grants, collections, document visibility, users),
        // the answer stands.
        let version = try version ?? database.dataVersion()
        let key = user?.id ?? -1
        if let cached = scopeCache.value(key, version: version), cached.user == user { return cached.scope }
        let scope = try readScopeUncached(for: user)
        scopeCache.store((user, scope), for: key, version: version)
        return scope
    }

    func readScopeUncached(for user: UserAccount?) throws -> ReadScope {
        // One read transaction for both: a consistent snapshot, and half the per-read cost on every search.
        try database.read { db in
            let collections = try Self.readableCollectionIDs(for: user, in: db)
            if user?.has(.platformAdmin) == true { return ReadScope(collections: collections, hiddenDocuments: []) }
            let hidden = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                    SELECT d.id, d.collection_id, d.visibility, c.owner_section_id, s.bureau_id, b.organization_id
                    FROM documents d JOIN collections c ON c.id = d.collection_id
                    LEFT JOIN sections s ON s.id = c.owner_section_id LEFT JOIN bureaus b ON b.id = s.bureau_id
                    WHERE d.visibility IS NOT NULL
                    """)
            ).compactMap { row -> Int64? in
                guard collections.contains(row["collection_id"]) else { return nil }
                let visibility = Visibility(rawValue: row["visibility"]) ?? .section
                let owner = (section: row["owner_section_id"] as Int64?, bureau: row["bureau_id"] as Int64?,
                             organization: row["organization_id"] as Int64?)
                return Self.documentReadable(visibility, owner: owner, user: user) ? nil : row["id"]
            }
            return ReadScope(collections: collections, hiddenDocuments: Set(hidden))
        }
    }

    static func documentReadable(
        _ visibility: Visibility, owner: (section: Int64?, bureau: Int64?, organization: Int64?), user: UserAccount?
    ) -> Bool {
        guard let user else { return visibility == .public }
        let p = user.placement
        switch visibility {
        case .section: return owner.section == p.sectionID
        case .bureau: return owner.bureau == p.bureauID
        case .organization: return owner.organization == p.organizationID
        case .all, .public: return true
        }
    }

    /// Narrows one document (nil: read like its collection).
    public func setDocumentVisibility(documentID: Int64, _ visibility: Visibility?) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE documents SET visibility = ? WHERE id = ?", arguments: [visibility?.rawValue, documentID])
            guard db.changesCount == 1 else { throw StorageError.documentNotFound("\(documentID)") }
        }
    }

    /// Whether `user` may change a collection's visibility and grants: platform administrators for every
    /// collection, bureau administrators for their own bureau's.
    public func canManage(_ collection: CollectionAccess, user: UserAccount) -> Bool {
        if user.has(.platformAdmin) { return true }
        guard user.has(.bureauAdmin), let owner = collection.owner else { return false }
        return owner.bureauID == user.placement.bureauID
    }

    /// Whether `user` may add and delete documents: the managers of the collection and the staff of its owner
    /// section.
    public func canWrite(_ collection: CollectionAccess, user: UserAccount) -> Bool {
        canManage(collection, user: user) || collection.owner?.sectionID == user.placement.sectionID
    }

    /// A collection's owner, visibility and grants, for the admin screens.
    public struct CollectionAccess: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var owner: Placement?
        public var visibility: Visibility
        public var grants: [Grant]
    }

    public struct Grant: Sendable, Equatable, Hashable {
        public enum Kind: String, Sendable, CaseIterable { case organization, bureau, section, user }
        public var kind: Kind
        public var granteeID: Int64
        /// 「みなと市 / 福祉局」, a user's login…
        public var label: String
        public init(kind: Kind, granteeID: Int64, label: String = "") {
            self.kind = kind
            self.granteeID = granteeID
            self.label = label
        }
    }

    public func collections() throws -> [CollectionAccess] {
        try database.read { db in try collectionAccess(where: nil, db) }
    }

    /// One collection's access (one query for it and one for its grants, not the whole list).
    public func collection(named name: String) throws -> CollectionAccess? {
        try database.read { db in try collectionAccess(where: name, db).first }
    }

    private func collectionAccess(where name: String?, _ db: Database) throws -> [CollectionAccess] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT c.id, c.name, c.visibility, c.owner_section_id, o.id AS oid, o.name AS oname, b.id AS bid,
                       b.name AS bname, s.id AS sid, s.name AS sname
                FROM collections c LEFT JOIN sections s ON s.id = c.owner_section_id
                LEFT JOIN bureaus b ON b.id = s.bureau_id LEFT JOIN organizations o ON o.id = b.organization_id
                \(name == nil ? "" : "WHERE c.name = ?")
                ORDER BY c.name
                """, arguments: name.map { [$0] } ?? []
        ).map { row in
            let id: Int64 = row["id"]
            return CollectionAccess(
                id: id, name: row["name"], owner: (row["owner_section_id"] as Int64?) == nil ? nil : AccountStore.placement(row),
                visibility: Visibility(rawValue: row["visibility"]) ?? .section, grants: try grants(collectionID: id, db))
        }
    }

    func grants(collectionID: Int64, _ db: Database) throws -> [Grant] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT g.grantee_kind, g.grantee_id,
                  CASE g.grantee_kind
                    WHEN 'organization' THEN (SELECT name FROM organizations WHERE id = g.grantee_id)
                    WHEN 'bureau' THEN (SELECT o.name || ' / ' || b.name FROM bureaus b JOIN organizations o ON o.id = b.organization_id WHERE b.id = g.grantee_id)
                    WHEN 'section' THEN (SELECT o.name || ' / ' || b.name || ' / ' || s.name FROM sections s JOIN bureaus b ON b.id = s.bureau_id JOIN organizations o ON o.id = b.organization_id WHERE s.id = g.grantee_id)
                    ELSE (SELECT login FROM users WHERE id = g.grantee_id) END AS label
                FROM collection_grants g WHERE g.collection_id = ? ORDER BY g.grantee_kind, g.grantee_id
                """, arguments: [collectionID]
        ).map { Grant(kind: Grant.Kind(rawValue: $0["grantee_kind"]) ?? .user, granteeID: $0["grantee_id"], label: $0["label"] ?? "?") }
    }

    /// Sets a collection's owner section and visibility.
    public func setAccess(collection: String, ownerSectionID: Int64, visibility: Visibility) throws {
        try database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM sections WHERE id = ?", arguments: [ownerSectionID]) != nil else {
                throw AccountError.unknownPlacement("section \(ownerSectionID)")
            }
            try db.execute(
                sql: "UPDATE collections SET owner_section_id = ?, visibility = ? WHERE id = ?",
                arguments: [ownerSectionID, visibility.rawValue, try Self.collectionID(collection, db)])
        }
    }

    public func grant(collection: String, to grant: Grant, by user: UserAccount?) throws {
        try database.write { db in
            let table = ["organization": "organizations", "bureau": "bureaus", "section": "sections", "user": "users"][grant.kind.rawValue]!
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table) WHERE id = ?", arguments: [grant.granteeID]) != nil else {
                throw AccountError.unknownPlacement("\(grant.kind.rawValue) \(grant.granteeID)")
            }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO collection_grants (collection_id, grantee_kind, grantee_id, granted_by, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [try Self.collectionID(collection, db), grant.kind.rawValue, grant.granteeID, user?.id, iso(now())])
        }
    }

    public func revoke(collection: String, grant: Grant) throws {
        try database.write { db in
            try db.execute(
                sql: "DELETE FROM collection_grants WHERE collection_id = ? AND grantee_kind = ? AND grantee_id = ?",
                arguments: [try Self.collectionID(collection, db), grant.kind.rawValue, grant.granteeID])
        }
    }

    static func collectionID(_ name: String, _ db: Database) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM collections WHERE name = ?", arguments: [name]) else {
            throw StorageError.collectionNotFound(name)
        }
        return id
    }
}
