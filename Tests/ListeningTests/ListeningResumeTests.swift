import Foundation
import JapaneseText
import Testing

@testable import Listening

/// An assistant that splits comments at 「。」 like a model would, counts its calls, and fails the batches
/// it is told to fail: the forced mid-run failure.
final class ScriptedAssistant: ListeningAssistant, @unchecked Sendable {
    let failingBatches: Set<Int>
    let batchSize = 8
    private let lock = NSLock()
    private var batches = 0
    private var extracted: [Int] = []
    private(set) var describeCalls = 0

    init(failingBatches: Set<Int> = []) { self.failingBatches = failingBatches }

    var modelName: String { "scripted" }
    var promptHashes: [String: String] { ["extract": "p1", "describe": "p2"] }
    var extractedComments: [Int] { lock.withLock { extracted } }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "connection reset" }
    }

    func extractOpinions(_ batch: [ExtractionItem]) async throws -> [Int: [String]] {
        let index = lock.withLock {
            batches += 1
            return batches - 1
        }
        if failingBatches.contains(index) { throw Failure() }
        lock.withLock { extracted += batch.map(\.comment) }
        return Dictionary(uniqueKeysWithValues: batch.map { item in
            (item.comment, item.text.split(separator: "。").map { $0 + "。" })
        })
    }

    func describe(_ cluster: ClusterDigest) async throws -> ClusterDescription {
        lock.withLock { describeCalls += 1 }
        return ClusterDescription(label: "「\(cluster.keywords.first ?? "")」について", summary: "\(cluster.opinionCount) 件の意見。")
    }

    func overview(_ clusters: [ClusterDigest], comments: Int) async throws -> String {
        "\(comments) 件のコメントを \(clusters.count) つに分類しました。"
    }

    func usage() async -> ListeningUsage { ListeningUsage(calls: lock.withLock { batches }) }
}

@Suite struct ListeningResumeTests {
    func run(_ assistant: ListeningAssistant, cache: ListeningCache) async throws -> ListeningResult {
        let model = try MeCabModel.shared()
        let pipeline = ListeningPipeline(model: model, detector: nil, assistant: assistant, cache: cache)
        return try await pipeline.run(
            data: Data(SampleComments.csv().utf8), path: "sample.csv",
            options: ListeningOptions(clusters: [2, 4], dimensions: 20, maskPersonalData: false))
    }

    @Test func aFailedBatchIsReportedAndTheNextRunResumesFromIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("listen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = ListeningCache(directory: folder)

        let flaky = ScriptedAssistant(failingBatches: [1])
        let first = try await run(flaky, cache: cache)
        // The failed batch's comments are reported, one failure each, and still have opinions (sentences).
        #expect(first.failures.count == 8)
        #expect(first.counts.extractionFailures == 8)
        #expect(first.failures.allSatisfy { $0.reason.contains("connection reset") })
        for failure in first.failures { #expect(!first.comments[failure.comment].opinions.isEmpty) }
        #expect(first.parameters.extraction == "model:scripted")
        #expect(first.clusters.allSatisfy { $0.label.hasPrefix("「") })

        // The rerun asks the model only for the batch that failed; the others come from the cache.
        let healthy = ScriptedAssistant()
        let second = try await run(healthy, cache: cache)
        #expect(second.failures.isEmpty)
        #expect(healthy.extractedComments.sorted() == first.failures.map(\.comment).sorted())
        #expect(healthy.describeCalls == 0)  // labels were cached too
        #expect(second.opinions.count >= first.opinions.count - 8)

        // --force asks again for everything.
        let forced = ScriptedAssistant()
        _ = try await run(forced, cache: ListeningCache(directory: folder, force: true))
        #expect(forced.extractedComments.count == second.counts.uniqueComments)
    }

    @Test func aCorruptCacheFileIsAnErrorWithAFix() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("listen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = ListeningCache(directory: folder)
        _ = try await run(ScriptedAssistant(), cache: cache)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("extract-") }
        #expect(!files.isEmpty)
        try Data("{not json".utf8).write(to: folder.appendingPathComponent(files[0]))
        await #expect(throws: ListeningError.self) { try await run(ScriptedAssistant(), cache: cache) }
        // --force recovers.
        let recovered = try await run(ScriptedAssistant(), cache: ListeningCache(directory: folder, force: true))
        #expect(recovered.failures.isEmpty)
    }
}
