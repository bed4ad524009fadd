import Foundation
import JapaneseText
import Listening
import Testing

@testable import LLM

/// Wraps the gateway assistant, records which comments each extraction call asked about, and fails the
/// extraction batches it is told to: the forced mid-run failure.
final class RecordingAssistant: ListeningAssistant, @unchecked Sendable {
    let inner: GatewayListeningAssistant
    let failing: Set<Int>
    private let lock = NSLock()
    private var calls = 0
    private(set) var asked: [Int] = []

    init(_ inner: GatewayListeningAssistant, failing: Set<Int> = []) {
        self.inner = inner
        self.failing = failing
    }

    struct Forced: Error, CustomStringConvertible {
        var description: String { "forced failure (test)" }
    }

    var modelName: String { inner.modelName }
    var promptHashes: [String: String] { inner.promptHashes }
    var batchSize: Int { inner.batchSize }
    var askedComments: [Int] { lock.withLock { asked } }

    func extractOpinions(_ batch: [ExtractionItem]) async throws -> [Int: [String]] {
        let index = lock.withLock {
            calls += 1
            asked += batch.map(\.comment)
            return calls - 1
        }
        if failing.contains(index) { throw Forced() }
        return try await inner.extractOpinions(batch)
    }
    func describe(_ cluster: ClusterDigest) async throws -> ClusterDescription { try await inner.describe(cluster) }
    func overview(_ clusters: [ClusterDigest], comments: Int) async throws -> String {
        try await inner.overview(clusters, comments: comments)
    }
    func usage() async -> ListeningUsage { await inner.usage() }
}

/// Part of the serialized local-model suite: the one llama.cpp server answers one request at a time, and a
/// streaming test running beside this one's ~15 calls was cut off.
extension LocalModelTests {
    static let listeningComments = [
        "保育園の待機児童が多く、入園できずに仕事に復帰できません。定員を増やしてください。", "保育料の負担が重いので軽減してほしいです。",
        "病児保育を実施する保育園を増やしてほしい。", "路線バスの本数が減って通院に困っています。",
        "バスの最終便が早すぎるので遅くまで運行してほしい。", "バス停に屋根とベンチを付けてほしい。",
        "公園の遊具が古くて危ないので更新してください。", "公園のトイレが汚いので清掃を増やしてほしい。",
        "公園に木陰やベンチを増やしてほしい。", "ごみの収集日を増やしてほしい。",
        "ごみの分別ルールが複雑で分かりにくいです。", "粗大ごみの申込みをインターネットでできるようにしてほしい。",
    ]

    @Test func listeningExtractionAndLabelsGoThroughTheGatewayInBatchesAndAFailureResumes() async throws {
        let config = ModelConfiguration(
            providers: [.init(name: "llamacpp", kind: .openai, baseURL: LocalModel.baseURL ?? "", timeoutSeconds: 120, maxConcurrency: 1)],
            models: [.init(name: "gemma", provider: "llamacpp", id: LocalModel.model, location: .internal, maxOutputTokens: 256, mergeSystem: true)],
            defaultChatModel: "gemma")
        let registry = try ModelRegistry(configuration: config)
        let recorder = MemoryRecorder()
        let gateway = ModelGateway(registry: registry, recorder: recorder, privacy: nil)
        let caller = GatewayCaller(login: "e2e", organization: "みなと市", bureau: "広聴課", app: "listen")
        let assistant = GatewayListeningAssistant(gateway: gateway, caller: caller, model: "gemma", batchSize: 4)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("listen-llm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = "意見\n" + Self.listeningComments.joined(separator: "\n") + "\n"
        func run(_ a: ListeningAssistant) async throws -> ListeningResult {
            let pipeline = ListeningPipeline(
                model: try MeCabModel.shared(), detector: nil, assistant: a, cache: ListeningCache(directory: folder))
            return try await pipeline.run(
                data: Data(csv.utf8), path: "comments.csv",
                options: ListeningOptions(clusters: [2, 4], dimensions: 8, maskPersonalData: false))
        }

        // First run: the second of three batches is forced to fail.
        let first = RecordingAssistant(assistant, failing: [1])
        let result = try await run(first)
        #expect(first.askedComments.count == 12)  // 3 calls of 4 comments: batched, not one call per comment
        let forced = result.failures.filter { $0.reason.contains("forced failure") }
        #expect(forced.map(\.comment) == [4, 5, 6, 7])
        // Whatever the small model answered, every comment has opinions (model or sentence fallback) and
        // nothing is silently dropped: every failure is listed.
        #expect(result.comments.allSatisfy { !$0.opinions.isEmpty })
        #expect(result.counts.extractionFailures == result.failures.count)
        #expect(result.parameters.extraction == "model:gemma" && result.parameters.labelling == "model:gemma")
        #expect(result.parameters.promptHashes.keys.sorted() == ["describe", "extract", "overview"])
        // Each gateway call was recorded with the listening app as caller.
        let calls = recorder.records
        #expect(calls.count >= 2 + result.clusters.count)
        #expect(calls.allSatisfy { $0.caller.app == "listen" && $0.status == "ok" })
        #expect(result.usage.calls == calls.count)

        // Second run: only the comments that failed (forced, or answers that did not validate) are asked again.
        let second = RecordingAssistant(assistant)
        let again = try await run(second)
        #expect(second.askedComments.sorted() == result.failures.map(\.comment).sorted())
        #expect(!again.failures.contains { $0.reason.contains("forced failure") })
        await registry.shutdown()
    }
}
