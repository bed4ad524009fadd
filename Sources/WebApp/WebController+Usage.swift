import Foundation
import HirobaCore
import Hummingbird
import Storage

extension WebController {
    /// Model usage per bureau, user and model, answer ratings and recent calls: every bureau for platform
    /// administrators and auditors, their own for bureau administrators.
    func usagePage(_ request: Request, _ context: HirobaContext) throws -> Response {
        guard let user = context.user else { return .redirect(to: "/login") }
        let scope: (organization: String?, bureau: String?)
        do {
            scope = try APIController.reviewScope(user)
        } catch {
            return Templates.page("message", title: "権限がありません", context: layoutValues(context).merging(["message": "この画面は局の管理者・基盤管理者・監査担当のみ使えます。"]) { $1 }, status: .forbidden)
        }
        let parameters = formQuery(request)
        let today = UsageStore.period(Date()).day
        var from = parameters["from"].flatMap { $0.isEmpty ? nil : $0 } ?? String(today.prefix(8)) + "01"
        var to = parameters["to"].flatMap { $0.isEmpty ? nil : $0 } ?? today
        var values = layoutValues(context)
        do {
            from = try APIController.day(from, name: "開始日")
            to = try APIController.day(to, name: "終了日")
        } catch let error as APIError {
            values["error"] = error.message
            from = String(today.prefix(8)) + "01"
            to = today
        }
        values["from"] = from
        values["to"] = to
        values["scopeLabel"] = scope.bureau.map { "\(scope.organization ?? "") \($0) の利用" } ?? "すべての団体・局の利用"
        let usage = services.usage
        func table(_ grouping: UsageStore.Grouping, _ title: String, _ keyLabel: String) throws -> [String: Any] {
            let rows = try usage.summary(by: grouping, fromDay: from, toDay: to, organization: scope.organization, bureau: scope.bureau)
            return [
                "title": title, "keyLabel": keyLabel,
                "rows": rows.map {
                    [
                        "key": $0.key, "calls": $0.calls, "failed": $0.failed, "prompt": $0.promptTokens, "completion": $0.completionTokens,
                        "cost": String(format: "%.2f", $0.cost), "ms": Int($0.averageMilliseconds.rounded()),
                    ] as [String: Any]
                },
            ]
        }
        values["tables"] = [
            try table(.bureau, "局別", "団体/局"), try table(.user, "利用者別", "利用者"), try table(.model, "モデル別", "モデル"),
        ]
        values["feedback"] = try usage.feedback(organization: scope.organization, bureau: scope.bureau, limit: 100).map {
            [
                "at": $0.at.prefix(19).replacingOccurrences(of: "T", with: " "), "login": $0.login, "rating": $0.rating > 0 ? "👍" : "👎",
                "reason": $0.reason ?? "", "question": $0.question, "answer": String($0.answer.prefix(200)), "mode": $0.mode == "model" ? "生成AI" : "抜粋",
            ] as [String: Any]
        }
        values["calls"] = try usage.calls(limit: 50, organization: scope.organization, bureau: scope.bureau).map {
            [
                "at": $0.at.prefix(19).replacingOccurrences(of: "T", with: " "), "login": $0.login, "bureau": $0.bureau ?? "", "app": $0.app,
                "model": $0.model, "tokens": "\($0.promptTokens)+\($0.completionTokens)\($0.usageReported ? "" : "（推定）")",
                "status": $0.status == "ok" ? "成功" : "失敗: \($0.error ?? $0.status)",
                "personal": Self.personalData($0.personalData, action: $0.personalDataAction),
            ] as [String: Any]
        }
        return Templates.page("usage", title: "生成AIの利用状況", context: values)
    }

    /// 「氏名:1,電話番号:1（伏せ字で送信）」.
    static func personalData(_ kinds: String?, action: String?) -> String {
        guard let kinds else { return "" }
        let label =
            switch action {
            case "masked": "伏せ字にして送信"
            case "allowed": "そのまま送信（方針で許可）"
            case "internal": "庁内のモデル"
            default: action ?? ""
            }
        return "\(kinds)（\(label)）"
    }
}
