/// 全角文字と半角英数字の間のスペース（既定: 入れない）。
struct HalfFullSpacingRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "half-full-spacing", category: .notation, severity: .info, title: "全角と半角の間のスペース",
        summary: "和文と半角英数字の間には原則としてスペースを入れません（JTF 日本語標準スタイルガイド 3.1.1）。"
            + "入れる方針の団体は options.space を \"always\"（または [\"alphabets\", \"numbers\"]）にしてください。",
        options: [
            "space": "\"never\"（既定）、\"always\"、または [\"alphabets\", \"numbers\"] の一部",
            "allow": "例外とする文字列のリスト（例: [\"E コマース\"]）",
        ])

    static func isJapaneseLetter(_ v: UInt32) -> Bool { CharKind.isKana(v) || CharKind.isKanji(v) }

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let mode: (alphabets: Bool, numbers: Bool)
        switch options.values["space"] {
        case .string("always"): mode = (true, true)
        case .list:
            let l = Set(options.strings("space", default: []))
            mode = (l.contains("alphabets"), l.contains("numbers"))
        default: mode = (false, false)
        }
        let allow = options.strings("allow", default: options.strings("allows", default: []))
        let s = text.scalars
        func isAllowed(_ r: Range<Int>) -> Bool {
            guard !allow.isEmpty else { return false }
            let context = text.string(max(0, r.lowerBound - 20)..<min(s.count, r.upperBound + 20))
            return allow.contains { context.contains($0) }
        }
        func kind(_ v: UInt32) -> (alpha: Bool, digit: Bool) { (CharKind.isASCIILetter(v), CharKind.isASCIIDigit(v)) }
        var i = 0
        while i < s.count {
            let v = s[i].value
            // Spaces between a half-width letter/digit and a Japanese letter.
            if v == 0x20 {
                var j = i
                while j < s.count && s[j].value == 0x20 { j += 1 }
                if i > 0, j < s.count {
                    let a = s[i - 1].value
                    let b = s[j].value
                    let ka = kind(a)
                    let kb = kind(b)
                    let halfThenJapanese = (ka.alpha || ka.digit) && Self.isJapaneseLetter(b)
                    let japaneseThenHalf = Self.isJapaneseLetter(a) && (kb.alpha || kb.digit)
                    if halfThenJapanese || japaneseThenHalf {
                        let half = halfThenJapanese ? ka : kb
                        let wanted = (half.alpha && mode.alphabets) || (half.digit && mode.numbers)
                        if !wanted && !isAllowed(i..<j) {
                            findings.add(i..<j, "全角文字と半角英数字の間にスペースを入れません。", replacement: "")
                        }
                    }
                }
                i = j
                continue
            }
            // Missing spaces when the organisation wants them.
            if (mode.alphabets || mode.numbers), i + 1 < s.count {
                let a = v
                let b = s[i + 1].value
                let ka = kind(a)
                let kb = kind(b)
                let need =
                    (Self.isJapaneseLetter(a) && ((kb.alpha && mode.alphabets) || (kb.digit && mode.numbers)))
                    || (Self.isJapaneseLetter(b) && ((ka.alpha && mode.alphabets) || (ka.digit && mode.numbers)))
                if need && !isAllowed(i..<(i + 2)) {
                    findings.add((i + 1)..<(i + 1), "全角文字と半角英数字の間にスペースを入れます。", replacement: " ")
                }
            }
            i += 1
        }
    }
}

/// 全角文字どうしの間のスペース・かっこの前後のスペース・感嘆符と疑問符の後のスペース。
struct FullwidthSpacingRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "fullwidth-spacing", category: .notation, severity: .warning, title: "和文中のスペース",
        summary: "和文の文字どうしの間、かっこの内側と外側には半角スペースを入れません。文中の「！」「？」の後に文が続くときは全角スペースを入れます。"
            + "カタカナ語の区切り（ユーザー インターフェース）は許します。全角スペースでカタカナ語を区切らず、中点か半角スペースにします。",
        options: ["allowOutsideHalfParentheses": "半角かっこの外側のスペースを許す（既定 true）", "requireOutsideHalfParentheses": "半角かっこの外側にスペースを求める（既定 false）"])

    static let openBrackets: Set<UInt32> = [0x300C, 0x300E, 0xFF08, 0xFF3B, 0x3010, 0x3014, 0xFF5B, 0x3008, 0x300A]
    static let closeBrackets: Set<UInt32> = [0x300D, 0x300F, 0xFF09, 0xFF3D, 0x3011, 0x3015, 0xFF5D, 0x3009, 0x300B]

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let allowOutsideHalf = options.bool("allowOutsideHalfParentheses", default: true)
        let requireOutsideHalf = options.bool("requireOutsideHalfParentheses", default: false)
        let s = text.scalars
        func letter(_ v: UInt32) -> Bool { CharKind.isKana(v) || CharKind.isKanji(v) }
        var i = 0
        while i < s.count {
            let v = s[i].value
            if v == 0x20 {
                var j = i
                while j < s.count && s[j].value == 0x20 { j += 1 }
                if i > 0 && j < s.count {
                    let a = s[i - 1].value
                    let b = s[j].value
                    if a == 0xFF01 || a == 0xFF1F {
                        if letter(b) || Self.openBrackets.contains(b) {
                            findings.add(i..<j, "文中の「\(String(s[i - 1]))」の後に文が続くときは全角スペースを入れます。", replacement: "\u{3000}")
                        }
                    } else if letter(a) && letter(b) && !(CharKind.isKatakana(a) && CharKind.isKatakana(b)) {
                        findings.add(i..<j, "全角文字どうしの間にスペースを入れません。", replacement: "")
                    } else if (Self.openBrackets.contains(b) && (letter(a) || CharKind.isASCIILetter(a) || CharKind.isASCIIDigit(a)))
                        || (Self.closeBrackets.contains(a) && b != 0x0A)
                        || (Self.openBrackets.contains(a) || Self.closeBrackets.contains(b))
                    {
                        findings.add(i..<j, "かっこの外側・内側にスペースを入れません。", replacement: "")
                    } else if !allowOutsideHalf && ((b == 0x28 && letter(a)) || (a == 0x29 && letter(b))) {
                        findings.add(i..<j, "かっこの外側にスペースを入れません。", replacement: "")
                    }
                }
                i = j
                continue
            }
            if v == 0x3000, i > 0, i + 1 < s.count, CharKind.isKatakana(s[i - 1].value), CharKind.isKatakana(s[i + 1].value) {
                findings.add(i..<(i + 1), "カタカナ語の区切りに全角スペースを使いません。中点「・」か半角スペースにしてください。", replacement: "・")
            }
            if requireOutsideHalf {
                if v == 0x28, i > 0, letter(s[i - 1].value) {
                    findings.add(i..<i, "半角かっこの外側に半角スペースを入れます。", replacement: " ")
                }
                if v == 0x29, i + 1 < s.count, letter(s[i + 1].value) {
                    findings.add((i + 1)..<(i + 1), "半角かっこの外側に半角スペースを入れます。", replacement: " ")
                }
            }
            i += 1
        }
    }
}
