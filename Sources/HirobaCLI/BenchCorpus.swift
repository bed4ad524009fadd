import ArgumentParser
import Foundation
import JapaneseText
import Search

/// Realistic Japanese chunks for benchmarks: sentences of a real corpus (JSQuAD Wikipedia passages when
/// available, else the demo content) recombined by a seeded generator, so runs are repeatable.
enum BenchCorpus {
    static func load(source: String?) throws -> (sentences: [String], queries: [String]) {
        let candidates = [source, "../shared/data/ja_retrieval/corpus.jsonl"].compactMap { $0 }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            let docs = try BEIR.jsonLines(path)
            let sentences = docs.flatMap { SentenceSplitter.split($0["text"] as? String ?? "") }.filter { $0.count >= 8 }
            let queryPath = (path as NSString).deletingLastPathComponent + "/queries.jsonl"
            let queries = (try? BEIR.jsonLines(queryPath))?.compactMap { $0["text"] as? String } ?? []
            return (sentences, queries)
        }
        let demo = "demo"
        var sentences: [String] = []
        let files = FileManager.default.enumerator(atPath: demo)?.compactMap { $0 as? String } ?? []
        for f in files where f.hasSuffix(".md") || f.hasSuffix(".txt") {
            let text = (try? String(contentsOfFile: demo + "/" + f, encoding: .utf8)) ?? ""
            sentences += SentenceSplitter.split(text).filter { $0.count >= 8 }
        }
        guard !sentences.isEmpty else {
            throw ValidationError("no sentence source: pass --source corpus.jsonl or run from the repository root")
        }
        return (sentences, [])
    }

    /// The fixed mixed query set: frequent single words, rare terms, phrases, and natural questions.
    static func querySet(_ questions: [String]) -> [String] {
        let frequent = ["日本", "年", "市", "世界", "人口", "時代", "大学", "文化", "政府", "研究"]
        let rare = ["梅雨前線", "シベリア気団", "出納整理期間", "ジャイアントパンダ", "量子力学", "枕草子"]
        let multi = ["日本の人口と経済", "大学 研究 文化", "\"第二次世界大戦\"", "戦争 -日本", "政府の予算と税金"]
        var out = frequent + rare + multi
        var generator = SplitMix64(seed: 7)
        var picked = questions
        if !picked.isEmpty {
            for i in stride(from: picked.count - 1, to: 0, by: -1) { picked.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        }
        out += picked.prefix(200)
        return out
    }

    struct Generator {
        let sentences: [String]
        var rng: SplitMix64
        init(sentences: [String], seed: UInt64) {
            self.sentences = sentences
            rng = SplitMix64(seed: seed)
        }

        /// 3–6 sentences, like a manual section or an article paragraph.
        mutating func chunk() -> String {
            let n = 3 + Int(rng.next() % 4)
            return (0..<n).map { _ in sentences[Int(rng.next() % UInt64(sentences.count))] }.joined()
        }
    }
}
