import ArgumentParser
import Foundation
import JapaneseText
import Listening
import Privacy

/// `hiroba eval clustering --input FILE.jsonl`: runs the offline listening pipeline on labelled texts
/// (`{"text","label"}` per line) and scores the clustering against the labels at the level whose cluster
/// count is nearest the number of labels. Each item's cluster is the one most of its opinions fall in.
struct EvalClusteringCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clustering", abstract: "Score listening's clustering against labelled texts (NMI, ARI).")

    @Option(help: "JSON lines with text and label.") var input: String
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Cluster counts per level, coarse first (default: chosen from the data, as `listen` does).")
    var clusters: String?
    @Option(help: "SVD dimensions.") var dimensions: Int = 100
    /// Off by default: evaluation sets hold no one's personal data, and masking public names (人物 articles)
    /// would measure the masker, not the clustering.
    @Flag(help: "Mask personal data first, as `listen` does.") var mask = false
    @Flag(help: "JSON only.") var json = false

    func run() throws {
        let data = try readInput(input)
        var texts: [String] = []
        var labels: [String] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let text = object["text"] as? String, let label = (object["label"] as? String) ?? (object["label"] as? Int).map(String.init),
                !text.isEmpty, !label.isEmpty
            else { throw ListeningError.badEvaluationLine(line: n + 1, reason: String(line.prefix(80))) }
            texts.append(text)
            labels.append(label)
        }
        guard texts.count >= 2 else { throw ListeningError.badEvaluationLine(line: texts.count + 1, reason: "fewer than 2 items") }
        let counts = try clusters.map { spec -> [Int] in
            let parsed = spec.split(separator: ",").compactMap { Int($0) }
            guard parsed.count == spec.split(separator: ",").count else { throw ListeningError.badClusterCounts(spec) }
            return parsed
        }
        let options = ListeningOptions(
            title: "clustering evaluation", seed: seed, clusters: counts, dimensions: dimensions, maskPersonalData: mask)
        let model = try MeCabModel.shared()
        let pipeline = ListeningPipeline(model: model, detector: mask ? PIIDetector(model: model) : nil)
        let comments = texts.enumerated().map { InputComment(row: $0 + 1, sourceID: String($0 + 1), text: $1) }
        let start = Date()
        let result = try runBlocking {
            var c = ListeningCounts()
            return try await pipeline.analyze(
                comments, commentColumn: "text", attributeColumns: [], inputSHA256: ListeningCache.sha256(data), counts: &c,
                options: options)
        }
        let seconds = Date().timeIntervalSince(start)
        let truthIDs = Dictionary(uniqueKeysWithValues: Array(Set(labels)).sorted().enumerated().map { ($1, $0) })
        let truth = labels.map { truthIDs[$0]! }
        var levels: [[String: Any]] = []
        for level in result.levels.indices {
            let predicted = Self.itemClusters(result, level: level)
            levels.append([
                "level": level, "clusters": result.levels[level].clusterIDs.count,
                "nmi": round(ClusteringMetrics.nmi(truth, predicted)), "ari": round(ClusteringMetrics.ari(truth, predicted)),
            ])
        }
        let best = levels.min {
            (abs(($0["clusters"] as! Int) - truthIDs.count), $0["level"] as! Int)
                < (abs(($1["clusters"] as! Int) - truthIDs.count), $1["level"] as! Int)
        }!
        let report: [String: Any] = [
            "items": texts.count, "labels": truthIDs.count, "clusters": best["clusters"]!, "nmi": best["nmi"]!,
            "ari": best["ari"]!, "level": best["level"]!, "levels": levels, "opinions": result.counts.opinions,
            "seconds": round(seconds), "seed": seed,
        ]
        if json {
            print(jsonString(report))
        } else {
            print("items \(texts.count), labels \(truthIDs.count), clusters \(best["clusters"]!): NMI \(best["nmi"]!), ARI \(best["ari"]!)")
        }
    }

    /// Per input item, the cluster (index within the level) most of its opinions belong to.
    static func itemClusters(_ result: ListeningResult, level: Int) -> [Int] {
        let index = Dictionary(uniqueKeysWithValues: result.levels[level].clusterIDs.enumerated().map { ($1, $0) })
        var representative = Array(result.comments.indices)
        for group in result.duplicates { for m in group.members { representative[m] = group.representative } }
        return result.comments.indices.map { i in
            var votes: [Int: Int] = [:]
            var first: Int? = nil
            for o in result.comments[representative[i]].opinions {
                let c = index[result.opinions[o].clusters[level]] ?? 0
                votes[c, default: 0] += 1
                if first == nil { first = c }
            }
            return votes.max { ($0.value, $0.key == first ? 1 : 0, -$0.key) < ($1.value, $1.key == first ? 1 : 0, -$1.key) }?.key ?? 0
        }
    }

    func round(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}
