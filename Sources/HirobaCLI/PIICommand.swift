import ArgumentParser
import Foundation
import HirobaCore
import JapaneseText
import Privacy

/// `hiroba pii detect|mask FILE`: personal-data detection and masking.
struct PIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii", abstract: "個人情報の検出とマスキング (personal-data detection and masking).",
        subcommands: [PIIDetectCommand.self, PIIMaskCommand.self])
}

/// Options shared by the pii subcommands.
struct PIIOptions: ParsableArguments {
    @Argument(help: "UTF-8 text file, or - for standard input.") var file: String
    @Option(help: "Kinds to look for, comma-separated (default: all): \(PIIKind.allCases.map(\.rawValue).joined(separator: ","))")
    var kinds: String?
    @Flag(help: "Print JSON on stdout.") var json = false

    func selectedKinds() throws -> Set<PIIKind> {
        guard let kinds else { return Set(PIIKind.allCases) }
        var out: Set<PIIKind> = []
        for name in kinds.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let kind = PIIKind(name: name) else {
                throw ValidationError("unknown kind \(name); use \(PIIKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            out.insert(kind)
        }
        return out
    }

    /// The file (or stdin) as UTF-8 text; binary or non-UTF-8 input is a `PrivacyError`.
    func readText() throws -> String {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let read = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file): check the path")
            }
            data = read
        }
        return try PIIInput.decode([UInt8](data), source: file == "-" ? "標準入力" : file)
    }
}

/// Line and column (1-based, in Unicode scalars) of scalar offsets, computed in one pass.
struct LinePositions {
    private var lineStarts: [Int] = [0]

    init(_ text: String) {
        var i = 0
        for s in text.unicodeScalars {
            i += 1
            if s == "\n" { lineStarts.append(i) }
        }
    }

    func position(_ offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }
}

struct PIIDetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect", abstract: "Report personal data in a text file (line, kind, text; --json adds offsets).")

    @OptionGroup var options: PIIOptions

    func run() throws {
        let text = try options.readText()
        let detector = try PIIDetector()
        let entities = try detector.detect(text, kinds: try options.selectedKinds())
        let lines = LinePositions(text)
        var counts: [String: Int] = [:]
        for e in entities { counts[e.kind.rawValue, default: 0] += 1 }
        if options.json {
            let items: [[String: Any]] = entities.map { e in
                let (line, column) = lines.position(e.scalarRange.lowerBound)
                return [
                    "kind": e.kind.rawValue, "label": e.kind.label, "text": e.text, "normalized": e.normalized,
                    "start": e.scalarRange.lowerBound, "end": e.scalarRange.upperBound,
                    "utf16_start": e.utf16Range.lowerBound, "utf16_end": e.utf16Range.upperBound, "line": line, "column": column,
                ]
            }
            print(jsonString(["file": options.file, "characters": text.unicodeScalars.count, "entities": items, "counts": counts]))
            return
        }
        let summary = PIIKind.allCases.compactMap { k in counts[k.rawValue].map { "\(k.label) \($0)" } }.joined(separator: "、")
        print("\(options.file): 個人情報 \(entities.count) 件\(summary.isEmpty ? "" : " (\(summary))")")
        for e in entities {
            let (line, column) = lines.position(e.scalarRange.lowerBound)
            print("  \(line):\(column)\t\(e.kind.label)\t\(e.text)")
        }
    }
}

/// `hiroba pii mask FILE`: the masked text on stdout. The mapping back to the originals is personal data,
/// so it is printed only with `--show-mapping` (on stderr in the readable mode, so stdout stays the masked
/// text; inside the JSON with `--json`).
struct PIIMaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mask",
        abstract: "Replace personal data by placeholders such as [氏名1] (the originals only with --show-mapping).")

    @OptionGroup var options: PIIOptions
    @Flag(help: "Also print placeholder → original (this is personal data).") var showMapping = false

    func run() throws {
        let text = try options.readText()
        var session = PIIMaskingSession(detector: try PIIDetector(), kinds: try options.selectedKinds())
        let masked = try session.mask(text)
        var counts: [String: Int] = [:]
        for r in masked.replacements { counts[r.entity.kind.rawValue, default: 0] += 1 }
        if options.json {
            let items: [[String: Any]] = masked.replacements.map { r in
                var item: [String: Any] = [
                    "placeholder": r.placeholder, "kind": r.entity.kind.rawValue, "start": r.entity.scalarRange.lowerBound,
                    "end": r.entity.scalarRange.upperBound, "utf16_start": r.entity.utf16Range.lowerBound,
                    "utf16_end": r.entity.utf16Range.upperBound,
                ]
                if showMapping { item["text"] = r.entity.text }
                return item
            }
            var object: [String: Any] = ["file": options.file, "masked_text": masked.text, "entities": items, "counts": counts]
            if showMapping { object["mapping"] = session.vault.originals }
            print(jsonString(object))
            return
        }
        FileHandle.standardOutput.write(Data(masked.text.utf8))
        if !masked.text.hasSuffix("\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
        let summary = PIIKind.allCases.compactMap { k in counts[k.rawValue].map { "\(k.label) \($0)" } }.joined(separator: "、")
        printError("置換 \(masked.replacements.count) 件\(summary.isEmpty ? "" : " (\(summary))")、値 \(session.vault.count) 種類")
        if showMapping {
            for placeholder in masked.replacements.map(\.placeholder).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
                printError("  \(placeholder)\t\(session.vault.original(for: placeholder) ?? "")")
            }
        }
    }
}
