/// Check digits of the two national identifier numbers.
public enum CheckDigit {
    /// 個人番号 (My Number), 12 digits, the last one the check digit.
    ///
    /// 平成26年総務省令第85号 第5条: check = 11 − (Σ Pn×Qn mod 11), or 0 when the remainder is ≤ 1, where Pn is
    /// the n-th digit counted from the lowest digit of the 11-digit base and Qn = n+1 (n ≤ 6), n−5 (n ≥ 7).
    public static func isValidMyNumber<C: Collection>(_ digits: C) -> Bool where C.Element == UInt8 {
        guard digits.count == 12, digits.allSatisfy({ $0 <= 9 }) else { return false }
        let d = Array(digits)
        var sum = 0
        for n in 1...11 {
            let p = Int(d[11 - n])
            let q = n <= 6 ? n + 1 : n - 5
            sum += p * q
        }
        let remainder = sum % 11
        let check = remainder <= 1 ? 0 : 11 - remainder
        return Int(d[11]) == check
    }

    /// 法人番号 (corporate number), 13 digits, the *first* one the check digit.
    ///
    /// 平成26年財務省令第70号 第2条: check = 9 − (Σ Pn×Qn mod 9), where Pn is the n-th digit from the lowest
    /// of the 12-digit base and Qn = 1 for odd n, 2 for even n.
    public static func isValidCorporateNumber<C: Collection>(_ digits: C) -> Bool where C.Element == UInt8 {
        guard digits.count == 13, digits.allSatisfy({ $0 <= 9 }) else { return false }
        let d = Array(digits)
        var sum = 0
        for n in 1...12 {
            let p = Int(d[13 - n])
            sum += p * (n % 2 == 1 ? 1 : 2)
        }
        return Int(d[0]) == 9 - sum % 9
    }

    /// Convenience over strings of ASCII or full-width digits (other characters make it invalid).
    public static func isValidMyNumber(_ s: String) -> Bool { digits(s).map(isValidMyNumber) ?? false }
    public static func isValidCorporateNumber(_ s: String) -> Bool { digits(s).map(isValidCorporateNumber) ?? false }

    static func digits(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        for u in s.unicodeScalars {
            let v = ScannedText.fold(u.value)
            guard ScannedText.isDigit(v) else { return nil }
            out.append(UInt8(v - 0x30))
        }
        return out
    }
}
