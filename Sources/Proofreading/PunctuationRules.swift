/// 句読点: 和文の句読点は「、」「。」（「，」「．」や半角の「,」「.」を使わない）。
struct PunctuationMarksRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "punctuation-marks", category: .koyobun, severity: .warning, title: "句読点",
        summary: "「公用文作成の考え方」(2022) は、横書きでも読点に「、」を用いることを原則としました（従来の「，」から変更）。"
            + "句点は「。」です。和文の中の半角「,」「.」も指摘します。",
        options: ["comma": "読点（既定 「、」。「，」を使う団体は \"，\"）", "period": "句点（既定 「。」）"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let comma = options.string("comma", default: "、")
        let period = options.string("period", default: "。")
        let commaValue = comma.unicodeScalars.first!.value
        let periodValue = period.unicodeScalars.first!.value
        let s = text.scalars
        for i in s.indices {
            let v = s[i].value
            guard v == 0x2C || v == 0x2E || v == 0xFF0C || v == 0xFF0E || v == 0x3001 || v == 0x3002 else { continue }
            let prev = i > 0 ? s[i - 1].value : 0
            let next = i + 1 < s.count ? s[i + 1].value : 0x0A
            let isComma = v == 0x2C || v == 0xFF0C || v == 0x3001
            if v == (isComma ? commaValue : periodValue) { continue }
            // Only in Japanese text: a Japanese character before, and Japanese, a space or the line end after.
            guard CharKind.isKana(prev) || CharKind.isKanji(prev) || ProofText.isClosing(prev) && prev > 0x3000 else { continue }
            if v == 0x2E || v == 0xFF0E {
                guard next == 0x20 || next == 0x0A || next == 0x0D || next == 0x3000 || CharKind.isJapanese(next) else { continue }
            } else if v == 0x2C {
                guard next == 0x20 || CharKind.isJapanese(next) || CharKind.isASCIILetter(next) else { continue }
            }
            let replacement = isComma ? comma : period
            findings.add(i..<(i + 1), "和文の\(isComma ? "読点" : "句点")は「\(replacement)」を使います。", replacement: replacement)
        }
    }
}

/// 記号の全角・半角: 和文中の半角記号（? ! ; : ~ -）と、和文を囲む半角かっこ。
struct SymbolWidthRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "symbol-width", category: .notation, severity: .warning, title: "記号の全角・半角",
        summary: "和文の中の疑問符・感嘆符・コロン・波線・かっこは全角（？！：～（）［］）で書きます。")

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let s = text.scalars
        let japanese = text.isJapaneseLetter
        for i in s.indices {
            let v = s[i].value
            switch v {
            case 0x3F, 0x21:  // ? !
                if japanese(i - 1) {
                    let full = v == 0x3F ? "？" : "！"
                    findings.add(i..<(i + 1), "和文の\(v == 0x3F ? "疑問符" : "感嘆符")は全角「\(full)」で書きます。", replacement: full)
                }
            case 0x3A:  // :
                if japanese(i - 1) && (i + 1 >= s.count || s[i + 1].value != 0x2F) {
                    findings.add(i..<(i + 1), "和文のコロンは全角「：」で書きます。", replacement: "：")
                }
            case 0x7E:  // ~
                if japanese(i - 1) && japanese(i + 1) || japanese(i - 1) && i + 1 < s.count && CharKind.isASCIIDigit(s[i + 1].value) {
                    findings.add(i..<(i + 1), "範囲を表す波線は全角「～」で書きます。", replacement: "～")
                }
            case 0x5B, 0x5D:  // [ ]
                if japanese(i - 1) || japanese(i + 1) {
                    let full = v == 0x5B ? "［" : "］"
                    findings.add(i..<(i + 1), "和文の大かっこは全角「\(full)」で書きます。", replacement: full)
                }
            case 0x28:  // ( … ) with Japanese inside
                guard let close = (i + 1..<min(s.count, i + 200)).first(where: { s[$0].value == 0x29 || s[$0].value == 0x0A }), s[close].value == 0x29
                else { continue }
                if (i + 1..<close).contains(where: { japanese($0) }) {
                    findings.add(i..<(i + 1), "和文を囲むかっこは全角「（」で書きます。", replacement: "（")
                    findings.add(close..<(close + 1), "和文を囲むかっこは全角「）」で書きます。", replacement: "）")
                }
            default: continue
            }
        }
    }
}

/// かっこの対応: 開きかっこと閉じかっこの数が合わない（段落ごと）。
struct BracketPairRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "bracket-pairs", category: .notation, severity: .error, title: "かっこの対応",
        summary: "「」『』（）［］｛｝〈〉【】などのかっこは、開きと閉じを対にします。閉じ忘れ・開き忘れを段落ごとに指摘します。")

    static let pairs: [(UInt32, UInt32)] = [
        (0x300C, 0x300D), (0x300E, 0x300F), (0xFF08, 0xFF09), (0x28, 0x29), (0xFF3B, 0xFF3D), (0x5B, 0x5D), (0xFF5B, 0xFF5D),
        (0x7B, 0x7D), (0x3008, 0x3009), (0x3010, 0x3011), (0x3014, 0x3015), (0x300A, 0x300B), (0x3C, 0x3E),
    ]

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let s = text.scalars
        for paragraph in text.paragraphs {
            // Only paragraphs with Japanese text: code and formulas use brackets differently.
            guard s[paragraph].contains(where: { CharKind.isKana($0.value) || CharKind.isKanji($0.value) }) else { continue }
            for (open, close) in Self.pairs {
                var stack: [Int] = []
                for i in paragraph {
                    let v = s[i].value
                    if v == open {
                        if open == 0x3C, i + 1 < s.count, s[i + 1].value == 0x20 || s[i + 1].value == 0x3D { continue }  // a < b, <=
                        stack.append(i)
                    } else if v == close {
                        if close == 0x3E, stack.isEmpty { continue }  // -> and > comparisons
                        if close == 0x29, stack.isEmpty, i > paragraph.lowerBound, CharKind.isASCIIDigit(s[i - 1].value) || CharKind.isASCIILetter(s[i - 1].value),
                            i - 1 == paragraph.lowerBound || !CharKind.isASCIIDigit(s[i - 2].value) && !CharKind.isASCIILetter(s[i - 2].value)
                        {
                            continue  // list markers: 1) a)
                        }
                        if stack.isEmpty {
                            findings.add(i..<(i + 1), "「\(String(s[i]))」に対応する「\(String(Unicode.Scalar(open)!))」がありません。")
                        } else {
                            stack.removeLast()
                        }
                    }
                }
                for i in stack {
                    findings.add(i..<(i + 1), "「\(String(s[i]))」に対応する「\(String(Unicode.Scalar(close)!))」がありません。")
                }
            }
        }
    }
}

/// かっこ内の句点（JTF スタイル）: 閉じかっこの直前の「。」を打たない。公用文とは逆の約束なので既定では無効。
struct PeriodBeforeClosingBracketRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "period-before-closing-bracket", category: .notation, severity: .warning, title: "閉じかっこ前の句点（JTF）",
        summary: "JTF 日本語標準スタイルガイドは、文中のかっこの閉じの前に句点を打ちません（「発売します」と述べた）。"
            + "「公用文作成の考え方」(2022) は括弧の中で文が終わるときに句点を打つため、既定では無効です。",
        enabledByDefault: false)

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let s = text.scalars
        for i in s.indices.dropLast() where s[i].value == 0x3002 && (s[i + 1].value == 0x300D || s[i + 1].value == 0xFF09) {
            findings.add(i..<(i + 1), "閉じかっこの前に句点を打ちません。", replacement: "")
        }
    }
}

/// 和文で使わない記号: セミコロン（;）とハイフン（-、住所・電話番号の区切りを除く）。
struct UnusedSymbolRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "unused-symbols", category: .notation, severity: .warning, title: "和文で使わない記号",
        summary: "セミコロン（;）とハイフン（-）は和文では使いません。ハイフンは住所・電話番号などの数字の区切りにだけ使います。")

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let s = text.scalars
        let japanese = text.isJapaneseLetter
        for i in s.indices {
            let v = s[i].value
            switch v {
            case 0x3B:  // ;
                if japanese(i - 1) { findings.add(i..<(i + 1), "和文ではセミコロン（;）を使いません。句点や読点で区切ってください。") }
            case 0x2D:  // -
                let next = i + 1 < s.count ? s[i + 1].value : 0
                if japanese(i - 1) && !CharKind.isASCIIDigit(next) && next != 0x2D {
                    findings.add(i..<(i + 1), "和文ではハイフン（-）を使いません（住所・電話番号の区切りを除く）。「から」「～」「・」などにしてください。")
                }
            default: continue
            }
        }
    }
}
