import Foundation

/// 半角カナ: 半角カタカナ（ｶﾀｶﾅ）は全角に。
struct HalfwidthKanaRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "halfwidth-kana", category: .notation, severity: .error, title: "半角カタカナ",
        summary: "半角カタカナは機種や環境によって正しく表示・検索されません。全角カタカナで書きます。")

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let s = text.scalars
        var i = 0
        while i < s.count {
            guard CharKind.isHalfwidthKana(s[i].value) else {
                i += 1
                continue
            }
            var j = i
            while j < s.count && CharKind.isHalfwidthKana(s[j].value) { j += 1 }
            let run = text.string(i..<j)
            let fixed = run.precomposedStringWithCompatibilityMapping
            findings.add(i..<j, "半角カタカナ「\(run)」は全角で「\(fixed)」と書いてください。", replacement: fixed)
            i = j
        }
    }
}

/// 全角英数字: 全角の数字・アルファベットは半角に。
struct FullwidthAlphanumericRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "fullwidth-alphanumeric", category: .notation, severity: .warning, title: "全角英数字",
        summary: "横書きの算用数字とアルファベットは半角で書きます（公用文作成の考え方 2022 は算用数字を使い、全角・半角を統一するよう求めています）。"
            + "全角を使う団体は options.width を \"full\" にしてください。",
        options: ["width": "\"half\"（既定: 全角を指摘）または \"full\"（半角を指摘）"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let wantFull = options.string("width", default: "half") == "full"
        let s = text.scalars
        var i = 0
        while i < s.count {
            let v = s[i].value
            let hit = wantFull ? (CharKind.isASCIIDigit(v) || CharKind.isASCIILetter(v)) : (CharKind.isFullwidthDigit(v) || CharKind.isFullwidthLetter(v))
            guard hit else {
                i += 1
                continue
            }
            var j = i
            while j < s.count {
                let w = s[j].value
                let inRun = wantFull ? (CharKind.isASCIIDigit(w) || CharKind.isASCIILetter(w)) : (CharKind.isFullwidthDigit(w) || CharKind.isFullwidthLetter(w))
                if !inRun { break }
                j += 1
            }
            var fixed = String.UnicodeScalarView()
            for k in i..<j { fixed.append(Unicode.Scalar(wantFull ? s[k].value + 0xFEE0 : s[k].value - 0xFEE0)!) }
            let digits = (i..<j).allSatisfy { CharKind.isDigitLike(s[$0].value) }
            let what = digits ? "数字" : "英数字"
            findings.add(
                i..<j, "\(wantFull ? "半角" : "全角")の\(what)「\(text.string(i..<j))」は\(wantFull ? "全角" : "半角")で「\(String(fixed))」と書いてください。",
                replacement: String(fixed))
            i = j
        }
    }
}

/// 不自然なアルファベット: かな漢字変換の取り残し（「かいsじ」「入力sれた」）。
struct UnnaturalAlphabetRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "unnatural-alphabet", category: .notation, severity: .warning, title: "不自然なアルファベット",
        summary: "かなの間に小文字のアルファベットが1〜2文字だけあるのは、かな漢字変換の取り残しであることが多いです。",
        options: ["allow": "許す文字列のリスト（/…/ で囲むと正規表現）"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let allow = options.strings("allow", default: [])
        let s = text.scalars
        var i = 1
        while i < s.count {
            let v = s[i].value
            guard v >= 0x61 && v <= 0x7A, CharKind.isKana(s[i - 1].value) else {
                i += 1
                continue
            }
            var j = i
            while j < s.count && s[j].value >= 0x61 && s[j].value <= 0x7A { j += 1 }
            if j - i <= 2, j < s.count, CharKind.isKana(s[j].value) || CharKind.isKanji(s[j].value) {
                let context = text.string(max(0, i - 8)..<min(s.count, j + 8))
                let allowed = allow.contains { pattern in
                    if pattern.count > 2, pattern.hasPrefix("/"), pattern.hasSuffix("/"),
                        let regex = try? Regex(String(pattern.dropFirst().dropLast()))
                    {
                        return context.contains(regex)
                    }
                    return context.contains(pattern)
                }
                if !allowed { findings.add(i..<j, "不自然なアルファベット「\(text.string(i..<j))」があります。変換の誤りではありませんか。") }
            }
            i = j
        }
    }
}

/// 制御文字: 表示されない制御文字（貼り付けで紛れ込む）。
struct ControlCharacterRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "control-character", category: .notation, severity: .error, title: "制御文字",
        summary: "タブ・改行以外の制御文字（NUL、ベル、エスケープ、ゼロ幅文字など）は表示されず、検索や印刷で問題を起こします。削除してください。")

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        for (i, s) in text.scalars.enumerated() {
            let v = s.value
            let control = (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F || (v >= 0x80 && v < 0xA0)
                || v == 0x200B || v == 0x200C || v == 0x200D || v == 0x2060 || (v == 0xFEFF && i > 0)
            if control {
                findings.add(i..<(i + 1), String(format: "制御文字 U+%04X があります。削除してください。", v), replacement: "")
            }
        }
    }
}

/// 助数詞の「か」: 「3ヶ月」「5ケ所」は「3か月」「5か所」。
struct CounterKaRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "counter-ka", category: .koyobun, severity: .warning, title: "助数詞の「か」",
        summary: "「3か月」「5か所」のように、助数詞の「ヶ」「ケ」「カ」「ヵ」は平仮名の「か」で書きます（公用文作成の考え方 2022）。")

    static let marks: Set<UInt32> = [0x30F6, 0x30B1, 0x30AB, 0x30F5]  // ヶ ケ カ ヵ
    static let counters: Set<UInt32> = Set("月所年国条村町回日間".unicodeScalars.map(\.value))
    static let numerals: Set<UInt32> = Set("0123456789０１２３４５６７８９一二三四五六七八九十百千数何幾".unicodeScalars.map(\.value))

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let s = text.scalars
        guard s.count >= 3 else { return }
        for i in 1..<(s.count - 1) where Self.marks.contains(s[i].value) {
            guard Self.numerals.contains(s[i - 1].value), Self.counters.contains(s[i + 1].value) else { continue }
            // 「カ月」 is ambiguous only in katakana words; a numeral before it settles it.
            findings.add(i..<(i + 1), "助数詞の「\(String(s[i]))」は「か」と書きます（\(String(s[i - 1]))か\(String(s[i + 1]))）。", replacement: "か")
        }
    }
}
