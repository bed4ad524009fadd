/// The broad-listening (広聴) pages: the project list with the upload form, and one project (columns,
/// progress, results, cluster edits, publication).
extension Templates {
    static let listeningList = """
        <h1>広聴（意見の分析）</h1>
        {{#user}}
        <section class="card">
        <h2>新しい分析</h2>
        <p class="meta">市民の意見を 1 行 1 件で並べた CSV・TSV・Excel（.xlsx）ファイル（1 行目は列名、{{maxMB}} MB まで）。Excel の Shift_JIS の CSV もそのまま読めます。個人情報は分析の前に伏せ字にします。</p>
        <form id="listen-form" data-csrf="{{csrf}}">
          <label for="listen-title">題名（省略するとファイル名）</label>
          <input id="listen-title" name="title" maxlength="100" placeholder="例：総合計画（素案）へのパブリックコメント">
          <label for="listen-file">意見ファイル</label>
          <input id="listen-file" name="file" type="file" required accept=".csv,.tsv,.txt,.xlsx,.xlsm">
          <button type="submit">アップロードして列を確認</button>
        </form>
        <div id="listen-upload" aria-live="polite"></div>
        </section>
        {{/user}}
        <section class="card">
        <h2>{{#user}}閲覧できる分析{{/user}}{{^user}}公開中の広聴レポート{{/user}}</h2>
        {{#hasProjects}}
        <table>
          <thead><tr><th scope="col">題名</th><th scope="col">所管</th><th scope="col">状態</th><th scope="col">件数</th><th scope="col">公開</th><th scope="col">更新</th></tr></thead>
          <tbody>
          {{#projects}}
          <tr><td><a href="{{url}}">{{title}}</a></td><td>{{owner}}</td><td>{{status}}</td><td>{{comments}}</td><td>{{publication}}</td><td>{{updated}}</td></tr>
          {{/projects}}
          </tbody>
        </table>
        {{/hasProjects}}
        {{^hasProjects}}<p>まだありません。</p>{{/hasProjects}}
        </section>
        """

    static let listeningProject = """
        <p class="crumbs"><a href="/listening">広聴</a> › {{title}}</p>
        <h1>{{title}}</h1>
        <p class="meta">所管: {{owner}}　ファイル: {{fileName}}（{{inputKB}} KB）　作成: {{createdBy}}　状態: <span id="listen-status">{{statusLabel}}</span>{{#published}}　公開範囲: {{visibilityLabel}}{{/published}}{{^published}}　未公開（所管課のみ）{{/published}}</p>

        {{#columns}}
        <section class="card">
        <h2>分析の設定</h2>
        {{#warnings}}<p class="notice">{{.}}</p>{{/warnings}}
        <p>{{rows}} 行を読み込みました。意見本文の列と、集計に使う属性の列（年代・地域など）を確認してください。</p>
        <form method="post" action="/listening/{{id}}/run">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label for="comment-column">意見本文の列</label>
          <select id="comment-column" name="comment_column">
            {{#columnOptions}}<option value="{{name}}"{{#comment}} selected{{/comment}}>{{name}}（平均 {{meanLength}} 字）{{#sample}}: {{sample}}{{/sample}}</option>{{/columnOptions}}
          </select>
          <fieldset class="attributes"><legend>属性の列（クロス集計）</legend>
            {{#columnOptions}}<label class="check"><input type="checkbox" name="attribute_{{index}}" value="{{name}}"{{#attribute}} checked{{/attribute}}> {{name}}</label>{{/columnOptions}}
          </fieldset>
          <div class="grid2">
          <div><label for="listen-seed">乱数の種（同じ値なら同じ結果）</label><input id="listen-seed" name="seed" inputmode="numeric" pattern="[0-9]{1,18}" value="{{seed}}"></div>
          <div><label for="listen-clusters">分類数（大分類,小分類。空欄なら自動）</label><input id="listen-clusters" name="clusters" placeholder="例：6,30" value="{{clusters}}"></div>
          </div>
          {{#modelName}}<label class="check"><input type="checkbox" name="use_model" value="1"> 生成AI（{{modelName}}）で意見の抽出と分類名の作成を行う（個人情報は伏せ字のまま送ります）</label>{{/modelName}}
          <button type="submit">分析を開始</button>
        </form>
        </section>
        {{/columns}}

        {{#running}}
        <section class="card" id="listen-progress" data-project="{{id}}">
        <h2>分析の進み具合</h2>
        <p id="listen-stage" role="status" aria-live="polite">{{stage}}</p>
        <progress id="listen-bar" max="{{total}}" value="{{done}}" aria-label="分析の進み具合">{{done}}/{{total}}</progress>
        <p class="meta">このページは自動で更新されます。閉じても分析は続きます。</p>
        </section>
        {{/running}}

        {{#error}}<p class="error" role="alert">分析に失敗しました: {{error}}</p>{{/error}}

        {{#done}}
        <section class="card">
        <h2>結果</h2>
        <p>{{summaryText}}</p>
        {{#overview}}<p>{{overview}}</p>{{/overview}}
        <p class="row"><a class="button" href="/listening/{{id}}/report" target="_blank" rel="noopener">レポートを開く</a>
          <a href="/listening/{{id}}/files/opinions.xlsx">意見一覧（Excel）</a>
          <a href="/listening/{{id}}/files/opinions.csv">意見一覧（CSV）</a>
          <a href="/listening/{{id}}/files/result.json">全結果（JSON）</a></p>
        </section>
        {{#canEdit}}
        <section class="card">
        <h2>公開</h2>
        <form method="post" action="/listening/{{id}}/publish" class="actions">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <div><label for="publish-visibility">公開範囲</label>
          <select id="publish-visibility" name="visibility">
            <option value="draft"{{^published}} selected{{/published}}>公開しない（所管課のみ）</option>
            {{#visibilityOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/visibilityOptions}}
          </select></div>
          <button type="submit">公開範囲を保存</button>
        </form>
        <p class="meta">「全団体」「一般公開」は局管理者が行います。一般公開すると、ログインしていない市民もレポートを閲覧できます。</p>
        </section>
        {{/canEdit}}
        <section class="card">
        <h2>分類{{#canEdit}}（分類名と要約を編集できます）{{/canEdit}}</h2>
        {{#clusters}}
        <div class="cluster level-{{level}}" id="cluster-{{id}}">
          <h3>{{#parentLabel}}<span class="meta">{{parentLabel}} › </span>{{/parentLabel}}{{label}} <span class="badge">{{comments}} 件・意見の {{share}}</span>{{#edited}} <span class="badge">編集済み</span>{{/edited}}</h3>
          <p class="meta">特徴語: {{keywords}}</p>
          {{#canEdit}}
          <form method="post" action="/listening/{{project}}/clusters/{{id}}">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="label-{{id}}">分類名</label>
            <input id="label-{{id}}" name="label" value="{{label}}" maxlength="100" required>
            <label for="summary-{{id}}">要約</label>
            <textarea id="summary-{{id}}" name="summary" rows="3" maxlength="2000">{{summary}}</textarea>
            <button type="submit">保存</button>
          </form>
          {{/canEdit}}
          {{^canEdit}}<p>{{summary}}</p>{{/canEdit}}
        </div>
        {{/clusters}}
        </section>
        {{#hasEdits}}
        <section class="card">
        <h2>編集の履歴</h2>
        <table><thead><tr><th scope="col">日時</th><th scope="col">編集者</th><th scope="col">分類</th><th scope="col">変更前</th><th scope="col">変更後</th></tr></thead>
        <tbody>{{#edits}}<tr><td>{{at}}</td><td>{{login}}</td><td>{{cluster}}</td><td>{{previousLabel}}</td><td>{{label}}</td></tr>{{/edits}}</tbody></table>
        </section>
        {{/hasEdits}}
        {{/done}}

        {{#canEdit}}{{^running}}
        <form method="post" action="/listening/{{id}}/delete" data-confirm="この分析と結果をすべて削除します。よろしいですか？">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <button type="submit" class="danger">この分析を削除</button>
        </form>
        {{/running}}{{/canEdit}}
        """

    static let listeningScript = """
        (function () {
          var form = document.getElementById('listen-form');
          if (form) {
            form.addEventListener('submit', function (e) {
              e.preventDefault();
              var file = document.getElementById('listen-file').files[0];
              if (!file) { return; }
              var out = document.getElementById('listen-upload');
              out.textContent = '';
              var bar = document.createElement('progress');
              bar.max = 100; bar.value = 0;
              bar.setAttribute('aria-label', file.name + ' の送信状況');
              var status = document.createElement('p');
              status.textContent = '送信中…';
              out.appendChild(bar); out.appendChild(status);
              var xhr = new XMLHttpRequest();
              var title = document.getElementById('listen-title').value;
              xhr.open('POST', '/api/v1/listening?filename=' + encodeURIComponent(file.name) + '&title=' + encodeURIComponent(title));
              xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
              xhr.upload.onprogress = function (ev) {
                if (ev.lengthComputable) { bar.value = Math.round(ev.loaded * 100 / ev.total); status.textContent = '送信中 ' + bar.value + '%'; }
              };
              xhr.upload.onload = function () { bar.value = 100; status.textContent = 'ファイルを確認しています…'; };
              xhr.onload = function () {
                var body = null;
                try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
                if (xhr.status === 201 && body) {
                  window.location.href = '/listening/' + body.id;
                } else {
                  status.className = 'error';
                  status.setAttribute('role', 'alert');
                  status.textContent = '失敗: ' + (body && body.error ? body.error.message : ('HTTP ' + xhr.status));
                }
              };
              xhr.onerror = function () { status.className = 'error'; status.textContent = '通信に失敗しました。'; };
              xhr.send(file);
            });
          }
          var box = document.getElementById('listen-progress');
          if (!box) { return; }
          var id = box.getAttribute('data-project');
          var stage = document.getElementById('listen-stage');
          var bar = document.getElementById('listen-bar');
          function poll() {
            var xhr = new XMLHttpRequest();
            xhr.open('GET', '/api/v1/listening/' + id);
            xhr.onload = function () {
              var body = null;
              try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
              if (!body) { setTimeout(poll, 3000); return; }
              if (body.status === 'done' || body.status === 'failed') { window.location.reload(); return; }
              var p = body.progress || {};
              stage.textContent = body.status_label + (p.stage ? ': ' + p.stage : '') + (p.total ? '（' + p.done + ' / ' + p.total + '）' : '');
              if (p.total) { bar.max = p.total; bar.value = p.done; }
              setTimeout(poll, 1000);
            };
            xhr.onerror = function () { setTimeout(poll, 3000); };
            xhr.send();
          }
          setTimeout(poll, 500);
        })();
        """
}
