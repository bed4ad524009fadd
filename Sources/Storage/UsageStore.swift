import Foundation
import GRDB

/// One model call as stored (`model_calls`).
public struct ModelCallRow: Sendable, Equatable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "model_calls"
    public var id: Int64?
    public var at: String
    public var day: String
    public var month: String
    public var userID: Int64?
    public var login: String
    public var organization: String?
    public var bureau: String?
    public var app: String
    public var model: String
    public var provider: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var usageReported: Bool
    public var milliseconds: Double
    public var cost: Double
    public var status: String
    public var error: String?
    /// Chunk ids, comma-separated.
    public var sources: String?
    /// 「氏名:2,電話番号:1」.
    public var personalData: String?
    public var personalDataAction: String?
    public var prompt: String?
    public var output: String?

    enum CodingKeys: String, CodingKey {
        case id, at, day, month, login, organization, bureau, app, model, provider, status, error, sources, prompt, output, cost, milliseconds
        case userID = "user_id"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case usageReported = "usage_reported"
        case personalData = "personal_data"
        case personalDataAction = "personal_data_action"
    }

    public init(
        at: Date, userID: Int64?, login: String, organization: String?, bureau: String?, app: String, model: String,
        provider: String, promptTokens: Int, completionTokens: Int, usageReported: Bool, milliseconds: Double, cost: Double,
        status: String, error: String? = nil, sources: String? = nil, personalData: String? = nil, personalDataAction: String? = nil,
        prompt: String? = nil, output: String? = nil
    ) {
        self.at = UsageStore.timestamp(at)
        (day, month) = UsageStore.period(at)
        self.userID = userID
        self.login = login
        self.organization = organization
        self.bureau = bureau
        self.app = app
        self.model = model
        self.provider = provider
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.usageReported = usageReported
        self.milliseconds = milliseconds
        self.cost = cost
        self.status = status
        self.error = error
        self.sources = sources
        self.personalData = personalData
        self.personalDataAction = personalDataAction
        self.prompt = prompt
        self.output = output
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Usage summed over a group (a bureau, a user or a model) and period.
public struct UsageSummary: Sendable, Equatable, Codable {
    public var key: String
    public var calls: Int
    public var failed: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var cost: Double
    public var averageMilliseconds: Double
}

/// 👍/👎 on an answer.
public struct AnswerFeedbackRow: Sendable, Equatable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "answer_feedback"
    public var id: Int64?
    public var at: String
    public var userID: Int64?
    public var login: String
    public var organization: String?
    public var bureau: String?
    public var question: String
    public var answer: String
    public var mode: String
    public var model: String?
    /// Cited chunk ids, comma-separated.
    public var sources: String
    public var rating: Int
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case id, at, login, organization, bureau, question, answer, mode, model, sources, rating, reason
        case userID = "user_id"
    }

    public init(
        at: Date, userID: Int64?, login: String, organization: String?, bureau: String?, question: String, answer: String,
        mode: String, model: String?, sources: [Int64], rating: Int, reason: String?
    ) {
        self.at = UsageStore.timestamp(at)
        self.userID = userID
        self.login = login
        self.organization = organization
        self.bureau = bureau
        self.question = question
        self.answer = answer
        self.mode = mode
        self.model = model
        self.sources = sources.map(String.init).joined(separator: ",")
        self.rating = rating
        self.reason = reason
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Model calls and answer ratings. Days and months are counted in Japan time (quotas reset at 0:00 JST).
public final class UsageStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) { self.database = database }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon)) + "Z"
    }

    /// ("2026-11-27", "2026-11") in Asia/Tokyo.
    public static func period(_ date: Date) -> (day: String, month: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let month = String(format: "%04d-%02d", c.year ?? 0, c.month ?? 0)
        return (month + String(format: "-%02d", c.day ?? 0), month)
    }

    public func insert(_ row: ModelCallRow) throws -> ModelCallRow {
        var row = row
        try database.write { db in try row.insert(db) }
        return row
    }

    /// Tokens used today and this month by the bureau and by the user.
    public func totals(organization: String?, bureau: String?, login: String, at date: Date) throws
        -> (bureauDay: Int, bureauMonth: Int, userDay: Int, userMonth: Int)
    {
        let (day, month) = Self.period(date)
        return try database.read { db in
            let bureauRow = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS m,
                           COALESCE(SUM(CASE WHEN day = ? THEN prompt_tokens + completion_tokens END), 0) AS d
                    FROM model_calls WHERE organization IS ? AND bureau IS ? AND month = ?
                    """, arguments: [day, organization, bureau, month])
            let userRow = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS m,
                           COALESCE(SUM(CASE WHEN day = ? THEN prompt_tokens + completion_tokens END), 0) AS d
                    FROM model_calls WHERE login = ? AND month = ?
                    """, arguments: [day, login, month])
            return (bureauRow?["d"] ?? 0, bureauRow?["m"] ?? 0, userRow?["d"] ?? 0, userRow?["m"] ?? 0)
        }
    }

    public enum Grouping: String, Sendable, CaseIterable { case bureau, user, model }

    /// Usage per bureau, user or model for calls at or after `from` and before `to` (ISO dates, JST
    /// days), optionally for one organisation (and bureau).
    public func summary(
        by grouping: Grouping, fromDay: String, toDay: String, organization: String? = nil, bureau: String? = nil
    ) throws -> [UsageSummary] {
        let key =
            switch grouping {
            case .bureau: "COALESCE(organization, '') || '/' || COALESCE(bureau, '')"
            case .user: "login"
            case .model: "model"
            }
        var filter = "day >= ? AND day <= ?"
        var arguments: [(any DatabaseValueConvertible)?] = [fromDay, toDay]
        if let organization {
            filter += " AND organization = ?"
            arguments.append(organization)
        }
        if let bureau {
            filter += " AND bureau = ?"
            arguments.append(bureau)
        }
        return try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(key) AS k, COUNT(*) AS calls, SUM(status != 'ok') AS failed,
                           SUM(prompt_tokens) AS p, SUM(completion_tokens) AS c, SUM(cost) AS cost, AVG(milliseconds) AS ms
                    FROM model_calls WHERE \(filter) GROUP BY k ORDER BY SUM(prompt_tokens + completion_tokens) DESC, k
                    """, arguments: StatementArguments(arguments)
            ).map {
                UsageSummary(
                    key: $0["k"], calls: $0["calls"], failed: $0["failed"] ?? 0, promptTokens: $0["p"] ?? 0,
                    completionTokens: $0["c"] ?? 0, cost: $0["cost"] ?? 0, averageMilliseconds: $0["ms"] ?? 0)
            }
        }
    }

    public func calls(limit: Int = 100, organization: String? = nil, bureau: String? = nil) throws -> [ModelCallRow] {
        try database.read { db in
            var request = ModelCallRow.order(Column("id").desc).limit(limit)
            if let organization { request = request.filter(Column("organization") == organization) }
            if let bureau { request = request.filter(Column("bureau") == bureau) }
            return try request.fetchAll(db)
        }
    }

    public func insertFeedback(_ row: AnswerFeedbackRow) throws -> AnswerFeedbackRow {
        var row = row
        try database.write { db in try row.insert(db) }
        return row
    }

    /// Ratings newest first, for one organisation/bureau (nil: all).
    public func feedback(organization: String? = nil, bureau: String? = nil, limit: Int = 200) throws -> [AnswerFeedbackRow] {
        try database.read { db in
            var request = AnswerFeedbackRow.order(Column("id").desc).limit(limit)
            if let organization { request = request.filter(Column("organization") == organization) }
            if let bureau { request = request.filter(Column("bureau") == bureau) }
            return try request.fetchAll(db)
        }
    }
}
