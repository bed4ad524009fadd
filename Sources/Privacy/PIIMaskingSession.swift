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
    ///
    /// Names already in the vault are also masked where they appear again, even where this text gives the
    /// detector no clue (a passage that mentions 山田太郎 only as 「山田太郎は」 after the question said
    /// 「山田太郎様」).
    public mutating func mask(_ text: String) throws -> MaskedText {
        let entities = try detector.detect(text, kinds: kinds)
        return mask(text, entities: entities + knownNames(in: text, besides: entities))
    }

    /// Exact occurrences of names this session has masked before, outside the detected spans, not inside a
    /// longer kanji or katakana word.
    func knownNames(in text: String, besides entities: [PIIEntity]) -> [PIIEntity] {
        guard kinds.contains(.personName) else { return [] }
        // Names by first scalar, longest first: one pass over the text whatever the vault's size.
        var index: [UInt32: [(word: [UInt32], placeholder: String)]] = [:]
        for (placeholder, original) in vault.originals where vault.kinds[placeholder] == .personName {
            let word = Array(folding: original)
            if word.count >= 2 { index[word[0], default: []].append((word, placeholder)) }
        }
        guard !index.isEmpty else { return [] }
        for key in index.keys { index[key]!.sort { $0.word.count > $1.word.count } }
        let scanned = ScannedText(text)
        var taken = [Bool](repeating: false, count: scanned.count)
        for e in entities { for i in e.scalarRange where i < taken.count { taken[i] = true } }
        var found: [PIIEntity] = []
        var i = 0
        while i < scanned.count {
            guard !taken[i], let candidates = index[scanned[i]] else {
                i += 1
                continue
            }
            var matched = false
            for (word, placeholder) in candidates where scanned.matches(word, at: i) && !taken[i..<(i + word.count)].contains(true) {
                let glued = (i > 0 && Self.sameWordClass(scanned[i - 1], word.first!)) || Self.sameWordClass(scanned[i + word.count], word.last!)
                if glued { continue }
                let range = i..<(i + word.count)
                found.append(PIIEntity(
                    kind: .personName, text: scanned.text(range), scalarRange: range, utf16Range: scanned.utf16Range(range),
                    normalized: vault.normalizedValues[placeholder] ?? vault.originals[placeholder] ?? ""))
                i += word.count
                matched = true
                break
            }
            if !matched { i += 1 }
        }
        return found
    }

    /// Both kanji or both katakana: the name would be part of a longer word (山田 in 山田川).
    static func sameWordClass(_ a: UInt32, _ b: UInt32) -> Bool {
        (ScannedText.isKanji(a) && ScannedText.isKanji(b)) || (ScannedText.isKatakana(a) && ScannedText.isKatakana(b) && a != 0x30FC)
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
