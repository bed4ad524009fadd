import ArgumentParser
import Foundation
import JapaneseText
import Listening
import Privacy

/// `hiroba listen FILE --out DIR`: citizen comments (CSV/TSV/XLSX) → `report.html`, `result.json`, `opinions.csv`
/// and `opinions.xlsx` in DIR. Offline by default; `--models` adds model extraction and labels.
struct ListenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "広聴: コメントを意見に分けて分類し、レポートを作成します (broad listening report).",
        subcommands: [ListenRunCommand.self, ListenCompareCommand.self], defaultSubcommand: ListenRunCommand.self)
}

/// Options shared by `listen` and `listen compare`.
struct ListenOptions: ParsableArguments {
    @Option(help: "Output folder (report.html, result.json, opinions.csv, opinions.xlsx; cache in .cache/).") var out: String
    @Option(help: "Random seed: the same seed gives byte-identical results.") var seed: UInt64 = 42
    @Option(help: "The comment column (default: suggested from the text lengths and names).") var column: String?
    @Option(help: "Attribute columns for the cross-tabs, comma-separated (default: suggested).") var attributes: String?
    @Option(help: "Cluster counts per level, coarse first, e.g. 6,30 (default: chosen from the data).") var clusters: String?
    @Option(help: "SVD dimensions of the offline representation.") var dimensions: Int = 100
    @Option(help: "Report title.") var title: String?
    @Flag(help: "Redo every step instead of using the cache.") var force = false
    @Flag(name: .customLong("no-mask"), help: "Do not mask personal data (only for data known to have none).")
    var noMask = false
    @Flag(help: "Print the run's summary as JSON.") var json = false
    @Option(help: "Comments per model extraction call (with --models).") var batch: Int = 10
    @Flag(help: "Use the embedding model of --models for the representation (default: TF-IDF + SVD).")
    var embeddings = false
    @OptionGroup var database: DatabaseOptions

    func options(title fallback: String) throws -> ListeningOptions {
        var counts: [Int]? = nil
        if let clusters {
            let parsed = clusters.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parsed.allSatisfy({ $0 != nil }) else { throw ListeningError.badClusterCounts(clusters) }
            counts = parsed.map { $0! }
        }
        return ListeningOptions(
            title: title ?? fallback, seed: seed, commentColumn: column,
            attributeColumns: attributes.map { $0.split(separator: ",").map { String($0).trimmingWhitespace() } },
            clusters: counts, dimensions: dimensions, maskPersonalData: !noMask)
    }

    func pipeline(models: ModelOptions) throws -> (ListeningPipeline, ListeningModelSession?) {
        let model = try MeCabModel.shared()
        guard (1...100).contains(batch) else { throw ValidationError("--batch must be between 1 and 100") }
        let session = try ListeningModelSession.make(models, database: database, batchSize: batch)
        let progress = Progress("広聴", total: nil)
        let pipeline = ListeningPipeline(
            model: model, detector: noMask ? nil : PIIDetector(model: model), assistant: session?.assistant,
            embedder: embeddings ? session?.embedder : nil,
            cache: ListeningCache(directory: URL(fileURLWithPath: out).appendingPathComponent(".cache"), force: force),
            progress: { step, done, total in progress.report(step: step, done: done, total: total) })
        return (pipeline, session)
    }

    /// Writes the outputs (`ListeningOutput.files`) and prints where they are (or the JSON summary).
    func write(_ result: ListeningResult, seconds: Double) throws {
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try ListeningOutput.write(result, to: folder)
        let summary: [String: Any] = [
            "out": folder.path, "comments": result.counts.comments, "opinions": result.counts.opinions,
            "clusters": result.levels.map(\.clusterIDs.count), "duplicates": result.counts.duplicateComments,
            "masked_spans": result.counts.maskedSpans, "extraction_failures": result.counts.extractionFailures,
            "seconds": (seconds * 100).rounded() / 100,
        ]
        if json {
            print(jsonString(summary))
        } else {
            print("\(result.counts.comments) 件のコメント → \(result.counts.opinions) 件の意見 → 大分類 \(result.levels[0].clusterIDs.count)・小分類 \(result.levels.last!.clusterIDs.count)")
            for name in ListeningOutput.files { print(folder.appendingPathComponent(name).path) }
            if result.counts.extractionFailures > 0 {
                print("注意: \(result.counts.extractionFailures) 件のコメントはモデルでの抽出に失敗し、文単位で分割しました (同じコマンドで再実行すると失敗分だけ再試行します)")
            }
        }
    }
}

struct ListenRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Analyse one comment file (the default: `hiroba listen FILE --out DIR`).")

    @Argument(help: "Comments: CSV, TSV or XLSX with a header row (UTF-8, Shift_JIS or EUC-JP).") var file: String
    @OptionGroup var listen: ListenOptions
    @OptionGroup var models: ModelOptions

    func run() throws {
        let data = try readInput(file)
        let options = try listen.options(title: "意見分析: \((file as NSString).lastPathComponent)")
        let (pipeline, session) = try listen.pipeline(models: models)
        defer { session?.shutdown() }
        let start = Date()
        let path = file
        let result = try runBlocking { try await pipeline.run(data: data, path: path, options: options) }
        try listen.write(result, seconds: Date().timeIntervalSince(start))
    }
}

/// Reads a comment file, saying clearly when it is missing or unreadable.
func readInput(_ path: String) throws -> Data {
    guard FileManager.default.fileExists(atPath: path) else {
        throw ValidationError("\(path) が見つかりません (file not found)")
    }
    return try Data(contentsOf: URL(fileURLWithPath: path))
}
