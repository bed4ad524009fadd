#!/usr/bin/env bash
# Load benchmark of the search API: wrk (Debian) against `hiroba serve` over 100k chunks.
#   bench/load.sh [--chunks N] [--connections C] [--duration SECONDS] [--threads T] [--runs R]
# Builds (once, cached in /tmp) a database of N generated Japanese chunks readable by one bureau, starts the
# release server on a free port, and runs wrk over the mixed query set of `hiroba bench search` (keywords,
# phrases, exclusions and ja_retrieval questions). Prints one JSON line: requests/s, latency percentiles, errors, and the server's RSS.
# With --runs R (R measured runs against the same server; runs on a shared 2-core machine vary by ~±8 %), the
# line is the run with the median requests/s, with every run's requests/s and p99 under "runs".
set -euo pipefail
cd "$(dirname "$0")/.."
CHUNKS=100000; CONNECTIONS=64; DURATION=30; THREADS=2; RUNS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --chunks) CHUNKS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
bash scripts/install-deps.sh
swift build -c release >&2
BIN=.build/release/hiroba
WORK=${HIROBA_LOAD_DIR:-/tmp/hiroba-load}
mkdir -p "$WORK"
DB="$WORK/load-$CHUNKS.sqlite"
if [ ! -f "$DB.ready" ]; then
  rm -f "$DB" "$DB-wal" "$DB-shm"
  echo "building $CHUNKS chunks into $DB…" >&2
  "$BIN" bench search --chunks "$CHUNKS" --db "$DB" --passes 1 >"$WORK/build.json"
  "$BIN" access set bench --owner "みなと市/会計管理局/会計課" --visibility organization --db "$DB" >&2
  echo "load-test-password" | "$BIN" users add loadtest --name "負荷試験" --placement "みなと市/会計管理局/会計課" \
    --password-stdin --db "$DB" >&2
  touch "$DB.ready"
fi
TOKEN=$("$BIN" users token loadtest --db "$DB" 2>/dev/null | tail -n1)
python3 - "$WORK/queries.txt" <<'PY'
# The same mixed set as `hiroba bench search`: frequent words, rare terms, phrases, an exclusion, and natural
# questions from ja_retrieval (what staff type ranges from 「予算」 to a whole sentence).
import json, os, random, sys, urllib.parse
frequent = ["日本", "年", "市", "世界", "人口", "時代", "大学", "文化", "政府", "研究"]
rare = ["梅雨前線", "シベリア気団", "出納整理期間", "ジャイアントパンダ", "量子力学", "枕草子"]
multi = ["日本の人口と経済", "大学 研究 文化", '"第二次世界大戦"', "戦争 -日本", "政府の予算と税金"]
src = "../shared/data/ja_retrieval/queries.jsonl"
questions = []
if os.path.exists(src):
    with open(src, encoding="utf-8") as f:
        questions = [json.loads(l)["text"] for l in f if l.strip()]
random.Random(7).shuffle(questions)
qs = frequent + rare + multi + questions[:200]
with open(sys.argv[1], "w") as out:
    for q in qs:
        out.write(urllib.parse.quote(q[:200]) + "\n")
PY
# Every search is audited: a fresh audit file per invocation keeps runs comparable (a log grown by earlier runs
# to millions of entries would otherwise make each run slower than the last).
rm -f "$WORK/load-$CHUNKS.audit.sqlite" "$WORK/load-$CHUNKS.audit.sqlite-wal" "$WORK/load-$CHUNKS.audit.sqlite-shm"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HIROBA_PORT=$PORT HIROBA_HOST=127.0.0.1 "$BIN" serve --db "$DB" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
# Warm-up, then the measured run.
HIROBA_LOAD_TOKEN=$TOKEN HIROBA_LOAD_QUERIES="$WORK/queries.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s bench/load.lua \
  "http://127.0.0.1:$PORT" >/dev/null
RESULTS=()
for _ in $(seq 1 "$RUNS"); do
  RESULTS+=("$(HIROBA_LOAD_TOKEN=$TOKEN HIROBA_LOAD_QUERIES="$WORK/queries.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
    --timeout 5s -s bench/load.lua "http://127.0.0.1:$PORT" | grep '^{')")
done
RSS=$(awk '/VmHWM/ {print $2 * 1024}' /proc/$SERVER/status)
python3 - "$CHUNKS" "$CONNECTIONS" "$DURATION" "$RSS" "${RESULTS[@]}" <<'PY'
import json, sys
runs = [json.loads(a) for a in sys.argv[5:]]
r = sorted(runs, key=lambda x: x["requests_per_second"])[len(runs) // 2]
r.update({"chunks": int(sys.argv[1]), "connections": int(sys.argv[2]), "duration_s": int(sys.argv[3]),
          "server_peak_rss_bytes": int(sys.argv[4]), "endpoint": "GET /api/v1/search"})
if len(runs) > 1:
    r["runs"] = [{"requests_per_second": x["requests_per_second"], "latency_p99_ms": x["latency_p99_ms"],
                  "errors": x["errors"]} for x in runs]
    for key in ("errors", "non_2xx", "timeouts"):
        r[key] = sum(x[key] for x in runs)  # over every run, not just the median one
print(json.dumps(r, ensure_ascii=False))
PY
