import Foundation

extension ListeningPipeline {
    /// Replaces the offline labels and summaries with the model's, cluster by cluster (each cached, so an
    /// interrupted run resumes), then asks for the overview. A cluster the model fails on keeps its keyword
    /// label and is listed among the failures' notes in the overview.
    func describe(_ result: inout ListeningResult, with assistant: ListeningAssistant) async throws {
        let hashes = assistant.promptHashes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var failed: [String] = []
        for index in result.clusters.indices {
            let cluster = result.clusters[index]
            progress("ラベル付け (\(assistant.modelName))", index, result.clusters.count)
            let digest = ClusterDigest(
                id: cluster.id, keywords: cluster.keywords,
                quotes: cluster.representativeOpinions.map { result.opinions[$0].text }, opinionCount: cluster.opinionCount)
            let key = ListeningCache.key(
                ["describe/1", assistant.modelName] + hashes + digest.keywords + digest.quotes)
            var description = try cache.load(ClusterDescription.self, step: "describe", key: key)
            if description == nil {
                do {
                    let answer = try await assistant.describe(digest)
                    let label = answer.label.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !label.isEmpty {
                        description = ClusterDescription(label: Self.clip(label, 40), summary: answer.summary)
                        try cache.store(description!, step: "describe", key: key)
                    }
                } catch {
                    description = nil
                }
            }
            if let description {
                result.clusters[index].label = description.label
                if !description.summary.isEmpty { result.clusters[index].summary = description.summary }
            } else {
                failed.append(cluster.id)
            }
        }
        let coarse = result.clusters.filter { $0.level == 0 }.map {
            ClusterDigest(
                id: $0.id, keywords: [$0.label] + $0.keywords.prefix(5),
                quotes: $0.representativeOpinions.prefix(2).map { result.opinions[$0].text }, opinionCount: $0.opinionCount)
        }
        if let overview = try? await assistant.overview(coarse, comments: result.counts.comments),
            !overview.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            result.overview = overview.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if !failed.isEmpty {
            result.overview += "(クラスター \(failed.joined(separator: "、")) はモデルのラベル付けに失敗したため、キーワードで表示しています。)"
        }
    }
}
