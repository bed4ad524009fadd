/// One masked piece of text and what was taken out of it.
public struct MaskedText: Sendable, Hashable, Codable {
    /// The text with every detected value replaced by its placeholder.
    public var text: String
    /// What was replaced, in order of position in the *input* text.
    public var replacements: [Replacement]

    public struct Replacement: Sendable, Hashable, Codable {
        public var placeholder: String
        public var entity: PIIEntity
    }
}

/// Masks personal data before text leaves for an external model and puts it back into the answer.
///
/// One session per conversation turn: mask the question and every retrieved passage through the same
/// session so a name that appears in both gets the same placeholder, send the masked texts, then `restore`
/// the model's answer (or feed its stream through `makeStreamRestorer()`).
///
/// ```swift
/// var session = PIIMaskingSession(detector: detector, kinds: policy.maskedKinds)
/// let question = try session.mask(userQuestion).text
/// let passages = try hits.map { try session.mask($0.text).text }
/// let answer = session.restore(try await model.complete(question, passages))
/// ```
///
/// The session is a value: copying it copies the vault. It holds personal data; keep it for the request.
public struct PIIMaskingSession: Sendable {
    public let detector: PIIDetector
    /// The kinds this session masks (a policy may leave, say, organisation phone numbers unmasked).
    public let kinds: Set<PIIKind>
    public private(set) var vault: PIIVault

    public init(detector: PIIDetector, kinds: Set<PIIKind> = Set(PIIKind.allCases), vault: PIIVault = PIIVault()) {
        self.detector = detector
        self.kinds = kinds
        self.vault = vault
    }

    /// Replaces every detected value of the session's kinds by its placeholder.
    public mutating func mask(_ text: String) throws -> MaskedText {
        let entities = try detector.detect(text, kinds: kinds)
        return mask(text, entities: entities)
    }

    /// Masks given detections (for callers that detected already, or that add their own spans). Entities
    /// must not overlap and must carry ranges into `text`.
    public mutating func mask(_ text: String, entities: [PIIEntity]) -> MaskedText {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var replacements: [MaskedText.Replacement] = []
        var p = 0
        for entity in entities.sorted(by: { $0.scalarRange.lowerBound < $1.scalarRange.lowerBound }) {
            let range = entity.scalarRange
            guard range.lowerBound >= p, range.upperBound <= scalars.count, !range.isEmpty else { continue }
            out.append(contentsOf: scalars[p..<range.lowerBound])
            let placeholder = vault.placeholder(for: entity.kind, normalized: entity.normalized, original: entity.text)
            out.append(contentsOf: placeholder.unicodeScalars)
            replacements.append(MaskedText.Replacement(placeholder: placeholder, entity: entity))
            p = range.upperBound
        }
        out.append(contentsOf: scalars[p...])
        return MaskedText(text: String(out), replacements: replacements)
    }

    /// Puts the originals back. Placeholders this session never issued (a model inventing `[氏名9]`) and
    /// broken ones (`[氏名`) stay as they are; full-width brackets and digits (`［氏名１］`) are understood.
    public func restore(_ text: String) -> String {
        Self.restore(text, vault: vault)
    }

    static func restore(_ text: String, vault: PIIVault) -> String {
        guard !vault.originals.isEmpty, text.unicodeScalars.contains(where: { PIIPlaceholder.isOpen($0.value) }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if PIIPlaceholder.isOpen(scalars[i].value), let (placeholder, end) = PIIPlaceholder.parse(scalars, at: i),
                let original = vault.original(for: placeholder)
            {
                out.append(contentsOf: original.unicodeScalars)
                i = end
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// A restorer for a streamed answer that shares this session's vault (as it is now).
    public func makeStreamRestorer() -> PIIStreamRestorer { PIIStreamRestorer(vault: vault) }
}
