/// 二重助詞: 一つの文（かぎかっこの中は別の文）で同じ助詞が読点を挟まずに重なること（「材料不足で代替素材で」）。
struct DoubledParticleRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "doubled-particle", category: .grammar, severity: .info, title: "二重助詞",
        summary: "一つの文で同じ助詞（は・が・で・に・も…）を繰り返すと、係り受けが分かりにくくなります。"
            + "読点で区切るか、言い換えてください。連体の「の」、接続助詞、並立助詞、動詞を挟んだ「を」は対象外です。",
        options: [
            "strict": "「の」や読点を挟んだ重なりも指摘する（既定 false）",
            "allow": "重なってもよい助詞のリスト（例: [\"も\"]）",
            "separators": "文の区切りに加える文字のリスト",
            "commas": "重なりを区切る読点のリスト（既定 「、」「，」「,」）",
        ])

    static let openers: Set<String> = ["「", "『", "（", "(", "“", "【", "〔", "［"]
    static let closers: Set<String> = ["」", "』", "）", ")", "”", "】", "〕", "］"]

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let strict = options.bool("strict", default: false)
        let allow = Set(options.strings("allow", default: []))
        let separators = Set(options.strings("separators", default: options.strings("separatorCharacters", default: [])))
        let commas = Set(options.strings("commas", default: options.strings("commaCharacters", default: ["、", "，", ","])))
        let tokens = text.tokens
        for sentence in text.sentences {
            // One table of particles seen per bracket depth: quoted text is its own sentence.
            var seen: [[String: Int]] = [[:]]
            var lastVerb: [Int] = [-1]
            var k = text.firstToken(atOrAfter: sentence.lowerBound)
            let end = text.firstToken(atOrAfter: sentence.upperBound)
            while k < end {
                let t = tokens[k].info
                if Self.openers.contains(t.surface) {
                    seen.append([:])
                    lastVerb.append(-1)
                    k += 1
                    continue
                }
                if Self.closers.contains(t.surface) {
                    if seen.count > 1 {
                        seen.removeLast()
                        lastVerb.removeLast()
                    }
                    k += 1
                    continue
                }
                if separators.contains(t.surface) || (!strict && commas.contains(t.surface)) {
                    seen[seen.count - 1] = [:]
                    k += 1
                    continue
                }
                if t.pos == "動詞" || t.pos == "形容詞" { lastVerb[lastVerb.count - 1] = k }
                guard t.pos == "助詞" else {
                    k += 1
                    continue
                }
                // Consecutive particles form one unit (には, では, かも).
                var j = k + 1
                var surface = t.surface
                while j < end, tokens[j].start == tokens[j - 1].end, tokens[j].info.pos == "助詞" {
                    surface += tokens[j].info.surface
                    j += 1
                }
                let single = j == k + 1
                let exempt =
                    allow.contains(surface)
                    || (single
                        && (t.pos1 == "接続助詞" || t.pos1 == "並立助詞" || t.pos1 == "終助詞" || t.pos1.hasPrefix("副助詞／並立助詞")
                            || (!strict && (t.surface == "の" || t.pos1 == "連体化"))))
                if !exempt {
                    let key = single ? surface + "/" + t.pos1 : surface
                    let depth = seen.count - 1
                    if let previous = seen[depth][key] {
                        // 「を」 for two different predicates (オブジェクトを返す関数を公開した) is fine.
                        let verbBetween = lastVerb[depth] > previous
                        if strict || !(surface == "を" && verbBetween) {
                            findings.add(
                                tokens[k].start..<tokens[j - 1].end,
                                "一つの文で助詞「\(surface)」が重なっています。読点で区切るか言い換えてください。")
                        }
                    }
                    seen[depth][key] = k
                }
                k = j
            }
        }
    }
}

/// 逆接「が」の連続: 一つの文で逆接の接続助詞「が」を二回以上使うこと。
struct DoubledConjunctiveGaRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "doubled-conjunctive-ga", category: .grammar, severity: .warning, title: "逆接「が」の連続",
        summary: "「〜だが、〜だが、」と逆接の「が」を一文に重ねると論理が追いにくくなります。文を分けてください"
            + "（公用文作成の考え方 2022: 一文を短く、一文に一つの内容）。",
        options: ["separators": "文の区切りとする文字のリスト（既定 。！？ など）"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let units: [Range<Int>]
        if options.has("separators") || options.has("separatorChars") {
            let separators = Set(options.strings("separators", default: options.strings("separatorChars", default: ["。"])).flatMap(\.unicodeScalars).map(\.value))
            units = text.units(separatedBy: separators)
        } else {
            units = text.sentences
        }
        let tokens = text.tokens
        for unit in units {
            var count = 0
            for k in text.tokenIndices(in: unit) {
                let t = tokens[k].info
                guard t.surface == "が", t.pos == "助詞", t.pos1 == "接続助詞" else { continue }
                count += 1
                if count >= 2 {
                    findings.add(tokens[k].range, "一つの文で逆接の「が」が\(count)回使われています。文を分けてください。")
                }
            }
        }
    }
}

/// 同じ接続詞の連続: 続く文で同じ接続詞（しかし…しかし）を繰り返すこと。
struct DoubledConjunctionRule: ProofreadingRule {
    let descriptor = RuleDescriptor(
        id: "doubled-conjunction", category: .grammar, severity: .warning, title: "同じ接続詞の連続",
        summary: "近い文で同じ接続詞（「しかし」「そして」など）を繰り返すと単調で論理も曖昧になります。言い換えるか、不要なら削ってください。",
        options: ["window": "何文先まで比べるか（既定 3）"])

    func check(_ text: ProofText, options: RuleOptions, into findings: inout FindingSink) {
        let window = options.int("window", default: 3)
        let tokens = text.tokens
        var paragraphIndex = 0
        var last: (surface: String, sentence: Int, paragraph: Int)? = nil
        for (n, sentence) in text.sentences.enumerated() {
            while paragraphIndex < text.paragraphs.count && text.paragraphs[paragraphIndex].upperBound < sentence.lowerBound {
                paragraphIndex += 1
            }
            var k = text.firstToken(atOrAfter: sentence.lowerBound)
            while k < tokens.count && tokens[k].start < sentence.upperBound && tokens[k].info.pos == "記号" { k += 1 }
            guard k < tokens.count, tokens[k].start < sentence.upperBound, tokens[k].info.pos == "接続詞" else { continue }
            let surface = tokens[k].info.surface
            if let l = last, l.surface == surface, l.paragraph == paragraphIndex, n - l.sentence <= window {
                findings.add(tokens[k].range, "同じ接続詞「\(surface)」が続けて使われています。言い換えるか削ってください。")
            }
            last = (surface, n, paragraphIndex)
        }
    }
}
