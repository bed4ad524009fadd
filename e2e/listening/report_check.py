#!/usr/bin/env python3
"""Browser check of a listening report (the self-contained HTML of `ListeningReport.html`).

Opens the file in Debian's headless chromium with the network cut off (every host name resolves to nothing and
the DevTools network is set offline), then checks, as a reader would see it:
  - nothing was requested over the network (resource timing, the DevTools request log and CSP violations),
    and the page logged no script errors;
  - the opinion map has drawn points, the treemap has boxes, the hierarchy list names every cluster of the
    legend, and at least one cross-tab has rows;
  - hovering a point shows its opinion in the tooltip, and so does walking the points with the keyboard
    (the map is reachable with Tab; → moves to the next opinion);
  - a "根拠の意見" link opens the list of supporting opinions.
Saves report.png (the whole page, up to 16,000 px) and map.png (the map with the tooltip) in OUT_DIR.

Usage: python3 e2e/listening/report_check.py REPORT.html OUT_DIR
Exits 0 when every check passes, 1 with the failed check on stderr otherwise.
"""
import argparse
import base64
import json
import os
import shutil
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome:", "devtools:")
MAX_SHOT_HEIGHT = 16000

checks = 0


def check(condition, message):
    global checks
    if not condition:
        raise AssertionError(message)
    checks += 1


def browser():
    """Headless chromium as e2e/browser/run.py starts it, plus the network cut off and request logging on."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=ja-JP",
                "--disable-gpu", "--hide-scrollbars",
                # No name resolves, so any http(s) fetch the page might attempt fails instead of leaving the machine.
                "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking",
                "--disable-component-update", "--no-pings"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    # Recorded before any of the page's own code runs, so a blocked fetch or inline handler is seen.
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        window.__violations = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    """})
    return driver


def requested_urls(driver):
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def check_offline(driver):
    external = sorted({u for u in requested_urls(driver) if not u.startswith(LOCAL_SCHEMES)})
    check(external == [], f"the report requested network resources: {external}")
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /^(https?|wss?|ftp):/i.test(n))")
    check(resources == [], f"resource timing lists network loads: {resources}")
    violations = driver.execute_script("return window.__violations")
    check(violations == [], f"Content-Security-Policy violations (something tried to load): {violations}")
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    check(errors == [], f"console errors: {errors}")


def check_structure(driver):
    d = driver
    check(d.execute_script("return document.documentElement.lang") == "ja", "<html lang=\"ja\">")
    points = d.execute_script("""
        const paths = [...document.querySelectorAll('#opinion-map path.pts')];
        const drawn = paths.reduce((n, p) => n + (p.getAttribute('d').match(/M/g) || []).length, 0);
        const box = paths.length ? paths[0].getBBox() : {width: 0, height: 0};
        return {paths: paths.length, drawn: drawn, width: box.width + box.height};
    """)
    check(points["paths"] > 0 and points["drawn"] > 0 and points["width"] > 0,
          f"the opinion map has drawn points: {points}")
    boxes = d.execute_script("""
        return [...document.querySelectorAll('#cluster-treemap rect')].filter(r => r.getBBox().width > 0).length""")
    check(boxes > 0, "the treemap has boxes")
    legend = d.execute_script("return [...document.querySelectorAll('.legend a .legend-label')].map(e => e.textContent)")
    tree = d.find_element(By.ID, "cluster-tree")
    tree_labels = d.execute_script("return [...arguments[0].querySelectorAll('li a')].map(a => a.textContent)", tree)
    check(len(tree_labels) > 0, "the cluster tree lists clusters")
    missing = [label for label in legend if label not in tree_labels]
    check(legend and not missing, f"every coarse cluster of the legend is in the tree (missing: {missing})")
    rows = d.execute_script("return [...document.querySelectorAll('table.crosstab')].map(t => t.tBodies[0].rows.length)")
    if rows:
        check(max(rows) > 0, f"a cross-tab table has rows: {rows}")
    else:
        # A run without attribute columns has no cross-tabs; the section must then say so.
        text = d.find_element(By.ID, "crosstabs").text
        check("属性列が指定されていない" in text, "no cross-tab table, and the section does not say why")
        print("report check: no attribute columns in this run, so no cross-tab to check")
    return d.execute_script("return JSON.parse(document.getElementById('report-data').textContent)")


def point_offset(driver, svg, data, i):
    """Offset from the map's centre (what ActionChains moves relative to) to drawn point i."""
    return driver.execute_script("""
        const [svg, x, y] = arguments;
        const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
        return [x * scale - box.width / 2, y * scale - box.height / 2];
    """, svg, data["points"][4 * i] / 10, data["points"][4 * i + 1] / 10)


def tooltip_text(driver):
    return driver.execute_script("const t = document.getElementById('map-tip'); return t.hidden ? '' : t.textContent")


def check_hover_and_keyboard(driver, data, out_dir):
    d = driver
    wait = WebDriverWait(d, 5)
    svg = d.find_element(By.ID, "opinion-map")
    d.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", svg)
    time.sleep(0.2)
    # The most isolated of the first points: with thousands of points, point 0 may lie under a later one,
    # and the tooltip rightly shows the point on top.
    pts = data["points"]
    n = len(pts) // 4
    def spacing(i):
        x, y = pts[4 * i], pts[4 * i + 1]
        return min(((pts[4 * j] - x) ** 2 + (pts[4 * j + 1] - y) ** 2 for j in range(n) if j != i), default=0)
    target = max(range(min(n, 200)), key=spacing)
    dx, dy = point_offset(d, svg, data, target)
    ActionChains(d).move_to_element_with_offset(svg, round(dx), round(dy)).perform()
    expected = data["texts"][target][:12]
    try:
        wait.until(lambda _: expected in tooltip_text(d))
    except Exception:
        pass
    check(expected in tooltip_text(d), f"hovering point {target} shows its opinion ({expected!r}); got {tooltip_text(d)!r}")
    tip = d.find_element(By.ID, "map-tip")
    check(tip.is_displayed() and tip.size["width"] > 40, "the tooltip is visible")
    d.find_element(By.CSS_SELECTOR, ".map-figure").screenshot(os.path.join(out_dir, "map.png"))
    save_full_page(d, os.path.join(out_dir, "report.png"))
    ActionChains(d).move_to_element(d.find_element(By.ID, "map-h")).perform()

    # Keyboard: Tab from the top of the page (the skip link) reaches the map; focus shows the first opinion,
    # → the next.
    d.execute_script("window.scrollTo({top: 0, behavior: 'instant'}); document.querySelector('a.skip').focus()")
    reached = False
    for _ in range(60):
        ActionChains(d).send_keys(Keys.TAB).perform()
        if d.switch_to.active_element.get_attribute("id") == "opinion-map":
            reached = True
            break
    check(reached, "the opinion map can be reached with the Tab key")
    check(data["texts"][0][:12] in tooltip_text(d), "focusing the map shows the first opinion")
    if len(data["texts"]) > 1:
        ActionChains(d).send_keys(Keys.ARROW_RIGHT).perform()
        check(data["texts"][1][:12] in tooltip_text(d), f"→ shows the next opinion; got {tooltip_text(d)!r}")
    ActionChains(d).send_keys(Keys.ESCAPE).perform()
    check(tooltip_text(d) == "", "Escape hides the tooltip")


def check_evidence_link(driver):
    d = driver
    link = d.find_element(By.CSS_SELECTOR, "a.evidence-link")
    target = link.get_attribute("href").split("#", 1)[1]
    d.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link)
    link.click()
    WebDriverWait(d, 5).until(lambda _: d.execute_script("""
        const t = document.getElementById(arguments[0]);
        const lists = t.tagName === 'DETAILS' ? [t] : [...t.querySelectorAll('details.evidence')];
        return lists.length > 0 && lists.every(l => l.open);
    """, target))
    opened = d.execute_script("""
        return [...document.getElementById(arguments[0]).querySelectorAll('ol.opinions > li')]
          .filter(li => li.offsetHeight > 0).length""", target)
    check(opened > 0, f"following 根拠の意見 (#{target}) shows its opinions")


def save_full_page(driver, path):
    # From the top, so the sticky table of contents is drawn where it belongs.
    driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    height = min(int(size["height"]), MAX_SHOT_HEIGHT)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": int(size["width"]), "height": height, "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="the report's HTML file")
    parser.add_argument("out_dir", help="where report.png and map.png go")
    args = parser.parse_args()
    report = os.path.abspath(args.report)
    if not os.path.isfile(report):
        print(f"report check FAILED: no such file: {report}", file=sys.stderr)
        return 1
    os.makedirs(args.out_dir, exist_ok=True)
    driver = browser()
    try:
        started = time.monotonic()
        driver.get("file://" + report)
        WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")
        loaded = time.monotonic() - started
        data = check_structure(driver)
        check_hover_and_keyboard(driver, data, args.out_dir)
        check_evidence_link(driver)
        check_offline(driver)
    except Exception as failure:  # a failed check, or the page not behaving (a timeout, a missing element)
        detail = getattr(failure, "msg", None) or str(failure)  # WebDriver errors: the message without the stack
        reason = detail if isinstance(failure, AssertionError) else f"{type(failure).__name__}: {detail}"
        print(f"report check FAILED: {reason}", file=sys.stderr)
        try:
            save_full_page(driver, os.path.join(args.out_dir, "failure.png"))
        except Exception:
            pass
        return 1
    finally:
        driver.quit()
    print(f"report check: {checks} checks passed ({len(data['texts'])} points, loaded in {loaded:.1f} s); "
          f"screenshots in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
