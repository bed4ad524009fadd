#!/usr/bin/env python3
"""Broad listening through the server, end to end: upload N generated comments to /api/v1/listening, run the
offline analysis in the background, and measure how long it takes and how the server answers meanwhile.

Prints one JSON object: comments, upload_seconds, run_seconds (run requested → done), status_p50_ms /
status_p99_ms (GET /api/v1/listening/{id} polled during the run), search_p50_ms / search_p99_ms (a search
request between polls, so the run does not starve other users), server_peak_rss_bytes, report_bytes.

Usage: python3 bench/listen_server.py [--bin .build/release/hiroba] [--comments 10000]
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "hiroba"))
    parser.add_argument("--comments", type=int, default=10000)
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    work = tempfile.mkdtemp(prefix="hiroba-listen-server-")
    db = os.path.join(work, "hiroba.sqlite")
    server = None
    try:
        def hiroba(*a, stdin=None):
            return subprocess.run([binary, *a, "--db", db], input=stdin, capture_output=True, text=True, check=True).stdout

        hiroba("ingest", os.path.join(ROOT, "demo", "FAQ"), "--collection", "FAQ")
        hiroba("users", "add", "koucho", "--name", "広聴 担当", "--placement", "みなと市/政策企画局/広聴課", "--password-stdin",
               stdin="bench-password-1\n")
        token = hiroba("users", "token", "koucho").strip()
        subprocess.run([binary, "bench", "listen", "--comments", str(args.comments), "--out", os.path.join(work, "gen")],
                       capture_output=True, check=True)
        csv = open(os.path.join(work, "gen", "comments.csv"), "rb").read()

        port = free_port()
        env = dict(os.environ, HIROBA_PORT=str(port), HIROBA_HOST="127.0.0.1", HIROBA_BCRYPT_COST="4")
        server = subprocess.Popen([binary, "serve", "--db", db], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)

        def call(method, path, body=None, content_type=None):
            headers = {"Authorization": "Bearer " + token}
            if content_type:
                headers["Content-Type"] = content_type
            request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.read()

        started = time.perf_counter()
        created = json.loads(call("POST", "/api/v1/listening?filename=comments.csv&title=bench", csv))
        upload_seconds = time.perf_counter() - started
        pid = created["id"]
        body = json.dumps({"comment_column": created["columns"]["suggested_comment_column"],
                           "attribute_columns": created["columns"]["suggested_attribute_columns"], "seed": 42}).encode()
        started = time.perf_counter()
        call("POST", f"/api/v1/listening/{pid}/run", body, "application/json")
        status_ms, search_ms = [], []
        query = urllib.parse.quote("支出命令の入力期限")
        while True:
            t = time.perf_counter()
            status = json.loads(call("GET", f"/api/v1/listening/{pid}"))
            status_ms.append((time.perf_counter() - t) * 1000)
            if status["status"] in ("done", "failed"):
                break
            t = time.perf_counter()
            call("GET", f"/api/v1/search?q={query}")
            search_ms.append((time.perf_counter() - t) * 1000)
            time.sleep(0.2)
        run_seconds = time.perf_counter() - started
        if status["status"] != "done":
            raise SystemExit(f"run failed: {status.get('error')}")
        report = call("GET", f"/api/v1/listening/{pid}/files/report.html")
        peak = 0
        with open(f"/proc/{server.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) * 1024
        print(json.dumps({
            "comments": args.comments, "upload_seconds": round(upload_seconds, 2), "run_seconds": round(run_seconds, 2),
            "status_p50_ms": round(percentile(status_ms, 50), 1), "status_p99_ms": round(percentile(status_ms, 99), 1),
            "search_p50_ms": round(percentile(search_ms, 50), 1) if search_ms else None,
            "search_p99_ms": round(percentile(search_ms, 99), 1) if search_ms else None,
            "polls": len(status_ms), "server_peak_rss_bytes": peak, "report_bytes": len(report),
        }))
    finally:
        if server:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
