/// E-mail addresses: `local@domain.tld`, with full-width letters, digits and ＠ folded first.
///
/// The local part takes the characters RFC 5322 allows unquoted; the domain needs at least one dot and a
/// top-level label of two or more letters. Japanese text around the address is a natural boundary.
struct EmailDetector {
    @inline(__always) static func isLocal(_ v: UInt32) -> Bool {
        if ScannedText.isDigit(v) || ScannedText.isASCIILetter(v) { return true }
        switch v {
        case 0x2E, 0x5F, 0x25, 0x2B, 0x2D, 0x21, 0x23, 0x24, 0x26, 0x27, 0x2A, 0x2F, 0x3D, 0x3F, 0x5E, 0x60, 0x7B, 0x7C, 0x7D, 0x7E:
            return true  // . _ % + - ! # $ & ' * / = ? ^ ` { | } ~
        default: return false
        }
    }

    @inline(__always) static func isDomain(_ v: UInt32) -> Bool {
        ScannedText.isDigit(v) || ScannedText.isASCIILetter(v) || v == 0x2D || v == 0x2E
    }

    func detect(_ t: ScannedText) -> [Candidate] {
        var out: [Candidate] = []
        var lastEnd = 0
        for at in 0..<t.count where t[at] == 0x40 && at >= lastEnd {
            var start = at
            while start > lastEnd, Self.isLocal(t[start - 1]) { start -= 1 }
            // Leading punctuation belongs to the sentence ("(taro@…", "'a@…").
            while start < at, [0x2E, 0x2D, 0x27, 0x60, 0x7B, 0x7C, 0x7E, 0x2F].contains(t[start]) { start += 1 }
            guard start < at, t[at - 1] != 0x2E else { continue }
            var end = at + 1
            while end < t.count, Self.isDomain(t[end]) { end += 1 }
            while end > at + 1, t[end - 1] == 0x2E || t[end - 1] == 0x2D { end -= 1 }  // sentence-final "."
            guard let domain = validDomain(t, (at + 1)..<end) else { continue }
            let local = t.foldedText(start..<at)
            out.append(Candidate(.email, start..<domain.upperBound, normalized: local + "@" + t.foldedText((at + 1)..<domain.upperBound).lowercased()))
            lastEnd = domain.upperBound
        }
        return out
    }

    /// The domain range when it has two or more non-empty labels and an alphabetic TLD of 2+ letters.
    private func validDomain(_ t: ScannedText, _ range: Range<Int>) -> Range<Int>? {
        guard range.count >= 4 else { return nil }
        var labels = 0
        var labelLength = 0
        var tldLetters = true
        for i in range {
            if t[i] == 0x2E {
                if labelLength == 0 { return nil }
                labels += 1
                labelLength = 0
                tldLetters = true
            } else {
                labelLength += 1
                if !ScannedText.isASCIILetter(t[i]) { tldLetters = false }
            }
        }
        guard labelLength >= 2, tldLetters, labels >= 1 else { return nil }
        return range
    }
}
