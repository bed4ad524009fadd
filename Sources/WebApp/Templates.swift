import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The server-rendered Japanese UI: Mustache templates compiled into the binary (no files to deploy, no
/// CDN, no external fonts), one stylesheet with WCAG 2.1 AA contrast and visible focus.
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources {
            do { try library.register(text, named: name) } catch { fatalError("template \(name): \(error)") }
        }
        return library
    }()

    /// Renders `name` inside the page layout.
    static func page(_ name: String, title: String, context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var values = context
        values["pageTitle"] = title
        let body = library.render(values, withTemplate: name) ?? ""
        values["body"] = body
        let html = library.render(values, withTemplate: "layout") ?? body
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        securityHeaders(&headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func securityHeaders(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[.cacheControl] = "no-store"
    }

    static let sources: [String: String] = [
        "layout": layout, "login": login, "search": search, "message": message, "document": document, "upload": upload,
        "admin": admin, "audit": audit, "proofread": proofread, "ask": ask, "usage": usage, "listeningList": listeningList,
        "listeningProject": listeningProject,
    ]

    static let layout = """
        <!doctype html>
        <html lang="ja">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{pageTitle}} — 広場 Hiroba</title>
        <style>\(css)</style>
        <script src="/static/app.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">本文へ移動</a>
        <header class="top">
          <a class="brand" href="/">広場 <span lang="en">Hiroba</span></a>
          {{#user}}
          <nav aria-label="メインメニュー"><a href="/">検索</a><a href="/ask">質問</a><a href="/proofread">校正</a><a href="/listening">広聴</a>{{#canUpload}}<a href="/upload">アップロード</a>{{/canUpload}}{{#canAdmin}}<a href="/admin/collections">公開範囲の管理</a>{{/canAdmin}}{{#canAdmin}}<a href="/admin/usage">生成AIの利用状況</a>{{/canAdmin}}{{#canAudit}}<a href="/audit">監査ログ</a>{{/canAudit}}</nav>
          <div class="who"><span>{{displayName}}（{{placement}}）</span>
            <form method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}">
            <button type="submit" class="link">ログアウト</button></form></div>
          {{/user}}
        </header>
        <main id="main" tabindex="-1">
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#pageError}}<p class="error" role="alert">{{pageError}}</p>{{/pageError}}
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <section class="card narrow">
        <h1>ログイン</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/login">
          <input type="hidden" name="csrf" value="{{loginCsrf}}">
          <label for="login">ログイン ID</label>
          <input id="login" name="login" autocomplete="username" required value="{{login}}" autofocus>
          <label for="password">パスワード</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required>
          <button type="submit">ログイン</button>
        </form>
        {{#sso}}<p class="sso"><a class="button" href="/auth/oidc/login">{{label}}</a></p>{{/sso}}
        </section>
        """

    static let search = """
        <h1 class="visually-hidden">文書検索</h1>
        <form class="search" method="get" action="/" role="search">
          <label for="q">検索語</label>
          <input id="q" name="q" type="search" value="{{query}}" placeholder="例：支出命令の入力期限" maxlength="1000">
          <label for="collection">コレクション</label>
          <select id="collection" name="collection">
            <option value="">すべて（閲覧できるもの）</option>
            {{#collections}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/collections}}
          </select>
          <button type="submit">検索</button>
        </form>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#searched}}
        <p class="count" role="status">{{total}} 件{{#more}}以上{{/more}}（{{elapsed}} ミリ秒）</p>
        <ol class="hits">
        {{#hits}}
          <li class="hit">
            <h2><span class="collection">{{collection}}</span> <a href="{{url}}">{{citation}}</a></h2>
            <p class="snippet">{{{snippet}}}</p>
          </li>
        {{/hits}}
        </ol>
        {{^hits}}<p>該当する文書は見つかりませんでした。言い換えや、語を減らして検索してください。</p>{{/hits}}
        {{/searched}}
        """

    static let message = """
        <section class="card narrow"><h1>{{heading}}</h1><p>{{text}}</p><p><a href="/">トップへ戻る</a></p></section>
        """

    static let css = """
        :root{--ink:#1a1a1a;--muted:#4a4a4a;--accent:#0b5394;--bg:#f7f7f5;--line:#c8c8c8;--mark:#ffe08a;--error:#a40000}
        *{box-sizing:border-box}body{margin:0;font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic",sans-serif;color:var(--ink);background:var(--bg);line-height:1.7}
        a{color:var(--accent)}:focus-visible{outline:3px solid #e37400;outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:1}
        .top{display:flex;align-items:center;gap:24px;padding:8px 24px;background:#fff;border-bottom:1px solid var(--line)}
        .brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--ink)}.who{margin-left:auto;display:flex;gap:12px;align-items:center;color:var(--muted)}
        .who form{margin:0}main{max-width:960px;margin:0 auto;padding:24px}
        .card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:24px}.card+.card{margin-top:16px}.narrow{max-width:420px;margin:48px auto}
        label{display:block;font-weight:600;margin-top:12px}input,select{font:inherit;padding:8px;border:1px solid #767676;border-radius:4px;width:100%}
        button{font:inherit;margin-top:16px;padding:8px 20px;border:0;border-radius:4px;background:var(--accent);color:#fff;cursor:pointer}
        a.button{display:inline-block;margin-top:16px;padding:8px 20px;border-radius:4px;background:#fff;border:2px solid var(--accent);font-weight:600;text-decoration:none}
        button.link{background:none;color:var(--accent);margin:0;padding:0;text-decoration:underline}
        .search{display:grid;grid-template-columns:1fr 220px auto;gap:0 12px;align-items:end}.search label{grid-row:1}.search input,.search select,.search button{grid-row:2}
        .error{color:var(--error);font-weight:600}.count{color:var(--muted)}
        .hits{list-style:none;padding:0}.hit{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:12px 0}
        .hit h2{font-size:1.05rem;margin:0 0 4px}.collection{font-size:.85rem;color:#fff;background:var(--muted);border-radius:3px;padding:1px 6px;margin-right:4px}
        .top nav{display:flex;gap:16px}.notice{background:#e6f4ea;border:1px solid #137333;padding:8px 12px;border-radius:4px}
        .crumbs{color:var(--muted)}.meta{color:var(--muted);font-size:.9rem}.chunks{list-style:none;padding:0}
        .chunk{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:8px 0;scroll-margin-top:16px}
        .chunk:target{border-left:6px solid #e37400;background:#fff8e1}.locator{font-weight:700;margin:0;color:var(--muted)}
        .chunk .text{white-space:pre-wrap;margin:4px 0}.cited{font-size:.85rem;background:#e37400;color:#000;border-radius:3px;padding:0 6px}
        .inline{display:inline}.actions{display:flex;gap:16px;align-items:end;flex-wrap:wrap}.actions label{margin-top:0}
        .danger{background:#a40000}table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
        th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef2f6}
        .ok{color:#137333;font-weight:700}progress{width:100%;height:14px}.upload-item{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:8px 0;list-style:none}
        .grants{margin:4px 0 8px}.grid2{display:grid;grid-template-columns:1fr 1fr;gap:0 16px}.filters{display:grid;grid-template-columns:repeat(3,1fr);gap:0 12px}
        mark{background:var(--mark);color:var(--ink)}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        textarea{font:inherit;width:100%;padding:8px;border:1px solid #767676;border-radius:4px}
        .proof-layout{display:grid;grid-template-columns:3fr 2fr;gap:16px}.proof-text{white-space:pre-wrap;background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px;max-height:70vh;overflow:auto}
        .proof-text mark.sev-error{background:#fde2e1;border-bottom:2px solid var(--error)}.proof-text mark.sev-warning{background:#fff1c2;border-bottom:2px solid #8a5a00}
        .proof-text mark.sev-info{background:#e3efff;border-bottom:2px dotted #174ea6}.proof-text mark:target{outline:3px solid #e37400}
        .proof-list{max-height:70vh;overflow:auto;padding-left:24px}.proof-list li{background:#fff;border:1px solid var(--line);border-radius:6px;padding:4px 12px;margin:6px 0}
        .proof-list li p{margin:4px 0}.proof-list label{font-weight:400;margin-top:4px}.proof-list input{width:auto}
        .answer-layout{display:grid;grid-template-columns:3fr 2fr;gap:16px}.answer{white-space:pre-wrap;background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px;min-height:3em}
        .answer a.cite{font-weight:700;text-decoration:underline}.badge{font-size:.8rem;background:#eef2f6;border:1px solid var(--line);border-radius:3px;padding:0 6px;font-weight:400}
        .notice{background:#fff8e1;border:1px solid #e37400;border-radius:6px;padding:6px 12px}.sources li{background:#fff;border:1px solid var(--line);border-radius:6px;padding:4px 12px;margin:6px 0}
        .sources li.cited{border-left:6px solid #e37400}fieldset.attributes{border:1px solid var(--line);border-radius:4px;margin-top:12px}
        label.check{display:inline-flex;gap:6px;align-items:center;font-weight:400;margin:4px 16px 4px 0}label.check input{width:auto}
        .cluster{border-top:1px solid var(--line);padding:8px 0}.cluster.level-1{margin-left:24px}.cluster h3{font-size:1.05rem;margin:4px 0}.feedback{margin-top:12px}.feedback button{margin-right:8px}.row{display:flex;gap:16px;align-items:end;flex-wrap:wrap}
        """
}
