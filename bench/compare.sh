#!/usr/bin/env bash
# Side-by-side load comparison of two server binaries: this machine's speed drifts by ±20 % over a day, so
# requests/s from runs taken hours apart do not compare; runs alternated minutes apart do.
#   bench/compare.sh OLD_BINARY NEW_BINARY [--rounds R] [--duration SECONDS] [--connections C]
# Uses the database and query mix bench/load.sh builds (run it once first). Each round runs old, new, new, old
# (so neither side always goes first), each against a fresh server and a fresh audit file, after a 4 s warm-up;
# prints one JSON line: every run's requests/s, p50/p99 and the server's CPU time per request (utime + stime
# over the run, from /proc), and per binary the median of each.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/compare.sh OLD_BINARY NEW_BINARY [--rounds R] [--duration S] [--connections C]" >&2; exit 2; }
OLD=$1; NEW=$2; shift 2
ROUNDS=2; DURATION=20; CONNECTIONS=64
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for bin in "$OLD" "$NEW"; do
  [ -x "$bin" ] || { echo "not an executable: $bin (build one with swift build -c release and copy it aside)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is missing: run bash scripts/install-deps.sh" >&2; exit 1; }
WORK=${HIROBA_LOAD_DIR:-/tmp/hiroba-load}
DB="$WORK/load-100000.sqlite"
if [ ! -f "$DB.ready" ] || [ ! -f "$WORK/queries.txt" ]; then
  echo "no load database in $WORK: run bench/load.sh once first (it builds it)" >&2
  exit 1
fi
TOKEN=$("$NEW" users token loadtest --db "$DB" 2>/dev/null | tail -n1)
SERVER=""
run() {  # run LABEL BINARY: one measured run, one JSON line
  rm -f "$WORK/load-100000.audit.sqlite" "$WORK/load-100000.audit.sqlite-wal" "$WORK/load-100000.audit.sqlite-shm"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  HIROBA_PORT=$port HIROBA_HOST=127.0.0.1 "$2" serve --db "$DB" >"$WORK/compare-serve.log" 2>&1 &
  SERVER=$!
  # Runs in a command substitution (a subshell): its own trap stops its server if a step fails.
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  HIROBA_LOAD_TOKEN=$TOKEN HIROBA_LOAD_QUERIES="$WORK/queries.txt" wrk -t2 -c"$CONNECTIONS" -d4s -s bench/load.lua \
    "http://127.0.0.1:$port" >/dev/null
  local before after out
  before=$(awk '{print $14 + $15}' /proc/$SERVER/stat)
  out=$(HIROBA_LOAD_TOKEN=$TOKEN HIROBA_LOAD_QUERIES="$WORK/queries.txt" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" \
    --timeout 5s -s bench/load.lua "http://127.0.0.1:$port" | grep '^{')
  after=$(awk '{print $14 + $15}' /proc/$SERVER/stat)
  kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""
  python3 -c '
import json, os, sys
d = json.loads(sys.argv[1])
ticks = int(sys.argv[3]) - int(sys.argv[2])
print(json.dumps({"binary": sys.argv[4], "requests_per_second": d["requests_per_second"], "latency_p50_ms": d["latency_p50_ms"],
                  "latency_p99_ms": d["latency_p99_ms"], "errors": d["errors"],
                  "server_cpu_us_per_request": round(ticks * 1e6 / os.sysconf("SC_CLK_TCK") / max(d["requests"], 1))}))
' "$out" "$before" "$after" "$1"
}
RESULTS=()
for _ in $(seq 1 "$ROUNDS"); do
  RESULTS+=("$(run old "$OLD")" "$(run new "$NEW")" "$(run new "$NEW")" "$(run old "$OLD")")
done
python3 - "$OLD" "$NEW" "$CONNECTIONS" "$DURATION" "${RESULTS[@]}" <<'PY'
import json, statistics, sys
old, new, connections, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
runs = [json.loads(a) for a in sys.argv[5:]]
def summary(label):
    rs = [r for r in runs if r["binary"] == label]
    return {key: statistics.median(r[key] for r in rs)
            for key in ("requests_per_second", "latency_p50_ms", "latency_p99_ms", "server_cpu_us_per_request")} | {
            "errors": sum(r["errors"] for r in rs)}
o, n = summary("old"), summary("new")
print(json.dumps({"endpoint": "GET /api/v1/search", "connections": connections, "duration_s": duration, "order": "old new new old per round",
                  "old": {"binary": old} | o, "new": {"binary": new} | n,
                  "requests_per_second_change": round(n["requests_per_second"] / o["requests_per_second"] - 1, 4),
                  "cpu_per_request_change": round(n["server_cpu_us_per_request"] / o["server_cpu_us_per_request"] - 1, 4),
                  "runs": runs}))
PY
