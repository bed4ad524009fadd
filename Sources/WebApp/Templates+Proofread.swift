extension Templates {
    static let proofread = """
        <h1>文章の校正</h1>
        <p class="meta">公用文（「公用文作成の考え方」2022・常用漢字表・送り仮名）と文法・表記の規則で点検します。本文はサーバーに保存されません（監査ログには文字数と指摘数だけが残ります）。</p>
        <form id="proofread-form" data-csrf="{{csrf}}">
          <label for="proofread-text">校正する文章（貼り付け）</label>
          <textarea id="proofread-text" name="text" rows="10"></textarea>
          <label for="proofread-file">またはファイル（テキスト・Markdown・Word・PDF など、{{maxMB}} MB まで）</label>
          <input id="proofread-file" name="file" type="file" accept="{{accept}}">
          {{#modelName}}<label class="inline"><input type="checkbox" id="proofread-rewrite"> 長い文の書き換え案を生成AI（{{modelName}}）にも出してもらう</label>{{/modelName}}
          <button type="submit">校正する</button>
        </form>
        <p id="proofread-status" class="status" role="status" aria-live="polite"></p>
        <section id="proofread-results" hidden aria-labelledby="proofread-results-title">
          <h2 id="proofread-results-title">結果</h2>
          <p id="proofread-summary"></p>
          <div class="proof-layout">
            <div>
              <h3>本文（指摘箇所に印）</h3>
              <div id="proofread-view" class="proof-text" tabindex="0" aria-label="校正した本文"></div>
            </div>
            <div>
              <h3>指摘一覧</h3>
              <p class="meta">修正案のある指摘は「採用」を選ぶと修正版に反映されます。</p>
              <ol id="proofread-list" class="proof-list"></ol>
            </div>
          </div>
          <section id="proofread-rewrites" hidden aria-labelledby="proofread-rewrites-title">
            <h3 id="proofread-rewrites-title">生成AIによる書き換え案</h3>
            <p class="meta">規則による指摘とは別の参考意見です。修正版には反映されません。内容を確かめてから使ってください。</p>
            <ol id="proofread-rewrite-list" class="proof-list"></ol>
          </section>
          <h3><label for="proofread-fixed">修正版</label></h3>
          <textarea id="proofread-fixed" rows="8" readonly></textarea>
          <button type="button" id="proofread-download">修正版をダウンロード</button>
        </section>
        """

    /// The proofreading page's script (appended to /static/app.js).
    static let proofreadScript = """
        (function () {
          var form = document.getElementById('proofread-form');
          if (!form) { return; }
          var status = document.getElementById('proofread-status');
          var results = document.getElementById('proofread-results');
          var view = document.getElementById('proofread-view');
          var list = document.getElementById('proofread-list');
          var fixedArea = document.getElementById('proofread-fixed');
          var current = null;
          var labels = { error: '誤り', warning: '要修正', info: '参考' };
          function accepted() {
            return current.findings.filter(function (f, i) {
              var box = document.getElementById('accept-' + i);
              return box && box.checked;
            });
          }
          function corrected() {
            var text = current.text, out = '', cursor = 0;
            accepted().slice().sort(function (a, b) { return a.offset_utf16 - b.offset_utf16; }).forEach(function (f) {
              if (f.offset_utf16 < cursor) { return; }  // overlapping suggestion: the first one wins
              out += text.slice(cursor, f.offset_utf16) + f.replacement;
              cursor = f.offset_utf16 + f.length_utf16;
            });
            return out + text.slice(cursor);
          }
          function refresh() { fixedArea.value = corrected(); }
          function render(data) {
            current = data;
            view.textContent = '';
            list.textContent = '';
            var text = data.text, cursor = 0;
            data.findings.forEach(function (f, i) {
              if (f.offset_utf16 >= cursor && f.length_utf16 > 0) {
                view.appendChild(document.createTextNode(text.slice(cursor, f.offset_utf16)));
                var mark = document.createElement('mark');
                mark.className = 'sev-' + f.severity;
                mark.id = 'finding-' + i;
                mark.title = f.message;
                mark.textContent = text.slice(f.offset_utf16, f.offset_utf16 + f.length_utf16);
                view.appendChild(mark);
                cursor = f.offset_utf16 + f.length_utf16;
              }
              var li = document.createElement('li');
              li.className = 'sev-' + f.severity;
              var head = document.createElement('p');
              var link = document.createElement('a');
              link.href = '#finding-' + i;
              link.textContent = f.line + '行' + f.column + '字: 「' + f.text + '」';
              head.appendChild(link);
              head.appendChild(document.createTextNode(' ' + (labels[f.severity] || f.severity) + '・' + (data.rules[f.rule] || f.rule)));
              li.appendChild(head);
              var msg = document.createElement('p');
              msg.textContent = f.message;
              li.appendChild(msg);
              if (f.replacement !== null) {
                var label = document.createElement('label');
                var box = document.createElement('input');
                box.type = 'checkbox';
                box.id = 'accept-' + i;
                box.checked = true;
                box.addEventListener('change', refresh);
                label.appendChild(box);
                label.appendChild(document.createTextNode(' 採用: 「' + f.text + '」→「' + f.replacement + '」'));
                li.appendChild(label);
              }
              list.appendChild(li);
            });
            view.appendChild(document.createTextNode(text.slice(cursor)));
            var counts = data.counts || {};
            document.getElementById('proofread-summary').textContent =
              data.characters + ' 文字・' + data.sentences + ' 文、指摘 ' + data.findings.length + ' 件（誤り ' + (counts.error || 0) +
              '、要修正 ' + (counts.warning || 0) + '、参考 ' + (counts.info || 0) + '）' + (data.warnings.length ? '。注意: ' + data.warnings.join('、') : '');
            var rewrites = document.getElementById('proofread-rewrites');
            var rewriteList = document.getElementById('proofread-rewrite-list');
            rewriteList.textContent = '';
            rewrites.hidden = !data.rewrites;
            if (data.rewrites) {
              data.rewrites.suggestions.forEach(function (r) {
                var li = document.createElement('li');
                var original = document.createElement('p');
                original.textContent = r.start.line + ' 行目: ' + r.original;
                var suggestion = document.createElement('p');
                suggestion.className = 'ok';
                suggestion.textContent = '案: ' + r.suggestion;
                li.appendChild(original);
                li.appendChild(suggestion);
                rewriteList.appendChild(li);
              });
              if (!data.rewrites.suggestions.length) {
                var none = document.createElement('li');
                none.textContent = data.rewrites.failed ? '生成AIが応答しなかったため、案はありません。' : '書き換えが必要な長い文はありませんでした。';
                rewriteList.appendChild(none);
              }
            }
            results.hidden = false;
            refresh();
          }
          form.addEventListener('submit', function (e) {
            e.preventDefault();
            var file = document.getElementById('proofread-file').files[0];
            var rewriteBox = document.getElementById('proofread-rewrite');
            var rewrite = !!(rewriteBox && rewriteBox.checked);
            var xhr = new XMLHttpRequest();
            if (file) {
              xhr.open('POST', '/api/v1/proofread/file?filename=' + encodeURIComponent(file.name) + (rewrite ? '&rewrite=1' : ''));
            } else {
              xhr.open('POST', '/api/v1/proofread');
              xhr.setRequestHeader('Content-Type', 'application/json');
            }
            xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
            status.className = 'status';
            status.textContent = '校正しています…';
            xhr.onload = function () {
              var body = null;
              try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
              if (xhr.status === 200 && body) {
                status.textContent = '校正しました。';
                render(body);
              } else {
                status.className = 'status error';
                status.setAttribute('role', 'alert');
                status.textContent = '失敗: ' + (body && body.error ? body.error.message : ('HTTP ' + xhr.status));
              }
            };
            xhr.onerror = function () { status.className = 'status error'; status.textContent = '失敗: サーバーに接続できませんでした'; };
            xhr.send(file ? file : JSON.stringify({ text: document.getElementById('proofread-text').value, rewrite: rewrite }));
          });
          document.getElementById('proofread-download').addEventListener('click', function () {
            var blob = new Blob([corrected()], { type: 'text/plain;charset=utf-8' });
            var a = document.createElement('a');
            a.href = URL.createObjectURL(blob);
            a.download = '修正版.txt';
            document.body.appendChild(a);
            a.click();
            setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
          });
        })();
        """
}
