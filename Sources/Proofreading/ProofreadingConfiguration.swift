import Foundation
import Ingest

/// One organisation's proofreading settings: which rules run, their options, and its own term list.
public struct ProofreadingConfiguration: Sendable, Equatable {
    /// Per rule: explicitly enabled or disabled (absent = the rule's default).
    public var enabled: [String: Bool]
    public var options: [String: RuleOptions]
    /// The organisation's own 用字用語 list (checked by the `custom-terms` rule).
    public var terms: [TermEntry]

    public init(enabled: [String: Bool] = [:], options: [String: RuleOptions] = [:], terms: [TermEntry] = []) {
        self.enabled = enabled
        self.options = options
        self.terms = terms
    }

    /// Every rule on with its default options.
    public static let standard = ProofreadingConfiguration()

    public func isEnabled(_ descriptor: RuleDescriptor) -> Bool {
        enabled[descriptor.id] ?? descriptor.enabledByDefault
    }

    public func options(for id: String) -> RuleOptions { options[id] ?? RuleOptions() }

    /// Parses `{"rules": {"id": true | false | {"enabled": Bool, "options": {…}}}}` and checks every id and
    /// option name against the rule set.
    public static func parse(json data: Data, rules: [RuleDescriptor]) throws -> ProofreadingConfiguration {
        let root: OptionValue
        do {
            root = try JSONDecoder().decode(OptionValue.self, from: data)
        } catch {
            throw ProofreadingError.badConfiguration("JSON として読めません")
        }
        guard case .object(let top) = root else { throw ProofreadingError.badConfiguration("最上位は JSON オブジェクトにしてください") }
        for key in top.keys where key != "rules" {
            throw ProofreadingError.badConfiguration("不明なキー「\(key)」")
        }
        var config = ProofreadingConfiguration()
        guard let rulesValue = top["rules"] else { return config }
        guard case .object(let ruleMap) = rulesValue else { throw ProofreadingError.badConfiguration("rules はオブジェクトにしてください") }
        let byID = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, value) in ruleMap.sorted(by: { $0.key < $1.key }) {
            guard let descriptor = byID[id] else { throw ProofreadingError.unknownRule(id, known: rules.map(\.id).sorted()) }
            switch value {
            case .bool(let on): config.enabled[id] = on
            case .object(let fields):
                for key in fields.keys where key != "enabled" && key != "options" {
                    throw ProofreadingError.badConfiguration("ルール「\(id)」の不明なキー「\(key)」")
                }
                if let e = fields["enabled"] {
                    guard case .bool(let on) = e else { throw ProofreadingError.badOption(rule: id, key: "enabled", why: "true か false") }
                    config.enabled[id] = on
                }
                if let o = fields["options"] {
                    guard case .object(let values) = o else { throw ProofreadingError.badOption(rule: id, key: "options", why: "オブジェクトにしてください") }
                    for key in values.keys where descriptor.options[key] == nil {
                        throw ProofreadingError.badOption(rule: id, key: key, why: "このルールにないオプションです")
                    }
                    config.options[id] = RuleOptions(values)
                }
            default:
                throw ProofreadingError.badConfiguration("ルール「\(id)」の値は true / false / オブジェクトのいずれかにしてください")
            }
        }
        return config
    }
}

/// One entry of an organisation's term list: text to find, the form to use, and why.
public struct TermEntry: Sendable, Equatable, Codable {
    public var pattern: String
    public var expected: String
    public var note: String

    public init(pattern: String, expected: String, note: String = "") {
        self.pattern = pattern
        self.expected = expected
        self.note = note
    }

    /// Reads `誤った表記,正しい表記[,説明]` rows (CSV/TSV, UTF-8 or Shift_JIS, optional header row).
    public static func parseList(_ data: Data, path: String = "terms.csv") throws -> [TermEntry] {
        let rows: [[String]]
        do {
            rows = try DelimitedTextExtractor.table(data: data, path: path).rows
        } catch let error as IngestError {
            throw ProofreadingError.badTermList(line: 1, why: error.message)
        }
        var entries: [TermEntry] = []
        var seen = Set<String>()
        for (n, row) in rows.enumerated() {
            let cells = row.map { $0.trimmingCharacters(in: .whitespaces) }
            if n == 0, let first = cells.first, ["誤", "誤り", "誤った表記", "pattern", "wrong", "用語"].contains(first) { continue }
            guard cells.count >= 2, !cells[0].isEmpty else {
                throw ProofreadingError.badTermList(line: n + 1, why: "誤った表記と正しい表記の2列が必要です")
            }
            guard cells[0] != cells[1] else { throw ProofreadingError.badTermList(line: n + 1, why: "誤った表記と正しい表記が同じです") }
            guard seen.insert(cells[0]).inserted else {
                throw ProofreadingError.badTermList(line: n + 1, why: "「\(cells[0])」が2回出てきます")
            }
            entries.append(TermEntry(pattern: cells[0], expected: cells[1], note: cells.count > 2 ? cells[2] : ""))
        }
        return entries
    }
}
