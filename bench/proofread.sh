#!/bin/sh
# Proofreading throughput: builds a ~2 MB Japanese text from the retrieval corpus in ../shared/data
# (read in place, written to /tmp, never into the repo) and runs `hiroba bench proofread` on it.
set -eu
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-../shared/data/ja_retrieval/corpus.jsonl}
OUT=${OUT:-/tmp/hiroba-proofread-bench.txt}
BYTES=${BYTES:-2000000}
python3 - "$CORPUS" "$OUT" "$BYTES" <<'PY'
import json, sys
corpus, out, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
size = 0
with open(corpus, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
    for line in f:
        text = json.loads(line).get("text", "").strip()
        if not text:
            continue
        w.write(text + "\n")
        size += len(text.encode()) + 1
        if size >= limit:
            break
PY
swift build -c release --product hiroba >&2
.build/release/hiroba bench proofread "$OUT"
