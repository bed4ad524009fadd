#!/usr/bin/env python3
"""Records what llama.cpp's OpenAI-compatible server (llama-cpp-python[server], via e2e/llm/serve.py)
really sends, as fixtures under Tests/LLMTests/Fixtures/llamacpp/, and prints timings to stderr.

Run (after bash scripts/install-llm-test-deps.sh):  python3 e2e/llm/record_llamacpp.py
Re-recording changes ids, timestamps, x-request-id and processing-time headers; the generated text is
greedy (temperature 0) and so stable for one llama-cpp-python version.

Fixture format: the same as Tests/LLMTests/Fixtures/{azure-openai,anthropic} (see
scripts/make-llm-fixtures.py): {"description", "request": {method, path, query, headers, body},
"response": {status, headers, body | sse}}. Per-token embedding vectors are cut to their first 8 of 640
values to keep the files small ("truncated" says so); everything else is byte-for-byte what came back.
"""
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "LLMTests" / "Fixtures" / "llamacpp"
SERVE = ROOT / "e2e" / "llm" / "serve.py"
KEEP_DIMS = 8

QUESTION = "財務会計システムで支出負担行為を登録するにはどうすればよいですか。"
SYSTEM = "あなたはみなと市役所の職員を支援するアシスタントです。資料に基づいて日本語で答えてください。"


def start(*extra: str) -> tuple[subprocess.Popen, dict, float]:
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(SERVE), *extra], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        raise SystemExit("serve.py exited before announcing itself")
    return proc, json.loads(line), time.monotonic() - t0


def call(base_url: str, method: str, path: str, body=None, raw: bytes | None = None) -> dict:
    u = urlparse(base_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    headers = {"content-type": "application/json"} if (body is not None or raw is not None) else {}
    data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None else None)
    full_path = u.path + path
    t0 = time.monotonic()
    conn.request(method, full_path, body=data, headers=headers)
    r = conn.getresponse()
    payload = r.read()
    elapsed = time.monotonic() - t0
    resp_headers = {k.lower(): v for k, v in r.getheaders()}
    text = payload.decode("utf-8")
    response: dict = {"status": r.status, "headers": resp_headers}
    if resp_headers.get("content-type", "").startswith("text/event-stream"):
        response["sse"] = text
    else:
        try:
            response["body"] = json.loads(text)
        except ValueError:
            response["body"] = text   # e.g. uvicorn's plain-text "Internal Server Error"
    request = {"method": method, "path": full_path, "query": {}, "headers": headers,
               "body": body if raw is None else raw.decode("utf-8", "replace")}
    conn.close()
    return {"request": request, "response": response, "elapsed": elapsed}


def save(name: str, description: str, rec: dict, **extra) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    case = {"description": description, **extra, "request": rec["request"], "response": rec["response"]}
    (OUT / f"{name}.json").write_text(json.dumps(case, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}/{name}.json ({rec['response']['status']}, {rec['elapsed']:.2f}s)",
          file=sys.stderr)


def truncate_embeddings(rec: dict) -> None:
    for item in rec["response"]["body"]["data"]:
        emb = item["embedding"]
        if emb and isinstance(emb[0], list):
            item["embedding"] = [tok[:KEEP_DIMS] for tok in emb]
        else:
            item["embedding"] = emb[:KEEP_DIMS]


def record_native(base: str, model: str) -> None:
    rec = call(base, "GET", "/models")
    save("models", "GET /v1/models: one model; id is --model_alias (serve.py sets it), owned_by \"me\".", rec)

    msgs = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}]
    rec = call(base, "POST", "/chat/completions",
               {"model": model, "messages": msgs, "max_tokens": 32, "temperature": 0})
    save("chat-completion", "Non-streaming chat completion. The `gemma` chat format drops the system message "
         "(compare prompt_tokens with chat-completion-no-system); the base model mostly echoes or rambles.", rec)
    rec = call(base, "POST", "/chat/completions",
               {"model": model, "messages": msgs[1:], "max_tokens": 32, "temperature": 0})
    save("chat-completion-no-system", "The same request without the system message: the same prompt_tokens "
         "as chat-completion, which shows the system message was dropped. (The text can still differ a little "
         "between runs even at temperature 0.)", rec)

    stream_body = {"model": model, "messages": msgs[1:], "max_tokens": 8, "temperature": 0, "stream": True}
    rec = call(base, "POST", "/chat/completions", stream_body)
    save("chat-completion-stream", "Streaming: data-only SSE, first chunk delta {role}, content deltas, a last "
         "chunk with empty delta and finish_reason, then data: [DONE]. JSON inside data: uses \", \" / \": \" "
         "separators and \\u escapes for non-ASCII (unlike the non-streaming body). No usage.", rec)
    rec = call(base, "POST", "/chat/completions", {**stream_body, "stream_options": {"include_usage": True}})
    save("chat-completion-stream-include-usage", "stream_options.include_usage is accepted but IGNORED: the "
         "stream is the same as without it, no usage chunk.", rec)

    rec = call(base, "POST", "/completions",
               {"model": model, "prompt": "財務会計システムは", "max_tokens": 16, "temperature": 0})
    save("completion", "POST /v1/completions (legacy): object text_completion, choices[].text, usage.", rec)
    rec = call(base, "POST", "/completions",
               {"model": model, "prompt": "財務会計システムは", "max_tokens": 4, "temperature": 0, "stream": True})
    save("completion-stream", "Streaming /v1/completions: data-only SSE of text_completion chunks, "
         "then data: [DONE].", rec)

    rec = call(base, "POST", "/embeddings", {"model": model, "input": ["財務会計", "予算"]})
    truncate_embeddings(rec)
    save("embeddings-per-token", "llama.cpp's /v1/embeddings for this model: NOT pooled. Each data[].embedding "
         "is a list of per-token vectors (n_tokens x 640 floats); usage counts tokens of all inputs. "
         "encoding_format is not supported.", rec, truncated={"embedding_dims": 640, "kept": KEEP_DIMS})

    rec = call(base, "POST", "/chat/completions",
               {"model": "no-such-model", "messages": msgs[1:], "max_tokens": 4, "temperature": 0})
    save("unknown-model-echoed", "With one model loaded the `model` field is ignored for routing: any name "
         "answers 200 and is echoed back in the response's model field.", rec)
    rec = call(base, "POST", "/chat/completions", {"messages": msgs[1:], "max_tokens": 4, "temperature": 0})
    save("no-model-field", "Without `model` in the request the response reports the GGUF path as model "
         "(not the alias /v1/models lists).", rec)
    rec = call(base, "POST", "/chat/completions", {"model": model, "max_tokens": 4})
    save("no-messages", "No `messages` at all is NOT an error: 200 and the model generates from an empty "
         "prompt (without max_tokens it would generate until the context is full).", rec)

    rec = call(base, "POST", "/chat/completions", raw=b'{"model": "x", "messages": [')
    save("error-bad-json", "Malformed JSON: 500 with a text/plain body \"Internal Server Error\" (not JSON, not "
         "400).", rec)
    rec = call(base, "POST", "/chat/completions",
               {"model": model, "messages": msgs[1:], "max_tokens": "ten"})
    save("error-validation", "A field of the wrong type: 500 with an OpenAI-style error whose type is "
         "internal_server_error and whose message is pydantic's validation text plus a traceback line.", rec)
    rec = call(base, "POST", "/chat/completions",
               {"model": model, "messages": [{"role": "user", "content": "財務会計システム" * 700}],
                "max_tokens": 4})
    save("error-context-length", "Prompt longer than n_ctx (2048): 400 invalid_request_error, code "
         "context_length_exceeded, param messages (OpenAI's shape).", rec)
    rec = call(base, "GET", "/nope")
    save("error-404", "Unknown path: FastAPI's 404 {\"detail\": \"Not Found\"} (not OpenAI's error shape).", rec)


def timings(base: str, model: str) -> dict:
    gen = []
    for _ in range(3):
        rec = call(base, "POST", "/completions",
                   {"model": model, "prompt": "みなと市の財務会計システムについて説明します。", "max_tokens": 128,
                    "temperature": 0})
        gen.append(rec["response"]["body"]["usage"]["completion_tokens"] / rec["elapsed"])
    rec = call(base, "POST", "/completions",
               {"model": model, "prompt": "財務会計システムの操作手順を確認する。" * 60, "max_tokens": 1})
    prompt_tps = rec["response"]["body"]["usage"]["prompt_tokens"] / rec["elapsed"]
    return {"generation_tokens_per_s": [round(x, 1) for x in gen], "prompt_tokens_per_s": round(prompt_tps, 1),
            "prompt_tokens": rec["response"]["body"]["usage"]["prompt_tokens"]}


def main() -> int:
    proc, info, ready = start()
    try:
        print(f"serve.py: {info} (ready after {ready:.2f}s)", file=sys.stderr)
        record_native(info["base_url"], info["model"])
        print("timings:", json.dumps(timings(info["base_url"], info["model"])), file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    proc, info, ready = start("--pooled-embeddings")
    try:
        print(f"serve.py --pooled-embeddings: {info} (ready after {ready:.2f}s)", file=sys.stderr)
        rec = call(info["base_url"], "POST", "/embeddings", {"model": info["model"], "input": ["財務会計", "予算"]})
        truncate_embeddings(rec)
        save("embeddings-pooled", "serve.py --pooled-embeddings (our route, not llama.cpp's): OpenAI's shape, "
             "one 640-float vector per input, mean-pooled over the tokens and L2-normalised.", rec,
             truncated={"embedding_dims": 640, "kept": KEEP_DIMS})
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
