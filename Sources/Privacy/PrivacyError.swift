import HirobaCore

/// Errors of the Privacy module.
public enum PrivacyError: HirobaError, Equatable {
    /// The input has NUL bytes: a binary file, not text.
    case binaryInput(source: String)
    /// The input is not valid UTF-8.
    case notUTF8(source: String, byteOffset: Int)
    /// A name-model weights file that does not parse.
    case invalidNameModel(String)

    public var message: String {
        switch self {
        case .binaryInput(let source): "\(source) はテキストではありません (バイナリファイルです)"
        case .notUTF8(let source, let offset): "\(source) は UTF-8 のテキストとして読めません (\(offset) バイト目)"
        case .invalidNameModel(let detail): "氏名モデルの重みファイルが読めません: \(detail)"
        }
    }

    public var fix: String {
        switch self {
        case .binaryInput:
            "Give a plain-text file. Extract the text of PDF or Office files first (`hiroba extract FILE`)."
        case .notUTF8:
            "Convert the file to UTF-8 first, e.g. `iconv -f CP932 -t UTF-8 FILE > FILE.utf8` (Shift_JIS) or `-f EUC-JP`."
        case .invalidNameModel:
            "Write the file again with `hiroba train names --data DIR --out FILE`."
        }
    }
}

/// Turning bytes into text for detection.
public enum PIIInput {
    /// Decodes UTF-8 (a BOM is dropped). Binary data and other encodings are refused rather than guessed:
    /// a wrong guess would hide personal data from the detector.
    public static func decode(_ bytes: [UInt8], source: String) throws -> String {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.contains(0) { throw PrivacyError.binaryInput(source: source) }
        if let text = String(validating: body, as: UTF8.self) { return text }
        throw PrivacyError.notUTF8(source: source, byteOffset: firstInvalidOffset(Array(body)))
    }

    /// Byte offset of the first invalid UTF-8 sequence (for the error message).
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let n: Int
            if b < 0x80 {
                n = 1
            } else if b >= 0xC2 && b < 0xE0 {
                n = 2
            } else if b >= 0xE0 && b < 0xF0 {
                n = 3
            } else if b >= 0xF0 && b < 0xF5 {
                n = 4
            } else {
                return i
            }
            guard i + n <= bytes.count, String(validating: bytes[i..<(i + n)], as: UTF8.self) != nil else { return i }
            i += n
        }
        return i
    }
}
