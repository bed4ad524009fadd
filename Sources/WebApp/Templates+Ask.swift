extension Templates {
    static let ask = """
        <h1>資料に質問する</h1>
        <p class="meta">{{#modelName}}回答は生成AI（{{modelName}}）が、あなたが閲覧できる資料だけを根拠に作ります。必ず出典で確かめてください。{{/modelName}}{{^modelName}}生成AIは設定されていません。資料の該当箇所を抜粋して回答します。{{/modelName}}</p>
        <form id="ask-form" data-csrf="{{csrf}}">
          <label for="ask-question">質問</label>
          <textarea id="ask-question" name="question" rows="3" maxlength="2000" required placeholder="例: 支出命令は支払日の何日前までに入力しますか"></textarea>
          <div class="row">
            <label for="ask-collection">対象</label>
            <select id="ask-collection" name="collection">
              <option value="">閲覧できるすべての資料</option>
              {{#collections}}<option value="{{name}}">{{name}}</option>{{/collections}}
            </select>
            {{#modelName}}<label class="inline"><input type="checkbox" id="ask-extract" name="extract"> 生成AIを使わず抜粋で回答</label>{{/modelName}}
          </div>
          <button type="submit" id="ask-submit">質問する</button>
        </form>
        <p id="ask-status" class="status" role="status" aria-live="polite"></p>
        <section id="ask-result" hidden aria-labelledby="ask-result-title">
          <div class="answer-layout">
            <div>
              <h2 id="ask-result-title">回答 <span id="ask-mode" class="badge"></span></h2>
              <p id="ask-notice" class="notice" hidden></p>
              <div id="ask-answer" class="answer" aria-live="polite"></div>
              <div id="ask-feedback" class="feedback" hidden>
                <span id="ask-feedback-label">この回答は役に立ちましたか？</span>
                <button type="button" id="ask-up" aria-describedby="ask-feedback-label">👍 役に立った</button>
                <button type="button" id="ask-down" aria-describedby="ask-feedback-label">👎 役に立たなかった</button>
                <label for="ask-reason">理由（任意）</label>
                <input id="ask-reason" type="text" maxlength="1000">
                <p id="ask-feedback-status" role="status" aria-live="polite"></p>
              </div>
            </div>
            <aside aria-labelledby="ask-sources-title">
              <h2 id="ask-sources-title">出典</h2>
              <ol id="ask-sources" class="sources"></ol>
            </aside>
          </div>
        </section>
        """

    /// The ask page's script (appended to /static/app.js): streams the answer from POST /api/v1/ask.
    static let askScript = """
        (function () {
          var form = document.getElementById('ask-form');
          if (!form) { return; }
          var status = document.getElementById('ask-status');
          var result = document.getElementById('ask-result');
          var answerBox = document.getElementById('ask-answer');
          var sourcesList = document.getElementById('ask-sources');
          var notice = document.getElementById('ask-notice');
          var mode = document.getElementById('ask-mode');
          var feedback = document.getElementById('ask-feedback');
          var feedbackStatus = document.getElementById('ask-feedback-status');
          var submit = document.getElementById('ask-submit');
          var last = null;
          var currentQuestion = '';
          var sources = [];
          function render(text) {
            // Text with [n] turned into links to the cited place (only for real source numbers).
            answerBox.textContent = '';
            var re = /[\\[［]([0-9０-９]{1,3})[\\]］]/g, cursor = 0, m;
            while ((m = re.exec(text)) !== null) {
              answerBox.appendChild(document.createTextNode(text.slice(cursor, m.index)));
              var n = parseInt(m[1].replace(/[０-９]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xFEE0); }), 10);
              var source = sources.filter(function (s) { return s.number === n; })[0];
              if (source) {
                var a = document.createElement('a');
                a.href = source.url;
                a.textContent = '[' + n + ']';
                a.title = source.citation;
                a.className = 'cite';
                answerBox.appendChild(a);
              } else {
                answerBox.appendChild(document.createTextNode(m[0]));
              }
              cursor = m.index + m[0].length;
            }
            answerBox.appendChild(document.createTextNode(text.slice(cursor)));
          }
          function showSources(cited) {
            sourcesList.textContent = '';
            sources.forEach(function (s) {
              var li = document.createElement('li');
              li.value = s.number;
              if (cited && cited.indexOf(s.number) >= 0) { li.className = 'cited'; }
              var a = document.createElement('a');
              a.href = s.url;
              a.textContent = s.citation;
              li.appendChild(a);
              var meta = document.createElement('span');
              meta.className = 'meta';
              meta.textContent = '（' + s.collection + '）' + (cited && cited.indexOf(s.number) >= 0 ? ' 引用' : '');
              li.appendChild(meta);
              sourcesList.appendChild(li);
            });
            if (!sources.length) {
              var empty = document.createElement('li');
              empty.textContent = '閲覧できる資料に該当する記述はありませんでした。';
              sourcesList.appendChild(empty);
            }
          }
          function handle(name, data, state) {
            if (name === 'sources') { sources = data.sources; showSources(null); }
            else if (name === 'started') {
              mode.textContent = data.mode === 'model' ? '生成AI: ' + data.model : '抜粋（生成AIなし）';
              status.textContent = '回答を作成しています…';
            } else if (name === 'notice') { notice.hidden = false; notice.textContent = data.message; }
            else if (name === 'delta') { state.text += data.text; render(state.text); }
            else if (name === 'done') {
              state.done = true;
              render(data.answer);
              showSources(data.cited);
              last = { question: currentQuestion, answer: data.answer, mode: data.mode, model: data.model || null,
                sources: sources.filter(function (s) { return data.cited.indexOf(s.number) >= 0; }).map(function (s) { return s.chunk_id; }) };
              status.textContent = data.answered ? '回答しました。出典で内容を確かめてください。' : '資料の中に答えが見つかりませんでした。';
              feedback.hidden = false;
              feedbackStatus.textContent = '';
            } else if (name === 'error') { status.textContent = 'エラー: ' + data.message; }
          }
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            var question = document.getElementById('ask-question').value.trim();
            if (!question) { status.textContent = '質問を入力してください。'; return; }
            var collection = document.getElementById('ask-collection').value;
            var extract = document.getElementById('ask-extract');
            var body = { question: question, stream: true };
            if (collection) { body.collections = [collection]; }
            if (extract && extract.checked) { body.extract = true; }
            result.hidden = false;
            notice.hidden = true;
            feedback.hidden = true;
            answerBox.textContent = '';
            sourcesList.textContent = '';
            mode.textContent = '';
            sources = [];
            last = null;
            currentQuestion = question;
            status.textContent = '資料を探しています…';
            submit.disabled = true;
            var state = { text: '', done: false };
            fetch('/api/v1/ask', {
              method: 'POST', credentials: 'same-origin',
              headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream', 'X-CSRF-Token': form.getAttribute('data-csrf') },
              body: JSON.stringify(body)
            }).then(function (response) {
              if (!response.ok) {
                return response.json().then(function (j) {
                  status.textContent = 'エラー: ' + (j.error ? j.error.message : response.status);
                  result.hidden = true;
                });
              }
              var reader = response.body.getReader();
              var decoder = new TextDecoder();
              var buffer = '';
              function pump() {
                return reader.read().then(function (chunk) {
                  if (chunk.done) { return; }
                  buffer += decoder.decode(chunk.value, { stream: true });
                  var parts = buffer.split('\\n\\n');
                  buffer = parts.pop();
                  parts.forEach(function (part) {
                    var name = 'message', data = '';
                    part.split('\\n').forEach(function (line) {
                      if (line.indexOf('event: ') === 0) { name = line.slice(7); }
                      else if (line.indexOf('data: ') === 0) { data += line.slice(6); }
                    });
                    if (data) { handle(name, JSON.parse(data), state); }
                  });
                  return pump();
                });
              }
              return pump();
            }).catch(function () {
              status.textContent = '通信エラーが発生しました。もう一度お試しください。';
            }).then(function () {
              submit.disabled = false;
            });
          });
          function rate(value) {
            if (!last) { return; }
            var body = { question: last.question, answer: last.answer, mode: last.mode, sources: last.sources, rating: value,
              reason: document.getElementById('ask-reason').value };
            if (last.model) { body.model = last.model; }
            fetch('/api/v1/answers/feedback', {
              method: 'POST', credentials: 'same-origin',
              headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': form.getAttribute('data-csrf') },
              body: JSON.stringify(body)
            }).then(function (response) {
              feedbackStatus.textContent = response.ok ? '評価を送信しました。ありがとうございます。' : '評価を送信できませんでした。';
            });
          }
          document.getElementById('ask-up').addEventListener('click', function () { rate(1); });
          document.getElementById('ask-down').addEventListener('click', function () { rate(-1); });
        })();
        """
}

extension Templates {
    static let usage = """
        <h1>生成AIの利用状況</h1>
        <p class="meta">{{scopeLabel}}（日付は日本時間）。トークン数と費用はモデル提供元の報告値（報告がない場合は推定値）です。</p>
        <form method="get" action="/admin/usage" class="actions">
          <div><label for="usage-from">開始日</label><input id="usage-from" name="from" type="date" value="{{from}}"></div>
          <div><label for="usage-to">終了日</label><input id="usage-to" name="to" type="date" value="{{to}}"></div>
          <button type="submit">表示</button>
        </form>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#tables}}
        <h2>{{title}}</h2>
        <table>
          <thead><tr><th scope="col">{{keyLabel}}</th><th scope="col">呼び出し</th><th scope="col">失敗</th><th scope="col">入力トークン</th><th scope="col">出力トークン</th><th scope="col">費用（円）</th><th scope="col">平均応答（ミリ秒）</th></tr></thead>
          <tbody>
          {{#rows}}<tr><td>{{key}}</td><td>{{calls}}</td><td>{{failed}}</td><td>{{prompt}}</td><td>{{completion}}</td><td>{{cost}}</td><td>{{ms}}</td></tr>{{/rows}}
          {{^rows}}<tr><td colspan="7">この期間の利用はありません。</td></tr>{{/rows}}
          </tbody>
        </table>
        {{/tables}}
        <h2>回答への評価</h2>
        <table>
          <thead><tr><th scope="col">日時</th><th scope="col">利用者</th><th scope="col">評価</th><th scope="col">理由</th><th scope="col">質問</th><th scope="col">回答</th><th scope="col">方式</th></tr></thead>
          <tbody>
          {{#feedback}}<tr><td>{{at}}</td><td>{{login}}</td><td>{{rating}}</td><td>{{reason}}</td><td>{{question}}</td><td>{{answer}}</td><td>{{mode}}</td></tr>{{/feedback}}
          {{^feedback}}<tr><td colspan="7">評価はまだありません。</td></tr>{{/feedback}}
          </tbody>
        </table>
        <h2>最近の呼び出し</h2>
        <table>
          <thead><tr><th scope="col">日時</th><th scope="col">利用者</th><th scope="col">局</th><th scope="col">用途</th><th scope="col">モデル</th><th scope="col">トークン</th><th scope="col">結果</th><th scope="col">個人情報</th></tr></thead>
          <tbody>
          {{#calls}}<tr><td>{{at}}</td><td>{{login}}</td><td>{{bureau}}</td><td>{{app}}</td><td>{{model}}</td><td>{{tokens}}</td><td>{{status}}</td><td>{{personal}}</td></tr>{{/calls}}
          {{^calls}}<tr><td colspan="8">呼び出しはまだありません。</td></tr>{{/calls}}
          </tbody>
        </table>
        """
}
