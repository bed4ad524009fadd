#!/usr/bin/env python3
"""A real local model for the LLM end-to-end tests: llama.cpp's OpenAI-compatible server
(llama-cpp-python[server]) serving Gemma 3 270M on 127.0.0.1.

Install first:  bash scripts/install-llm-test-deps.sh
Run:            python3 e2e/llm/serve.py [--port N] [--pooled-embeddings] [--exit-after SECONDS]

Once the server answers GET /v1/models it prints ONE JSON line to stdout and keeps serving until it is
killed (SIGTERM/SIGINT) or --exit-after runs out:

    {"base_url": "http://127.0.0.1:PORT/v1", "model": "gemma-3-270m-q4_k_m", "pid": 12345,
     "embeddings": "per-token" | "pooled-mean", "load_seconds": 0.9}

Everything else (llama.cpp and uvicorn logs) goes to stderr.

Endpoints are llama_cpp.server's own (POST /v1/chat/completions, /v1/completions, /v1/embeddings,
GET /v1/models), run in this process so that "pid" is the one to kill. The model is the base Gemma 3
270M (no chat template): chat uses llama-cpp-python's `gemma` chat format, which DROPS system messages.

/v1/embeddings: llama.cpp returns one vector per token for this model (`"embedding": [[...640 floats],
...]`, no pooling). With --pooled-embeddings the route is replaced by one that answers in OpenAI's shape
(`"embedding": [640 floats]`, mean-pooled over the tokens and L2-normalised like OpenAI's, float or
base64 `encoding_format`), computed by a second llama_cpp.Llama(embedding=True, pooling_type=MEAN).
"""

import argparse
import base64
import json
import logging
import os
import socket
import struct
import sys
import threading
import time
import urllib.request
from pathlib import Path

DEFAULT_ALIAS = "gemma-3-270m-q4_k_m"


def default_model_path() -> str | None:
    if os.environ.get("HIROBA_LLM_MODEL"):
        return os.environ["HIROBA_LLM_MODEL"]
    cache = Path(os.environ.get("HIROBA_CACHE_DIR", Path.home() / ".cache" / "hiroba"))
    record = cache / "models" / "gemma3-270m.path"
    if record.is_file():
        return record.read_text(encoding="utf-8").strip()
    return None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=default_model_path(),
                   help="GGUF path (default: $HIROBA_LLM_MODEL, else the path recorded by "
                        "scripts/install-llm-test-deps.sh)")
    p.add_argument("--model-alias", default=DEFAULT_ALIAS, help="model id reported by /v1/models")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 (default): a free port")
    p.add_argument("--n-ctx", type=int, default=2048)
    p.add_argument("--n-threads", type=int, default=2)
    p.add_argument("--chat-format", default="gemma")
    p.add_argument("--pooled-embeddings", action="store_true",
                   help="serve /v1/embeddings as mean-pooled, normalised vectors (OpenAI's shape)")
    p.add_argument("--logits-all", action="store_true",
                   help="keep logits for every prompt token (needed only for logprobs; slow with "
                        "Gemma's 262k vocabulary)")
    p.add_argument("--exit-after", type=float, default=None, metavar="SECONDS",
                   help="stop by itself after this many seconds")
    p.add_argument("--startup-timeout", type=float, default=120.0)
    p.add_argument("--verbose", action="store_true", help="llama.cpp and access logs on stderr")
    args = p.parse_args(argv)
    if not args.model or not Path(args.model).is_file():
        p.error(f"model not found ({args.model!r}); run: bash scripts/install-llm-test-deps.sh")
    return args


def log_config(verbose: bool) -> dict:
    # uvicorn's default config sends access logs to stdout; stdout is reserved for the JSON line.
    level = "INFO" if verbose else "WARNING"
    handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain"}
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "serve.py %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }


def add_pooled_embeddings(app, args: argparse.Namespace) -> None:
    """Replace llama_cpp.server's /v1/embeddings (per-token for this model) by mean-pooled vectors."""
    import llama_cpp
    from fastapi import Request
    from fastapi.responses import JSONResponse
    from starlette.concurrency import run_in_threadpool

    embedder = llama_cpp.Llama(
        model_path=args.model, embedding=True, pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
        n_ctx=args.n_ctx, n_batch=args.n_ctx, n_ubatch=args.n_ctx,
        n_threads=args.n_threads, n_threads_batch=args.n_threads, verbose=args.verbose)
    lock = threading.Lock()

    def error(status: int, message: str, param: str | None = None) -> JSONResponse:
        return JSONResponse({"error": {"message": message, "type": "invalid_request_error",
                                       "param": param, "code": None}}, status_code=status)

    async def create_embedding(request: Request):
        try:
            body = await request.json()
        except ValueError:
            return error(400, "request body is not valid JSON")
        inputs = body.get("input") if isinstance(body, dict) else None
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not inputs or not all(isinstance(s, str) and s for s in inputs):
            return error(400, "'input' must be a non-empty string or a list of non-empty strings", "input")
        encoding = body.get("encoding_format") or "float"
        if encoding not in ("float", "base64"):
            return error(400, "'encoding_format' must be 'float' or 'base64'", "encoding_format")

        def embed():
            with lock:
                return embedder.embed(inputs, normalize=True, truncate=True, return_count=True)

        vectors, tokens = await run_in_threadpool(embed)
        data = []
        for i, v in enumerate(vectors):
            value = (base64.b64encode(struct.pack(f"<{len(v)}f", *v)).decode("ascii")
                     if encoding == "base64" else v)
            data.append({"object": "embedding", "index": i, "embedding": value})
        return JSONResponse({"object": "list", "data": data, "model": body.get("model") or args.model_alias,
                             "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    # Routes match in order; llama_cpp.server's own /v1/embeddings sits in an included router further down.
    app.add_api_route("/v1/embeddings", create_embedding, methods=["POST"], summary="Embedding (mean-pooled)")
    app.router.routes.insert(0, app.router.routes.pop())


def wait_until_ready(url: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/models", timeout=5) as r:
                return json.load(r)["data"][0]["id"]
        except Exception as e:  # not listening yet
            last = e
            time.sleep(0.1)
    raise TimeoutError(f"{url}/models did not answer within {timeout}s: {last}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    # Bind first: a free port without a race, and the port is known before the model loads.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as e:
        print(f"serve.py: cannot listen on {args.host}:{args.port}: {e}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]

    started = time.monotonic()
    model_settings = ModelSettings(
        model=args.model, model_alias=args.model_alias, chat_format=args.chat_format,
        n_ctx=args.n_ctx, n_threads=args.n_threads, n_threads_batch=args.n_threads,
        # Native /v1/embeddings needs embedding=True on the chat model; the pooled route has its own model.
        embedding=not args.pooled_embeddings, logits_all=args.logits_all, verbose=args.verbose)
    app = create_app(server_settings=ServerSettings(host=args.host, port=port), model_settings=[model_settings])
    if args.pooled_embeddings:
        add_pooled_embeddings(app, args)
    load_seconds = round(time.monotonic() - started, 2)

    config = uvicorn.Config(app, log_config=log_config(args.verbose), access_log=args.verbose,
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    base_url = f"http://{args.host}:{port}/v1"

    failed = threading.Event()

    def announce():
        try:
            model_id = wait_until_ready(base_url, args.startup_timeout)
        except Exception as e:
            print(f"serve.py: {e}", file=sys.stderr)
            failed.set()
            server.should_exit = True
            return
        line = {"base_url": base_url, "model": model_id, "pid": os.getpid(),
                "embeddings": "pooled-mean" if args.pooled_embeddings else "per-token",
                "load_seconds": load_seconds}
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
        if args.exit_after is not None:
            time.sleep(args.exit_after)
            server.should_exit = True

    threading.Thread(target=announce, daemon=True).start()
    server.run(sockets=[sock])
    return 1 if failed.is_set() else 0


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stderr)
    sys.exit(main())
