#!/usr/bin/env bash
# Instructions per search request, counted by callgrind over the release server: a deterministic figure, unlike
# requests/s on a shared machine (bench/load.sh), so two versions can be compared at any time of day.
#   bench/instructions.sh [--rounds R]
# Uses the database bench/load.sh builds (run it once first). Starts `hiroba serve` under callgrind with
# instrumentation off, sends the load mix once (warm-up: caches filled, lists decoded), then R rounds of it on
# one keep-alive connection with instrumentation on, and prints one JSON line: instructions per request in total
# and for the main parts of a search.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
WORK=${HIROBA_LOAD_DIR:-/tmp/hiroba-load}
DB="$WORK/load-100000.sqlite"
if [ ! -f "$DB.ready" ] || [ ! -f "$WORK/queries.txt" ]; then
  echo "no load database in $WORK: run bench/load.sh once first (it builds it)" >&2
  exit 1
fi
command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install valgrind" >&2; exit 1; }
swift build -c release >&2
# Valgrind cannot read Swift's DWARF 5: count on a copy without debug info (same code and addresses).
BIN="$WORK/hiroba-stripped"
cp .build/release/hiroba "$BIN"
strip -g "$BIN"
OUT="$WORK/callgrind.out"
rm -f "$OUT" "$WORK/load-100000.audit.sqlite" "$WORK/load-100000.audit.sqlite-wal" "$WORK/load-100000.audit.sqlite-shm"
TOKEN=$("$BIN" users token loadtest --db "$DB" 2>/dev/null | tail -n1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HIROBA_PORT=$PORT HIROBA_HOST=127.0.0.1 valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT" \
  "$BIN" serve --db "$DB" >"$WORK/callgrind-serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
client() {
  python3 - "$PORT" "$TOKEN" "$WORK/queries.txt" "$1" <<'PY'
import http.client, sys
port, token, path, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
queries = [line.strip() for line in open(path) if line.strip()]
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=600)
for _ in range(rounds):
    for q in queries:
        conn.request("GET", "/api/v1/search?k=10&q=" + q, headers={"Authorization": "Bearer " + token})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            sys.exit("search answered %d" % response.status)
print(rounds * len(queries))
PY
}
client 1 >/dev/null
callgrind_control -i on "$SERVER" >/dev/null
REQUESTS=$(client "$ROUNDS")
callgrind_control -i off "$SERVER" >/dev/null
kill -INT "$SERVER"
wait "$SERVER" 2>/dev/null || true
trap - EXIT
callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null | python3 -c '
import json, re, sys
requests = int(sys.argv[1])
# window_zeroing: the accumulators of each scoring window are zeroed by memset, which glibc does with `rep stosb`;
# valgrind counts every byte of that as an instruction (~8.4k a window), though it takes a few hundred cycles.
# It is inside "scoring", so read scoring less window_zeroing as the scorer instructions proper.
parts = {"scoring": "Bm25ScorerO4topK", "window_zeroing": "ScoringScratchC5begin", "hydrate_and_snippets": "KnowledgeStoreC7hydrate", "snippets": "SnippetBuilderO11snippetUTF84text8keywords13maxCharacters7buffersSays5UInt8VGSS_AC8KeywordsVSiAC7BuffersCtFZ ",
         "query_plan": "KnowledgeStoreC4plan", "audit": "AuditLogC6record", "json": "searchBody5query"}
out = {"requests": requests, "endpoint": "GET /api/v1/search"}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)", line)
    if not m: continue
    n, name = int(m.group(1).replace(",", "")), m.group(2) + " "
    if "PROGRAM TOTALS" in name: out["instructions_per_request"] = round(n / requests)
    for key, pattern in parts.items():
        if pattern in name and key + "_per_request" not in out: out[key + "_per_request"] = round(n / requests)
print(json.dumps(out))
' "$REQUESTS"
