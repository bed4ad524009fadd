#!/usr/bin/env bash
# End-to-end listening checks (run by `make test`): reports on generated comments and on the real Polis
# comments in ../shared/data/comments (English, Traditional Chinese), byte-identical results for one seed
# across two runs of the CLI, then each report opened offline in headless Chromium (screenshots and the
# outputs in var/test-artifacts/listening/).
set -euo pipefail
BIN=${1:-.build/debug/hiroba}
OUT=var/test-artifacts/listening
rm -rf "$OUT"
mkdir -p "$OUT"

"$BIN" bench listen --comments 2000 --out "$OUT/generated" >"$OUT/generated.json"
reports=("$OUT/generated")
shopt -s nullglob
for f in ../shared/data/comments/*.csv; do
  name=$(basename "$f" .csv)
  "$BIN" listen "$f" --out "$OUT/$name" --seed 7 --json >"$OUT/$name.json"
  reports+=("$OUT/$name")
done
[ ${#reports[@]} -gt 1 ] || echo "note: ../shared/data/comments not found; real-comment reports skipped" >&2

# Same input, same seed: byte-identical result.json and opinion tables; another seed: same comments and opinions.
"$BIN" listen "$OUT/generated/comments.csv" --out "$OUT/repro-a" --seed 3 --json >/dev/null
"$BIN" listen "$OUT/generated/comments.csv" --out "$OUT/repro-b" --seed 3 --json >/dev/null
for f in result.json opinions.csv opinions.xlsx; do cmp "$OUT/repro-a/$f" "$OUT/repro-b/$f"; done
"$BIN" listen "$OUT/generated/comments.csv" --out "$OUT/repro-c" --seed 4 --json >/dev/null
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
a = json.load(open(f"{out}/repro-a/result.json"))
c = json.load(open(f"{out}/repro-c/result.json"))
assert a["comments"] == c["comments"], "another seed changed the comments"
assert [o["text"] for o in a["opinions"]] == [o["text"] for o in c["opinions"]], "another seed changed the opinions"
assert a["duplicates"] == c["duplicates"], "another seed changed the duplicate groups"
assert a["parameters"]["seed"] == 3 and c["parameters"]["seed"] == 4
print("listening: same seed byte-identical; another seed keeps comments, opinions and duplicates")
PY

# Bad input: a clear error, exit code 1, nothing written.
if "$BIN" listen "$OUT/generated.json" --out "$OUT/bad" 2>"$OUT/bad.err"; then
  echo "listening: a JSON file was accepted as comments" >&2; exit 1
fi
grep -q "fix:" "$OUT/bad.err"
[ ! -e "$OUT/bad/result.json" ]

for dir in "${reports[@]}"; do
  python3 e2e/listening/report_check.py "$dir/report.html" "$dir"
done
echo "listening e2e: ${#reports[@]} reports checked"
