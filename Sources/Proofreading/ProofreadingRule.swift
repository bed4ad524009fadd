/// What a rule is, for listings, reports and documentation.
public struct RuleDescriptor: Sendable {
    /// Stable id used in configuration, reports and the API (kebab-case English).
    public let id: String
    public let category: RuleCategory
    public let severity: Severity
    /// Japanese name (e.g. 「ら抜き言葉」).
    public let title: String
    /// Japanese explanation of what the rule checks and the public source it follows.
    public let summary: String
    /// Rules that encode one style among several (e.g. the JTF translation style) are off unless enabled.
    public let enabledByDefault: Bool
    /// Options the rule reads, with their meaning (for `hiroba proofread --rules` and validation).
    public let options: [String: String]

    public init(
        id: String, category: RuleCategory, severity: Severity, title: String, summary: String,
        enabledByDefault: Bool = true, options: [String: String] = [:]
    ) {
        self.id = id
        self.category = category
        self.severity = severity
        self.title = title
        self.summary = summary
        self.enabledByDefault = enabledByDefault
        self.options = options
    }
}

/// One check. Rules are pure: they read the analysed text and their options and append findings.
public protocol ProofreadingRule: Sendable {
    var descriptor: RuleDescriptor { get }
    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink)
}

/// Collects findings for one rule, stamping them with the rule's id, category and severity.
public struct FindingSink {
    let descriptor: RuleDescriptor
    public private(set) var findings: [Finding] = []

    init(descriptor: RuleDescriptor) { self.descriptor = descriptor }

    public mutating func add(_ range: Range<Int>, _ message: String, replacement: String? = nil, severity: Severity? = nil) {
        findings.append(
            Finding(
                ruleID: descriptor.id, category: descriptor.category, severity: severity ?? descriptor.severity,
                message: message, range: range, replacement: replacement))
    }
}
