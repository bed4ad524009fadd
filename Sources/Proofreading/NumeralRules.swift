/// 漢数字と算用数字: 横書きで数を数える語は算用数字（二十回 → 20回）、慣用句・概数は漢数字（数10億 → 数十億、1般 → 一般）。
struct NumeralStyleRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "numeral-style", category: .koyobun, severity: .warning, title: "算用数字と漢数字",
        summary: "横書きの公用文では、数を数える語は算用数字で書きます（二十回 → 20回）。ただし慣用的な語・熟語（一般、一部分、唯一）"
            + "と概数（数十億、何百年）は漢数字です（公用文作成の考え方 2022「数字を使う際の注意」）。")

    static let digits: [UInt32: Int] = [
        0x3007: 0, 0x4E00: 1, 0x4E8C: 2, 0x4E09: 3, 0x56DB: 4, 0x4E94: 5, 0x516D: 6, 0x4E03: 7, 0x516B: 8, 0x4E5D: 9,
    ]
    static let units: [UInt32: Int] = [0x5341: 10, 0x767E: 100, 0x5343: 1000]
    static let counters: [String] = [
        "回", "人", "個", "件", "円", "年", "月", "日", "時間", "分", "秒", "歳", "枚", "本", "台", "冊", "階", "号", "条", "項",
        "点", "倍", "割", "名", "通", "校", "社", "世帯", "か所", "か月", "か年", "週", "キロ", "メートル", "ページ", "パーセント", "%",
    ]
    /// Idioms written in kanji that a careless conversion turns into arabic digits.
    static let idioms: [(wrong: String, right: String)] = [
        ("1般", "一般"), ("1部分", "一部分"), ("1時的", "一時的"), ("朝1番", "朝一番"), ("1層", "一層"), ("1段と", "一段と"),
        ("1斉", "一斉"), ("1律", "一律"), ("1切", "一切"), ("1概", "一概"), ("1環", "一環"), ("統1", "統一"), ("唯1", "唯一"),
        ("単1", "単一"), ("均1", "均一"), ("同1", "同一"), ("万1", "万一"), ("1旦", "一旦"), ("1応", "一応"), ("1緒", "一緒"),
        ("1生懸命", "一生懸命"), ("1石2鳥", "一石二鳥"), ("1人1人", "一人一人"), ("1人ひとり", "一人ひとり"),
    ]

    /// Value of a kanji numeral run (二十 → 20, 百二十 → 120, 二〇二六 → 2026), or nil.
    static func value(_ run: [UInt32]) -> Int? {
        if run.allSatisfy({ digits[$0] != nil }) { return run.reduce(0) { $0 * 10 + digits[$1]! } }
        var total = 0
        var current = 0
        for v in run {
            if let d = digits[v] {
                current = current * 10 + d
            } else if let u = units[v] {
                total += (current == 0 ? 1 : current) * u
                current = 0
            } else {
                return nil
            }
        }
        return total + current
    }

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let s = text.scalars
        var i = 0
        while i < s.count {
            let v = s[i].value
            guard Self.digits[v] != nil || Self.units[v] != nil else {
                i += 1
                continue
            }
            var j = i
            while j < s.count && (Self.digits[s[j].value] != nil || Self.units[s[j].value] != nil) { j += 1 }
            let run = s[i..<j].map(\.value)
            let before = i > 0 ? s[i - 1].value : 0
            let approximate = before == 0x6570 || before == 0x4F55 || before == 0x5E7E  // 数 何 幾
            let counted = run.count >= 2 && (run.contains { Self.units[$0] != nil } || run.allSatisfy { Self.digits[$0] != nil })
            if counted && !approximate && !(CharKind.isKanji(before) && before != 0x7B2C), let value = Self.value(run) {  // 第 is fine
                let rest = text.string(j..<min(s.count, j + 5))
                if let counter = Self.counters.first(where: { rest.hasPrefix($0) }) {
                    findings.add(
                        i..<j, "数を数える語は算用数字で書きます: 「\(text.string(i..<j))\(counter)」→「\(value)\(counter)」。",
                        replacement: String(value))
                }
            }
            i = j
        }
        // 概数 in arabic digits: 数10億 → 数十億.
        for i in 0..<max(0, s.count - 1) where [0x6570, 0x4F55, 0x5E7E].contains(s[i].value) && CharKind.isASCIIDigit(s[i + 1].value) {
            var j = i + 1
            while j < s.count && CharKind.isASCIIDigit(s[j].value) { j += 1 }
            let number = text.string((i + 1)..<j)
            let kanji = ["10": "十", "100": "百", "1000": "千"][number]
            findings.add(
                (i + 1)..<j, "概数は漢数字で書きます（\(String(s[i]))\(kanji ?? "十")…）。", replacement: kanji)
        }
        // Idioms.
        let whole = text.text
        if whole.unicodeScalars.contains(where: { CharKind.isASCIIDigit($0.value) }) {
            for idiom in Self.idioms { text.forEachOccurrence(of: idiom.wrong) { r in
                findings.add(r, "慣用的な語は漢数字で書きます: 「\(idiom.wrong)」→「\(idiom.right)」。", replacement: idiom.right)
            } }
        }
    }
}

/// 数字の区切り: 小数点はピリオド（0,1 → 0.1）、桁区切りはコンマ。
struct NumberPunctuationRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "number-punctuation", category: .notation, severity: .warning, title: "数字の区切り",
        summary: "小数点には「.」（ピリオド）、位取りには三桁ごとの「,」（コンマ）を使います。全角の「，」「．」は数字の中では半角にします。")

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let s = text.scalars
        guard s.count >= 3 else { return }
        for i in 1..<(s.count - 1) {
            let v = s[i].value
            let prevDigit = CharKind.isASCIIDigit(s[i - 1].value)
            let nextDigit = CharKind.isASCIIDigit(s[i + 1].value)
            guard prevDigit && nextDigit else { continue }
            if v == 0xFF0C || v == 0xFF0E {
                findings.add(i..<(i + 1), "数字の中の全角「\(String(s[i]))」は半角にしてください。", replacement: v == 0xFF0C ? "," : ".")
            } else if v == 0x2C {
                // 0,1 is a decimal comma; a thousands group always has exactly three digits.
                var start = i - 1
                while start > 0 && CharKind.isASCIIDigit(s[start - 1].value) { start -= 1 }
                var end = i + 1
                while end < s.count && CharKind.isASCIIDigit(s[end].value) { end += 1 }
                let leadingZero = i - start == 1 && s[start].value == 0x30
                if leadingZero && end - i - 1 != 3 {
                    findings.add(i..<(i + 1), "小数点には「.」（ピリオド）を使います。", replacement: ".")
                }
            }
        }
    }
}
