import Foundation
import Ingest

/// Turns a file into the text the proofreader checks: plain text and Markdown as they are (UTF-8, or
/// Shift_JIS/EUC-JP with a warning), Office files and PDF through the ingestion extractors (DOCX tracked
/// changes read as accepted: inserted text in, deleted text out).
public enum ProofreadingSource {
    public struct Loaded: Sendable {
        public var text: String
        public var warnings: [String]
        /// True when the text came from a converted format (the corrected copy is then plain text).
        public var converted: Bool
    }

    public static func load(path: String, limits: ExtractionLimits = ExtractionLimits()) throws -> Loaded {
        let (data, format) = try DocumentExtractor.read(path: path, limits: limits)
        return try load(data: data, format: format, path: path, limits: limits)
    }

    public static func load(data: Data, format: DocumentFormat, path: String, limits: ExtractionLimits = ExtractionLimits()) throws
        -> Loaded
    {
        switch format {
        case .text, .markdown:
            let (text, warnings) = try decodePlain(data, path: path)
            return Loaded(text: text, warnings: warnings, converted: false)
        default:
            let structured = try DocumentExtractor.extract(data: data, format: format, path: path, limits: limits)
            return Loaded(text: structured.blocks.map(\.text).joined(separator: "\n"), warnings: structured.warnings, converted: true)
        }
    }

    /// UTF-8 (BOM dropped, CRLF kept as is) or a whole-file legacy encoding; mixed or undecodable bytes are
    /// refused naming the encodings tried.
    public static func decodePlain(_ data: Data, path: String) throws -> (String, [String]) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.prefix(8192).contains(0) && String(validating: bytes, as: UTF8.self) == nil { throw IngestError.binaryFile(path) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, []) }
        if let legacy = LegacyEncoding.detect(Data(bytes)), let text = legacy.decode(Data(bytes)) {
            return (text, ["文字コード \(legacy.rawValue) として読み込みました"])
        }
        throw IngestError.undecodable(path, tried: ["UTF-8"] + LegacyEncoding.allCases.map(\.rawValue))
    }
}
