import ArgumentParser
import Foundation
import HirobaCore
import Storage

/// `hiroba audit verify|export|purge`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "監査ログ (verify the hash chain, export, apply retention).",
        subcommands: [Verify.self, Export.self, Purge.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "改ざん検査 (exit 1 and the first broken entry if any).")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "JSON on stdout.") var json = false
        func run() throws {
            let result = try AuditLog(database: try AppDatabase(path: database.db)).verify()
            if json {
                print(jsonString([
                    "ok": result.ok, "checked": result.checked, "first_broken": result.firstBroken.map { $0 as Any } ?? NSNull(),
                    "problems": result.problems.map { ["seq": $0.seq, "reason": $0.reason] },
                ]))
            } else if result.ok {
                print("監査ログは正常です（\(result.checked) 件を検査）。")
            } else {
                print("監査ログに不整合があります（\(result.checked) 件を検査、最初の異常: \(result.firstBroken!) 番）。")
                for p in result.problems { print("  \(p.seq) 番: \(p.reason)") }
            }
            if !result.ok { throw ExitCode(1) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "期間を指定して書き出し (CSV or JSONL).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "From (YYYY-MM-DD or ISO 8601, inclusive).") var from: String?
        @Option(help: "To (YYYY-MM-DD or ISO 8601, inclusive).") var to: String?
        @Option(help: "csv or jsonl.") var format: String = "csv"
        @Option(help: "Output file (default: stdout).") var output: String?

        func validate() throws {
            guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format must be csv or jsonl.") }
            for date in [from, to].compactMap({ $0 }) where !AuditCommand.looksLikeDate(date) {
                throw ValidationError("\(date) is not a date; use YYYY-MM-DD or an ISO 8601 timestamp.")
            }
        }

        func run() throws {
            let entries = try AuditLog(database: try AppDatabase(path: database.db)).entries(from: from, to: to, limit: 1_000_000)
            let out = try AuditLog.export(entries, format: format == "csv" ? .csv : .jsonl)
            if let output {
                try Data(out.utf8).write(to: URL(fileURLWithPath: output))
                printError("\(entries.count) 件を \(output) に書き出しました。")
            } else {
                FileHandle.standardOutput.write(Data(out.utf8))
            }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "保存期間を過ぎた記録を削除 (retention).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Keep this many days.") var days: Int
        func run() throws {
            guard days >= 1 else { throw ValidationError("--days must be at least 1.") }
            let removed = try AuditLog(database: try AppDatabase(path: database.db)).purge(olderThanDays: days)
            print("\(removed) 件を削除しました（\(days) 日より前）。")
        }
    }

    static func looksLikeDate(_ s: String) -> Bool {
        s.count >= 10 && s.prefix(10).enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == "-" : c.isASCII && c.isNumber }
    }

}
