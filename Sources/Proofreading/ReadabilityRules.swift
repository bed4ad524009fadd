import Foundation

/// 読点の数: 一文に読点が多すぎる（既定 4 個以上）。名詞を並べる読点は数えない。
struct CommaCountRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "comma-count", category: .readability, severity: .info, title: "読点の数",
        summary: "一文に読点が多いのは、文が長く論点が多すぎる印です。文を分けてください。語を並べる読点（A、B、C）は数えません。",
        options: [
            "max": "一文に許す読点の数（既定 3）", "commas": "読点とみなす文字（既定 「、」「，」）",
            "periods": "文の区切りとする文字（既定: 。．！？ と改行）",
        ])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let max = options.int("max", default: 3)
        let commas = Set(options.strings("commas", default: ["、", "，"]))
        let tokens = text.tokens
        let units =
            options.has("periods")
            ? text.units(separatedBy: Set(options.strings("periods", default: []).flatMap(\.unicodeScalars).map(\.value)))
            : text.sentences
        for sentence in units {
            let range = text.tokenIndices(in: sentence)
            var count = 0
            for k in range where commas.contains(tokens[k].info.surface) {
                // A comma between two nouns lists items: not a clause break.
                let before = k > range.lowerBound ? tokens[k - 1].info : nil
                var n = k + 1
                while n < range.upperBound, tokens[n].info.pos == "記号" && !commas.contains(tokens[n].info.surface) { n += 1 }
                let after = n < range.upperBound ? tokens[n].info : nil
                if let b = before, let a = after, b.pos == "名詞", a.pos == "名詞" || a.pos == "接頭詞" { continue }
                count += 1
                if count == max + 1 {
                    findings.add(tokens[k].range, "一文で読点を\(max + 1)つ以上使っています。文を分けてください。")
                }
            }
        }
    }
}

/// 漢字の連続: 漢字が長く続くと読みにくい（既定 9 文字以上）。
struct KanjiRunRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "kanji-run", category: .readability, severity: .info, title: "漢字の連続",
        summary: "漢字が長く続く語は読みにくくなります。助詞を補って「〜の〜」と分けるなどしてください。"
            + "既定は公用文の複合語（個人情報保護条例）に合わせて 8 文字までを許します。",
        options: ["max": "続けてよい漢字の数（既定 8）", "allow": "長くてもよい語のリスト"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let max = options.int("max", default: 8)
        let allow = options.strings("allow", default: [])
        let s = text.scalars
        var i = 0
        while i < s.count {
            guard CharKind.isKanji(s[i].value) else {
                i += 1
                continue
            }
            var j = i
            while j < s.count && CharKind.isKanji(s[j].value) { j += 1 }
            if j - i > max {
                var run = text.string(i..<j)
                for word in allow where !word.isEmpty { run = run.replacingOccurrences(of: word, with: "・") }
                let longest = run.split(separator: "・").map { $0.unicodeScalars.count }.max() ?? 0
                if longest > max {
                    findings.add(i..<j, "漢字が\(j - i)文字続いています: \(text.string(i..<j))。\(max)文字以内になるよう分けてください。")
                }
            }
            i = j
        }
    }
}

/// 一文の長さ: 長すぎる文（既定 100 文字超）。
struct SentenceLengthRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "sentence-length", category: .readability, severity: .info, title: "一文の長さ",
        summary: "「公用文作成の考え方」(2022) は一文を短くすること（目安 50〜60 字）を勧めています。長い文は分けてください。",
        options: ["max": "一文の最大文字数（既定 100）"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let max = options.int("max", default: 100)
        for sentence in text.sentences where sentence.count > max {
            findings.add(sentence, "一文が\(sentence.count)文字あります（目安 \(max) 文字以内）。文を分けてください。")
        }
    }
}
