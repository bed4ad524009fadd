import ArgumentParser
import Foundation
import Storage
import LLM
import HirobaCore
import Ingest
import Proofreading

/// `hiroba proofread FILE…`: checks text, Markdown, DOCX or PDF against the 公用文 and style rules.
struct ProofreadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proofread", abstract: "校正 (check files against 公用文 and style rules; --fix writes a corrected copy).")

    @Argument(help: "Files (.txt, .md, .docx, .pdf, …).") var paths: [String] = []
    @Flag(help: "Print JSON on stdout.") var json = false
    @Flag(help: "Write a corrected copy next to each file (NAME.fixed.EXT; never the original).") var fix = false
    @Option(help: "Rule configuration JSON ({\"rules\": {\"id\": false | {\"options\": {…}}}}).") var config: String?
    @Option(help: "The organisation's term list (CSV: 誤った表記,正しい表記,説明).") var terms: String?
    @Flag(help: "List the rules and their options, then exit.") var rules = false
    @Flag(help: "Model pass: ask the chat model (--models) to suggest rewrites of long sentences, shown apart from the findings.")
    var rewrite = false
    @OptionGroup var models: ModelOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        if rules {
            for d in Proofreader.catalog {
                print("\(d.id)\t[\(d.category.label)/\(d.severity.rawValue)\(d.enabledByDefault ? "" : "/既定で無効")] \(d.title): \(d.summary)")
                for (k, v) in d.options.sorted(by: { $0.key < $1.key }) { print("    \(k): \(v)") }
            }
            return
        }
        guard !paths.isEmpty else { throw ValidationError("give at least one file to proofread (or --rules)") }
        let proofreader = try Proofreader(configuration: try loadConfiguration(config: config, terms: terms))
        var suggester: (RewriteSuggester, ModelRegistry)?
        if rewrite {
            guard let configuration = try models.configuration() else {
                throw ModelConfigurationError(message: "--rewrite にはモデル設定が必要です", fix: "Pass --models FILE (or set HIROBA_MODELS) with defaults.chat.")
            }
            // Usage and audit go to the database like every model call.
            let cli = try CLIGateway(configuration: configuration, database: try AppDatabase(path: database.db))
            suggester = (RewriteSuggester(gateway: cli.gateway), cli.registry)
        }
        defer { if let registry = suggester?.1 { _ = try? runBlocking { await registry.shutdown() } } }
        var reports: [[String: Any]] = []
        for path in paths {
            let loaded = try ProofreadingSource.load(path: path)
            let report = try proofreader.check(loaded.text)
            var rewrites: (suggestions: [RewriteSuggester.Suggestion], model: String?, failed: Int)?
            if let (s, _) = suggester {
                rewrites = try runBlocking { try await s.suggest(for: report, caller: GatewayCaller(login: CLIGateway.caller.login, app: "proofread")) }
            }
            var fixedPath: String? = nil
            if fix { fixedPath = try writeFixed(path: path, loaded: loaded, report: report) }
            if json {
                let data = try JSONEncoder().encode(ReportJSON(report))
                let decoded = try JSONSerialization.jsonObject(with: data)
                var object: [String: Any] = decoded as? [String: Any] ?? [:]
                object["file"] = path
                object["warnings"] = loaded.warnings
                if let fixedPath { object["fixed_file"] = fixedPath }
                if let rewrites {
                    let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(rewrites.suggestions))
                    object["rewrites"] = ["model": rewrites.model ?? "", "suggestions": encoded, "failed": rewrites.failed] as [String: Any]
                }
                reports.append(object)
            } else {
                printReadable(path: path, loaded: loaded, report: report, fixedPath: fixedPath)
                if let rewrites {
                    print("  生成AI（\(rewrites.model ?? "—")）による書き換え案（規則による指摘とは別の参考意見です）:")
                    if rewrites.suggestions.isEmpty { print("    （案はありません）") }
                    for r in rewrites.suggestions {
                        print("    \(r.start.line):\(r.start.column) 元の文「\(r.original)」")
                        print("      案「\(r.suggestion)」")
                    }
                    if rewrites.failed > 0 { print("    \(rewrites.failed) 文はモデルの応答がなく案を作れませんでした。") }
                }
            }
        }
        if json {
            let output: Any = paths.count == 1 ? reports[0] : ["files": reports] as [String: Any]
            print(jsonString(output))
        }
    }

    func printReadable(path: String, loaded: ProofreadingSource.Loaded, report: ProofreadingReport, fixedPath: String?) {
        print("\(path): \(report.characters) 文字、\(report.sentences) 文、指摘 \(report.findings.count) 件")
        for w in loaded.warnings { print("  注意: \(w)") }
        for p in report.findings {
            let f = p.finding
            let fixText = f.replacement.map { "  → 「\($0)」" } ?? ""
            print("  \(p.start.line):\(p.start.column) [\(f.severity.rawValue)] \(f.ruleID) 「\(p.excerpt)」\(fixText)")
            print("      \(f.message)")
        }
        if let fixedPath { print("  修正版: \(fixedPath)") }
    }

    /// Writes NAME.fixed.EXT (plain text for converted formats) with every certain fix applied.
    func writeFixed(path: String, loaded: ProofreadingSource.Loaded, report: ProofreadingReport) throws -> String {
        let url = URL(fileURLWithPath: path)
        let ext = loaded.converted ? "txt" : url.pathExtension
        let out = url.deletingPathExtension().path + ".fixed" + (ext.isEmpty ? "" : "." + ext)
        guard out != path else { throw ValidationError("refusing to overwrite \(path)") }
        let fixed = Fixer.apply(report.findings.map(\.finding), to: loaded.text)
        try Data(fixed.text.utf8).write(to: URL(fileURLWithPath: out))
        return out
    }
}

/// Reads `--config` JSON and `--terms` CSV into a configuration.
func loadConfiguration(config: String?, terms: String?) throws -> ProofreadingConfiguration {
    var configuration = ProofreadingConfiguration()
    if let config {
        guard let data = FileManager.default.contents(atPath: config) else { throw ValidationError("cannot read \(config)") }
        configuration = try ProofreadingConfiguration.parse(json: data, rules: Proofreader.catalog)
    }
    if let terms {
        guard let data = FileManager.default.contents(atPath: terms) else { throw ValidationError("cannot read \(terms)") }
        configuration.terms = try TermEntry.parseList(data, path: terms)
    }
    return configuration
}
