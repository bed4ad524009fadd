import Foundation
import HirobaCore
import JapaneseText

#if canImport(Glibc)
    import Glibc
#endif

/// The legacy Japanese encodings of old files: Shift_JIS as Windows writes it (CP932, with the NEC and
/// IBM extension characters ①, ㈱, 髙) and EUC-JP. Decoding goes through iconv and is strict: a byte
/// sequence that is not valid in the encoding fails instead of becoming 「？」.
public enum LegacyEncoding: String, Sendable, CaseIterable {
    case cp932 = "Shift_JIS (CP932)"
    case eucJP = "EUC-JP"

    var iconvName: String {
        switch self {
        case .cp932: "CP932"
        case .eucJP: "EUC-JP-MS"
        }
    }

    /// Strict decoding; nil when any byte sequence is invalid.
    public func decode(_ data: Data) -> String? {
        Self.convert([UInt8](data), from: iconvName, to: "UTF-8").flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The text in this encoding; nil when a character has no mapping.
    public func encode(_ text: String) -> Data? {
        Self.convert(Array(text.utf8), from: "UTF-8", to: iconvName).map { Data($0) }
    }

    static func convert(_ input: [UInt8], from: String, to: String) -> [UInt8]? {
        guard let cd = iconv_open(to, from), Int(bitPattern: UnsafeRawPointer(cd)) != -1 else { return nil }
        defer { iconv_close(cd) }
        var source = input
        var output = [UInt8](repeating: 0, count: input.count * 3 + 16)
        let written: Int? = source.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outRaw.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return r == -1 || inLeft != 0 ? nil : outRaw.count - outLeft
            }
        }
        guard let written else { return nil }
        return Array(output.prefix(written))
    }

    /// The encoding the bytes most plausibly are, among those that decode them without error:
    /// real Japanese text has kana and common kanji; a wrong guess yields half-width kana and gaiji.
    public static func detect(_ data: Data) -> LegacyEncoding? {
        var best: (LegacyEncoding, Int)? = nil
        for encoding in allCases {
            guard let text = encoding.decode(data) else { continue }
            let score = plausibility(text)
            if best == nil || score > best!.1 { best = (encoding, score) }
        }
        return best?.0
    }

    static func plausibility(_ text: String) -> Int {
        var score = 0
        for s in text.unicodeScalars.prefix(200_000) {
            switch s.value {
            case 0x3041...0x3096, 0x30A1...0x30FA: score += 2  // kana
            case 0x4E00...0x9FFF: score += 1  // kanji
            case 0xFF61...0xFF9F: score -= 3  // half-width kana: what wrong guesses produce
            case 0xE000...0xF8FF: score -= 5  // private use (gaiji)
            default: break
            }
        }
        return score
    }
}

/// CSV and TSV: encoding detected (UTF-8 with or without BOM, CP932, EUC-JP; refused naming the
/// candidates when none decodes the whole file), then RFC 4180 parsing (quoted fields with commas,
/// quotes and line breaks). The file becomes one table for the spreadsheet chunker.
public enum DelimitedTextExtractor {
    static func extract(data: Data, path: String, tab: Bool, limits: ExtractionLimits) throws -> StructuredDocument {
        let (rows, warnings) = try table(data: data, path: path, tab: tab, limit: limits.maxExtractedCharacters)
        let width = rows.map(\.count).max() ?? 0
        let padded = rows.map { $0 + Array(repeating: "", count: width - $0.count) }
        return StructuredDocument(
            title: nil, mediaType: (tab ? DocumentFormat.tsv : DocumentFormat.csv).mediaType, shape: .spreadsheet,
            blocks: [.table(padded)], warnings: warnings)
    }

    /// The rows of a CSV/TSV file (UTF-8, CP932 or EUC-JP; Excel's Shift_JIS just works), with a warning
    /// when a legacy encoding was detected. `tab` forces TSV; otherwise a first line with tabs and no
    /// commas means TSV.
    public static func table(data: Data, path: String, tab: Bool = false, limit: Int = 10_000_000) throws -> (
        rows: [[String]], warnings: [String]
    ) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0x2C }) {
            throw IngestError.emptyFile(path)
        }
        if bytes.prefix(8192).contains(0) { throw IngestError.binaryFile(path) }
        var warnings: [String] = []
        let text: String
        if let utf8 = String(validating: bytes, as: UTF8.self) {
            text = utf8
        } else if let legacy = LegacyEncoding.detect(Data(bytes)), let decoded = legacy.decode(Data(bytes)) {
            text = decoded
            warnings.append("文字コード \(legacy.rawValue) として読み込みました")
        } else {
            throw IngestError.undecodable(path, tried: ["UTF-8"] + LegacyEncoding.allCases.map(\.rawValue))
        }
        let delimiter: Character = tab || (!firstLine(text).contains(",") && firstLine(text).contains("\t")) ? "\t" : ","
        let rows = try parse(text, delimiter: delimiter, path: path, limit: limit)
        guard !rows.isEmpty else { throw IngestError.emptyFile(path) }
        return (rows, warnings)
    }

    static func firstLine(_ text: String) -> Substring {
        text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
    }

    /// RFC 4180 fields; rows that are entirely empty are dropped.
    static func parse(_ text: String, delimiter: Character, path: String, limit: Int) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var characters = 0
        func endField() {
            row.append(field.trimmingWhitespace())
            field = ""
            afterQuote = false
        }
        func endRow() throws {
            endField()
            if row.contains(where: { !$0.isEmpty }) { rows.append(row) }
            row = []
        }
        for c in text {
            characters += 1
            if characters > limit { throw IngestError.tooMuchText(path, characters: characters, limit: limit) }
            if quoted {
                if c == "\"" {
                    quoted = false
                    afterQuote = true
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                if afterQuote { field.append("\"") }  // "" inside a quoted field
                quoted = true
                afterQuote = false
            case delimiter: endField()
            case "\n", "\r\n", "\r": try endRow()
            default:
                field.append(c)
                afterQuote = false
            }
        }
        if !field.isEmpty || !row.isEmpty { try endRow() }
        return rows
    }
}
