import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import Storage

/// The browser UI: login, logout and search (server-rendered, Japanese).
struct WebController {
    let services: AppServices
    static let loginCSRFCookie = "hiroba_login_csrf"

    func register(on router: Router<HirobaContext>) {
        router.get("login") { request, context in try loginPage(request, context) }
        router.post("login") { request, context in try await login(request, context) }
        router.post("logout") { request, context in try await logout(request, context) }
        router.get("/") { request, context in try await searchPage(request, context) }
        registerPages(on: router)
        registerListening(on: router)
        router.get("auth/oidc/login") { request, context in try await oidcLogin(request, context) }
        router.get("auth/oidc/callback") { request, context in try await oidcCallback(request, context) }
    }

    // MARK: single sign-on

    static let oidcStateCookie = "hiroba_oidc_state"

    func oidcLogin(_ request: Request, _ context: HirobaContext) async throws -> Response {
        guard let oidc = services.oidc else {
            return try loginPage(request, context, error: "シングルサインオンは設定されていません。", status: .notFound)
        }
        do {
            let (url, state) = try await oidc.start()
            var response = Response.redirect(to: url, type: .found)
            // Lax: the provider sends the browser back with a top-level GET from its own site.
            response.setCookie(
                Cookie(name: Self.oidcStateCookie, value: state, maxAge: Int(OIDCClient.pendingLifetime), path: "/auth/oidc",
                       secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        } catch let error as OIDCError {
            context.logger.warning("oidc start failed: \(error.detail)")
            return try loginPage(request, context, error: error.message, status: .badGateway)
        }
    }

    func oidcCallback(_ request: Request, _ context: HirobaContext) async throws -> Response {
        guard let oidc = services.oidc else { return try loginPage(request, context, error: "シングルサインオンは設定されていません。", status: .notFound) }
        let q = formQuery(request)
        func fail(_ error: OIDCError, status: HTTPResponse.Status) throws -> Response {
            try services.audit.append(
                AuditEvent(actor: "匿名", action: "login.oidc.failure", target: oidc.settings.issuer, detail: error.detail, address: context.address))
            var response = try loginPage(request, context, error: error.message, status: status)
            response.setCookie(Cookie(name: Self.oidcStateCookie, value: "", maxAge: 0, path: "/auth/oidc", httpOnly: true, sameSite: .lax))
            return response
        }
        if let code = q["error"] {
            let message = code == "access_denied" ? "ログインが取り消されました。" : "認証サーバーがログインを拒否しました（\(code)）。"
            return try fail(OIDCError(message: message, detail: "provider error \(code): \(q["error_description"] ?? "")"), status: .unauthorized)
        }
        guard let code = q["code"], let state = q["state"], !code.isEmpty, code.count < 4096, state.count < 512 else {
            return try fail(OIDCError(message: OIDCClient.expired, detail: "callback without code/state"), status: .badRequest)
        }
        let identity: OIDCClient.Identity
        let user: UserAccount
        do {
            identity = try await oidc.finish(code: code, state: state, cookieState: request.cookies[Self.oidcStateCookie]?.value)
            let (placement, roles) = try oidc.placement(identity, accounts: services.accounts)
            user = try services.accounts.oidcUser(
                subject: identity.subject, preferredLogin: identity.preferredLogin, displayName: identity.displayName,
                placement: placement, roles: roles)
        } catch let error as OIDCError {
            return try fail(error, status: .unauthorized)
        }
        guard !user.disabled else {
            return try fail(OIDCError(message: "このアカウントは無効にされています。管理者に連絡してください。", detail: "disabled \(user.login)"), status: .forbidden)
        }
        let session = try services.accounts.startSession(user: user, address: context.address, lifetime: services.config.sessionLifetime)
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "login.oidc", target: user.login,
                detail: "\(identity.subject) → \(user.placement.display) \(user.roles.sorted().map(\.rawValue).joined(separator: ","))",
                address: context.address))
        var response = Response.redirect(to: "/", type: .found)
        response.setCookie(
            Cookie(name: AuthMiddleware.sessionCookie, value: session.token, maxAge: Int(services.config.sessionLifetime), path: "/",
                   secure: services.config.secureCookies, httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: Self.oidcStateCookie, value: "", maxAge: 0, path: "/auth/oidc", httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: login

    struct LoginForm: Decodable {
        var login: String
        var password: String
        var csrf: String
    }

    func loginPage(_ request: Request, _ context: HirobaContext, error: String? = nil, login: String = "",
                   status: HTTPResponse.Status = .ok) throws -> Response {
        if context.user != nil && error == nil { return .redirect(to: "/") }
        let csrf = AccountStore.randomToken()
        var values: [String: Any] = ["loginCsrf": csrf, "login": login]
        if let oidc = services.oidc { values["sso"] = ["label": oidc.settings.label] }
        if let error { values["error"] = error }
        var response = Templates.page("login", title: "ログイン", context: values, status: status)
        response.setCookie(
            Cookie(name: Self.loginCSRFCookie, value: csrf, maxAge: 3600, path: "/login", secure: services.config.secureCookies,
                   httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request, _ context: HirobaContext) async throws -> Response {
        let address = context.address ?? "unknown"
        guard services.loginLimiter.allows(address) else {
            try services.audit.append(AuditEvent(actor: "匿名", action: "login.throttled", target: address, address: context.address))
            return try loginPage(
                request, context, error: "ログインの試行が多すぎます。1 分ほど待ってから再度お試しください。", status: .tooManyRequests)
        }
        let form: LoginForm
        do {
            let body = try await request.body.collect(upTo: 16 * 1024)
            form = try URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body))
        } catch {
            return try loginPage(request, context, error: "入力内容を読み取れませんでした。もう一度入力してください。", status: .badRequest)
        }
        guard let cookie = request.cookies[Self.loginCSRFCookie]?.value, constantTimeEqual(cookie, form.csrf) else {
            return try loginPage(request, context, error: "画面の有効期限が切れました。もう一度ログインしてください。", login: form.login, status: .forbidden)
        }
        let result = try services.accounts.authenticate(login: form.login, password: form.password)
        switch result {
        case .success(let user):
            let session = try services.accounts.startSession(user: user, address: context.address, lifetime: services.config.sessionLifetime)
            try services.audit.append(
                AuditEvent(actorID: user.id, actor: user.login, action: "login.success", target: user.login, address: context.address))
            var response = Response.redirect(to: "/", type: .found)
            response.setCookie(
                Cookie(name: AuthMiddleware.sessionCookie, value: session.token, maxAge: Int(services.config.sessionLifetime), path: "/",
                       secure: services.config.secureCookies, httpOnly: true, sameSite: .strict))
            response.setCookie(Cookie(name: Self.loginCSRFCookie, value: "", maxAge: 0, path: "/login", httpOnly: true, sameSite: .strict))
            return response
        case .invalid, .disabled:
            services.loginLimiter.record(address)
            try services.audit.append(
                AuditEvent(actor: "匿名", action: "login.failure", target: form.login, detail: result == .disabled ? "disabled" : nil,
                           address: context.address))
            return try loginPage(request, context, error: "ログイン ID またはパスワードが正しくありません。", login: form.login, status: .unauthorized)
        case .locked(let until):
            services.loginLimiter.record(address)
            try services.audit.append(AuditEvent(actor: "匿名", action: "login.locked", target: form.login, address: context.address))
            let minutes = max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))
            return try loginPage(
                request, context, error: "ログインの失敗が続いたため、このアカウントは約 \(minutes) 分間ロックされています。", login: form.login,
                status: .unauthorized)
        }
    }

    func logout(_ request: Request, _ context: HirobaContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        let form = try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))
        try context.requireCSRF(form?["csrf"])
        if let session = context.session {
            try services.accounts.endSession(token: session.token)
            try services.audit.append(
                AuditEvent(actorID: session.user.id, actor: session.user.login, action: "logout", target: session.user.login, address: context.address))
        }
        var response = Response.redirect(to: "/login", type: .found)
        response.setCookie(Cookie(name: AuthMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: search

    func layoutValues(_ context: HirobaContext) -> [String: Any] {
        guard let user = context.user else { return [:] }
        let canUpload = (try? KnowledgeService(services: services).writableCollections(user: user).isEmpty == false) ?? false
        return [
            "user": [
                "displayName": user.displayName, "placement": user.placement.display, "csrf": context.session?.csrfToken ?? "",
                "canUpload": canUpload, "canAdmin": user.has(.platformAdmin) || user.has(.bureauAdmin),
                "canAudit": user.has(.auditor) || user.has(.platformAdmin),
            ],
            "csrf": context.session?.csrfToken ?? "",
        ]
    }

    func searchPage(_ request: Request, _ context: HirobaContext) async throws -> Response {
        guard let user = context.user else { return .redirect(to: "/login") }
        let parameters = formQuery(request)
        let query = parameters["q"] ?? ""
        let collection = parameters["collection"] ?? ""
        let scope = try services.access.readScope(for: user)
        let readable = try services.store.collections().filter { scope.collections.contains($0.id.rawValue) }
        var values = layoutValues(context)
        values["query"] = query
        values["collections"] = readable.map { ["name": $0.name, "selected": $0.name == collection] }
        if !query.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let outcome = try await SearchService(services: services).search(
                    query: query, collections: collection.isEmpty ? [] : [collection], k: 20, user: user, context: context,
                    scope: scope)
                values["searched"] = true
                values["total"] = outcome.response.totalMatches
                values["more"] = !outcome.response.totalIsExact
                values["elapsed"] = String(format: "%.1f", outcome.milliseconds)
                values["hits"] = outcome.response.hits.map { hit -> [String: Any] in
                    [
                        "collection": hit.collection, "citation": hit.citation, "snippet": hit.snippet,
                        "url": citedURL(hit),
                    ]
                }
            } catch {
                values["error"] = APIError.from(error).message
            }
        }
        return Templates.page("search", title: query.isEmpty ? "検索" : "「\(query)」の検索結果", context: values)
    }
}
