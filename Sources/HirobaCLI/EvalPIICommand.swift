import ArgumentParser
import Foundation
import JapaneseText
import Privacy

/// `hiroba eval pii --data DIR`: scores the personal-data detector on `ja_pii` (see its README).
///
/// - identifiers: every value of identifier_checkdigit_cases.jsonl in sentences (plain, grouped,
///   full-width); recall over valid values, false accepts = invalid values reported as マイナンバー/法人番号.
/// - addresses: every input of address_normalization_cases.jsonl in sentences; a case counts when one
///   detected 住所 span covers the gold address from its start through its last located field (see
///   `AddressGold`).
/// - names: PERSON spans of ner_wikipedia_spans.jsonl; recall counts a gold span when detected 氏名 spans
///   cover more than half of its characters; precision counts detected 氏名 spans that overlap a PERSON span
///   (and, stricter, spans with more than half of their characters inside one).
struct EvalPIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii", abstract: "Score personal-data detection on the ja_pii data (identifiers, addresses, names).")

    @Option(help: "The ja_pii folder.") var data: String
    @Flag(help: "JSON only.") var json = false
    @Flag(help: "List misses and false detections on stderr.") var mistakes = false
    @Flag(help: "With --mistakes: the name model's probabilities for the spans around each miss and false name.") var explain = false
    @Option(help: "Only these parts (identifiers,addresses,names).") var parts: String = "identifiers,addresses,names"
    @Option(help: "Names: cross-validate the name model over K folds of articles (each fold scored by a model trained without it).")
    var cv: Int?
    @Option(help: "Names: the name model — shipped, none (rules only) or a weights file from `hiroba train names`.")
    var nameModel: String = "shipped"
    @Option(help: "With --cv: training passes.") var epochs = 10
    @Option(help: "With --cv: the precision the threshold keeps on the training folds.") var targetPrecision = 0.81
    @Option(help: "With --cv: articles a feature must occur in.") var minArticles = 3
    @Option(help: "With --cv: the SGD learning rate.") var learningRate: Float = 0.2
    @Option(help: "With --cv: precision lone words without cue must reach.") var alonePrecision = 0.75
    @Option(help: "With --cv: reject thresholds tried for the rules' names (comma-separated; 0 keeps them).") var rejectGrid = "0,0.05,0.1,0.15,0.2,0.25,0.3"

    func validate() throws {
        if let cv, cv < 2 { throw ValidationError("--cv needs at least 2 folds") }
    }

    func run() throws {
        let mecab = try MeCabModel.shared()
        let detector: PIIDetector
        switch nameModel {
        case "shipped": detector = PIIDetector(model: mecab)
        case "none": detector = PIIDetector(model: mecab, nameModel: nil)
        default:
            guard let text = try? String(contentsOfFile: nameModel, encoding: .utf8) else { throw ValidationError("cannot read \(nameModel)") }
            detector = PIIDetector(model: mecab, nameModel: try NameModel(parsing: text))
        }
        let wanted = Set(parts.split(separator: ",").map(String.init))
        var result: [String: Any] = ["data": data]
        if wanted.contains("identifiers") {
            result.merge(try evaluateIdentifiers(detector)) { _, new in new }
        }
        if wanted.contains("addresses") {
            result.merge(try evaluateAddresses(detector)) { _, new in new }
        }
        if wanted.contains("names") {
            result.merge(try evaluateNames(detector)) { _, new in new }
        }
        if json {
            print(jsonString(result))
        } else {
            for key in result.keys.sorted() where !(result[key] is [String: Any]) && !(result[key] is [Any]) {
                print("\(key): \(result[key]!)")
            }
        }
    }

    func rows(_ name: String) throws -> [[String: Any]] {
        let path = URL(fileURLWithPath: data).appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) not found: --data must be the ja_pii folder (see ../shared/data/ja_pii/README.md)")
        }
        return try BEIR.jsonLines(path)
    }

    static func round(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }

    // MARK: identifiers

    /// Sentences a value is written in: the keyword, grouping and width vary.
    static func identifierSentences(type: String, value: String) -> [(text: String, valueRange: Range<Int>)] {
        let wide = String(value.unicodeScalars.map { Character(Unicode.Scalar($0.value + 0xFEE0)!) })
        func grouped(_ sizes: [Int], _ separator: String) -> String {
            var parts: [String] = []
            var rest = Substring(value)
            for n in sizes {
                parts.append(String(rest.prefix(n)))
                rest = rest.dropFirst(n)
            }
            return parts.joined(separator: separator)
        }
        let forms: [(String, String, String)]
        if type == "my_number" {
            forms = [
                ("個人番号は", value, "です。"), ("マイナンバー：", grouped([4, 4, 4], "-"), ""),
                ("申請者の個人番号 ", wide, " を確認しました。"), ("番号 ", grouped([4, 4, 4], " "), " を記入してください。"),
            ]
        } else {
            forms = [
                ("法人番号は", value, "です。"), ("当法人（法人番号：", wide, "）は県内の事業者です。"),
                ("適格請求書発行事業者登録番号 T", value, ""), ("法人番号 ", grouped([1, 4, 4, 4], "-"), " の事業者"),
            ]
        }
        return forms.map { prefix, written, suffix in
            let start = prefix.unicodeScalars.count
            return (prefix + written + suffix, start..<(start + written.unicodeScalars.count))
        }
    }

    func evaluateIdentifiers(_ detector: PIIDetector) throws -> [String: Any] {
        var found = 0, validSentences = 0, falseAccepts = 0, invalidSentences = 0, validValues = 0, invalidValues = 0
        var perType: [String: [String: Int]] = [:]
        for row in try rows("identifier_checkdigit_cases.jsonl") {
            guard let type = row["type"] as? String, let value = row["value"] as? String, let valid = row["valid"] as? Bool else { continue }
            let kind: PIIKind = type == "my_number" ? .myNumber : .corporateNumber
            if valid { validValues += 1 } else { invalidValues += 1 }
            for (text, range) in Self.identifierSentences(type: type, value: value) {
                let entities = try detector.detect(text)
                if valid {
                    validSentences += 1
                    let hit = entities.contains { $0.kind == kind && $0.scalarRange.lowerBound <= range.lowerBound && $0.scalarRange.upperBound >= range.upperBound }
                    if hit { found += 1 }
                    perType[type, default: [:]]["valid_sentences", default: 0] += 1
                    perType[type, default: [:]]["found", default: 0] += hit ? 1 : 0
                    if !hit && mistakes { printError("MISS \(type): \(text) → \(entities.map { "\($0.kind.label):\($0.text)" })") }
                } else {
                    invalidSentences += 1
                    let accepted = entities.contains { $0.kind == .myNumber || $0.kind == .corporateNumber }
                    if accepted { falseAccepts += 1 }
                    perType[type, default: [:]]["invalid_sentences", default: 0] += 1
                    perType[type, default: [:]]["false_accepts", default: 0] += accepted ? 1 : 0
                    let other = entities.filter { $0.scalarRange.overlaps(range) }
                    perType[type, default: [:]]["invalid_reported_as_other_kind", default: 0] += other.isEmpty || accepted ? 0 : 1
                    if accepted && mistakes { printError("FALSE ACCEPT \(type): \(text)") }
                }
            }
        }
        return [
            "identifier_recall": Self.round(Double(found) / Double(max(validSentences, 1))),
            "identifier_false_accepts": falseAccepts,
            "identifier_cases": [
                "valid_values": validValues, "invalid_values": invalidValues, "valid_sentences": validSentences,
                "invalid_sentences": invalidSentences, "found": found, "per_type": perType,
                "sentences_per_value": 4,
            ] as [String: Any],
        ]
    }
}
