#!/usr/bin/env python3
"""Browser tests: Debian's chromium driven by selenium against a real `hiroba serve`.

Starts the server on a fresh database with the demo city (みなと市), then, as real users in a real browser:
logs in, uploads a DOCX and a PDF with progress, searches, opens the cited place of a document, has a
bureau administrator grant another bureau access in the admin screen and checks that a user of that bureau
then finds it, and reads the audit log as the auditor. Screenshots go to var/test-artifacts/browser/.

Usage: python3 e2e/browser/run.py [--bin .build/debug/hiroba]
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "IngestTests", "Fixtures")
ARTIFACTS = os.path.join(ROOT, "var", "test-artifacts", "browser")
PASSWORDS = {"kaikei": "kaikei-password-1", "jinji": "jinji-password-1", "kansa": "kansa-password-1"}

checks = 0


def check(condition, message):
    global checks
    if not condition:
        raise AssertionError(message)
    checks += 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hiroba(binary, db, *args, stdin=None):
    result = subprocess.run([binary, *args, "--db", db], input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"hiroba {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def set_up(binary, db):
    hiroba(binary, db, "ingest", os.path.join(ROOT, "demo", "財務会計システム"), os.path.join(ROOT, "demo", "FAQ"), "--collection", "財務会計")
    hiroba(binary, db, "ingest", os.path.join(FIXTURES, "manual.pdf"), "--collection", "研修資料")
    hiroba(binary, db, "access", "set", "財務会計", "--owner", "みなと市/会計管理局/会計課", "--visibility", "organization")
    hiroba(binary, db, "access", "set", "研修資料", "--owner", "みなと市/総務局/人事課", "--visibility", "bureau")
    hiroba(binary, db, "users", "add", "kaikei", "--name", "会計 太郎", "--placement", "みなと市/会計管理局/会計課",
           "--password-stdin", stdin=PASSWORDS["kaikei"] + "\n")
    hiroba(binary, db, "users", "add", "jinji", "--name", "人事 花子", "--placement", "みなと市/総務局/人事課",
           "--role", "staff", "--role", "bureau_admin", "--password-stdin", stdin=PASSWORDS["jinji"] + "\n")
    hiroba(binary, db, "users", "add", "kansa", "--name", "監査 一郎", "--placement", "みなと市/監査事務局/監査課",
           "--role", "auditor", "--password-stdin", stdin=PASSWORDS["kansa"] + "\n")


def start_server(binary, db, port, log):
    env = dict(os.environ, HIROBA_PORT=str(port), HIROBA_HOST="127.0.0.1", HIROBA_BCRYPT_COST="8")
    server = subprocess.Popen([binary, "serve", "--db", db], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("server did not become ready")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=ja-JP",
                "--disable-gpu"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    return driver


class Session:
    def __init__(self, base, name):
        self.base = base
        self.name = name
        self.driver = browser()
        self.wait = WebDriverWait(self.driver, 20)

    def shot(self, label):
        os.makedirs(ARTIFACTS, exist_ok=True)
        self.driver.save_screenshot(os.path.join(ARTIFACTS, f"{self.name}-{label}.png"))

    def get(self, path):
        self.driver.get(self.base + path)

    def login(self, login):
        self.get("/login")
        d = self.driver
        # Keyboard only: the login field has focus, Tab to the password, Enter submits.
        focused = d.switch_to.active_element
        check(focused.get_attribute("id") == "login", "login field is focused on the login page")
        focused.send_keys(login, Keys.TAB)
        d.switch_to.active_element.send_keys(PASSWORDS[login], Keys.ENTER)
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.search")))
        check(login in d.page_source or "ログアウト" in d.page_source, f"{login} is signed in")

    def labelled(self):
        """Every visible form control has an accessible name (a <label for>, aria-label or hidden type)."""
        names = self.driver.execute_script(
            """
            return Array.from(document.querySelectorAll('input,select,textarea')).filter(e => e.type !== 'hidden')
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.outerHTML);
            """)
        check(names == [], f"unlabelled controls on {self.driver.current_url}: {names}")

    def search(self, query, collection=""):
        d = self.driver
        self.get("/")
        box = d.find_element(By.ID, "q")
        box.clear()
        box.send_keys(query)
        if collection:
            Select(d.find_element(By.ID, "collection")).select_by_value(collection)
        box.send_keys(Keys.ENTER)
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.count, p.error")))
        return [h.text for h in d.find_elements(By.CSS_SELECTOR, "li.hit h2")]

    def quit(self):
        self.driver.quit()


COMMENT_TOPICS = {
    "子育て": ["保育園の待機児童を減らしてほしい。", "学童保育の時間を延長してほしいです。", "子どもの医療費助成を高校生まで広げてください。",
             "公園に幼児向けの遊具を増やしてほしい。", "小学校の給食費の負担を軽くしてほしい。"],
    "交通": ["駅前の駐輪場が足りず、歩道に自転車があふれています。", "コミュニティバスの本数を増やしてほしい。",
             "交差点に信号機をつけてほしい。通学路なので危ない。", "バス停にベンチと屋根がほしいです。", "歩道の段差をなくしてほしい。"],
    "防災": ["避難所の場所がわかりにくいので案内板を増やしてほしい。", "防災無線が聞こえにくい地域があります。",
             "ハザードマップを外国語でも配ってほしい。", "備蓄倉庫の食料を定期的に入れ替えてほしい。", "高齢者の避難を手伝う仕組みがほしい。"],
    "ごみ": ["ごみの分別ルールが複雑でわかりにくい。", "粗大ごみの収集を月二回にしてほしい。", "資源ごみの回収日を増やしてほしいです。",
             "集積所のカラス対策をしてほしい。", "ごみ袋の値段が高いので見直してほしい。"],
}


def write_comment_file(path):
    """A comment file as Excel saves it in Japan: Shift_JIS (CP932), CRLF, 年代 and 地域 columns."""
    ages = ["20代", "30代", "40代", "50代", "60代", "70代以上"]
    areas = ["北区", "南区", "東区", "西区"]
    lines = ["番号,年代,地域,ご意見"]
    n = 0
    for round_ in range(4):
        for topic, sentences in COMMENT_TOPICS.items():
            for i, sentence in enumerate(sentences):
                n += 1
                extra = ["", "よろしくお願いします。", "ご検討ください。", "市の考えを聞かせてください。", "毎日困っています。",
                         "近所の人も同じ意見です。", "前から気になっていました。"][(n * 3 + round_) % 7]
                lines.append(f"{n},{ages[(n + i) % len(ages)]},{areas[(n * 7 + round_) % len(areas)]},{sentence}{extra}")
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("cp932"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug", "hiroba"))
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    os.makedirs(ARTIFACTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="hiroba-browser-")
    db = os.path.join(work, "hiroba.sqlite")
    set_up(binary, db)
    port = free_port()
    log = open(os.path.join(ARTIFACTS, "server.log"), "w")
    server = start_server(binary, db, port, log)
    base = f"http://127.0.0.1:{port}"
    sessions = []
    try:
        # 1. 会計課 staff: log in, upload a DOCX and a PDF with progress, search, open the cited place.
        kaikei = Session(base, "1-kaikei")
        sessions.append(kaikei)
        kaikei.login("kaikei")
        kaikei.labelled()
        kaikei.shot("search-empty")
        d = kaikei.driver
        kaikei.get("/upload")
        kaikei.labelled()
        Select(d.find_element(By.ID, "upload-collection")).select_by_value("財務会計")
        files = [os.path.join(FIXTURES, "regulation.docx"), os.path.join(FIXTURES, "slides.pdf" if os.path.exists(os.path.join(FIXTURES, "slides.pdf")) else "manual.pdf")]
        d.find_element(By.ID, "upload-files").send_keys("\n".join(files))
        d.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
        kaikei.wait.until(lambda drv: len(drv.find_elements(By.CSS_SELECTOR, "#upload-results .status a")) == 2
                          or drv.find_elements(By.CSS_SELECTOR, "#upload-results .error"))
        errors = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#upload-results .error")]
        check(errors == [], f"uploads succeeded: {errors}")
        bars = [int(b.get_attribute("value")) for b in d.find_elements(By.CSS_SELECTOR, "#upload-results progress")]
        check(bars == [100, 100], f"progress bars reached 100%: {bars}")
        kaikei.shot("uploaded")
        check("登録しました" in d.find_element(By.ID, "upload-results").text, "upload result says 登録しました")

        hits = kaikei.search("文書管理規程 保存期間", "財務会計")
        check(any("文書管理規程" in h for h in hits), f"the uploaded DOCX is found: {hits}")
        kaikei.shot("search-uploaded")
        link = d.find_element(By.CSS_SELECTOR, "li.hit h2 a")
        href = link.get_attribute("href")
        link.click()
        kaikei.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.chunks")))
        anchor = href.split("#", 1)[1]
        check(d.current_url.endswith("#" + anchor), "the viewer opened at the cited chunk")
        target = d.find_element(By.ID, anchor)
        highlighted = d.execute_script("return getComputedStyle(arguments[0]).borderLeftWidth", target)
        check(highlighted == "6px", f"the cited chunk is highlighted (:target), got border {highlighted}")
        in_view = d.execute_script("var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight", target)
        check(in_view, "the cited chunk is scrolled into view")
        kaikei.labelled()
        kaikei.shot("document-cited")

        # 研修資料 belongs to 総務局 (visibility: bureau): 会計管理局 staff cannot see it yet.
        hits = kaikei.search("研修 マニュアル")
        check(not any("研修資料" in h for h in hits), f"研修資料 is invisible to 会計課 before the grant: {hits}")
        options = [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#collection option")]
        check("研修資料" not in options, "研修資料 is not offered as a filter before the grant")

        # 2. 総務局's bureau administrator grants 会計管理局 access in the admin screen.
        jinji = Session(base, "2-jinji")
        sessions.append(jinji)
        jinji.login("jinji")
        jinji.get("/admin/collections")
        jd = jinji.driver
        jinji.labelled()
        headings = [h.text for h in jd.find_elements(By.CSS_SELECTOR, "section.card h2")]
        check("研修資料" in headings and "財務会計" not in headings, f"a bureau admin manages only their bureau's collections: {headings}")
        card = [s for s in jd.find_elements(By.CSS_SELECTOR, "section.card") if s.find_element(By.TAG_NAME, "h2").text == "研修資料"][0]
        grant_box = card.find_element(By.CSS_SELECTOR, "input[name=grantee]")
        grant_box.send_keys("みなと市/会計管理局")
        grant_box.send_keys(Keys.ENTER)
        jinji.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        check("許可しました" in jd.find_element(By.CSS_SELECTOR, "p.notice").text, "the grant is confirmed")
        check("みなと市/会計管理局" in jd.page_source, "the grant is listed")
        jinji.shot("granted")

        # 3. Now 会計課 staff find 研修資料.
        hits = kaikei.search("研修 マニュアル")
        kaikei.shot("search-after-grant")
        check(any("研修資料" in h for h in hits), f"研修資料 is visible to 会計課 after the grant: {hits}")

        # 4. The auditor sees all of it in the audit viewer.
        kansa = Session(base, "3-kansa")
        sessions.append(kansa)
        kansa.login("kansa")
        kansa.get("/audit")
        kd = kansa.driver
        kansa.labelled()
        check("改ざんは検出されませんでした" in kd.page_source, "the audit chain verifies")
        actions = [td.text for td in kd.find_elements(By.CSS_SELECTOR, "tbody tr td:nth-child(4)")]
        for action in ("access.grant", "document.upload", "document.view", "search", "login.success"):
            check(action in actions, f"audit shows {action}: {sorted(set(actions))}")
        kd.find_element(By.ID, "a-action").send_keys("access", Keys.ENTER)
        kansa.wait.until(lambda drv: "action=access" in drv.current_url)
        actions = {td.text for td in kd.find_elements(By.CSS_SELECTOR, "tbody tr td:nth-child(4)")}
        check(actions == {"access.grant"}, f"the action filter narrows the log: {actions}")
        kansa.shot("audit")

        # Staff do not get the audit log or the admin screen.
        kaikei.get("/audit")
        check("監査担当だけが閲覧できます" in kaikei.driver.page_source, "staff are refused the audit log")
        kaikei.get("/admin/collections")
        check("権限がありません" in kaikei.driver.page_source, "staff are refused the admin screen")

        # Proofreading: paste text, see findings marked in place, reject one suggestion, get the corrected text.
        kaikei.get("/proofread")
        kaikei.labelled()
        area = d.find_element(By.ID, "proofread-text")
        d.execute_script("arguments[0].value = arguments[1]", area, "お刺身を食べれない。ｶﾀｶﾅで開発してます。")
        d.find_element(By.CSS_SELECTOR, "#proofread-form button[type=submit]").click()
        kaikei.wait.until(lambda drv: drv.find_element(By.ID, "proofread-results").is_displayed()
                          or "失敗" in drv.find_element(By.ID, "proofread-status").text)
        marks = [m.text for m in d.find_elements(By.CSS_SELECTOR, "#proofread-view mark")]
        check({"食べれ", "ｶﾀｶﾅ"}.issubset(set(marks)), f"findings are marked in the text: {marks}")
        fixed = d.find_element(By.ID, "proofread-fixed").get_attribute("value")
        check(fixed == "お刺身を食べられない。カタカナで開発しています。", f"accepted fixes give the corrected text: {fixed}")
        boxes = d.find_elements(By.CSS_SELECTOR, "#proofread-list input[type=checkbox]")
        first = next(b for b in boxes if "食べれ" in b.find_element(By.XPATH, "..").text)
        first.send_keys(Keys.SPACE)  # reject with the keyboard
        fixed = d.find_element(By.ID, "proofread-fixed").get_attribute("value")
        check(fixed.startswith("お刺身を食べれない。") and "カタカナ" in fixed, f"a rejected suggestion stays unapplied: {fixed}")
        kaikei.labelled()
        kaikei.shot("proofread")

        # Ask: a grounded answer (an extract: no model is configured here) with citations that link to
        # the cited place, sources beside it, and a rating.
        kaikei.get("/ask")
        kaikei.labelled()
        d.find_element(By.ID, "ask-question").send_keys("文書管理規程の保存期間は？")
        d.find_element(By.ID, "ask-submit").click()
        kaikei.wait.until(lambda drv: "回答しました" in drv.find_element(By.ID, "ask-status").text
                          or "見つかりません" in drv.find_element(By.ID, "ask-status").text
                          or "エラー" in drv.find_element(By.ID, "ask-status").text)
        status = d.find_element(By.ID, "ask-status").text
        check("回答しました" in status, f"the question is answered: {status}")
        check("抜粋" in d.find_element(By.ID, "ask-mode").text, "the answer is labelled as an extract")
        cites = d.find_elements(By.CSS_SELECTOR, "#ask-answer a.cite")
        check(len(cites) >= 1 and "/documents/" in cites[0].get_attribute("href"), "citations link to the cited place")
        cited_sources = d.find_elements(By.CSS_SELECTOR, "#ask-sources li.cited a")
        check(len(cited_sources) >= 1 and "文書管理規程" in cited_sources[0].text, f"cited sources are listed: {[c.text for c in cited_sources]}")
        d.find_element(By.ID, "ask-reason").send_keys("期間がすぐ分かった")
        d.find_element(By.ID, "ask-up").send_keys(Keys.ENTER)
        kaikei.wait.until(lambda drv: drv.find_element(By.ID, "ask-feedback-status").text != "")
        check("送信しました" in d.find_element(By.ID, "ask-feedback-status").text, "the rating is stored")
        kaikei.shot("ask")
        href = cites[0].get_attribute("href")
        cites[0].click()
        kaikei.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.chunks")))
        check(d.current_url == href, "a citation opens the document at the cited chunk")

        # The auditor reviews ratings and model usage.
        kansa.get("/admin/usage")
        kansa.labelled()
        check("期間がすぐ分かった" in kd.page_source and "👍" in kd.page_source, "the rating is shown for review")
        kansa.shot("usage")

        # Broad listening: upload a Shift_JIS CSV as Excel writes it, confirm the columns, watch the run,
        # rename a cluster, open the report, publish to the organisation; another bureau then reads it.
        csv_path = os.path.join(work, "市民意見.csv")
        write_comment_file(csv_path)
        kaikei.get("/listening")
        kaikei.labelled()
        d.find_element(By.ID, "listen-title").send_keys("みなと市 まちづくり意見")
        d.find_element(By.ID, "listen-file").send_keys(csv_path)
        d.find_element(By.CSS_SELECTOR, "#listen-form button[type=submit]").send_keys(Keys.ENTER)
        kaikei.wait.until(EC.presence_of_element_located((By.ID, "comment-column")))
        kaikei.labelled()
        check(Select(d.find_element(By.ID, "comment-column")).first_selected_option.get_attribute("value") == "ご意見",
              "the comment column is suggested")
        ages = d.find_element(By.CSS_SELECTOR, "input[type=checkbox][value='年代']")
        check(ages.is_selected(), "the 年代 column is suggested as an attribute")
        kaikei.shot("listening-columns")
        d.find_element(By.CSS_SELECTOR, "form[action$='/run'] button[type=submit]").send_keys(Keys.ENTER)
        WebDriverWait(d, 180).until(lambda drv: "レポートを開く" in drv.page_source or "分析に失敗しました" in drv.page_source)
        check("レポートを開く" in d.page_source, f"the run finishes: {d.find_element(By.TAG_NAME, 'main').text[:300]}")
        kaikei.labelled()
        project_url = d.current_url.split("?")[0].split("#")[0]
        label = d.find_element(By.CSS_SELECTOR, "form[action*='/clusters/'] input[name=label]")
        label.clear()
        label.send_keys("子育てと教育への要望", Keys.ENTER)
        kaikei.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        check("子育てと教育への要望" in d.page_source and "編集の履歴" in d.page_source, "the renamed cluster is kept with its history")
        kaikei.shot("listening-project")
        kaikei.get(project_url.replace("http://127.0.0.1:%d" % port, "") + "/report")
        kaikei.wait.until(EC.presence_of_element_located((By.ID, "opinion-map")))
        drawn = d.execute_script("return document.querySelectorAll('#opinion-map path').length")
        check(drawn > 0, "the report's map is drawn (its script runs in the sandbox)")
        check("子育てと教育への要望" in d.page_source, "the report shows the staff's label")
        check(len(d.find_elements(By.CSS_SELECTOR, "table.crosstab")) > 0, "the report has the 年代 cross-tab")
        kaikei.shot("listening-report")
        kaikei.get(project_url.replace("http://127.0.0.1:%d" % port, ""))
        Select(d.find_element(By.ID, "publish-visibility")).select_by_value("organization")
        d.find_element(By.CSS_SELECTOR, "form[action$='/publish'] button[type=submit]").send_keys(Keys.ENTER)
        kaikei.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        check("公開しました" in d.page_source, "the project is published to the organisation")
        jinji.get("/listening")
        check("みなと市 まちづくり意見" in jd.page_source, "another bureau sees the published project")
        jd.find_element(By.LINK_TEXT, "みなと市 まちづくり意見").click()
        jinji.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "div.cluster")))
        check(len(jd.find_elements(By.CSS_SELECTOR, "form[action*='/clusters/']")) == 0, "readers of another bureau cannot edit")
        check("子育てと教育への要望" in jd.page_source, "readers see the edited label")
        jinji.shot("listening-published")
    except Exception:
        for s in sessions:
            try:
                s.shot("failure")
            except Exception:
                pass
        raise
    finally:
        for s in sessions:
            s.quit()
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    print(f"browser tests: {checks} checks passed; screenshots in {os.path.relpath(ARTIFACTS, ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"browser tests FAILED: {e}", file=sys.stderr)
        sys.exit(1)
