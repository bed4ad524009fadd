/// The JSON form of a report, shared by the CLI and the API.
public struct ReportJSON: Encodable, Sendable {
    public struct Item: Encodable, Sendable {
        public var rule: String
        public var category: String
        public var severity: String
        public var message: String
        public var line: Int
        public var column: Int
        public var endLine: Int
        public var endColumn: Int
        public var offsetUTF16: Int
        public var lengthUTF16: Int
        public var offsetScalar: Int
        public var lengthScalar: Int
        public var text: String
        public var replacement: String?

        enum CodingKeys: String, CodingKey {
            case rule, category, severity, message, line, column, text, replacement
            case endLine = "end_line"
            case endColumn = "end_column"
            case offsetUTF16 = "offset_utf16"
            case lengthUTF16 = "length_utf16"
            case offsetScalar = "offset_scalar"
            case lengthScalar = "length_scalar"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encode(category, forKey: .category)
            try c.encode(severity, forKey: .severity)
            try c.encode(message, forKey: .message)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encode(endLine, forKey: .endLine)
            try c.encode(endColumn, forKey: .endColumn)
            try c.encode(offsetUTF16, forKey: .offsetUTF16)
            try c.encode(lengthUTF16, forKey: .lengthUTF16)
            try c.encode(offsetScalar, forKey: .offsetScalar)
            try c.encode(lengthScalar, forKey: .lengthScalar)
            try c.encode(text, forKey: .text)
            try c.encode(replacement, forKey: .replacement)  // null when no certain fix
        }
    }

    public var characters: Int
    public var sentences: Int
    public var findings: [Item]
    public var counts: [String: Int]

    public init(_ report: ProofreadingReport) {
        characters = report.characters
        sentences = report.sentences
        findings = report.findings.map { p in
            Item(
                rule: p.finding.ruleID, category: p.finding.category.rawValue, severity: p.finding.severity.rawValue,
                message: p.finding.message, line: p.start.line, column: p.start.column, endLine: p.end.line, endColumn: p.end.column,
                offsetUTF16: p.start.utf16Offset, lengthUTF16: p.end.utf16Offset - p.start.utf16Offset,
                offsetScalar: p.start.scalarOffset, lengthScalar: p.end.scalarOffset - p.start.scalarOffset, text: p.excerpt,
                replacement: p.finding.replacement)
        }
        var counts: [String: Int] = [:]
        for p in report.findings { counts[p.finding.severity.rawValue, default: 0] += 1 }
        self.counts = counts
    }
}
