import Foundation
import Proofreading

/// The proofreader's optional model pass: for sentences the rules flag as long or over-punctuated, a model
/// suggests a clearer rewrite. Suggestions are kept apart from the rule findings (they are advice from a
/// model, never applied automatically) and go through the gateway (policy, quota, personal data, usage).
public struct RewriteSuggester: Sendable {
    public struct Suggestion: Sendable, Equatable, Encodable {
        public var start: TextPosition
        public var end: TextPosition
        public var original: String
        public var suggestion: String
        /// Why the sentence was chosen (the rule messages).
        public var reasons: [String]
    }

    /// Rules whose findings cover a whole sentence worth rewriting.
    public static let triggers: Set<String> = ["sentence-length", "comma-count"]
    public static let system = """
        あなたは自治体の公用文を直す編集者です。「公用文作成の考え方」(2022) に従い、次の文を、意味・事実・数字・固有名詞・\
        条項番号を変えずに、短く分かりやすい文（必要なら複数の文）に書き直してください。敬体・常体は元の文に合わせます。\
        書き直した文だけを出力し、説明や前置きは書かないでください。
        """

    public let gateway: ModelGateway
    /// Most sentences sent per check (bounds cost and time).
    public var maxSentences: Int

    public init(gateway: ModelGateway, maxSentences: Int = 8) {
        self.gateway = gateway
        self.maxSentences = maxSentences
    }

    /// The flagged sentences, longest first, at most `maxSentences`.
    public func candidates(_ report: ProofreadingReport) -> [(start: TextPosition, end: TextPosition, text: String, reasons: [String])] {
        // Findings of different rules on one sentence may cover it slightly differently: overlapping spans
        // are one sentence (the longest excerpt), with every reason.
        var merged: [(start: TextPosition, end: TextPosition, text: String, reasons: [String])] = []
        let flagged = report.findings.filter { Self.triggers.contains($0.finding.ruleID) }.sorted { $0.start.scalarOffset < $1.start.scalarOffset }
        for placed in flagged {
            if let last = merged.last, placed.start.scalarOffset < last.end.scalarOffset {
                var current = last
                current.reasons.append(placed.finding.message)
                if placed.end.scalarOffset - placed.start.scalarOffset > current.end.scalarOffset - current.start.scalarOffset {
                    (current.start, current.end, current.text) = (placed.start, placed.end, placed.excerpt)
                }
                merged[merged.count - 1] = current
            } else {
                merged.append((placed.start, placed.end, placed.excerpt, [placed.finding.message]))
            }
        }
        let bySentence = Dictionary(uniqueKeysWithValues: merged.map { ($0.start.scalarOffset, $0) })
        return bySentence.values.sorted { $0.text.count != $1.text.count ? $0.text.count > $1.text.count : $0.start.scalarOffset < $1.start.scalarOffset }
            .prefix(maxSentences).sorted { $0.start.scalarOffset < $1.start.scalarOffset }
    }

    /// One model call per chosen sentence (sequential: the provider's concurrency limit applies anyway).
    /// A refusal before any call (quota, policy, personal data) is thrown; a sentence whose call fails is skipped.
    public func suggest(for report: ProofreadingReport, model: String? = nil, caller: GatewayCaller) async throws -> (suggestions: [Suggestion], model: String?, failed: Int) {
        var out: [Suggestion] = []
        var used: String?
        var failed = 0
        for candidate in candidates(report) {
            do {
                let result = try await gateway.chat(
                    [ChatMessage(.system, Self.system), ChatMessage(.user, candidate.text)], model: model,
                    maxTokens: max(64, TokenEstimate.count(candidate.text) * 2), temperature: 0.2, caller: caller)
                used = result.model
                let text = Self.clean(result.text)
                guard !text.isEmpty, text != candidate.text else { continue }
                out.append(Suggestion(start: candidate.start, end: candidate.end, original: candidate.text, suggestion: text, reasons: candidate.reasons))
            } catch let error as GatewayError {
                if case .allModelsFailed = error {
                    failed += 1
                    continue
                }
                throw error
            } catch is ModelError {
                failed += 1
            }
        }
        return (out, used, failed)
    }

    /// The model's text without quotes, labels or surrounding blank lines.
    static func clean(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for label in ["書き直した文：", "書き直した文:", "修正後：", "修正後:", "【書き直し】"] where t.hasPrefix(label) {
            t = String(t.dropFirst(label.count)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if t.hasPrefix("「") && t.hasSuffix("」") && t.count > 2 { t = String(t.dropFirst().dropLast()) }
        return t
    }
}
