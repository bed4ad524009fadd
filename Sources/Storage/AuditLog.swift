import Crypto
import Foundation
import GRDB
import HirobaCore

/// One thing that happened, as the audit log records it.
public struct AuditEvent: Sendable, Equatable {
    public var actorID: Int64?
    /// The login, or 「匿名」 / 「system」.
    public var actor: String
    /// A dotted verb: `login.success`, `search`, `document.upload`, `collection.grant`, …
    public var action: String
    /// What it was done to (a query, a login, a collection name…).
    public var target: String
    public var collection: String?
    public var documents: [Int64]
    /// Anything else, as short text.
    public var detail: String?
    /// Client address.
    public var address: String?

    public init(
        actorID: Int64? = nil, actor: String, action: String, target: String, collection: String? = nil,
        documents: [Int64] = [], detail: String? = nil, address: String? = nil
    ) {
        self.actorID = actorID
        self.actor = actor
        self.action = action
        self.target = target
        self.collection = collection
        self.documents = documents
        self.detail = detail
        self.address = address
    }
}

/// A stored entry: the event, when, its place in the log and its hash chain.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var seq: Int64
    public var at: String
    public var actorID: Int64?
    public var actor: String
    public var action: String
    public var target: String
    public var collection: String?
    public var documents: String?
    public var detail: String?
    public var address: String?
    public var prevHash: String
    public var hash: String

    /// SHA-256 over the previous hash and every field, separated by U+001F (which no field may hold
    /// unescaped: fields are escaped first), so that changing, dropping or moving any entry breaks the chain.
    static func computeHash(
        prev: String, seq: Int64, at: String, actorID: Int64?, actor: String, action: String, target: String,
        collection: String?, documents: String?, detail: String?, address: String?
    ) -> String {
        let fields: [String] = [
            prev, String(seq), at, actorID.map(String.init) ?? "", actor, action, target, collection ?? "\u{0}",
            documents ?? "\u{0}", detail ?? "\u{0}", address ?? "\u{0}",
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(fields.count) { $0 + $1.utf8.count } + 16)
        for (i, var field) in fields.enumerated() {
            if i > 0 { bytes.append(0x1F) }
            // Escaped as before: "\\" for a backslash, "\\u001F" for U+001F (a one-byte UTF-8 character,
            // so bytes can be compared directly). Fields without either are copied at once.
            field.withUTF8 { utf8 in
                var run = 0
                ByteScan.visitFlagged(utf8, 0..<utf8.count, flagged: { ByteScan.contains($0, 0x5C) || ByteScan.contains($0, 0x1F) }) { i in
                    let byte = utf8[i]
                    guard byte == 0x5C || byte == 0x1F else { return }
                    if run < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i])) }
                    run = i + 1
                    bytes += byte == 0x5C ? [0x5C, 0x5C] : Array(#"\u001F"#.utf8)
                }
                if run < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<utf8.count])) }
            }
        }
        return SHA256.hash(data: bytes).withUnsafeBytes { Hex.string($0) }
    }

    var recomputedHash: String {
        Self.computeHash(
            prev: prevHash, seq: seq, at: at, actorID: actorID, actor: actor, action: action, target: target,
            collection: collection, documents: documents, detail: detail, address: address)
    }

    enum CodingKeys: String, CodingKey {
        case seq, at, actor, action, target, collection, documents, detail, address, hash
        case actorID = "actor_id"
        case prevHash = "prev_hash"
    }
}

/// An append-only, hash-chained log of logins, searches, answers, uploads, deletions, permission changes and
/// admin actions. Each entry's hash covers the previous entry's hash, and the newest hash is also kept in
/// `audit_head`, so `verify()` finds any edited, deleted, inserted or reordered entry. (Someone who can
/// rewrite the whole file can rewrite the whole chain: export the log and keep the head hash elsewhere.)
public final class AuditLog: Sendable {
    /// The log's own SQLite file beside the knowledge database (`hiroba.sqlite` → `hiroba.audit.sqlite`): every
    /// search appends an entry, and writes to the knowledge file would make every reader drop its page cache and
    /// memory map. Kept apart, the knowledge file stays read-only under search load, and the log can be backed up
    /// and retained on its own schedule.
    public let pool: DatabasePool
    public let path: String
    let now: @Sendable () -> Date
    static let genesis = String(repeating: "0", count: 64)
    private let batch = Batch()

    /// Events waiting for the group-commit writer.
    private final class Batch: @unchecked Sendable {
        let lock = NSLock()
        var queue: [(event: AuditEvent, at: String, continuation: CheckedContinuation<AuditEntry, Error>)] = []
        /// A drain is running or scheduled.
        var writing = false
        /// When the last batch was taken (uptime nanoseconds).
        var lastBatch: UInt64 = 0
        /// Batches committed (or failed) so far.
        var batches = 0
        let writer = DispatchQueue(label: "hiroba.audit.writer")
    }

    /// Batches start at most this often (nanoseconds). A commit costs about the same for one entry as for ten (the
    /// same few pages go to the WAL), and under load entries arrive faster than commits finish, so without a pause
    /// nearly every batch held a single search. An entry arriving after a quiet spell is written at once; one
    /// arriving right after a batch waits at most this long. Callers wait for their entry either way.
    /// 5 ms rather than 2: under the search load (~2,000 searches/s) the writer's thread went from 6.6 % to 4.2 % of
    /// the server's CPU (fewer commits, each writing the same few pages), with p99 latency unchanged.
    static let batchInterval: UInt64 = 5_000_000

    public init(database: AppDatabase, now: @escaping @Sendable () -> Date = Date.init) throws {
        self.now = now
        path = Self.path(forDatabase: database.path)
        var config = Configuration()
        config.busyMode = .timeout(60)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
            try moveEntries(from: database)
        } catch let error as DatabaseError {
            throw AppDatabase.map(error, path: path)
        }
    }

    /// Where the log of the knowledge database at `path` lives.
    public static func path(forDatabase path: String) -> String {
        path.hasSuffix(".sqlite") ? String(path.dropLast(7)) + ".audit.sqlite" : path + ".audit"
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("a1-audit-log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        seq INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        actor_id INTEGER,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        target TEXT NOT NULL,
                        collection TEXT,
                        documents TEXT,
                        detail TEXT,
                        address TEXT,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX audit_log_at ON audit_log(at);
                    CREATE INDEX audit_log_action ON audit_log(action);
                    -- The newest entry's hash, kept apart from the log so that removing its last rows shows.
                    CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
                    -- Where the chain starts: entry 1 and the all-zero hash, until retention removes old entries.
                    CREATE TABLE audit_anchor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, prev_hash TEXT NOT NULL);
                    """)
        }
        return migrator
    }

    /// Databases made before the log had its own file (migration v4) kept it in the knowledge file: move those
    /// entries, head and anchor here unchanged (hashes included, so the chain still verifies), then drop them there.
    func moveEntries(from database: AppDatabase) throws {
        guard try database.read({ try $0.tableExists("audit_log") }) else { return }
        try database.write { main in
            // Another process opening the same database may have moved them first.
            guard try main.tableExists("audit_log") else { return }
            let rows = try Row.fetchAll(main, sql: "SELECT * FROM audit_log ORDER BY seq")
            let head = try Row.fetchOne(main, sql: "SELECT seq, hash FROM audit_head WHERE id = 1")
            let anchor = try Row.fetchOne(main, sql: "SELECT seq, prev_hash FROM audit_anchor WHERE id = 1")
            try pool.write { db in
                guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") == 0 else {
                    throw StorageError.cannotOpen(path, reason: "both the knowledge database and the audit file hold audit entries")
                }
                for row in rows {
                    try db.execute(
                        sql: """
                            INSERT INTO audit_log (seq, at, actor_id, actor, action, target, collection, documents, detail, address, prev_hash, hash)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [row["seq"], row["at"], row["actor_id"], row["actor"], row["action"], row["target"], row["collection"],
                                    row["documents"], row["detail"], row["address"], row["prev_hash"], row["hash"]])
                }
                if let head {
                    try db.execute(sql: "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)", arguments: [head["seq"], head["hash"]])
                }
                if let anchor {
                    try db.execute(
                        sql: "INSERT INTO audit_anchor (id, seq, prev_hash) VALUES (1, ?, ?)", arguments: [anchor["seq"], anchor["prev_hash"]])
                }
            }
            try main.execute(sql: "DROP TABLE audit_log; DROP TABLE audit_head; DROP TABLE audit_anchor")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let error as DatabaseError { throw AppDatabase.map(error, path: path) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError { throw AppDatabase.map(error, path: path) }
    }

    /// One formatter for every entry (creating an ISO8601DateFormatter costs more than a search's scoring).
    nonisolated(unsafe) static let formatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
    static let formatterLock = NSLock()

    static let timestamp: @Sendable (Date) -> String = { date in utcTimestamp(date) }

    /// `2026-11-27T16:05:46.123Z`: what `formatter` writes (UTC, rounded to the millisecond), without ICU or a lock
    /// (the formatter was a few per cent of a search request). Civil date from days since 1970 by Howard
    /// Hinnant's algorithm. Years outside 0…9999 fall back to the formatter.
    static func utcTimestamp(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        guard t.magnitude < 2.5e11 else { return formatterLock.withLock { formatter.string(from: date) } }
        let totalMillis = Int64((t * 1000).rounded())
        let millis = totalMillis >= 0 ? totalMillis % 1000 : (1000 + totalMillis % 1000) % 1000
        var seconds = (totalMillis - millis) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        seconds -= days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else { return formatterLock.withLock { formatter.string(from: date) } }
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int64, _ digits: Int, at offset: Int) {
                var v = value
                for i in stride(from: digits - 1, through: 0, by: -1) {
                    out[offset + i] = UInt8(0x30 + v % 10)
                    v /= 10
                }
            }
            put(year, 4, at: 0)
            out[4] = 0x2D
            put(month, 2, at: 5)
            out[7] = 0x2D
            put(day, 2, at: 8)
            out[10] = 0x54
            put(seconds / 3600, 2, at: 11)
            out[13] = 0x3A
            put(seconds / 60 % 60, 2, at: 14)
            out[16] = 0x3A
            put(seconds % 60, 2, at: 17)
            out[19] = 0x2E
            put(millis, 3, at: 20)
            out[23] = 0x5A
            return 24
        }
    }

    /// Records an event without holding a thread while it waits for the writer: entries that arrive while a
    /// batch is being committed go together in the next transaction (group commit). Each caller resumes once its
    /// own entry is committed, so nothing is acknowledged before it is on record. For the request path.
    @discardableResult
    public func record(_ event: AuditEvent) async throws -> AuditEntry {
        try await withCheckedThrowingContinuation { continuation in
            let start: UInt64? = batch.lock.withLock {
                // Stamped in queue order, so sequence and time agree.
                batch.queue.append((event, Self.timestamp(now()), continuation))
                if batch.writing { return nil }
                batch.writing = true
                return batch.lastBatch &+ Self.batchInterval
            }
            if let start { schedule(at: start) }
        }
    }

    /// How many group commits `record` has made (for tests).
    var batchesWritten: Int { batch.lock.withLock { batch.batches } }

    /// Runs `drain` on the writer at `uptime` (nanoseconds), or now when that has passed.
    private func schedule(at uptime: UInt64) {
        if uptime <= DispatchTime.now().uptimeNanoseconds {
            batch.writer.async { self.drain() }
        } else {
            batch.writer.asyncAfter(deadline: DispatchTime(uptimeNanoseconds: uptime)) { self.drain() }
        }
    }

    /// Commits every waiting entry in one transaction, then schedules the next batch if more arrived meanwhile.
    private func drain() {
        let pending = batch.lock.withLock {
            let taken = batch.queue
            batch.queue = []
            batch.lastBatch = DispatchTime.now().uptimeNanoseconds
            if !taken.isEmpty { batch.batches += 1 }
            return taken
        }
        if !pending.isEmpty {
            do {
                let entries = try write { db in try Self.append(pending.map { ($0.event, $0.at) }, in: db) }
                for (item, entry) in zip(pending, entries) { item.continuation.resume(returning: entry) }
            } catch {
                for item in pending { item.continuation.resume(throwing: error) }
            }
        }
        let next: UInt64? = batch.lock.withLock {
            if batch.queue.isEmpty {
                batch.writing = false
                return nil
            }
            return batch.lastBatch &+ Self.batchInterval
        }
        if let next { schedule(at: next) }
    }

    /// Appends an event; returns its entry.
    @discardableResult
    public func append(_ event: AuditEvent) throws -> AuditEntry {
        let at = Self.timestamp(now())
        return try write { db in try Self.append(event, at: at, in: db) }
    }

    /// Appends inside the caller's transaction (so an action and its record commit together).
    static func append(_ event: AuditEvent, at: String, in db: Database) throws -> AuditEntry {
        try append([(event, at)], in: db)[0]
    }

    /// Appends events in order inside the caller's transaction: the head is read once and written once for
    /// all of them (a group commit holds every search that arrived while the previous one was written).
    static func append(_ events: [(event: AuditEvent, at: String)], in db: Database) throws -> [AuditEntry] {
        guard !events.isEmpty else { return [] }
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_head WHERE id = 1"))
        var seq = head?["seq"] as Int64? ?? 0
        var prev = head?["hash"] as String? ?? genesis
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO audit_log (seq, at, actor_id, actor, action, target, collection, documents, detail, address, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var entries: [AuditEntry] = []
        entries.reserveCapacity(events.count)
        for (event, at) in events {
            seq += 1
            let documents = event.documents.isEmpty ? nil : Self.commaSeparated(event.documents)
            // At most 2,000 characters: a target of at most 2,000 bytes has no more (no copy, no count).
            let target = event.target.utf8.count <= 2000 ? event.target : String(event.target.prefix(2000))
            let hash = AuditEntry.computeHash(
                prev: prev, seq: seq, at: at, actorID: event.actorID, actor: event.actor, action: event.action, target: target,
                collection: event.collection, documents: documents, detail: event.detail, address: event.address)
            try insert.execute(
                arguments: [
                    seq, at, event.actorID, event.actor, event.action, target, event.collection, documents, event.detail, event.address,
                    prev, hash,
                ])
            entries.append(
                AuditEntry(
                    seq: seq, at: at, actorID: event.actorID, actor: event.actor, action: event.action, target: target,
                    collection: event.collection, documents: documents, detail: event.detail, address: event.address, prevHash: prev,
                    hash: hash))
            prev = hash
        }
        try db.cachedStatement(
            sql: "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"
        ).execute(arguments: [seq, prev])
        return entries
    }

    /// "12,345,6789": the ids' decimal digits joined by commas, written as bytes.
    static func commaSeparated(_ ids: [Int64]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(ids.count * 8)
        for (i, id) in ids.enumerated() {
            if i > 0 { out.append(0x2C) }
            DecimalDigits.append(id, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func entry(_ row: Row) -> AuditEntry {
        AuditEntry(
            seq: row["seq"], at: row["at"], actorID: row["actor_id"], actor: row["actor"], action: row["action"],
            target: row["target"], collection: row["collection"], documents: row["documents"], detail: row["detail"],
            address: row["address"], prevHash: row["prev_hash"], hash: row["hash"])
    }

    /// What `verify()` found.
    public struct Verification: Sendable, Equatable {
        public struct Problem: Sendable, Equatable {
            public var seq: Int64
            /// 「内容が改ざんされています」…
            public var reason: String
        }
        public var checked: Int
        public var problems: [Problem]
        public var ok: Bool { problems.isEmpty }
        /// The first entry from which the chain can no longer be trusted.
        public var firstBroken: Int64? { problems.first?.seq }
    }

    /// Walks the whole chain in sequence order and reports every entry that does not fit.
    public func verify() throws -> Verification {
        try read { db in
            var problems: [Verification.Problem] = []
            let anchor = try Row.fetchOne(db, sql: "SELECT seq, prev_hash FROM audit_anchor WHERE id = 1")
            var expectedSeq: Int64 = anchor?["seq"] ?? 1
            var previous: String = anchor?["prev_hash"] ?? Self.genesis
            var checked = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY seq")
            while let row = try cursor.next() {
                let e = Self.entry(row)
                checked += 1
                if e.seq != expectedSeq {
                    problems.append(.init(seq: e.seq, reason: "連番が飛んでいます（\(expectedSeq)〜\(e.seq - 1) が削除されています）"))
                }
                if e.prevHash != previous {
                    problems.append(.init(seq: e.seq, reason: "直前の記録とのつながりが壊れています（削除・挿入・並べ替え）"))
                }
                if e.recomputedHash != e.hash {
                    problems.append(.init(seq: e.seq, reason: "記録の内容が書き換えられています"))
                }
                previous = e.hash
                expectedSeq = e.seq + 1
            }
            if let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1") {
                let seq: Int64 = head["seq"]
                if seq != expectedSeq - 1 || (head["hash"] as String) != previous {
                    problems.append(.init(seq: min(seq, expectedSeq), reason: "最新の記録（\(seq) 番）が失われています"))
                }
            } else if checked > 0 {
                problems.append(.init(seq: 1, reason: "監査ログの先頭情報がありません"))
            }
            return Verification(checked: checked, problems: problems)
        }
    }

    /// Entries in a time range (ISO 8601 dates or timestamps, inclusive), optionally filtered, oldest first.
    public func entries(
        from: String? = nil, to: String? = nil, actor: String? = nil, action: String? = nil, text: String? = nil,
        limit: Int = 1000, newestFirst: Bool = false
    ) throws -> [AuditEntry] {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let from { clauses.append("at >= ?"); arguments.append(from) }
        if let to {
            clauses.append("at <= ?")
            // A bare date means the whole day.
            arguments.append(to.count == 10 ? to + "T23:59:59.999Z" : to)
        }
        if let actor, !actor.isEmpty { clauses.append("actor = ?"); arguments.append(actor) }
        if let action, !action.isEmpty { clauses.append("action LIKE ? ESCAPE '\\'"); arguments.append(Self.likePrefix(action)) }
        if let text, !text.isEmpty {
            clauses.append("(target LIKE ? ESCAPE '\\' OR IFNULL(detail, '') LIKE ? ESCAPE '\\' OR IFNULL(collection, '') LIKE ? ESCAPE '\\')")
            let pattern = "%" + Self.escapeLike(text) + "%"
            arguments += [pattern, pattern, pattern]
        }
        let sql = "SELECT * FROM audit_log" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY seq \(newestFirst ? "DESC" : "ASC") LIMIT \(max(1, min(limit, 1_000_000)))"
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.entry)
        }
    }

    static func escapeLike(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    static func likePrefix(_ s: String) -> String { escapeLike(s) + "%" }

    /// Deletes entries older than `days` (the configured retention), keeping the chain verifiable: the first
    /// kept entry becomes the anchor verify() starts from, and the purge itself is logged.
    public func purge(olderThanDays days: Int) throws -> Int {
        let cutoff = Self.timestamp(now().addingTimeInterval(-Double(days) * 86400))
        return try write { db in
            let removed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE at < ?", arguments: [cutoff]) ?? 0
            guard removed > 0 else { return 0 }
            try db.execute(sql: "DELETE FROM audit_log WHERE at < ?", arguments: [cutoff])
            if let first = try Row.fetchOne(db, sql: "SELECT seq, prev_hash FROM audit_log ORDER BY seq LIMIT 1") {
                try db.execute(
                    sql: "INSERT INTO audit_anchor (id, seq, prev_hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, prev_hash = excluded.prev_hash",
                    arguments: [first["seq"] as Int64, first["prev_hash"] as String])
            } else if let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1") {
                try db.execute(
                    sql: "INSERT INTO audit_anchor (id, seq, prev_hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, prev_hash = excluded.prev_hash",
                    arguments: [(head["seq"] as Int64) + 1, head["hash"] as String])
            }
            _ = try Self.append(
                AuditEvent(actor: "system", action: "audit.retention", target: "\(removed) 件を削除（\(days) 日より前）"),
                at: Self.timestamp(now()), in: db)
            return removed
        }
    }

    public enum ExportFormat: String, Sendable { case csv, jsonl }

    /// CSV (UTF-8 with BOM so Excel reads Japanese, CRLF) or JSON Lines, every field of every entry.
    public static func export(_ entries: [AuditEntry], format: ExportFormat) throws -> String {
        var out = ""
        switch format {
        case .csv:
            out = "\u{FEFF}seq,at,actor_id,actor,action,target,collection,documents,detail,address,prev_hash,hash\r\n"
            for e in entries {
                let fields = [
                    String(e.seq), e.at, e.actorID.map(String.init) ?? "", e.actor, e.action, e.target, e.collection ?? "",
                    e.documents ?? "", e.detail ?? "", e.address ?? "", e.prevHash, e.hash,
                ]
                out += fields.map(csvField).joined(separator: ",") + "\r\n"
            }
        case .jsonl:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for e in entries { out += String(decoding: try encoder.encode(e), as: UTF8.self) + "\n" }
        }
        return out
    }

    /// RFC 4180 field; cells that a spreadsheet would run as formulas are prefixed with ' (CSV injection).
    public static func csvField(_ s: String) -> String {
        var v = s
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
