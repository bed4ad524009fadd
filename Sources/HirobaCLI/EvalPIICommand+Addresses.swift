import Foundation
import Privacy

/// Where the gold address lies inside an `input` of address_normalization_cases.jsonl.
///
/// The gold fields (pref, county, city, ward, oaza_cho, chome, koaza, blk_num) are *normalised* values
/// (七丁目, 大字尻内町, 豊川町) while the input is as written (７丁目, 尻内町, 豊川８－１９). Matching rule:
/// each present field is searched in the input, in order, from where the previous one ended, after folding
/// width, dashes, ケ/ヶ and 之/ノ/の, with variants (kanji numerals as digits, 大字/字 dropped, a trailing
/// 町 or 条 dropped, the bare number of a 丁目); if none matches, its longest prefix of two or more
/// characters that matches is used. A field that still cannot be found (mojibake, a field the input omits,
/// such as the prefecture of 千代田区紀尾井町) is skipped. The gold span runs from the first located field
/// to the end of the last located field; a case is found when one detected 住所 span covers it.
struct AddressGold {
    static let fields = ["pref", "county", "city", "ward", "oaza_cho", "chome", "koaza", "blk_num"]

    let range: Range<Int>?
    let located: Int
    let present: Int

    init(row: [String: Any], input: String) {
        let folded = Self.fold(input)
        var cursor = 0
        var first: Int? = nil
        var last: Int? = nil
        var located = 0, present = 0
        for field in Self.fields {
            guard let value = row[field] as? String, !value.isEmpty else { continue }
            present += 1
            if let r = Self.find(value, field: field, in: folded, from: cursor) {
                located += 1
                if first == nil { first = r.lowerBound }
                last = r.upperBound
                cursor = r.upperBound
            }
        }
        self.located = located
        self.present = present
        if let first, let last { range = first..<last } else { range = nil }
    }

    /// Width, dash and small-variant folding, one scalar to one scalar so offsets stay put.
    static func fold(_ s: String) -> [UInt32] {
        s.unicodeScalars.map { u in
            var v = u.value
            if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
            if v >= 0xFF61 && v <= 0xFF9F, let m = String(u).precomposedStringWithCompatibilityMapping.unicodeScalars.first { v = m.value }
            switch v {
            case 0x2010...0x2015, 0x2212, 0x2500, 0x2501, 0x30FC, 0xFF70: v = 0x2D
            case 0x30F6, 0x30F5, 0x30B1: v = 0x30B1  // ヶ ヵ ケ
            case 0x4E4B, 0x4E3F, 0x306E: v = 0x30CE  // 之 丿 の → ノ
            case 0x3000: v = 0x20
            default: break
            }
            return v
        }
    }

    static let numerals: [Character: Int] = ["〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]

    /// 二十四 → 24, 七 → 7 (runs of kanji numerals inside a value).
    static func kanjiToDigits(_ s: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            if !run.isEmpty, let n = value(run) { out += String(n) } else { out += run }
            run = ""
        }
        for c in s {
            if numerals[c] != nil || c == "十" || c == "百" { run.append(c) } else {
                flush()
                out.append(c)
            }
        }
        flush()
        return out
    }

    static func value(_ s: String) -> Int? {
        var total = 0, current = 0
        for c in s {
            if let d = numerals[c] {
                current = current * 10 + d
            } else if c == "十" {
                total += max(current, 1) * 10
                current = 0
            } else if c == "百" {
                total += max(current, 1) * 100
                current = 0
            } else {
                return nil
            }
        }
        return total + current
    }

    static func variants(_ value: String, field: String) -> [String] {
        var out = [value, kanjiToDigits(value)]
        for prefix in ["大字", "字"] where value.hasPrefix(prefix) {
            out.append(String(value.dropFirst(prefix.count)))
            out.append(kanjiToDigits(String(value.dropFirst(prefix.count))))
        }
        for v in out where v.hasSuffix("町") || v.hasSuffix("条") { out.append(String(v.dropLast())) }
        if field == "chome" { out.append(kanjiToDigits(value).replacingOccurrences(of: "丁目", with: "")) }
        if field == "blk_num", let n = Int(value), n < 4 { out += [["", "壱", "弐", "参"][n], ["", "一", "二", "三"][n]].filter { !$0.isEmpty } }
        return out.filter { !$0.isEmpty }
    }

    static func find(_ value: String, field: String, in folded: [UInt32], from cursor: Int) -> Range<Int>? {
        for variant in variants(value, field: field) {
            if let r = search(fold(variant), in: folded, from: cursor, numeric: field == "blk_num" || field == "chome") { return r }
        }
        // Longest matching prefix of the value (two characters or more).
        let whole = fold(value)
        var n = whole.count - 1
        while n >= 2 {
            if let r = search(Array(whole.prefix(n)), in: folded, from: cursor, numeric: false) { return r }
            n -= 1
        }
        return nil
    }

    /// First occurrence at or after `cursor`; numeric needles must not be part of a longer number.
    static func search(_ needle: [UInt32], in hay: [UInt32], from cursor: Int, numeric: Bool) -> Range<Int>? {
        guard !needle.isEmpty, hay.count >= needle.count, cursor <= hay.count - needle.count else { return nil }
        let isDigit: (UInt32) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        for i in cursor...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle {
            if numeric, isDigit(needle[0]) {
                if i > 0 && isDigit(hay[i - 1]) { continue }
                if i + needle.count < hay.count && isDigit(hay[i + needle.count]) && isDigit(needle[needle.count - 1]) { continue }
            }
            return i..<(i + needle.count)
        }
        return nil
    }
}

extension EvalPIICommand {
    /// Sentence frames: two with context (a label, a moving verb) and one with none.
    static let addressFrames: [(name: String, prefix: String, suffix: String)] = [
        ("label", "申請者の住所は", "です。"), ("moved_to", "", "に転居しました。"), ("no_context", "会場は", "にあります。"),
    ]

    func evaluateAddresses(_ detector: PIIDetector) throws -> [String: Any] {
        var cases = 0, sentences = 0, found = 0, unlocatable = 0, partiallyLocated = 0
        var perFrame: [String: [String: Int]] = [:]
        var perSource: [String: [String: Int]] = [:]
        var allFramesFound = 0
        var misses: [[String: Any]] = []
        for row in try rows("address_normalization_cases.jsonl") {
            guard let input = row["input"] as? String else { continue }
            let gold = AddressGold(row: row, input: input)
            guard let goldRange = gold.range else {
                unlocatable += 1
                continue
            }
            cases += 1
            if gold.located < gold.present { partiallyLocated += 1 }
            let source = (row["id"] as? String).map { String($0.split(separator: "-").dropLast().joined(separator: "-")) } ?? "?"
            var everyFrame = true
            for frame in Self.addressFrames {
                let text = frame.prefix + input + frame.suffix
                let offset = frame.prefix.unicodeScalars.count
                let target = (goldRange.lowerBound + offset)..<(goldRange.upperBound + offset)
                let addresses = try detector.detect(text).filter { $0.kind == .address }
                let hit = addresses.contains { $0.scalarRange.lowerBound <= target.lowerBound && $0.scalarRange.upperBound >= target.upperBound }
                sentences += 1
                perFrame[frame.name, default: [:]]["sentences", default: 0] += 1
                perSource[source, default: [:]]["sentences", default: 0] += 1
                if hit {
                    found += 1
                    perFrame[frame.name, default: [:]]["found", default: 0] += 1
                    perSource[source, default: [:]]["found", default: 0] += 1
                } else {
                    everyFrame = false
                    let gold = String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(target.lowerBound).prefix(target.count)))
                    misses.append(["id": row["id"] ?? "", "frame": frame.name, "input": input, "gold": gold, "detected": addresses.map(\.text)])
                    if mistakes { printError("MISS address [\(frame.name)] \(text) gold=「\(gold)」 detected=\(addresses.map(\.text))") }
                }
            }
            if everyFrame { allFramesFound += 1 }
        }
        var frameRecall: [String: Double] = [:]
        for (name, counts) in perFrame { frameRecall[name] = Self.round(Double(counts["found"] ?? 0) / Double(max(counts["sentences"] ?? 0, 1))) }
        let contextFound = (perFrame["label"]?["found"] ?? 0) + (perFrame["moved_to"]?["found"] ?? 0)
        let contextSentences = (perFrame["label"]?["sentences"] ?? 0) + (perFrame["moved_to"]?["sentences"] ?? 0)
        return [
            "address_recall": Self.round(Double(found) / Double(max(sentences, 1))),
            "address_recall_with_context": Self.round(Double(contextFound) / Double(max(contextSentences, 1))),
            "address_recall_by_frame": frameRecall,
            "address_cases": [
                "inputs": cases, "sentences": sentences, "found": found, "inputs_found_in_every_frame": allFramesFound,
                "inputs_without_locatable_gold": unlocatable, "inputs_with_some_fields_not_located": partiallyLocated,
                "per_source": perSource, "misses": Array(misses.prefix(60)),
                "matching_rule": "one detected 住所 span must cover the gold address from its first located field through the last located of pref…blk_num",
            ] as [String: Any],
        ]
    }
}
