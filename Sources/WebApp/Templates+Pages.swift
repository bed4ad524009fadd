/// The document viewer, upload, collection administration and audit pages.
extension Templates {
    static let document = """
        <nav class="crumbs" aria-label="現在位置"><a href="/">検索</a> › {{collection}}</nav>
        <h1>{{title}}</h1>
        <p class="meta">ファイル: {{source}}　形式: {{mediaType}}　更新: {{updated}}　区分数: {{chunkCount}}{{#narrowed}}　文書の公開範囲: {{narrowed}}{{/narrowed}}</p>
        {{#canManage}}
        <form method="post" action="/documents/{{id}}/visibility" class="actions">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <div><label for="doc-visibility">この文書の公開範囲</label>
          <select id="doc-visibility" name="visibility">
            <option value="">コレクションと同じ</option>
            {{#narrowOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}に限定</option>{{/narrowOptions}}
          </select></div>
          <button type="submit">公開範囲を変更</button>
        </form>
        {{/canManage}}
        {{#canWrite}}
        <form method="post" action="/documents/{{id}}/delete" class="inline" data-confirm="「{{title}}」を削除します。よろしいですか？">
          <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="danger">この文書を削除</button>
        </form>
        {{/canWrite}}
        <ol class="chunks">
        {{#chunks}}
          <li id="chunk-{{id}}" class="chunk" tabindex="-1">
            <p class="locator">{{locator}}{{#heading}}　{{heading}}{{/heading}}</p>
            <div class="text">{{text}}</div>
          </li>
        {{/chunks}}
        </ol>
        """

    static let upload = """
        <h1>文書のアップロード</h1>
        {{#hasCollections}}
        <form id="upload-form" data-csrf="{{csrf}}">
          <label for="upload-collection">登録先のコレクション</label>
          <select id="upload-collection" name="collection">
            {{#collections}}<option value="{{name}}">{{name}}（{{visibility}}）</option>{{/collections}}
          </select>
          <label for="upload-files">ファイル（PDF・Word・Excel・PowerPoint・HTML・Markdown・テキスト・CSV、1 ファイル {{maxMB}} MB まで、複数可）</label>
          <input id="upload-files" name="files" type="file" multiple required accept="{{accept}}">
          <button type="submit">アップロード</button>
        </form>
        <p class="meta">同じファイル名で登録すると新しい版に置き換わります。内容が同じなら何も変わりません。</p>
        <ul id="upload-results" class="chunks" aria-live="polite"></ul>
        {{/hasCollections}}
        {{^hasCollections}}<p>文書を登録できるコレクションがありません。所管課の職員か局管理者に依頼してください。</p>{{/hasCollections}}
        """

    static let admin = """
        <h1>コレクションと公開範囲の管理</h1>
        <section class="card">
        <h2>コレクションを作成</h2>
        <form method="post" action="/admin/collections">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <div class="grid2">
          <div><label for="new-name">コレクション名</label><input id="new-name" name="name" required maxlength="100"></div>
          <div><label for="new-owner">所管課</label>
          <select id="new-owner" name="owner">{{#owners}}<option value="{{path}}"{{#mine}} selected{{/mine}}>{{display}}</option>{{/owners}}</select></div>
          </div>
          <label for="new-visibility">公開範囲</label>
          <select id="new-visibility" name="visibility">{{#visibilities}}<option value="{{value}}">{{label}}</option>{{/visibilities}}</select>
          <button type="submit">作成</button>
        </form>
        </section>
        {{#collections}}
        <section class="card" aria-labelledby="c-{{index}}">
          <h2 id="c-{{index}}">{{name}}</h2>
          <p class="meta">所管: {{owner}}　公開範囲: {{visibilityLabel}}</p>
          <form method="post" action="/admin/collections/{{encoded}}/access" class="actions">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <div><label for="vis-{{index}}">公開範囲</label>
            <select id="vis-{{index}}" name="visibility">{{#visibilityOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/visibilityOptions}}</select></div>
            <div><label for="own-{{index}}">所管課</label>
            <select id="own-{{index}}" name="owner">{{#ownerOptions}}<option value="{{path}}"{{#selected}} selected{{/selected}}>{{display}}</option>{{/ownerOptions}}</select></div>
            <button type="submit">変更</button>
          </form>
          <h3>個別の付与</h3>
          <ul class="grants">
          {{#grants}}
            <li>{{kindLabel}}: {{label}}
              <form method="post" action="/admin/collections/{{encoded}}/grants/delete" class="inline">
                <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="kind" value="{{kind}}">
                <input type="hidden" name="id" value="{{granteeID}}">
                <button type="submit" class="link" aria-label="{{label}} への付与を取り消す">取り消す</button>
              </form></li>
          {{/grants}}
          {{^grants}}<li>なし</li>{{/grants}}
          </ul>
          <form method="post" action="/admin/collections/{{encoded}}/grants" class="actions">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <div><label for="grant-{{index}}">閲覧を許可する相手（団体／団体/局／団体/局/課、または user:ログインID）</label>
            <input id="grant-{{index}}" name="grantee" list="grantees" required></div>
            <button type="submit">許可する</button>
          </form>
        </section>
        {{/collections}}
        {{^collections}}<p>管理できるコレクションはありません。</p>{{/collections}}
        <datalist id="grantees">{{#grantees}}<option value="{{.}}"></option>{{/grantees}}</datalist>
        """

    static let audit = """
        <h1>監査ログ</h1>
        <p role="status">{{#verified}}<span class="ok">改ざんは検出されませんでした</span>（{{checked}} 件を検証）{{/verified}}{{^verified}}<span class="error">改ざんの可能性があります: 最初の不整合は #{{firstBroken}}（{{problemCount}} 件の問題）</span>{{/verified}}</p>
        <form method="get" action="/audit" class="filters">
          <div><label for="a-from">開始日</label><input id="a-from" name="from" type="date" value="{{from}}"></div>
          <div><label for="a-to">終了日</label><input id="a-to" name="to" type="date" value="{{to}}"></div>
          <div><label for="a-actor">操作者（ログイン ID）</label><input id="a-actor" name="actor" value="{{actor}}"></div>
          <div><label for="a-action">操作（前方一致: login, search, document…）</label><input id="a-action" name="action" value="{{action}}"></div>
          <div><label for="a-q">語句（対象・詳細・コレクション）</label><input id="a-q" name="q" value="{{q}}"></div>
          <div><button type="submit">絞り込む</button></div>
        </form>
        <p><a href="/audit/export?format=csv&amp;from={{from}}&amp;to={{to}}">この期間を CSV で書き出す</a>　<a href="/audit/export?format=jsonl&amp;from={{from}}&amp;to={{to}}">JSONL で書き出す</a></p>
        <p class="count">{{count}} 件（新しい順、最大 {{limit}} 件）</p>
        <table>
          <thead><tr><th scope="col">#</th><th scope="col">日時 (UTC)</th><th scope="col">操作者</th><th scope="col">操作</th><th scope="col">対象</th><th scope="col">コレクション</th><th scope="col">詳細</th><th scope="col">接続元</th></tr></thead>
          <tbody>
          {{#entries}}<tr><td>{{seq}}</td><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{target}}</td><td>{{collection}}</td><td>{{detail}}</td><td>{{address}}</td></tr>{{/entries}}
          </tbody>
        </table>
        """

    /// Upload with per-file progress (XMLHttpRequest's upload events) and confirmation before destructive forms.
    static let script = """
        'use strict';
        document.addEventListener('submit', function (e) {
          var msg = e.target.getAttribute('data-confirm');
          if (msg && !window.confirm(msg)) { e.preventDefault(); }
        });
        (function () {
          var form = document.getElementById('upload-form');
          if (!form) { return; }
          var list = document.getElementById('upload-results');
          function item(name) {
            var li = document.createElement('li');
            li.className = 'upload-item';
            var title = document.createElement('p');
            title.className = 'locator';
            title.textContent = name;
            var bar = document.createElement('progress');
            bar.max = 100; bar.value = 0;
            bar.setAttribute('aria-label', name + ' の送信状況');
            var status = document.createElement('p');
            status.className = 'status';
            status.textContent = '待機中';
            li.appendChild(title); li.appendChild(bar); li.appendChild(status);
            list.appendChild(li);
            return { li: li, bar: bar, status: status };
          }
          function send(file, collection, view) {
            return new Promise(function (resolve) {
              var xhr = new XMLHttpRequest();
              xhr.open('POST', '/api/v1/collections/' + encodeURIComponent(collection) + '/documents?filename=' + encodeURIComponent(file.name));
              xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
              xhr.upload.onprogress = function (ev) {
                if (ev.lengthComputable) {
                  var pct = Math.round(ev.loaded * 100 / ev.total);
                  view.bar.value = pct;
                  view.status.textContent = '送信中 ' + pct + '%';
                }
              };
              xhr.upload.onload = function () { view.bar.value = 100; view.status.textContent = '文書を解析・索引付けしています…'; };
              xhr.onload = function () {
                var body = null;
                try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
                view.status.textContent = '';
                if (xhr.status >= 200 && xhr.status < 300 && body) {
                  var labels = { added: '登録しました', updated: '新しい版に置き換えました', unchanged: '内容が同じため変更はありません' };
                  view.li.classList.add('done');
                  view.status.appendChild(document.createTextNode((labels[body.status] || body.status) + '（' + body.chunks + ' 区分）: '));
                  var a = document.createElement('a');
                  a.href = '/documents/' + body.document_id;
                  a.textContent = body.title;
                  view.status.appendChild(a);
                } else {
                  view.li.classList.add('failed');
                  view.status.className = 'status error';
                  view.status.setAttribute('role', 'alert');
                  view.status.textContent = '失敗: ' + (body && body.error ? body.error.message : ('HTTP ' + xhr.status));
                }
                resolve();
              };
              xhr.onerror = function () {
                view.status.className = 'status error';
                view.status.textContent = '失敗: サーバーに接続できませんでした';
                resolve();
              };
              xhr.send(file);
            });
          }
          form.addEventListener('submit', function (e) {
            e.preventDefault();
            var files = Array.prototype.slice.call(document.getElementById('upload-files').files);
            var collection = document.getElementById('upload-collection').value;
            var views = files.map(function (f) { return item(f.name); });
            files.reduce(function (p, f, i) { return p.then(function () { return send(f, collection, views[i]); }); }, Promise.resolve());
          });
        })();
        """
}
