import ArgumentParser
import Foundation
import JapaneseText
import Listening
import Privacy

/// `hiroba bench listen --comments N`: the whole offline listening run, end to end, on N generated
/// Japanese comments (CommentCorpus: 25 themes, campaigns, personal data, attributes): the CSV is written,
/// then read back, masked, de-duplicated, segmented, represented, clustered, labelled, and the output
/// files written. Prints seconds (from reading the CSV to the report written) and peak RSS as JSON.
struct BenchListenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen", abstract: "Offline listening run on generated comments: seconds and peak RSS as JSON.")

    @Option(help: "Number of generated comments.") var comments: Int = 10_000
    @Option(help: "Random seed (corpus and pipeline).") var seed: UInt64 = 42
    @Option(help: "Keep the outputs in this folder (default: a temporary folder, removed).") var out: String?

    func run() throws {
        guard comments >= 10 else { throw ValidationError("--comments must be at least 10") }
        let folder = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("hiroba-bench-listen-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if out == nil { try? FileManager.default.removeItem(at: folder) } }
        let csv = folder.appendingPathComponent("comments.csv")
        try CommentCorpus.writeCSV(CommentCorpus.generate(count: comments, seed: seed), to: csv)

        let model = try MeCabModel.shared()
        let pipeline = ListeningPipeline(model: model, detector: PIIDetector(model: model))
        let start = Date()
        let data = try Data(contentsOf: csv)
        let options = ListeningOptions(title: "ベンチマーク", seed: seed)
        let result = try runBlocking { try await pipeline.run(data: data, path: csv.path, options: options) }
        try ListeningOutput.write(result, to: folder)
        let seconds = Date().timeIntervalSince(start)
        let report: [String: Any] = [
            "comments": comments, "kept": result.counts.comments, "opinions": result.counts.opinions,
            "duplicates": result.counts.duplicateComments, "masked_spans": result.counts.maskedSpans,
            "clusters": result.levels.map(\.clusterIDs.count), "seconds": (seconds * 100).rounded() / 100,
            "peak_rss_bytes": ProcessMemory.peakBytes,
            "report_bytes": (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("report.html").path)[.size] as? Int) ?? 0,
        ]
        print(jsonString(report))
    }
}
