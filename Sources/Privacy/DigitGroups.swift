/// A run of digit groups joined by single separators, as numbers are written by hand:
/// `1234 5678 9012`, `03-1234-5678`, `(03)1234-5678`, `03(1234)5678`, `+81 (0)90 1234 5678`.
struct DigitGroups {
    struct Group {
        var range: Range<Int>
        /// The separator scalar before this group: 0 for the first group, `-`, space, `(` or `)`.
        var separator: UInt32
        var count: Int { range.count }
    }

    var groups: [Group]

    /// Reads the digit groups starting at the digit at `i`. A separator is one `-`, one space or a bracket
    /// (`)` after an area code, `(` before a local exchange), and must be followed by a digit.
    static func read(_ t: ScannedText, at i: Int) -> DigitGroups {
        var groups: [Group] = []
        var p = i
        var separator: UInt32 = 0
        while p < t.count, ScannedText.isDigit(t[p]) {
            let a = p
            while p < t.count, ScannedText.isDigit(t[p]) { p += 1 }
            groups.append(Group(range: a..<p, separator: separator))
            if groups.count == 8 { break }
            let c = t[p]
            if (c == 0x2D || c == 0x20 || c == 0x28 || c == 0x29) && ScannedText.isDigit(t[p + 1]) {
                separator = c
                p += 1
            } else if (c == 0x2D || c == 0x20) && t[p + 1] == 0x28 && ScannedText.isDigit(t[p + 2]) {
                separator = 0x28  // "+81 (0)3-…"
                p += 2
            } else if c == 0x29 && (t[p + 1] == 0x2D || t[p + 1] == 0x20) && ScannedText.isDigit(t[p + 2]) {
                separator = 0x29  // "(03) 1234-5678"
                p += 2
            } else {
                break
            }
        }
        return DigitGroups(groups: groups)
    }

    /// Digit values of groups `k..<m`.
    func digits(_ t: ScannedText, _ k: Int, _ m: Int) -> [UInt8] {
        var out: [UInt8] = []
        for g in groups[k..<m] { for i in g.range { out.append(UInt8(t[i] - 0x30)) } }
        return out
    }

    func digitCount(_ k: Int, _ m: Int) -> Int { groups[k..<m].reduce(0) { $0 + $1.count } }

    /// The scalar range of groups `k..<m`, with a bracket that opens before the first group or closes
    /// right after the last one when the other half is inside.
    func range(_ t: ScannedText, _ k: Int, _ m: Int) -> Range<Int> {
        var lower = groups[k].range.lowerBound
        var upper = groups[m - 1].range.upperBound
        let inside = groups[(k + 1)..<m]
        if t[lower - 1] == 0x28, inside.contains(where: { $0.separator == 0x29 }) { lower -= 1 }
        if t[upper] == 0x29, inside.contains(where: { $0.separator == 0x28 }) { upper += 1 }
        return lower..<upper
    }

    /// True when every separator inside `k..<m` is the same one (4-4-4 groups are not mixed).
    func uniformSeparators(_ k: Int, _ m: Int) -> Bool {
        guard m - k > 1 else { return true }
        let s = groups[k + 1].separator
        return groups[(k + 1)..<m].allSatisfy { $0.separator == s } && (s == 0x2D || s == 0x20)
    }
}

/// Characters around a number that make it part of an amount, a count, a date or a longer number.
enum NumberContext {
    static let unitScalars: Set<UInt32> = Set(Array(folding: "円万億兆千百年月日時分秒件個人名回歳倍枚本台冊株票点坪度位番号階室泊ヶヵカ箇週代才"))

    /// True when the number ending at `end` continues as a longer number or is followed by a unit.
    static func continuesAfter(_ t: ScannedText, _ end: Int) -> Bool {
        let c = t[end]
        if ScannedText.isDigit(c) || c == 0x25 || unitScalars.contains(c) { return true }
        if (c == 0x2D || c == 0x2C || c == 0x2E || c == 0x2F || c == 0x3A) && ScannedText.isDigit(t[end + 1]) { return true }
        if ScannedText.isASCIILetter(c) && ScannedText.isASCIILetter(t[end + 1]) && !isAllowedTrailingWord(t, end) { return true }  // 10kg
        return false
    }

    /// True when the number starting at `start` is the tail of a longer number or an amount.
    static func continuesBefore(_ t: ScannedText, _ start: Int) -> Bool {
        guard start > 0 else { return false }
        let c = t[start - 1]
        if ScannedText.isDigit(c) { return true }
        if (c == 0x2D || c == 0x2C || c == 0x2E || c == 0x2F || c == 0x3A) && ScannedText.isDigit(t[start - 2]) { return true }
        if c == 0xA5 || c == 0xFFE5 || c == 0x24 || c == 0x5C || c == 0x23 { return true }  // ¥ ￥ $ \ #
        return false
    }

    /// "03-1234-5678まで" is fine; "1234abc" is a code, but "…5678 ext. 12" or "…5678 TEL" are not.
    static func isAllowedTrailingWord(_ t: ScannedText, _ end: Int) -> Bool {
        var p = end
        var word: [UInt32] = []
        while ScannedText.isASCIILetter(t[p]), word.count < 5 {
            word.append(t[p] | 0x20)
            p += 1
        }
        return word == Array("ext".unicodeScalars.map(\.value)) || word == Array("tel".unicodeScalars.map(\.value))
            || word == Array("fax".unicodeScalars.map(\.value))
    }

    /// Labels of other kinds of numbers: a 12-digit order number is not a My Number even when its last
    /// digit happens to check, and a 10-digit account number is not a phone number.
    static let otherNumberLabels: [[UInt32]] = [
        "注文", "受注", "発注", "受付", "伝票", "会員", "管理", "口座", "顧客", "契約", "証券", "請求", "整理", "予約",
        "商品", "品番", "型番", "製造", "シリアル", "学籍", "社員", "職員", "受験", "認証", "問合せ番号", "問い合わせ番号",
        "お問合せ番号", "追跡", "送り状", "取引", "決済", "案件", "文書", "通知番号", "事業者番号", "保険者番号", "記号番号",
        "被保険者番号", "証番号", "ID", "No", "Order", "order",
    ].map { Array(folding: $0) }

    /// Labels that name the number as personal data; a closer one of these overrides an other-number label.
    static let personalNumberLabels: [[UInt32]] = [
        "個人番号", "マイナンバー", "法人番号", "電話", "TEL", "Tel", "tel", "携帯", "FAX", "Fax", "fax", "連絡先",
    ].map { Array(folding: $0) }

    /// True when the 12 scalars before `start` hold an other-number label that is nearer than any
    /// personal-number label.
    static func hasOtherNumberLabel(_ t: ScannedText, before start: Int) -> Bool {
        let from = max(0, start - 12)
        var otherAt = -1
        var personalAt = -1
        for p in from..<start {
            if otherNumberLabels.contains(where: { t.matches($0, at: p) }) { otherAt = p }
            if personalNumberLabels.contains(where: { t.matches($0, at: p) }) { personalAt = p }
        }
        return otherAt >= 0 && otherAt > personalAt
    }
}
