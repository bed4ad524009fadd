import ArgumentParser
import Foundation
import Proofreading

/// `hiroba eval koyobun`: how the 公用文 rules treat a 2019 公用文 notation dictionary (wrong → expected):
/// the share of its patterns flagged and of its expected forms left alone, after setting aside the entries
/// judged superseded by 「公用文作成の考え方」(2022) or outside notation (言い換え advice).
struct EvalKoyobunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "koyobun", abstract: "Check the 公用文 rules against a 2019 公用文 dictionary (koyobun_prh_rules.jsonl, koyobun_morpheme_rules.jsonl).")

    @Option(help: "Directory with koyobun_prh_rules.jsonl and koyobun_morpheme_rules.jsonl.") var dir: String
    @Flag(help: "JSON only.") var json = false
    @Flag(help: "List the patterns not flagged and the expected forms flagged (stderr).") var mistakes = false

    /// The rules that answer for 公用文 notation.
    static let rules: Set<String> = [
        "koyobun-terms", "joyo-kanji", "loanword-notation", "numeral-style", "counter-ka", "punctuation-marks", "word-misuse",
        "double-honorific",
    ]

    enum Judgement: String { case kept, superseded, advisory }

    /// Why an entry is set aside. 2022: 広く一般に向けた文書では複合語の送り仮名を省かない本則も使える（許容の強制は終わった）;
    /// 〔…〕 and ×× entries advise other words, which is not a notation rule.
    static func judge(pattern: String, expected: String) -> Judgement {
        // Expected forms the 2010 常用漢字表 and 訓令 changed (全て, 鑑み are kanji now; ただし書 is kana).
        if ["すべて", "かんがみ", "但書"].contains(expected) { return .superseded }
        if expected.contains("〔") || expected.contains("××") || expected.contains("（") { return .advisory }
        // Okurigana dropped in a compound (受け皿 → 受皿, 申し込み → 申込み): optional since 2022.
        let kanjiP = pattern.unicodeScalars.filter { $0.properties.isIdeographic }
        let kanjiE = expected.unicodeScalars.filter { $0.properties.isIdeographic }
        if kanjiP.count >= 2, String(String.UnicodeScalarView(kanjiP)) == String(String.UnicodeScalarView(kanjiE)), expected.count < pattern.count,
            pattern.unicodeScalars.filter({ !$0.properties.isIdeographic }).allSatisfy({ $0.value >= 0x3041 && $0.value <= 0x309F })
        {
            return .superseded
        }
        return .kept
    }

    func run() throws {
        var enabled: [String: Bool] = [:]
        for d in Proofreader.catalog { enabled[d.id] = Self.rules.contains(d.id) }
        let proofreader = try Proofreader(configuration: ProofreadingConfiguration(enabled: enabled))
        var entries: [(id: String, pattern: String, expected: String)] = []
        for o in try BEIR.jsonLines(dir + "/koyobun_prh_rules.jsonl") {
            guard let id = o["id"] as? String, let expected = o["expected"] as? String, let patterns = o["patterns"] as? [String] else { continue }
            for p in patterns { entries.append((id, p, expected)) }
        }
        for o in try BEIR.jsonLines(dir + "/koyobun_morpheme_rules.jsonl") {
            guard let id = o["id"] as? String, let surface = o["surface"] as? String, let expected = o["expected"] as? String else { continue }
            entries.append((id, surface, expected))
        }
        var counts: [Judgement: Int] = [:]
        var flagged = 0, keptTotal = 0, expectedClean = 0, expectedChecked = 0
        var superseded: [[String: String]] = []
        for e in entries {
            let j = Self.judge(pattern: e.pattern, expected: e.expected)
            counts[j, default: 0] += 1
            if j == .superseded { superseded.append(["id": e.id, "pattern": e.pattern, "expected": e.expected]) }
            guard j == .kept else { continue }
            keptTotal += 1
            let hit = try !proofreader.check(e.pattern).findings.isEmpty
            if hit { flagged += 1 } else if mistakes { printError("NOT FLAGGED \(e.id): \(e.pattern) → \(e.expected)") }
            expectedChecked += 1
            let report = try proofreader.check(e.expected)
            if report.findings.isEmpty {
                expectedClean += 1
            } else if mistakes {
                printError("EXPECTED FLAGGED \(e.id): \(e.expected) ← \(report.findings.map { "\($0.finding.ruleID):\($0.excerpt)" }.joined(separator: " "))")
            }
        }
        let result: [String: Any] = [
            "entries": entries.count, "kept": counts[.kept] ?? 0, "superseded_2022": counts[.superseded] ?? 0,
            "advisory_not_notation": counts[.advisory] ?? 0,
            "patterns_flagged": flagged, "patterns_flagged_share": keptTotal == 0 ? 0 : Double(flagged) / Double(keptTotal),
            "expected_left_alone": expectedClean, "expected_left_alone_share": expectedChecked == 0 ? 0 : Double(expectedClean) / Double(expectedChecked),
            "superseded_rule": "2022「公用文作成の考え方」: 複合語の送り仮名を省く許容（受け皿→受皿）は、広く一般に向けた文書では義務でなくなった",
            "superseded_examples": Array(superseded.prefix(20)),
        ]
        if json {
            print(jsonString(result))
        } else {
            print(
                String(
                    format: "entries %d: kept %d, superseded %d, advisory %d; patterns flagged %.1f%%, expected forms left alone %.1f%%", entries.count,
                    counts[.kept] ?? 0, counts[.superseded] ?? 0, counts[.advisory] ?? 0, 100 * Double(flagged) / Double(max(1, keptTotal)),
                    100 * Double(expectedClean) / Double(max(1, expectedChecked))))
        }
    }
}
