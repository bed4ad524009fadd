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
            throw IngestError.notUTF8(path, likelyEncoding: guessLegacyEncoding(bytes))
        }
        return bytes.contains(0x0D) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
    }

    /// A cheap guess between Shift_JIS and EUC-JP for the error message (ICU detection comes with the
    /// ingestion issue's CSV support).
    static func guessLegacyEncoding(_ bytes: [UInt8]) -> String? {
        var sjis = 0, euc = 0
        var i = 0
        while i + 1 < bytes.count {
            let a = bytes[i], b = bytes[i + 1]
            if a >= 0xA1 && a <= 0xFE && b >= 0xA1 && b <= 0xFE { euc += 1 }
            if (a >= 0x81 && a <= 0x9F || a >= 0xE0 && a <= 0xEF) && (b >= 0x40 && b <= 0xFC && b != 0x7F) { sjis += 1 }
            i += a >= 0x80 ? 2 : 1
        }
        if sjis == 0 && euc == 0 { return nil }
        return sjis >= euc ? "Shift_JIS" : "EUC-JP"
    }
}
