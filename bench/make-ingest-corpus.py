#!/usr/bin/env python3
"""Builds a mixed-format folder of real Japanese text for `hiroba bench ingest`, from ../shared/data read
in place: e-Gov statutes (one .txt per law, as e-Gov prints them), Wikipedia passages of ja_retrieval
grouped by article into Markdown, HTML and CSV files, and — when LibreOffice is installed — some of the
HTML files converted to DOCX and PDF by LibreOffice itself. `--copies N` repeats the set in N sub-folders
(each copy is a distinct set of files) to reach a stable measuring time.

usage: bench/make-ingest-corpus.py OUT [--copies 4] [--data ../shared/data]
"""
import argparse, html, json, os, shutil, subprocess, sys
from collections import OrderedDict

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--copies", type=int, default=4)
ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
ap.add_argument("--office", type=int, default=24, help="HTML files converted to DOCX and to PDF per copy")
a = ap.parse_args()

laws = OrderedDict()
for line in open(os.path.join(a.data, "ja_legal/egov_laws/articles.jsonl"), encoding="utf-8"):
    o = json.loads(line)
    law = laws.setdefault(o["law_title"], {"num": o.get("law_num", ""), "lines": [], "heads": []})
    heads = [h for h in (o.get("part"), o.get("chapter"), o.get("section"), o.get("subsection")) if h]
    common = 0
    while common < min(len(heads), len(law["heads"])) and heads[common] == law["heads"][common]:
        common += 1
    law["lines"] += heads[common:]
    law["heads"] = heads
    law["lines"].append(o["text"])

articles = OrderedDict()
for line in open(os.path.join(a.data, "ja_retrieval/corpus.jsonl"), encoding="utf-8"):
    o = json.loads(line)
    articles.setdefault(o["title"], []).append(o["text"])
groups, current = [], []
for title, passages in articles.items():
    current.append((title, passages))
    if sum(len(p) for _, ps in current for p in ps) > 6000:
        groups.append(current)
        current = []
if current:
    groups.append(current)

shutil.rmtree(a.out, ignore_errors=True)
for c in range(a.copies):
    base = os.path.join(a.out, f"copy-{c + 1}")
    for kind in ("法令", "markdown", "html", "csv", "office"):
        os.makedirs(os.path.join(base, kind), exist_ok=True)
    for name, law in laws.items():
        with open(os.path.join(base, "法令", f"{name}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join([name, f"（{law['num']}）", ""] + law["lines"]) + "\n")
    for g, group in enumerate(groups):
        kind = ("markdown", "html", "csv")[g % 3]
        stem = f"{g:04d}_{group[0][0][:20].replace('/', '_')}"
        if kind == "markdown":
            body = "".join(f"# {t}\n\n" + "\n\n".join(ps) + "\n\n" for t, ps in group)
            open(os.path.join(base, kind, stem + ".md"), "w", encoding="utf-8").write(body)
        elif kind == "html":
            body = "".join(f"<h2>{html.escape(t)}</h2>" + "".join(f"<p>{html.escape(p)}</p>" for p in ps) for t, ps in group)
            doc = f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{html.escape(group[0][0])}</title>' \
                  f'<script>var x=1;</script></head><body><nav>メニュー</nav><main>{body}</main></body></html>'
            open(os.path.join(base, kind, stem + ".html"), "w", encoding="utf-8").write(doc)
        else:
            rows = ['"見出し","段落","本文"'] + [
                '"%s",%d,"%s"' % (t.replace('"', '""'), i + 1, p.replace('"', '""')) for t, ps in group for i, p in enumerate(ps)]
            open(os.path.join(base, kind, stem + ".csv"), "w", encoding="utf-8").write("\n".join(rows) + "\n")

# Office files made by LibreOffice from the first HTML files, copied into every copy.
if shutil.which("soffice") and a.office > 0:
    src = sorted(os.listdir(os.path.join(a.out, "copy-1", "html")))[: a.office]
    work = os.path.join(a.out, ".office-work")
    os.makedirs(work, exist_ok=True)
    paths = [os.path.join(a.out, "copy-1", "html", s) for s in src]
    subprocess.run(["soffice", "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML",
                    "--outdir", work] + paths, check=True, capture_output=True)
    docx = [os.path.join(work, f) for f in sorted(os.listdir(work)) if f.endswith(".docx")]
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", work] + docx, check=True, capture_output=True)
    for c in range(a.copies):
        for f in os.listdir(work):
            if f.endswith((".docx", ".pdf")):
                shutil.copy(os.path.join(work, f), os.path.join(a.out, f"copy-{c + 1}", "office", f))
    shutil.rmtree(work)
else:
    print("LibreOffice not found: no DOCX/PDF files in the corpus", file=sys.stderr)

total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(a.out) for f in fs)
count = sum(len(fs) for _, _, fs in os.walk(a.out))
print(f"{a.out}: {count} files, {total / 1048576:.1f} MB")
