import Foundation
import JapaneseText

/// The answer without a model: the sentences of the retrieved sources that best support the question,
/// quoted verbatim with their citations, labelled as an extract. A sentence's support is the weight of the
/// question's content words (and character bigrams, for words MeCab splits differently) that it contains,
/// each weighted by how rare it is among the candidate sentences, with a small preference for higher-ranked
/// sources. Sentences are taken only while they are close to the best one, so a weak match in a lower
/// source is not cited beside a strong one.
public struct ExtractiveAnswerer: Sendable {
    public static let label = "【抜粋】生成AIを使わず、資料の該当箇所をそのまま引用しています。"
    public static let notFound = "ご質問に該当する記述は、参照できる資料の中に見つかりませんでした。質問の言葉を変えるか、検索画面で資料を探してください。"

    /// Most sentences quoted.
    public var maxSentences = 2
    /// A sentence is quoted when its support is at least this share of the best sentence's.
    public var relativeThreshold = 0.75
    /// Longest quoted sentence (characters); a longer one is cut around its matching words.
    public var maxSentenceCharacters = 240

    let model: MeCabModel

    public init(model: MeCabModel) { self.model = model }

    struct Candidate {
        var source: Int  // index into sources
        var position: Int
        var text: String
        var terms: Set<String>
        var score = 0.0
    }

    public func answer(question: String, sources: [AnswerSource]) throws -> GroundedAnswer {
        let analyzer = try Analyzer(model: model)
        func termSet(_ text: String, role: AnalysisRole) -> Set<String> {
            Set(analyzer.terms(text, role: role).map { "\($0.field.rawValue):\($0.term)" })
        }
        let query = termSet(question, role: .query)
        guard !query.isEmpty, !sources.isEmpty else {
            return GroundedAnswer(mode: .extract, text: Self.notFound, cited: [], answered: false)
        }
        var candidates: [Candidate] = []
        for (index, source) in sources.enumerated() {
            for (position, sentence) in SentenceSplitter.split(source.text).enumerated() where sentence.count >= 4 {
                candidates.append(Candidate(source: index, position: position, text: sentence, terms: termSet(sentence, role: .index)))
            }
        }
        // Rarity among the candidates: a word every sentence shares says little about which one answers.
        var df: [String: Int] = [:]
        for candidate in candidates { for term in candidate.terms where query.contains(term) { df[term, default: 0] += 1 } }
        let n = Double(candidates.count)
        for i in candidates.indices {
            var score = 0.0
            var words = 0
            for term in candidates[i].terms where query.contains(term) {
                let weight = log(1 + n / Double(df[term] ?? 1))
                if term.hasPrefix("0:") {
                    score += weight
                    words += 1
                } else {
                    score += 0.35 * weight
                }
            }
            // No shared content word: bigram overlap alone is not support.
            if words == 0 { score = 0 }
            candidates[i].score = score / (1 + 0.08 * Double(candidates[i].source))
        }
        let ranked = candidates.indices.sorted {
            candidates[$0].score != candidates[$1].score
                ? candidates[$0].score > candidates[$1].score
                : (candidates[$0].source, candidates[$0].position) < (candidates[$1].source, candidates[$1].position)
        }
        guard let best = ranked.first, candidates[best].score > 0 else {
            return GroundedAnswer(mode: .extract, text: Self.notFound, cited: [], answered: false)
        }
        let floor = candidates[best].score * relativeThreshold
        let chosen = ranked.prefix(maxSentences).filter { candidates[$0].score >= floor }
            .sorted { (candidates[$0].source, candidates[$0].position) < (candidates[$1].source, candidates[$1].position) }
        var lines: [String] = []
        var cited: [Int] = []
        var quoted = Set<Int>()
        for i in chosen where !quoted.contains(i) {
            let source = sources[candidates[i].source]
            quoted.insert(i)
            var text = trim(candidates[i].text)
            // 「次のとおりとする。」 announces a list: the items that follow are the answer, so they come along.
            if Self.announcesList(candidates[i].text) {
                var j = i + 1
                var added = 0
                while j < candidates.count, candidates[j].source == candidates[i].source, added < 6, text.count < 500 {
                    text += "\n" + trim(candidates[j].text)
                    quoted.insert(j)
                    added += 1
                    j += 1
                }
            }
            lines.append("「\(text)」[\(source.number)]")
            if !cited.contains(source.number) { cited.append(source.number) }
        }
        let text = Self.label + "\n" + lines.joined(separator: "\n")
        return GroundedAnswer(mode: .extract, text: text, cited: cited, answered: true)
    }

    /// A sentence that introduces an enumeration (規程の「次のとおりとする」「次に掲げる」, or a trailing colon).
    static func announcesList(_ sentence: String) -> Bool {
        let end = sentence.suffix(14)
        return end.contains("次のとおり") || end.contains("次に掲げる") || end.contains("以下のとおり") || sentence.hasSuffix("：")
            || sentence.hasSuffix(":")
    }

    /// Cuts an over-long sentence to its limit (keeping its start, where Japanese puts the topic).
    func trim(_ sentence: String) -> String {
        sentence.count <= maxSentenceCharacters ? sentence : String(sentence.prefix(maxSentenceCharacters)) + "…"
    }
}
