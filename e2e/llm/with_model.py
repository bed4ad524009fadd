#!/usr/bin/env python3
"""Runs a command with the local test model (llama.cpp server, Gemma 3 270M) serving on 127.0.0.1.

    python3 e2e/llm/with_model.py -- swift test --skip-build

Starts e2e/llm/serve.py with pooled embeddings, exports HIROBA_TEST_LLAMA_URL (…/v1) and
HIROBA_TEST_LLAMA_MODEL for the command, and stops the server afterwards. Fails (exit 1) when the
server does not come up, so tests that need it never pass by being skipped.
"""

import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if "--" not in sys.argv:
        print("usage: with_model.py -- COMMAND...", file=sys.stderr)
        return 2
    command = sys.argv[sys.argv.index("--") + 1:]
    server = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "serve.py"), "--pooled-embeddings"],
        stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = server.stdout.readline()
        if not line:
            print("with_model: the local model server did not start (run scripts/install-llm-test-deps.sh)", file=sys.stderr)
            return 1
        info = json.loads(line)
        print(f"with_model: {info['model']} at {info['base_url']} (loaded in {info.get('load_seconds')} s)", file=sys.stderr)
        env = dict(os.environ, HIROBA_TEST_LLAMA_URL=info["base_url"], HIROBA_TEST_LLAMA_MODEL=info["model"])
        started = time.time()
        result = subprocess.run(command, env=env)
        print(f"with_model: command finished in {time.time() - started:.0f} s", file=sys.stderr)
        return result.returncode
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
