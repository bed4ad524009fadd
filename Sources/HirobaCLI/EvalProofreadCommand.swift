import ArgumentParser
import Foundation
import Proofreading

/// `hiroba eval proofread`: runs the textlint-ja test cases through the mapped Hiroba rules.
struct EvalProofreadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proofread",
        abstract: "Score the proofreader on textlint-ja test cases (textlint rule ids mapped to Hiroba rules).")

    @Option(help: "textlint_cases JSONL.") var cases: String
    @Flag(help: "JSON only.") var json = false
    @Flag(help: "List every case the rules got wrong (stderr).") var mistakes = false

    func run() throws {
        let lines = try BEIR.jsonLines(cases)
        var stats: [String: Tally] = [:]
        var skipped: [String: Int] = [:]
        var evaluated = 0
        var proofreaders: [String: Proofreader] = [:]
        for object in lines {
            guard let rule = object["rule"] as? String, let text = object["text"] as? String, let expect = object["expect_error"] as? Bool
            else { continue }
            if object["has_markup"] as? Bool == true {
                skipped["has_markup", default: 0] += 1
                continue
            }
            guard let mapping = TextlintMapping.table[rule] else {
                skipped["unmapped_rule", default: 0] += 1
                continue
            }
            var options = mapping.options
            if let given = object["options"] as? [String: Any], !given.isEmpty {
                guard let translated = mapping.translate(given) else {
                    skipped["untranslatable_options", default: 0] += 1
                    continue
                }
                for (id, o) in translated { options[id] = (options[id] ?? RuleOptions()).merging(o) }
            }
            let key = mapping.rules.joined(separator: ",") + String(describing: options.sorted { $0.key < $1.key }.map { ($0.key, $0.value.values) })
            let proofreader: Proofreader
            if let cached = proofreaders[key] {
                proofreader = cached
            } else {
                var enabled: [String: Bool] = [:]
                for d in Proofreader.catalog { enabled[d.id] = mapping.rules.contains(d.id) }
                proofreader = try Proofreader(configuration: ProofreadingConfiguration(enabled: enabled, options: options))
                proofreaders[key] = proofreader
            }
            let report = try proofreader.check(text)
            let flagged = !report.findings.isEmpty
            evaluated += 1
            stats[rule, default: Tally()].add(expected: expect, flagged: flagged)
            if mistakes && flagged != expect {
                printError("\(expect ? "MISS" : "FALSE") \(rule) → \(mapping.rules.joined(separator: "+")): \(text.prefix(80))")
                for p in report.findings { printError("    \(p.finding.ruleID) 「\(p.excerpt)」 \(p.finding.message.prefix(60))") }
            }
        }
        var total = Tally()
        var perRule: [String: Any] = [:]
        for (rule, t) in stats.sorted(by: { $0.key < $1.key }) {
            total.merge(t)
            perRule[rule] = [
                "cases": t.cases, "precision": t.precision, "recall": t.recall, "f1": t.f1, "tp": t.tp, "fp": t.fp, "fn": t.fn, "tn": t.tn,
                "hiroba_rules": TextlintMapping.table[rule]!.rules,
            ]
        }
        let result: [String: Any] = [
            "cases": evaluated, "skipped": skipped.values.reduce(0, +), "skipped_by_reason": skipped, "covered_rules": stats.count,
            "precision": total.precision, "recall": total.recall, "f1": total.f1, "tp": total.tp, "fp": total.fp, "fn": total.fn,
            "tn": total.tn, "per_rule": perRule,
            "note": "precision is 1 when a rule flagged nothing, recall is 1 when it had no error cases; options are honoured where the Hiroba rule has the same option, otherwise the case is skipped",
        ]
        if json {
            print(jsonString(result))
        } else {
            print(String(format: "cases %d (skipped %d), rules covered %d, precision %.3f recall %.3f F1 %.3f", evaluated, skipped.values.reduce(0, +), stats.count, total.precision, total.recall, total.f1))
            for (rule, t) in stats.sorted(by: { $0.key < $1.key }) {
                print(String(format: "  %-60@ cases %3d  P %.2f R %.2f F1 %.2f", rule as NSString, t.cases, t.precision, t.recall, t.f1))
            }
        }
    }
}

/// Confusion counts at the case level: does the rule flag the text at all?
struct Tally {
    var tp = 0, fp = 0, fn = 0, tn = 0
    var cases: Int { tp + fp + fn + tn }
    mutating func add(expected: Bool, flagged: Bool) {
        switch (expected, flagged) {
        case (true, true): tp += 1
        case (false, true): fp += 1
        case (true, false): fn += 1
        case (false, false): tn += 1
        }
    }
    mutating func merge(_ o: Tally) {
        tp += o.tp
        fp += o.fp
        fn += o.fn
        tn += o.tn
    }
    var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
    var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
    var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
}
