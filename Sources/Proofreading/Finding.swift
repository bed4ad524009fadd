/// How much a finding matters to an editor.
public enum Severity: String, Sendable, Codable, CaseIterable {
    /// Wrong under the rules (誤り): should be fixed before publication.
    case error
    /// Against the style the organisation chose (表記・文体): fix unless there is a reason.
    case warning
    /// Worth a look (読みやすさ): the editor decides.
    case info
}

/// The groups rules are shown in.
public enum RuleCategory: String, Sendable, Codable, CaseIterable {
    case grammar, readability, notation, koyobun, inclusive, custom

    /// Japanese label for the UI and reports.
    public var label: String {
        switch self {
        case .grammar: "文法・語法"
        case .readability: "読みやすさ"
        case .notation: "表記"
        case .koyobun: "公用文"
        case .inclusive: "配慮した表現"
        case .custom: "団体の用字用語"
        }
    }
}

/// One place in the text, in every unit a client may count in.
public struct TextPosition: Sendable, Codable, Equatable {
    /// 1-based line.
    public var line: Int
    /// 1-based column in UTF-16 code units (what editors and JavaScript count).
    public var column: Int
    /// 0-based offset from the start of the text in UTF-16 code units.
    public var utf16Offset: Int
    /// 0-based offset from the start of the text in Unicode scalars (code points).
    public var scalarOffset: Int

    enum CodingKeys: String, CodingKey {
        case line, column
        case utf16Offset = "utf16_offset"
        case scalarOffset = "scalar_offset"
    }
}

/// One problem a rule found, with the exact span and, where it is certain, the fix.
public struct Finding: Sendable, Equatable {
    public var ruleID: String
    public var category: RuleCategory
    public var severity: Severity
    /// Japanese explanation: what is wrong and why.
    public var message: String
    /// Span in scalar indices of the checked text.
    public var range: Range<Int>
    /// The text that should replace `range`, when the fix is certain.
    public var replacement: String?

    public init(
        ruleID: String, category: RuleCategory, severity: Severity, message: String, range: Range<Int>,
        replacement: String? = nil
    ) {
        self.ruleID = ruleID
        self.category = category
        self.severity = severity
        self.message = message
        self.range = range
        self.replacement = replacement
    }
}
