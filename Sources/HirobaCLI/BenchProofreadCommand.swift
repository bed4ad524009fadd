import ArgumentParser
import Foundation
import Proofreading

/// `hiroba bench proofread FILE`: proofreading throughput with every default rule on, one thread.
struct BenchProofreadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proofread", abstract: "Proofreading throughput (all default rules, one thread) over a text file.")

    @Argument(help: "UTF-8 text file (Japanese).") var path: String
    @Option(help: "Repeat the measurement this many times and report the best.") var repeats: Int = 3

    func run() throws {
        let loaded = try ProofreadingSource.load(path: path)
        let bytes = loaded.text.utf8.count
        let proofreader = try Proofreader()
        var best = Double.infinity
        var findings = 0
        var perRule: [String: Int] = [:]
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            let report = try proofreader.check(loaded.text)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, seconds)
            findings = report.findings.count
            perRule = [:]
            for p in report.findings { perRule[p.finding.ruleID, default: 0] += 1 }
        }
        print(
            jsonString([
                "bytes": bytes, "characters": loaded.text.unicodeScalars.count, "seconds": best,
                "mb_per_second": Double(bytes) / 1_000_000 / best, "findings": findings, "rules": proofreader.rules.count,
                "findings_per_rule": perRule, "peak_rss_bytes": ProcessMemory.peakBytes,
            ]))
    }
}
