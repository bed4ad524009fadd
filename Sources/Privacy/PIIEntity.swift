/// One piece of personal data found in a text.
///
/// Offsets are end-exclusive and given twice: in Unicode scalars (what Swift's `unicodeScalars` view and
/// Python's `str` count) and in UTF-16 code units (what JavaScript, `NSString` and LLM tool APIs count).
public struct PIIEntity: Sendable, Hashable, Codable {
    public var kind: PIIKind
    /// The text exactly as it appears in the input.
    public var text: String
    public var scalarRange: Range<Int>
    public var utf16Range: Range<Int>
    /// A canonical form used to give the same value the same placeholder: digits only for numbers,
    /// lower-cased for e-mail, width/dash/space-folded for names and addresses.
    public var normalized: String

    public init(kind: PIIKind, text: String, scalarRange: Range<Int>, utf16Range: Range<Int>, normalized: String) {
        self.kind = kind
        self.text = text
        self.scalarRange = scalarRange
        self.utf16Range = utf16Range
        self.normalized = normalized
    }
}

/// A detection before it is turned into a `PIIEntity`: a scalar range into the scanned text.
struct Candidate: Hashable {
    var kind: PIIKind
    var range: Range<Int>
    /// Canonical value; nil means "derive from the folded text".
    var normalized: String?

    init(_ kind: PIIKind, _ range: Range<Int>, normalized: String? = nil) {
        self.kind = kind
        self.range = range
        self.normalized = normalized
    }
}
