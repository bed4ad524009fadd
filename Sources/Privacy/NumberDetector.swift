/// マイナンバー, 法人番号, phone numbers and postal codes: everything made of digit groups.
///
/// Each run of digit groups is read once; from each group on, the longest sub-run that forms a valid
/// identifier, phone number or postal code is taken. A sub-run must stand alone: the separator before and
/// after it must be a space (or nothing), and the run must not continue as a longer number, an amount
/// (円, 万) or a count, so a phone number is never carved out of a longer number or a date.
struct NumberDetector {
    let kinds: Set<PIIKind>

    func detect(_ t: ScannedText) -> [Candidate] {
        var out: [Candidate] = []
        var i = 0
        while i < t.count {
            guard ScannedText.isDigit(t[i]), i == 0 || !ScannedText.isDigit(t[i - 1]) else {
                i += 1
                continue
            }
            let run = DigitGroups.read(t, at: i)
            let n = run.groups.count
            var k = 0
            while k < n {
                var matched = false
                for m in stride(from: min(n, k + 5), to: k, by: -1) {
                    // A sub-run must not be glued to its neighbours by a hyphen or bracket.
                    if k > 0 && run.groups[k].separator != 0x20 { continue }
                    if m < n && run.groups[m].separator != 0x20 { continue }
                    let range = run.range(t, k, m)
                    if k == 0 && NumberContext.continuesBefore(t, range.lowerBound) { continue }
                    if m == n && NumberContext.continuesAfter(t, range.upperBound) { continue }
                    if let candidate = classify(t, run, k, m, range) {
                        out.append(candidate)
                        k = m
                        matched = true
                        break
                    }
                }
                if !matched { k += 1 }
            }
            i = run.groups.last.map { $0.range.upperBound } ?? i + 1
        }
        return out
    }

    private func classify(_ t: ScannedText, _ run: DigitGroups, _ k: Int, _ m: Int, _ range: Range<Int>) -> Candidate? {
        let sizes = run.groups[k..<m].map(\.count)
        let total = sizes.reduce(0, +)
        let otherLabel = NumberContext.hasOtherNumberLabel(t, before: range.lowerBound)
        let digits = run.digits(t, k, m)
        let digitString = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)

        if total == 12, sizes == [12] || (sizes == [4, 4, 4] && run.uniformSeparators(k, m)) {
            if kinds.contains(.myNumber), !otherLabel, CheckDigit.isValidMyNumber(digits) {
                return Candidate(.myNumber, range, normalized: digitString)
            }
            return nil  // 12 digits are never a phone number or a postal code
        }
        if total == 13, sizes == [13] || (sizes == [1, 4, 4, 4] && run.uniformSeparators(k, m)) {
            if kinds.contains(.corporateNumber), !otherLabel, CheckDigit.isValidCorporateNumber(digits) {
                return Candidate(.corporateNumber, range, normalized: digitString)
            }
            return nil
        }
        if kinds.contains(.phoneNumber), !otherLabel, let phone = phone(t, run, k, m, range) { return phone }
        if kinds.contains(.postalCode), let postal = postal(t, sizes: sizes, run: run, k: k, m: m, range: range) { return postal }
        return nil
    }

    // MARK: phone numbers

    /// Domestic numbers (0 + 9 or 10 digits) and +81 forms. Grouped numbers must group like Japanese
    /// numbers do: area code 2–5 digits starting with 0, subscriber number 3–4 digits last.
    private func phone(_ t: ScannedText, _ run: DigitGroups, _ k: Int, _ m: Int, _ range: Range<Int>) -> Candidate? {
        var lower = range.lowerBound
        var digits = run.digits(t, k, m)
        var sizes = run.groups[k..<m].map(\.count)
        let plusAt = t[lower - 1] == 0x2B ? lower - 1 : (t[lower - 1] == 0x28 && t[lower - 2] == 0x2B ? lower - 2 : -1)
        if k == 0 && plusAt >= 0 {
            // +81: the country code is the first group, then an optional "(0)", then the number without its 0.
            guard sizes.count >= 2, sizes[0] == 2, digits.starts(with: [8, 1]) else { return nil }
            var first = k + 1
            if run.groups[first].count == 1, t[run.groups[first].range.lowerBound] == 0x30, m - first > 1 { first += 1 }
            let rest = run.digits(t, first, m)
            sizes = run.groups[first..<m].map(\.count)
            if rest.first == 0 {
                digits = rest
            } else {
                digits = [0] + rest
                sizes[0] += 1
            }
            lower = plusAt
        }
        guard digits.count == 10 || digits.count == 11, digits[0] == 0, digits[1] != 0 else { return nil }
        let prefix3 = Array(digits.prefix(3))
        let prefix4 = Array(digits.prefix(4))
        let grouped = sizes.count > 1
        if grouped && sizes.count != 3 { return nil }
        if digits.count == 11 {
            // Mobile 090/080/070/060, IP phone 050, M2M 020 (3-4-4); toll-free 0800 (4-3-4).
            let mobile = [[0, 9, 0], [0, 8, 0], [0, 7, 0], [0, 6, 0], [0, 5, 0], [0, 2, 0]].contains(prefix3)
            let freeDial = prefix4 == [0, 8, 0, 0]
            guard mobile || freeDial else { return nil }
            if grouped && !(sizes == [3, 4, 4] && !freeDial) && !(sizes == [4, 3, 4] && freeDial) { return nil }
        } else {
            // 10 digits: fixed lines (area code 2–5 digits with the local exchange making 6, then 4 digits),
            // 0120 toll-free and 0570 navi-dial (4-3-3 or 4-2-4). Other 0X0 prefixes have 11 digits.
            let service = [[0, 1, 2, 0], [0, 5, 7, 0], [0, 9, 9, 0], [0, 8, 0, 0]].contains(prefix4)
            if prefix3[2] == 0 && [2, 5, 6, 7, 8, 9].contains(prefix3[1]) && !service { return nil }
            if grouped {
                let fixed = (2...5).contains(sizes[0]) && sizes[0] + sizes[1] == 6 && sizes[2] == 4
                let serviceGroups = service && (sizes == [4, 3, 3] || sizes == [4, 2, 4])
                guard fixed || serviceGroups else { return nil }
            }
        }
        let normalized = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        return Candidate(.phoneNumber, lower..<range.upperBound, normalized: normalized)
    }

    // MARK: postal codes

    static let postalLabels: [[UInt32]] = ["郵便番号", "〒", "郵便", "ZIP", "zip", "Zip", "〠"].map { Array(folding: $0) }

    /// NNN-NNNN (or NNNNNNN) after 〒 / 郵便番号, or NNN-NNNN followed by an address (checked by the caller
    /// through `needsAddress`).
    private func postal(_ t: ScannedText, sizes: [Int], run: DigitGroups, k: Int, m: Int, range: Range<Int>) -> Candidate? {
        let hyphenated = sizes == [3, 4] && run.groups[k + 1].separator == 0x2D
        guard hyphenated || sizes == [7] || (sizes == [3, 4] && run.groups[k + 1].separator == 0x20) else { return nil }
        let digits = run.digits(t, k, m)
        let normalized = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        if Self.hasPostalLabel(t, before: range.lowerBound) {
            return Candidate(.postalCode, range, normalized: normalized)
        }
        // Without a label only the hyphenated form counts, and only when an address follows.
        guard hyphenated else { return nil }
        return Candidate(.postalCode, range, normalized: "?" + normalized)
    }

    /// 〒 or 郵便番号 right before the number (spaces, a colon or は in between).
    static func hasPostalLabel(_ t: ScannedText, before start: Int) -> Bool {
        var p = start
        var skipped = 0
        while p > 0, skipped < 3, [0x20, 0x3A, 0x306F, 0x3067, 0x304C, 0x28, 0x29].contains(t[p - 1]) {  // space : は で が ( )
            p -= 1
            skipped += 1
        }
        return postalLabels.contains { t.matches($0, endingAt: p) }
    }
}
