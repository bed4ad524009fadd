import JapaneseText

/// Finds personal data in Japanese text: マイナンバー and 法人番号 (check digits verified), phone numbers,
/// e-mail addresses, postal codes, street addresses and person names.
///
/// Thread-safe: the MeCab dictionary is shared and each call makes its own tagger, so one detector serves
/// every request of a server.
public final class PIIDetector: Sendable {
    let model: MeCabModel
    let nameModel: NameModel?

    /// - Parameters:
    ///   - model: the IPAdic dictionary (`MeCabModel.shared()` in production).
    ///   - nameModel: scores name candidates the rules leave (`NameModel.shipped` by default; nil for rules only).
    public init(model: MeCabModel, nameModel: NameModel?) {
        self.model = model
        self.nameModel = nameModel
    }

    /// A detector with the shipped name model.
    public convenience init(model: MeCabModel) {
        self.init(model: model, nameModel: NameModel.shipped)
    }

    /// A detector over the process-wide IPAdic model.
    public convenience init() throws {
        self.init(model: try MeCabModel.shared())
    }

    /// Every detection of the requested kinds, ordered by position, never overlapping.
    ///
    /// When detections overlap, exact formats win over heuristics (e-mail > マイナンバー > 法人番号 > phone >
    /// postal code > address > name); a loser that starts before the winner keeps its part before it.
    public func detect(_ text: String, kinds: Set<PIIKind> = Set(PIIKind.allCases)) throws -> [PIIEntity] {
        guard !text.isEmpty, !kinds.isEmpty else { return [] }
        let scanned = ScannedText(text)
        return entities(try candidates(scanned, kinds: kinds), scanned)
    }

    func candidates(_ t: ScannedText, kinds: Set<PIIKind>) throws -> [Candidate] {
        var all: [Candidate] = []
        if kinds.contains(.email) { all += EmailDetector().detect(t) }
        let numberKinds = kinds.intersection([.myNumber, .corporateNumber, .phoneNumber, .postalCode])
        var postal: [Candidate] = []
        if !numberKinds.isEmpty {
            for c in NumberDetector(kinds: numberKinds).detect(t) {
                if c.kind == .postalCode { postal.append(c) } else { all.append(c) }
            }
        }
        var addresses: [Range<Int>] = []
        // Unlabelled postal codes need the address after them, so addresses are found even when only
        // postal codes were asked for.
        let needsAddresses = kinds.contains(.address) || postal.contains { $0.normalized?.hasPrefix("?") == true }
        if needsAddresses || kinds.contains(.personName) {
            let tagger = try model.makeTagger()
            let tokens = TokenizedText(t, tagger: tagger)
            if needsAddresses { addresses = AddressDetector().detect(t, tokens) }
            if kinds.contains(.address) { all += addresses.map { Candidate(.address, $0) } }
            if kinds.contains(.personName) { all += NameDetector(model: nameModel).detect(t, tokens, tagger: tagger) }
        }
        for var c in postal {
            if let n = c.normalized, n.hasPrefix("?") {
                // NNN-NNNN without 〒: only when an address starts right after it.
                var p = c.range.upperBound
                while t[p] == 0x20 { p += 1 }
                guard p - c.range.upperBound <= 2, addresses.contains(where: { $0.lowerBound == p }) else { continue }
                c.normalized = String(n.dropFirst())
            }
            all.append(c)
        }
        return Self.resolve(all, t)
    }

    /// Diagnostics (`hiroba eval pii --mistakes --explain`): every span the name model judged in `text`, with its
    /// probability, and whether it is a name the rules accepted (scored for dropping) or a new candidate.
    public func nameModelScores(_ text: String) throws -> [(range: Range<Int>, probability: Float, ruleName: Bool)] {
        guard let nameModel, !text.isEmpty else { return [] }
        let t = ScannedText(text)
        let tagger = try model.makeTagger()
        let tk = TokenizedText(t, tagger: tagger)
        let detector = NameDetector(model: nameModel)
        let (rules, raws) = detector.ruleNames(t, tk, tagger: tagger)
        let ruleSpans = detector.ruleSpanFeatures(t, tk, tagger: tagger, raws: raws, accepted: rules).map { ($0.range, nameModel.probability($0.features), true) }
        let candidates = detector.modelCandidates(t, tk, tagger: tagger, raws: raws, taken: rules).map { ($0.range, nameModel.probability($0.features), false) }
        return ruleSpans + candidates
    }

    /// Higher precedence first, longer first; a later candidate overlapping an accepted one keeps only its
    /// part before the first overlap (and is dropped when nothing useful is left).
    static func resolve(_ candidates: [Candidate], _ t: ScannedText) -> [Candidate] {
        let ordered = candidates.sorted {
            $0.kind.precedence != $1.kind.precedence ? $0.kind.precedence > $1.kind.precedence : $0.range.count > $1.range.count
        }
        var accepted: [Candidate] = []
        for var c in ordered {
            if let overlap = accepted.filter({ $0.range.overlaps(c.range) }).min(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                guard c.kind == .address || c.kind == .personName, overlap.range.lowerBound > c.range.lowerBound else { continue }
                var end = overlap.range.lowerBound
                while end > c.range.lowerBound, t[end - 1] == 0x20 || t[end - 1] == 0x3A || t[end - 1] == 0x2D { end -= 1 }
                guard end - c.range.lowerBound >= 2, !accepted.contains(where: { $0.range.overlaps(c.range.lowerBound..<end) }) else { continue }
                c.range = c.range.lowerBound..<end
                c.normalized = nil
            }
            accepted.append(c)
        }
        return accepted.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    func entities(_ candidates: [Candidate], _ t: ScannedText) -> [PIIEntity] {
        candidates.map { c in
            PIIEntity(
                kind: c.kind, text: t.text(c.range), scalarRange: c.range, utf16Range: t.utf16Range(c.range),
                normalized: c.normalized ?? Self.defaultNormalized(t, c.range))
        }
    }

    /// Folded text without spaces and dots between name parts: 山田 太郎 = 山田太郎, ３丁目 = 3丁目.
    static func defaultNormalized(_ t: ScannedText, _ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        for v in t.folded[range] where v != 0x20 && v != 0x30FB {
            if let u = Unicode.Scalar(v) { s.append(u) }
        }
        return String(s)
    }
}
