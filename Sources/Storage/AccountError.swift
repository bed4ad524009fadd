import HirobaCore

/// Errors from accounts, access settings and the audit log.
public enum AccountError: HirobaError, Equatable {
    case invalidName(String, String)
    case invalidLogin(String)
    case weakPassword
    case passwordTooLong
    case loginTaken(String)
    case unknownUser(String)
    case unknownPlacement(String)
    case notPermitted(String)

    public var message: String {
        switch self {
        case .invalidName(let label, let name): "\(label)の名前が不正です: 「\(name)」"
        case .invalidLogin(let login): "ログイン ID が不正です: 「\(login)」"
        case .weakPassword: "パスワードが短すぎます（10 文字以上）"
        case .passwordTooLong: "パスワードが長すぎます（UTF-8 で 72 バイトまで）"
        case .loginTaken(let login): "ログイン ID「\(login)」は既に使われています"
        case .unknownUser(let login): "利用者が見つかりません: \(login)"
        case .unknownPlacement(let what): "所属が見つかりません: \(what)"
        case .notPermitted(let what): "この操作の権限がありません: \(what)"
        }
    }

    public var fix: String {
        switch self {
        case .invalidName: "Use 1–100 characters without slashes, line breaks or surrounding spaces."
        case .invalidLogin: "Use 1–64 characters from A–Z, a–z, 0–9 and . _ @ -."
        case .weakPassword: "Choose a passphrase of at least 10 characters."
        case .passwordTooLong: "bcrypt reads only the first 72 bytes; choose a shorter passphrase."
        case .loginTaken: "Pick another login, or reset that user's password with `hiroba users reset-password`."
        case .unknownUser: "List users with `hiroba users list`."
        case .unknownPlacement: "Give organisation, bureau and section as 「団体/局/課」, e.g. みなと市/会計管理局/会計課."
        case .notPermitted: "Ask a platform administrator, or the administrator of the owning bureau."
        }
    }
}
