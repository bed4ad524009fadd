import Foundation

/// The opinions of a run and how they were obtained.
struct OpinionExtraction {
    struct Opinion {
        var comment: Int
        var text: String
    }
    var opinions: [Opinion]
    var failures: [ExtractionFailure]
    /// "sentences" or "model:<name>".
    var method: String
}

extension ListeningPipeline {
    /// Opinions of the representative comments, in comment order. With an assistant, batches of comments go
    /// to the model (each batch cached when it succeeds, so a failed run resumes where it stopped); a
    /// comment the model failed on falls back to sentence segmentation and is reported, never dropped.
    func extractOpinions(
        _ comments: [InputComment], representatives: [Int], inputSHA256: String
    ) async throws -> OpinionExtraction {
        let segmenter = OpinionSegmenter()
        guard let assistant else {
            var opinions: [OpinionExtraction.Opinion] = []
            for c in representatives {
                for text in segmenter.opinions(comments[c].text) { opinions.append(.init(comment: c, text: text)) }
            }
            return OpinionExtraction(opinions: opinions, failures: [], method: "sentences")
        }
        var extracted: [Int: [String]] = [:]
        var failures: [ExtractionFailure] = []
        let size = max(1, assistant.batchSize)
        let hashes = assistant.promptHashes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var done = 0
        for start in stride(from: 0, to: representatives.count, by: size) {
            let batch = representatives[start..<min(start + size, representatives.count)].map {
                ExtractionItem(comment: $0, text: comments[$0].text)
            }
            progress("意見の抽出 (\(assistant.modelName))", done, representatives.count)
            let key = ListeningCache.key(
                ["extract/1", assistant.modelName] + hashes + batch.map { "\($0.comment)\u{1}\($0.text)" })
            // A batch's valid answers are cached even when some comments failed; a rerun asks the model only
            // for the comments still missing.
            var known = try cache.load([Int: [String]].self, step: "extract", key: key) ?? [:]
            let missing = batch.filter { known[$0.comment] == nil }
            if !missing.isEmpty {
                do {
                    let answer = try await assistant.extractOpinions(missing)
                    for item in missing {
                        let texts = (answer[item.comment] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                            .filter { !$0.isEmpty }
                        if texts.isEmpty {
                            failures.append(
                                ExtractionFailure(comment: item.comment, reason: "モデルの応答にこのコメントの意見がありません"))
                        } else {
                            known[item.comment] = texts
                        }
                    }
                } catch {
                    for item in missing {
                        failures.append(ExtractionFailure(comment: item.comment, reason: "抽出に失敗しました: \(error)"))
                    }
                }
                if !known.isEmpty { try cache.store(known, step: "extract", key: key) }
            }
            extracted.merge(known) { a, _ in a }
            done += batch.count
        }
        var opinions: [OpinionExtraction.Opinion] = []
        for c in representatives {
            let texts = extracted[c] ?? segmenter.opinions(comments[c].text)
            for text in texts { opinions.append(.init(comment: c, text: text)) }
        }
        return OpinionExtraction(
            opinions: opinions, failures: failures.sorted { $0.comment < $1.comment }, method: "model:\(assistant.modelName)")
    }
}
