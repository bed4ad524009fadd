import Foundation
import GRDB
import HirobaCore

/// Where a listening project is in its life.
public enum ListeningStatus: String, Sendable, Codable, CaseIterable {
    /// The file is stored; the comment column is still to be confirmed.
    case uploaded
    /// Waiting for the analysis queue.
    case queued
    case running
    case done
    case failed

    public var label: String {
        switch self {
        case .uploaded: "列の確認待ち"
        case .queued: "分析待ち"
        case .running: "分析中"
        case .done: "完了"
        case .failed: "失敗"
        }
    }
}

/// One broad-listening project (`listening_projects`) with its owner section resolved.
public struct ListeningProject: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var owner: Placement
    public var createdBy: Int64?
    public var createdByLogin: String
    public var fileName: String
    public var inputSHA256: String
    public var inputBytes: Int
    /// The analysis settings as JSON (comment column, attributes, seed…), owned by the web app.
    public var settings: String
    public var status: ListeningStatus
    public var stage: String?
    public var progressDone: Int
    public var progressTotal: Int
    public var error: String?
    /// The finished run's counts as JSON.
    public var summary: String?
    /// Who reads it once published.
    public var visibility: Visibility
    /// Nil: a draft, read by the owner section (and its managers) only.
    public var publishedAt: String?
    public var createdAt: String
    public var updatedAt: String
    public var startedAt: String?
    public var finishedAt: String?

    public var isPublished: Bool { publishedAt != nil }

    init(row: Row) {
        id = row["id"]
        title = row["title"]
        owner = Placement(
            organizationID: row["oid"], organization: row["oname"], bureauID: row["bid"], bureau: row["bname"],
            sectionID: row["sid"], section: row["sname"])
        createdBy = row["created_by"]
        createdByLogin = row["created_by_login"]
        fileName = row["file_name"]
        inputSHA256 = row["input_sha256"]
        inputBytes = row["input_bytes"]
        settings = row["settings"]
        status = ListeningStatus(rawValue: row["status"]) ?? .failed
        stage = row["stage"]
        progressDone = row["progress_done"]
        progressTotal = row["progress_total"]
        error = row["error"]
        summary = row["summary"]
        visibility = Visibility(rawValue: row["visibility"]) ?? .section
        publishedAt = row["published_at"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
    }
}

/// A staff edit of one cluster's label and summary (`listening_edits`).
public struct ListeningEdit: Sendable, Equatable, Codable {
    public var id: Int64
    public var clusterID: String
    /// The analysis' own label of the cluster when it was edited.
    public var baseLabel: String
    public var label: String
    public var summary: String
    public var previousLabel: String
    public var previousSummary: String
    public var login: String
    public var at: String
}

/// Listening projects and their cluster edits. Access follows the knowledge rules: the owner section (and
/// the bureau's administrators, and platform administrators) always; anyone else only once the project is
/// published, by its visibility. The list query applies the rule in SQL, so nothing unreadable is returned.
public final class ListeningStore: Sendable {
    public let database: AppDatabase
    let now: @Sendable () -> Date

    public init(database: AppDatabase, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.now = now
    }

    static let selectSQL = """
        SELECT p.*, o.id AS oid, o.name AS oname, b.id AS bid, b.name AS bname, s.id AS sid, s.name AS sname
        FROM listening_projects p JOIN sections s ON s.id = p.owner_section_id JOIN bureaus b ON b.id = s.bureau_id
        JOIN organizations o ON o.id = b.organization_id
        """

    func stamp() -> String { UsageStore.timestamp(now()) }

    public func create(
        title: String, owner: Placement, user: UserAccount, fileName: String, inputSHA256: String, inputBytes: Int
    ) throws -> ListeningProject {
        let id = try database.write { db -> Int64 in
            let at = stamp()
            try db.execute(
                sql: """
                    INSERT INTO listening_projects (title, owner_section_id, created_by, created_by_login, file_name, input_sha256,
                        input_bytes, status, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'uploaded', ?, ?)
                    """,
                arguments: [title, owner.sectionID, user.id, user.login, fileName, inputSHA256, inputBytes, at, at])
            return db.lastInsertedRowID
        }
        return try project(id)!
    }

    public func project(_ id: Int64) throws -> ListeningProject? {
        try database.read { db in
            try Row.fetchOne(db, sql: Self.selectSQL + " WHERE p.id = ?", arguments: [id]).map(ListeningProject.init(row:))
        }
    }

    /// The projects `user` may read (nil: an anonymous citizen, published public ones only), newest first.
    public func projects(readableBy user: UserAccount?) throws -> [ListeningProject] {
        try database.read { db in
            guard let user else {
                return try Row.fetchAll(
                    db, sql: Self.selectSQL + " WHERE p.published_at IS NOT NULL AND p.visibility = 'public' ORDER BY p.id DESC"
                ).map(ListeningProject.init(row:))
            }
            if user.has(.platformAdmin) {
                return try Row.fetchAll(db, sql: Self.selectSQL + " ORDER BY p.id DESC").map(ListeningProject.init(row:))
            }
            let p = user.placement
            return try Row.fetchAll(
                db,
                sql: Self.selectSQL + """
                     WHERE p.owner_section_id = :s
                        OR (:admin AND s.bureau_id = :b)
                        OR (p.published_at IS NOT NULL AND (
                            p.visibility IN ('public', 'all')
                            OR (p.visibility = 'organization' AND b.organization_id = :o)
                            OR (p.visibility = 'bureau' AND s.bureau_id = :b)))
                     ORDER BY p.id DESC
                    """,
                arguments: ["s": p.sectionID, "b": p.bureauID, "o": p.organizationID, "admin": user.has(.bureauAdmin)]
            ).map(ListeningProject.init(row:))
        }
    }

    /// The same rule as `projects(readableBy:)`, for one project.
    public static func canRead(_ project: ListeningProject, user: UserAccount?) -> Bool {
        if let user, canEdit(project, user: user) { return true }
        guard project.isPublished else { return false }
        guard let user else { return project.visibility == .public }
        switch project.visibility {
        case .section: return false
        case .bureau: return project.owner.bureauID == user.placement.bureauID
        case .organization: return project.owner.organizationID == user.placement.organizationID
        case .all, .public: return true
        }
    }

    /// Who may run, rename, publish and delete: the owner section's staff, the owner bureau's administrators
    /// and platform administrators.
    public static func canEdit(_ project: ListeningProject, user: UserAccount) -> Bool {
        user.has(.platformAdmin) || project.owner.sectionID == user.placement.sectionID
            || (user.has(.bureauAdmin) && project.owner.bureauID == user.placement.bureauID)
    }

    /// Sets the analysis settings and queues the run.
    public func queue(_ id: Int64, settings: String) throws {
        try update(id, "settings = ?, status = 'queued', stage = NULL, progress_done = 0, progress_total = 0, error = NULL", [settings])
    }

    public func markRunning(_ id: Int64) throws {
        try update(id, "status = 'running', started_at = ?, error = NULL", [stamp()])
    }

    public func progress(_ id: Int64, stage: String, done: Int, total: Int) throws {
        try update(id, "stage = ?, progress_done = ?, progress_total = ?", [stage, done, total])
    }

    public func finish(_ id: Int64, summary: String) throws {
        try update(id, "status = 'done', summary = ?, error = NULL, finished_at = ?", [summary, stamp()])
    }

    public func fail(_ id: Int64, error: String) throws {
        try update(id, "status = 'failed', error = ?, finished_at = ?", [error, stamp()])
    }

    /// Publishes with `visibility`, or withdraws to a draft (nil).
    public func publish(_ id: Int64, visibility: Visibility?) throws {
        if let visibility {
            try update(id, "visibility = ?, published_at = ?", [visibility.rawValue, stamp()])
        } else {
            try update(id, "published_at = NULL", [])
        }
    }

    private func update(_ id: Int64, _ assignments: String, _ arguments: [(any DatabaseValueConvertible)?]) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE listening_projects SET \(assignments), updated_at = ? WHERE id = ?",
                arguments: StatementArguments(arguments + [stamp(), id]))
            guard db.changesCount == 1 else { throw StorageError.listeningProjectNotFound(id) }
        }
    }

    /// Projects a stopped server left queued or running (the run resumes from its cache).
    public func unfinished() throws -> [Int64] {
        try database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM listening_projects WHERE status IN ('queued', 'running') ORDER BY id")
        }
    }

    public func delete(_ id: Int64) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM listening_projects WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw StorageError.listeningProjectNotFound(id) }
        }
    }

    // MARK: edits

    @discardableResult
    public func addEdit(
        project: Int64, cluster: String, baseLabel: String, label: String, summary: String, previousLabel: String,
        previousSummary: String, user: UserAccount
    ) throws -> ListeningEdit {
        try database.write { db in
            let at = stamp()
            try db.execute(
                sql: """
                    INSERT INTO listening_edits (project_id, cluster_id, base_label, label, summary, previous_label, previous_summary,
                        user_id, login, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [project, cluster, baseLabel, label, summary, previousLabel, previousSummary, user.id, user.login, at])
            try db.execute(sql: "UPDATE listening_projects SET updated_at = ? WHERE id = ?", arguments: [at, project])
            return ListeningEdit(
                id: db.lastInsertedRowID, clusterID: cluster, baseLabel: baseLabel, label: label, summary: summary, previousLabel: previousLabel,
                previousSummary: previousSummary, login: user.login, at: at)
        }
    }

    /// Every edit of a project, oldest first.
    public func edits(project: Int64) throws -> [ListeningEdit] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM listening_edits WHERE project_id = ? ORDER BY id", arguments: [project]).map { row in
                ListeningEdit(
                    id: row["id"], clusterID: row["cluster_id"], baseLabel: row["base_label"], label: row["label"], summary: row["summary"],
                    previousLabel: row["previous_label"], previousSummary: row["previous_summary"], login: row["login"], at: row["at"])
            }
        }
    }

    /// The label and summary in force per edited cluster.
    public func currentEdits(project: Int64) throws -> [String: ListeningEdit] {
        var out: [String: ListeningEdit] = [:]
        for edit in try edits(project: project) { out[edit.clusterID] = edit }
        return out
    }
}
