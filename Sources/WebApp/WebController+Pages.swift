import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import Ingest
import NIOCore
import Storage

/// Browser pages beyond search: document viewer, upload, collection administration, audit viewer. Forms
/// post back with the session's CSRF token and redirect (303) with a notice; errors re-render with a message.
extension WebController {
    func registerPages(on router: Router<HirobaContext>) {
        router.get("static/app.js") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Templates.script + Templates.proofreadScript + Templates.askScript + Templates.listeningScript)))
        }
        router.get("documents/:id") { request, context in try documentPage(request, context) }
        router.post("documents/:id/delete") { request, context in
            try await formAction(request, context) { user, _ in
                let id = try KnowledgeService.documentID(context.parameters.get("id") ?? "")
                let record = try KnowledgeService(services: services).delete(id, user: user, context: context)
                return ("/", "「\(record.document.title)」を削除しました。")
            }
        }
        router.post("documents/:id/visibility") { request, context in
            try await formAction(request, context) { user, form in
                let id = try KnowledgeService.documentID(context.parameters.get("id") ?? "")
                let raw = form["visibility"] ?? ""
                let visibility = raw.isEmpty ? nil : try AdminService.visibility(raw)
                _ = try KnowledgeService(services: services).setVisibility(id, visibility, user: user, context: context)
                return ("/documents/\(id.rawValue)", "文書の公開範囲を変更しました。")
            }
        }
        router.get("upload") { request, context in try uploadPage(request, context) }
        router.get("proofread") { request, context in
            guard context.user != nil else { return Response.redirect(to: "/login") }
            var values = layoutValues(context)
            values["maxMB"] = context.maxUploadSize / 1024 / 1024
            values["accept"] = DocumentFormat.supportedExtensions.map { "." + $0 }.joined(separator: ",")
            if let user = context.user, let gateway = services.gateway, let name = gateway.configuration.defaultChatModel,
                gateway.configuration.policy(organization: user.placement.organization, bureau: user.placement.bureau).allows(name)
            {
                values["modelName"] = name
            }
            return Templates.page("proofread", title: "文章の校正", context: values)
        }
        router.get("ask") { request, context in
            guard let user = context.user else { return Response.redirect(to: "/login") }
            var values = layoutValues(context)
            let scope = try services.access.readScope(for: user)
            values["collections"] = try services.store.collections().filter { scope.collections.contains($0.id.rawValue) }.map { ["name": $0.name] }
            if let gateway = services.gateway, let name = gateway.configuration.defaultChatModel,
                gateway.configuration.policy(organization: user.placement.organization, bureau: user.placement.bureau).allows(name)
            {
                values["modelName"] = name
            }
            return Templates.page("ask", title: "資料に質問する", context: values)
        }
        router.get("admin/usage") { request, context in try usagePage(request, context) }
        router.get("admin/collections") { request, context in try adminPage(request, context) }
        router.post("admin/collections") { request, context in
            try await formAction(request, context) { user, form in
                let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
                try AdminService(services: services).createCollection(
                    name: name, owner: form["owner"], visibility: try AdminService.visibility(form["visibility"]), user: user, context: context)
                return ("/admin/collections", "コレクション「\(name)」を作成しました。")
            }
        }
        router.post("admin/collections/:name/access") { request, context in
            try await formAction(request, context) { user, form in
                let name = try collectionNameParameter(context)
                try AdminService(services: services).setAccess(
                    collection: name, owner: form["owner"], visibility: try AdminService.visibility(form["visibility"]), user: user,
                    context: context)
                return ("/admin/collections", "「\(name)」の公開範囲を変更しました。")
            }
        }
        router.post("admin/collections/:name/grants") { request, context in
            try await formAction(request, context) { user, form in
                let name = try collectionNameParameter(context)
                let grant = try AdminService(services: services).grant(collection: name, to: form["grantee"] ?? "", user: user, context: context)
                return ("/admin/collections", "「\(name)」の閲覧を \(grant.label) に許可しました。")
            }
        }
        router.post("admin/collections/:name/grants/delete") { request, context in
            try await formAction(request, context) { user, form in
                let name = try collectionNameParameter(context)
                guard let id = Int64(form["id"] ?? "") else {
                    throw APIError.badRequest("付与先が不正です", fix: "Reload the page.", code: "bad_grant")
                }
                try AdminService(services: services).revoke(collection: name, kind: form["kind"] ?? "", granteeID: id, user: user, context: context)
                return ("/admin/collections", "「\(name)」への付与を取り消しました。")
            }
        }
        router.get("audit") { request, context in try auditPage(request, context) }
        router.get("audit/export") { request, context in try auditExport(request, context) }
    }

    /// Reads a form post, checks CSRF, runs `action`, and redirects with its notice, or shows the error on a
    /// message page with the error's status.
    func formAction(
        _ request: Request, _ context: HirobaContext, _ action: (UserAccount, [String: String]) async throws -> (String, String)
    ) async throws -> Response {
        guard let user = context.user else { return .redirect(to: "/login") }
        let form: [String: String]
        do {
            let body = try await request.body.collect(upTo: 64 * 1024)
            form = try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))
        } catch {
            return errorPage(context, APIError.badRequest("フォームを読み取れませんでした", fix: "Reload the page.", code: "bad_form"))
        }
        do {
            try context.requireCSRF(form["csrf"])
            let (location, notice) = try await action(user, form)
            // The notice goes into the query, before any #fragment.
            let parts = location.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let path = String(parts[0])
            let fragment = parts.count > 1 ? "#" + parts[1] : ""
            let separator = path.contains("?") ? "&" : "?"
            let encoded = notice.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? ""
            return .redirect(to: path + separator + "notice=" + encoded + fragment, type: .normal)
        } catch {
            return errorPage(context, APIError.from(error))
        }
    }

    /// The URL's query as an HTML form sends it (application/x-www-form-urlencoded: `+` is a space).
    func formQuery(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            let key = decode(parts[0])
            if out[key] == nil { out[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }

    func errorPage(_ context: HirobaContext, _ error: APIError) -> Response {
        var values = layoutValues(context)
        values["heading"] = error.status == .forbidden ? "権限がありません" : error.status == .notFound ? "見つかりません" : "操作できませんでした"
        values["text"] = error.message
        return Templates.page("message", title: values["heading"] as? String ?? "エラー", context: values, status: error.status)
    }

    func withNotice(_ values: inout [String: Any], _ request: Request) {
        if let notice = formQuery(request)["notice"], !notice.isEmpty { values["notice"] = notice }
    }

    // MARK: document viewer

    func documentPage(_ request: Request, _ context: HirobaContext) throws -> Response {
        guard let user = context.user else { return .redirect(to: "/login") }
        do {
            let id = try KnowledgeService.documentID(context.parameters.get("id") ?? "")
            let (record, chunks) = try KnowledgeService(services: services).view(id, user: user, context: context)
            let access = try services.access.collection(named: record.collection)
            var values = layoutValues(context)
            withNotice(&values, request)
            values["id"] = id.rawValue
            values["title"] = record.document.title
            values["collection"] = record.collection
            values["source"] = record.document.source
            values["mediaType"] = record.document.mediaType
            values["updated"] = Self.japaneseDate.string(from: record.document.updatedAt)
            values["chunkCount"] = chunks.count
            if let narrowed = record.visibility { values["narrowed"] = narrowed.label }
            if let access {
                values["canWrite"] = services.access.canWrite(access, user: user)
                values["canManage"] = services.access.canManage(access, user: user)
            }
            values["narrowOptions"] = [Visibility.section, .bureau, .organization].map {
                ["value": $0.rawValue, "label": $0.label, "selected": $0 == record.visibility] as [String: Any]
            }
            values["chunks"] = chunks.map { c -> [String: Any] in
                var row: [String: Any] = ["id": c.id, "locator": c.chunk.locator.display, "text": c.chunk.text]
                if !c.chunk.headingPath.isEmpty { row["heading"] = c.chunk.headingPath.joined(separator: " › ") }
                return row
            }
            return Templates.page("document", title: record.document.title, context: values)
        } catch {
            return errorPage(context, APIError.from(error))
        }
    }

    // MARK: upload

    func uploadPage(_ request: Request, _ context: HirobaContext) throws -> Response {
        guard let user = context.user else { return .redirect(to: "/login") }
        let writable = try KnowledgeService(services: services).writableCollections(user: user)
        var values = layoutValues(context)
        values["hasCollections"] = !writable.isEmpty
        values["collections"] = writable.map { ["name": $0.name, "visibility": $0.visibility.label] }
        values["maxMB"] = context.maxUploadSize / 1024 / 1024
        values["accept"] = DocumentFormat.supportedExtensions.map { "." + $0 }.joined(separator: ",")
        return Templates.page("upload", title: "文書のアップロード", context: values)
    }

    // MARK: administration

    func adminPage(_ request: Request, _ context: HirobaContext) throws -> Response {
        guard let user = context.user else { return .redirect(to: "/login") }
        let admin = AdminService(services: services)
        do {
            let collections = try admin.manageableCollections(user: user)
            let owners = try admin.ownerChoices(user: user)
            var values = layoutValues(context)
            withNotice(&values, request)
            let csrf = context.session?.csrfToken ?? ""
            func path(_ p: Placement) -> String { "\(p.organization)/\(p.bureau)/\(p.section)" }
            values["owners"] = owners.map { ["path": path($0), "display": $0.display, "mine": $0.sectionID == user.placement.sectionID] as [String: Any] }
            values["visibilities"] = Visibility.allCases.map { ["value": $0.rawValue, "label": $0.label] }
            values["collections"] = collections.enumerated().map { i, c -> [String: Any] in
                let encoded = c.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? ""
                return [
                    "index": i, "name": c.name, "csrf": csrf, "encoded": encoded,
                    "owner": c.owner?.display ?? "（未設定）", "visibilityLabel": c.visibility.label,
                    "visibilityOptions": Visibility.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == c.visibility] as [String: Any] },
                    "ownerOptions": owners.map { ["path": path($0), "display": $0.display, "selected": $0.sectionID == c.owner?.sectionID] as [String: Any] },
                    "grants": c.grants.map { g -> [String: Any] in
                        let kindLabel = ["organization": "団体", "bureau": "局", "section": "課", "user": "利用者"][g.kind.rawValue] ?? g.kind.rawValue
                        return ["kind": g.kind.rawValue, "kindLabel": kindLabel, "granteeID": g.granteeID, "label": g.label, "csrf": csrf,
                                "encoded": encoded]
                    },
                ]
            }
            var grantees: [String] = []
            for p in try services.accounts.allPlacements() {
                for g in [p.organization, "\(p.organization)/\(p.bureau)", path(p)] where !grantees.contains(g) { grantees.append(g) }
            }
            values["grantees"] = grantees
            return Templates.page("admin", title: "コレクションと公開範囲の管理", context: values)
        } catch {
            return errorPage(context, APIError.from(error))
        }
    }

    // MARK: audit

    func auditQuery(_ request: Request) -> AdminService.AuditQuery {
        let q = formQuery(request)
        func value(_ key: String) -> String? {
            guard let v = q[key], !v.isEmpty else { return nil }
            return v
        }
        return AdminService.AuditQuery(from: value("from"), to: value("to"), actor: value("actor"), action: value("action"), text: value("q"))
    }

    func auditPage(_ request: Request, _ context: HirobaContext) throws -> Response {
        guard let user = context.user else { return .redirect(to: "/login") }
        do {
            let query = auditQuery(request)
            let entries = try AdminService(services: services).auditEntries(query, user: user, context: context)
            let verification = try services.audit.verify()
            var values = layoutValues(context)
            values["verified"] = verification.ok
            values["checked"] = verification.checked
            if let first = verification.firstBroken { values["firstBroken"] = first }
            values["problemCount"] = verification.problems.count
            for (key, value) in [("from", query.from), ("to", query.to), ("actor", query.actor), ("action", query.action), ("q", query.text)] {
                values[key] = value ?? ""
            }
            values["count"] = entries.count
            values["limit"] = query.limit
            values["entries"] = entries.map { e -> [String: Any] in
                ["seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "target": e.target, "collection": e.collection ?? "",
                 "detail": e.detail ?? "", "address": e.address ?? ""]
            }
            return Templates.page("audit", title: "監査ログ", context: values)
        } catch {
            return errorPage(context, APIError.from(error))
        }
    }

    func auditExport(_ request: Request, _ context: HirobaContext) throws -> Response {
        guard let user = context.user else { return .redirect(to: "/login") }
        do {
            let admin = AdminService(services: services)
            try admin.requireAuditor(user)
            let query = auditQuery(request)
            let format: AuditLog.ExportFormat = request.uri.queryParameters["format"] == "jsonl" ? .jsonl : .csv
            let entries = try services.audit.entries(
                from: try AdminService.validDate(query.from, "開始"), to: try AdminService.validDate(query.to, "終了"), limit: 1_000_000)
            try services.audit.append(
                AuditEvent(
                    actorID: user.id, actor: user.login, action: "audit.export", target: "\(query.from ?? "")..\(query.to ?? "")",
                    detail: "\(entries.count) 件 \(format.rawValue)", address: context.address))
            var headers = HTTPFields()
            headers[.contentType] = format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"hiroba-audit.\(format.rawValue)\""
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try AuditLog.export(entries, format: format))))
        } catch {
            return errorPage(context, APIError.from(error))
        }
    }
}
