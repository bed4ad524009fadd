/// What MeCab says about one distinct (surface, feature) pair, shared by every occurrence.
public final class TokenInfo: Sendable {
    public let surface: String
    /// IPAdic part of speech and its three sub-classes (`*` when empty).
    public let pos: String
    public let pos1: String
    public let pos2: String
    public let pos3: String
    /// Conjugation type (活用型, e.g. 一段, 五段・ラ行) and form (活用形, e.g. 未然形).
    public let conjugationType: String
    public let conjugationForm: String
    /// Dictionary form; the surface when MeCab gives none.
    public let base: String
    /// Katakana reading; the surface when MeCab gives none (unknown words).
    public let reading: String
    public let isUnknown: Bool

    init(surface: String, feature: String, isUnknown: Bool) {
        self.surface = surface
        self.isUnknown = isUnknown
        var fields: [Substring] = feature.split(separator: ",", omittingEmptySubsequences: false)
        while fields.count < 9 { fields.append("*") }
        pos = String(fields[0])
        pos1 = String(fields[1])
        pos2 = String(fields[2])
        pos3 = String(fields[3])
        conjugationType = String(fields[4])
        conjugationForm = String(fields[5])
        base = fields[6] == "*" ? surface : String(fields[6])
        reading = fields[7] == "*" ? surface : String(fields[7])
    }
}

/// One token of the checked text: its span in scalar indices and its shared analysis.
public struct ProofToken: Sendable {
    public let start: Int
    public let end: Int
    public let info: TokenInfo

    public var range: Range<Int> { start..<end }
    public var surface: String { info.surface }
}
