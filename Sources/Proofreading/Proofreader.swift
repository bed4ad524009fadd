import JapaneseText

/// A finding placed in the text: start and end positions in every unit, and the text it covers.
public struct PlacedFinding: Sendable, Equatable {
    public var finding: Finding
    public var start: TextPosition
    public var end: TextPosition
    /// The covered text (what the replacement would replace).
    public var excerpt: String
}

/// The result of checking one text.
public struct ProofreadingReport: Sendable {
    public var findings: [PlacedFinding]
    public var characters: Int
    public var sentences: Int
    /// Rules that ran, in order.
    public var rules: [RuleDescriptor]
}

/// Runs the enabled rules over a text. Thread-safe: each call uses its own MeCab tagger.
public final class Proofreader: Sendable {
    /// Texts longer than this are refused (the 10 MB single-line case is well inside it).
    public static let maxCharacters = 20_000_000

    public let configuration: ProofreadingConfiguration
    public let rules: [any ProofreadingRule]
    private let model: MeCabModel

    public init(configuration: ProofreadingConfiguration = .standard, model: MeCabModel? = nil) throws {
        self.configuration = configuration
        self.model = try model ?? MeCabModel.shared()
        var all = RuleCatalog.builtIn
        if !configuration.terms.isEmpty { all.append(TermListRule(entries: configuration.terms)) }
        rules = all.filter { configuration.isEnabled($0.descriptor) }
    }

    /// Every rule Hiroba knows, enabled or not (for listings and configuration checks).
    public static var catalog: [RuleDescriptor] { RuleCatalog.builtIn.map(\.descriptor) + [TermListRule.descriptor] }

    /// Analyses `text` and runs every enabled rule. Empty text gives an empty report.
    public func check(_ text: String) throws -> ProofreadingReport {
        let analysed = try analyse(text)
        var findings: [Finding] = []
        for rule in rules {
            var sink = FindingSink(descriptor: rule.descriptor)
            rule.check(analysed, options: configuration.options(for: rule.descriptor.id), into: &sink)
            findings.append(contentsOf: sink.findings)
        }
        findings.sort { ($0.range.lowerBound, $0.range.upperBound, $0.ruleID) < ($1.range.lowerBound, $1.range.upperBound, $1.ruleID) }
        let placed = findings.map {
            PlacedFinding(
                finding: $0, start: analysed.position(of: $0.range.lowerBound), end: analysed.position(of: $0.range.upperBound),
                excerpt: analysed.string($0.range))
        }
        return ProofreadingReport(
            findings: placed, characters: analysed.scalars.count, sentences: analysed.sentences.count,
            rules: rules.map(\.descriptor))
    }

    /// The analysed text (tokens, sentences) without running rules.
    public func analyse(_ text: String) throws -> ProofText {
        let count = text.unicodeScalars.count
        if count > Self.maxCharacters { throw ProofreadingError.textTooLong(characters: count, limit: Self.maxCharacters) }
        return ProofText(text, tagger: try model.makeTagger())
    }
}
