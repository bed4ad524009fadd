import Foundation
import Privacy

extension EvalPIICommand {
    /// Person names on the Wikipedia NER sentences (PERSON spans), with the full detector as in production.
    func evaluateNames(_ detector: PIIDetector) throws -> [String: Any] {
        var gold = 0, goldMajority = 0, goldAny = 0
        var detected = 0, detectedOverlapping = 0, detectedMajority = 0
        var sentencesWithoutPerson = 0, sentencesWithoutPersonFlagged = 0
        var falseByLabel: [String: Int] = [:]
        var missExamples: [String] = [], falseExamples: [String] = []
        var otherKinds: [String: Int] = [:]
        var byScript: [String: [Int]] = [:]
        var otherExamples: [String] = []
        let rows = try rows("ner_wikipedia_spans.jsonl")
        for row in rows {
            guard let text = row["text"] as? String, let entities = row["entities"] as? [[String: Any]] else { continue }
            let spans: [(Range<Int>, String)] = entities.compactMap { e in
                guard let s = e["start"] as? Int, let t = e["end"] as? Int, let label = e["label"] as? String, s < t else { return nil }
                return (s..<t, label)
            }
            let persons = spans.filter { $0.1 == "PERSON" }.map(\.0)
            let all = try detector.detect(text)
            let names = all.filter { $0.kind == .personName }.map(\.scalarRange)
            // Wikipedia sentences hold place names but (almost) no street addresses or phone numbers: every
            // such detection here is a likely false positive of the other detectors.
            for e in all where e.kind != .personName {
                otherKinds[e.kind.rawValue, default: 0] += 1
                if otherExamples.count < 40 { otherExamples.append("\(e.kind.label): \(e.text)") }
            }
            gold += persons.count
            for p in persons {
                let covered = names.reduce(0) { $0 + overlap($1, p) }
                let script = Self.script(slice(text, p))
                byScript[script, default: [0, 0]][0] += 1
                if covered * 2 > p.count { byScript[script, default: [0, 0]][1] += 1 }
                if covered * 2 > p.count { goldMajority += 1 }
                if covered > 0 { goldAny += 1 }
                if covered * 2 <= p.count && mistakes { missExamples.append("MISS 「\(slice(text, p))」 in \(text)") }
            }
            detected += names.count
            for n in names {
                let inside = persons.reduce(0) { $0 + overlap($1, n) }
                if inside > 0 { detectedOverlapping += 1 }
                if inside * 2 > n.count { detectedMajority += 1 }
                if inside == 0 {
                    let label = spans.first { $0.0.overlaps(n) }?.1 ?? "NONE"
                    falseByLabel[label, default: 0] += 1
                    if mistakes { falseExamples.append("FALSE[\(label)] 「\(slice(text, n))」 in \(text)") }
                }
            }
            if persons.isEmpty {
                sentencesWithoutPerson += 1
                if !names.isEmpty { sentencesWithoutPersonFlagged += 1 }
            }
        }
        if mistakes { for line in missExamples + falseExamples { printError(line) } }
        return [
            "name_recall": Self.round(Double(goldMajority) / Double(max(gold, 1))),
            "name_precision": Self.round(Double(detectedOverlapping) / Double(max(detected, 1))),
            "name_recall_any_overlap": Self.round(Double(goldAny) / Double(max(gold, 1))),
            "name_precision_majority": Self.round(Double(detectedMajority) / Double(max(detected, 1))),
            "name_cases": [
                "sentences": rows.count, "person_spans": gold, "person_spans_found": goldMajority, "detected_name_spans": detected,
                "detected_overlapping_person": detectedOverlapping, "false_detections_by_gold_label": falseByLabel,
                "recall_by_script": byScript.mapValues { ["spans": $0[0], "found": $0[1], "recall": Self.round(Double($0[1]) / Double(max($0[0], 1)))] },
                "other_kinds_detected_in_these_sentences": otherKinds, "other_kind_examples": otherExamples,
                "sentences_without_person": sentencesWithoutPerson, "sentences_without_person_flagged": sentencesWithoutPersonFlagged,
                "recall_rule": "a PERSON span counts when detected 氏名 spans cover more than half of its characters",
                "precision_rule": "a detected 氏名 span counts when it overlaps a PERSON span (name_precision_majority: more than half of it inside one)",
            ] as [String: Any],
        ]
    }

    /// kanji (Japanese, Chinese and Korean names), katakana (mostly foreign names), or mixed/other.
    static func script(_ s: String) -> String {
        let scalars = s.unicodeScalars.map(\.value)
        if scalars.allSatisfy({ ($0 >= 0x4E00 && $0 <= 0x9FFF) || $0 == 0x3005 }) { return "kanji" }
        if scalars.allSatisfy({ ($0 >= 0x30A1 && $0 <= 0x30FF) || $0 == 0x3D || $0 == 0xFF1D }) { return "katakana" }
        return "mixed_or_latin"
    }

    private func overlap(_ a: Range<Int>, _ b: Range<Int>) -> Int { max(0, min(a.upperBound, b.upperBound) - max(a.lowerBound, b.lowerBound)) }

    private func slice(_ text: String, _ r: Range<Int>) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(r.lowerBound).prefix(r.count)))
    }
}
