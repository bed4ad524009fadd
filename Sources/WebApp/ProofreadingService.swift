import Foundation
import LLM
import HirobaCore
import Proofreading
import Storage

/// Proofreading for the server: one configured proofreader per organisation, read from the operator's
/// files `<proofreading dir>/<organisation>.json` (rule settings) and `<organisation>.csv` (用字用語), and
/// reloaded when either file changes. Without files the standard rules apply.
final class ProofreadingService: @unchecked Sendable {
    /// Characters accepted in one request (a long 例規集 is ~1 M characters).
    static let maxCharacters = 2_000_000

    let directory: String
    private let lock = NSLock()
    private var cache: [String: (stamp: String, proofreader: Proofreader)] = [:]

    init(directory: String) { self.directory = directory }

    /// The organisation's files, with a stamp that changes when they do.
    func files(for organization: String) -> (config: String, terms: String, stamp: String) {
        let safe = organization.replacingOccurrences(of: "/", with: "_")
        let config = (directory as NSString).appendingPathComponent(safe + ".json")
        let terms = (directory as NSString).appendingPathComponent(safe + ".csv")
        func mtime(_ p: String) -> String {
            ((try? FileManager.default.attributesOfItem(atPath: p)[.modificationDate]) as? Date).map { "\($0.timeIntervalSince1970)" } ?? "-"
        }
        return (config, terms, mtime(config) + "|" + mtime(terms))
    }

    func proofreader(for organization: String) throws -> Proofreader {
        let f = files(for: organization)
        lock.lock()
        if let cached = cache[organization], cached.stamp == f.stamp {
            lock.unlock()
            return cached.proofreader
        }
        lock.unlock()
        var configuration = ProofreadingConfiguration()
        do {
            if let data = FileManager.default.contents(atPath: f.config) {
                configuration = try ProofreadingConfiguration.parse(json: data, rules: Proofreader.catalog)
            }
            if let data = FileManager.default.contents(atPath: f.terms) { configuration.terms = try TermEntry.parseList(data, path: f.terms) }
        } catch let error as ProofreadingError {
            throw APIError(
                .internalServerError, code: "proofreading_config", message: "団体の校正設定に誤りがあります: \(error.message)",
                fix: "Ask the operator to fix \(f.config) / \(f.terms) (\(error.fix))")
        }
        let proofreader = try Proofreader(configuration: configuration)
        lock.lock()
        cache[organization] = (f.stamp, proofreader)
        lock.unlock()
        return proofreader
    }

    /// The JSON answer for one checked text.
    struct Answer: Encodable {
        var text: String
        var fixedText: String
        var report: ReportJSON
        var rules: [String: String]
        var warnings: [String]
        var source: String?
        /// The report itself, for the model pass (not encoded).
        var raw: ProofreadingReport?
        /// The optional model pass: rewrite suggestions, apart from the rule findings.
        var rewrites: Rewrites?

        struct Rewrites: Encodable {
            var model: String?
            var suggestions: [RewriteSuggester.Suggestion]
            /// Sentences whose model call failed (skipped).
            var failed: Int
        }

        enum CodingKeys: String, CodingKey {
            case text, rules, warnings, source, characters, sentences, findings, counts, rewrites
            case fixedText = "fixed_text"
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(text, forKey: .text)
            try c.encode(fixedText, forKey: .fixedText)
            try c.encode(report.characters, forKey: .characters)
            try c.encode(report.sentences, forKey: .sentences)
            try c.encode(report.findings, forKey: .findings)
            try c.encode(report.counts, forKey: .counts)
            try c.encode(rules, forKey: .rules)
            try c.encode(warnings, forKey: .warnings)
            try c.encodeIfPresent(source, forKey: .source)
            try c.encodeIfPresent(rewrites, forKey: .rewrites)
        }
    }

    /// Checks `text` for `user` with their organisation's settings and records the check (never the text).
    func check(_ text: String, source: String?, warnings: [String], user: UserAccount, audit: AuditLog, address: String?) throws -> Answer {
        let count = text.unicodeScalars.count
        guard count <= Self.maxCharacters else {
            throw APIError(
                .contentTooLarge, code: "text_too_long", message: "文章が長すぎます（\(count) 文字、上限 \(Self.maxCharacters) 文字）",
                fix: "Split the text and check it in parts.")
        }
        let proofreader = try proofreader(for: user.placement.organization)
        let report = try proofreader.check(text)
        let fixed = Fixer.apply(report.findings.map(\.finding), to: text).text
        try audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "proofread", target: source ?? "（貼り付けた文章）",
                detail: "\(count) 文字、指摘 \(report.findings.count) 件", address: address))
        return Answer(
            text: text, fixedText: fixed, report: ReportJSON(report),
            rules: Dictionary(proofreader.rules.map { ($0.descriptor.id, $0.descriptor.title) }, uniquingKeysWith: { a, _ in a }),
            warnings: warnings, source: source, raw: report)
    }
}
