/// Converts Japanese numerals to Arabic digits so that 第二条, 第2条 and 第２条 index alike.
public enum KanjiNumber {
    static let digits: [UInt32: Int] = [
        0x3007: 0, 0x96F6: 0, 0x4E00: 1, 0x4E8C: 2, 0x4E09: 3, 0x56DB: 4, 0x4E94: 5, 0x516D: 6, 0x4E03: 7,
        0x516B: 8, 0x4E5D: 9, 0x58F1: 1, 0x5F10: 2, 0x53C2: 3,  // 〇零一二三四五六七八九 壱弐参
    ]
    static let smallUnits: [UInt32: Int] = [0x5341: 10, 0x62FE: 10, 0x767E: 100, 0x5343: 1000]  // 十拾百千
    static let bigUnits: [UInt32: Int] = [0x4E07: 10_000, 0x5104: 100_000_000, 0x5146: 1_000_000_000_000]  // 万億兆

    /// Returns the value of a run of digits and kanji numerals, or nil when the run is not a number
    /// (or does not fit in Int). "二〇二四" → 2024, "千二百" → 1200, "3万" → 30000, "十五" → 15.
    public static func value<S: Sequence>(of scalars: S) -> Int? where S.Element == UInt32 {
        var total = 0  // completed 万/億 groups
        var section = 0  // below the current big unit
        var current = -1  // digits being read, -1 when none
        var sawAny = false
        var positional = true  // only digits so far: "二〇二四" is read digit by digit
        for v in scalars {
            sawAny = true
            if v >= 0x30 && v <= 0x39 {
                let d = Int(v - 0x30)
                current = current < 0 ? d : current.multipliedReportingOverflow(by: 10).partialValue + d
            } else if let d = digits[v] {
                current = current < 0 ? d : current * 10 + d
            } else if let unit = smallUnits[v] {
                positional = false
                section += (current < 0 ? 1 : current) * unit
                current = -1
            } else if let unit = bigUnits[v] {
                positional = false
                let group = section + max(current, 0)
                let (product, overflow) = (group == 0 ? 1 : group).multipliedReportingOverflow(by: unit)
                if overflow { return nil }
                total += product
                section = 0
                current = -1
            } else {
                return nil
            }
            if current > 1_000_000_000_000_000 { return nil }
        }
        guard sawAny else { return nil }
        if positional { return max(current, 0) }
        return total + section + max(current, 0)
    }

    /// Convenience over a String (tests, query display).
    public static func value(of text: String) -> Int? {
        value(of: text.unicodeScalars.map(\.value))
    }
}
