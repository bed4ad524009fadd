import HirobaCore

/// Errors from configuring or running the proofreader.
public enum ProofreadingError: HirobaError, Equatable {
    case unknownRule(String, known: [String])
    case badOption(rule: String, key: String, why: String)
    case badConfiguration(String)
    case badTermList(line: Int, why: String)
    case textTooLong(characters: Int, limit: Int)

    public var message: String {
        switch self {
        case .unknownRule(let id, _): "校正ルール「\(id)」はありません"
        case .badOption(let rule, let key, let why): "校正ルール「\(rule)」のオプション「\(key)」が不正です: \(why)"
        case .badConfiguration(let why): "校正設定を読み込めません: \(why)"
        case .badTermList(let line, let why): "用字用語リストの \(line) 行目が不正です: \(why)"
        case .textTooLong(let n, let limit): "文章が長すぎます（\(n) 文字、上限 \(limit) 文字）"
        }
    }

    public var fix: String {
        switch self {
        case .unknownRule(_, let known):
            "Use one of the rule ids listed by `hiroba proofread --rules` (e.g. \(known.prefix(5).joined(separator: ", ")))."
        case .badOption(let rule, _, _): "See `hiroba proofread --rules` for the options of \(rule) and their types."
        case .badConfiguration:
            "The configuration is JSON: {\"rules\": {\"rule-id\": true | false | {\"enabled\": true, \"options\": {…}}}}."
        case .badTermList:
            "Each line of the term list is `誤った表記,正しい表記,説明` (CSV, UTF-8 or Shift_JIS; the 説明 column is optional)."
        case .textTooLong(_, let limit): "Split the text into files of at most \(limit) characters."
        }
    }
}
