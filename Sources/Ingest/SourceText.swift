import Foundation

/// Decides whether the bytes of a .txt/.md file are usable text: not empty, not binary, valid UTF-8.
/// Non-UTF-8 Japanese (Shift_JIS, EUC-JP) is refused with the likely encoding named, never stored as mojibake.
public enum SourceText {

    /// Validates and decodes bytes as UTF-8 text (a BOM is dropped).
    public static func decode(_ data: Data, path: String) throws -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw IngestError.emptyFile(path) }
        let controls = bytes.prefix(8192).filter { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20 && $0 != 0x1B) }.count
        if bytes.prefix(8192).contains(0) || controls > 8 { throw IngestError.binaryFile(path) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw IngestError.notUTF8(path, likelyEncoding: LegacyEncoding.detect(Data(bytes))?.rawValue)
        }
        return bytes.contains(0x0D) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
    }
}

extension String {
    /// The lines of the text, split at "\n" on UTF-8 bytes. `split(separator: "\n")` compares grapheme
    /// clusters one Character at a time, which is slow on Japanese text; a line feed is always a scalar
    /// and grapheme boundary on its own (a "\r\n" pair is split too, leaving the "\r").
    func lineSlices(omittingEmpty: Bool = true) -> [Substring] {
        var out: [Substring] = []
        let bytes = utf8
        var start = bytes.startIndex
        var i = start
        while i != bytes.endIndex {
            if bytes[i] == 0x0A {
                if !(omittingEmpty && start == i) { out.append(self[start..<i]) }
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        if !(omittingEmpty && start == bytes.endIndex) { out.append(self[start..<bytes.endIndex]) }
        return out
    }
}
