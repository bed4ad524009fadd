#!/usr/bin/env python3
"""Writes the protocol fixtures for Azure OpenAI and Anthropic under Tests/LLMTests/Fixtures/.

We cannot call either service from here, so each fixture is built from the documented wire format (the
sources are listed per file in Tests/LLMTests/Fixtures/{azure-openai,anthropic}/README.md). Generating
them keeps the raw SSE text exact (one `data:` line per event, a blank line after each event, `\\n`
line endings) and the JSON inside each `data:` line compact, as both services send it.

File format (one case per file), loadable with Swift's JSONDecoder:
    {
      "description": "...",
      "request":  {"method", "path", "query": {name: value}, "headers": {name: value}, "body": JSON},
      "response": {"status", "headers": {name: value}, and either "body": JSON or "sse": "raw text"}
    }
Header names are lower-case (HTTP/2 style, as both services send them). Secrets are placeholders.

Run: python3 scripts/make-llm-fixtures.py   (rewrites the files; the output is deterministic)
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "Tests" / "LLMTests" / "Fixtures"

# ---------------------------------------------------------------------------------------------------------
# Shared Japanese example: a question about the 財務会計システム answered from one cited source.
SYSTEM_JA = (
    "あなたはみなと市役所の職員を支援するアシスタントです。"
    "与えられた資料だけに基づいて日本語で答え、根拠とした資料の番号を [1] のように示してください。"
)
USER_JA = (
    "資料:\n"
    "[1] 財務会計システム操作マニュアル 第3章「支出負担行為の登録」: 支出負担行為は、財務会計システムの"
    "「歳出」メニューから「支出負担行為登録」を選び、予算科目・金額・債権者を入力して起票する。"
    "起票後は所属長の決裁を経て会計課へ回付される。\n\n"
    "質問: 財務会計システムで支出負担行為を登録するにはどうすればよいですか。"
)
# The answer, split into the pieces a stream delivers.
ANSWER_PIECES = [
    "財務会計システムの",
    "「歳出」メニューから",
    "「支出負担行為登録」を選び、",
    "予算科目・金額・債権者を入力して起票します。",
    "起票後は所属長の決裁を経て",
    "会計課へ回付されます [1]。",
]
ANSWER_JA = "".join(ANSWER_PIECES)


def compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sse_data_only(events: list, done: bool = True) -> str:
    """OpenAI/Azure style: `data: {json}` + blank line per chunk, then `data: [DONE]`."""
    text = "".join(f"data: {compact(e)}\n\n" for e in events)
    return text + ("data: [DONE]\n\n" if done else "")


def sse_named(events: list[tuple[str, object]]) -> str:
    """Anthropic style: `event: name` + `data: {json}` + blank line per event."""
    out = []
    for name, data in events:
        payload = data if isinstance(data, str) else compact(data)
        out.append(f"event: {name}\ndata: {payload}\n\n")
    return "".join(out)


def write(provider: str, name: str, case: dict) -> None:
    path = ROOT / provider / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(case, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------
# Azure OpenAI (data-plane inference API, GA api-version 2024-10-21)
AZ_API_VERSION = "2024-10-21"
AZ_DEPLOYMENT = "gpt-4o-mini"          # the deployment name chosen by the customer (path segment)
AZ_MODEL = "gpt-4o-mini-2024-07-18"    # the model version Azure reports in responses
AZ_EMBED_DEPLOYMENT = "text-embedding-3-small"
AZ_CHAT_PATH = f"/openai/deployments/{AZ_DEPLOYMENT}/chat/completions"
AZ_REQUEST_HEADERS = {"api-key": "<AZURE_OPENAI_API_KEY>", "content-type": "application/json"}
AZ_FP = "fp_f3927aa00d"
AZ_ID = "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG"
AZ_CREATED = 1741569952
AZ_MESSAGES = [{"role": "system", "content": SYSTEM_JA}, {"role": "user", "content": USER_JA}]


def az_headers(request_id: str, content_type: str = "application/json", extra: dict | None = None) -> dict:
    h = {
        "content-type": content_type,
        "apim-request-id": request_id,
        "x-request-id": request_id.replace("a", "b", 1),
        "x-ms-client-request-id": request_id,
        "x-ms-region": "Japan East",
        "x-ratelimit-remaining-requests": "99",
        "x-ratelimit-remaining-tokens": "99213",
        "x-ms-rai-invoked": "true",
        "azureml-model-session": "d20250307203003-4ab0a6d1e7a5",
        "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
        "x-content-type-options": "nosniff",
    }
    if extra:
        h.update(extra)
    return h


SAFE = {"filtered": False, "severity": "safe"}
AZ_PROMPT_FILTER = [{
    "prompt_index": 0,
    "content_filter_results": {
        "hate": SAFE, "jailbreak": {"filtered": False, "detected": False},
        "self_harm": SAFE, "sexual": SAFE, "violence": SAFE,
    },
}]
AZ_COMPLETION_FILTER = {
    "hate": SAFE,
    "protected_material_code": {"filtered": False, "detected": False},
    "protected_material_text": {"filtered": False, "detected": False},
    "self_harm": SAFE, "sexual": SAFE, "violence": SAFE,
}
AZ_STREAM_CHUNK_FILTER = {"hate": SAFE, "self_harm": SAFE, "sexual": SAFE, "violence": SAFE}


def azure() -> None:
    usage = {
        "completion_tokens": 58, "completion_tokens_details": {
            "accepted_prediction_tokens": 0, "audio_tokens": 0, "reasoning_tokens": 0,
            "rejected_prediction_tokens": 0},
        "prompt_tokens": 187, "prompt_tokens_details": {"audio_tokens": 0, "cached_tokens": 0},
        "total_tokens": 245,
    }
    write("azure-openai", "chat-completion", {
        "description": "Non-streaming chat completion. Azure adds prompt_filter_results (top level) and "
                       "content_filter_results (per choice) to OpenAI's shape.",
        "request": {
            "method": "POST", "path": AZ_CHAT_PATH, "query": {"api-version": AZ_API_VERSION},
            "headers": AZ_REQUEST_HEADERS,
            "body": {"messages": AZ_MESSAGES, "temperature": 0.2, "max_tokens": 800},
        },
        "response": {
            "status": 200,
            "headers": az_headers("5f2a8c1e-3d4b-4f6a-9e7d-1c2b3a4d5e6f"),
            "body": {
                "choices": [{
                    "content_filter_results": AZ_COMPLETION_FILTER,
                    "finish_reason": "stop", "index": 0, "logprobs": None,
                    "message": {"annotations": [], "content": ANSWER_JA, "refusal": None, "role": "assistant"},
                }],
                "created": AZ_CREATED, "id": AZ_ID, "model": AZ_MODEL, "object": "chat.completion",
                "prompt_filter_results": AZ_PROMPT_FILTER,
                "system_fingerprint": AZ_FP, "usage": usage,
            },
        },
    })

    # --- streaming ----------------------------------------------------------------------------------------
    # Since 2025 every chunk also carries "obfuscation", random padding against length side channels
    # (stream_options.include_obfuscation, default true): a client must ignore fields it does not know.
    pads = iter(["Xq3", "mN8vK", "p", "7Rt2Lw", "aZ", "Qe9sD1", "bH", "uY4", "kP0w", "T"])

    def chunk(choices, usage_value="omit"):
        c = {"choices": choices, "created": AZ_CREATED, "id": AZ_ID, "model": AZ_MODEL,
             "obfuscation": next(pads), "object": "chat.completion.chunk", "system_fingerprint": AZ_FP}
        if usage_value != "omit":
            c["usage"] = usage_value
        return c

    def stream_events(with_usage: bool) -> list:
        nonlocal pads
        pads = iter(["Xq3", "mN8vK", "p", "7Rt2Lw", "aZ", "Qe9sD1", "bH", "uY4", "kP0w", "T"])
        u = None if with_usage else "omit"   # with include_usage every chunk carries "usage": null
        events = [{"choices": [], "created": 0, "id": "", "model": "", "object": "",
                   "prompt_filter_results": AZ_PROMPT_FILTER}]
        events.append(chunk([{"content_filter_results": {}, "delta": {"content": "", "refusal": None,
                             "role": "assistant"}, "finish_reason": None, "index": 0, "logprobs": None}], u))
        for piece in ANSWER_PIECES:
            events.append(chunk([{"content_filter_results": AZ_STREAM_CHUNK_FILTER, "delta": {"content": piece},
                                 "finish_reason": None, "index": 0, "logprobs": None}], u))
        events.append(chunk([{"content_filter_results": {}, "delta": {}, "finish_reason": "stop", "index": 0,
                             "logprobs": None}], u))
        if with_usage:
            events.append(chunk([], {"completion_tokens": 58, "completion_tokens_details": {
                "accepted_prediction_tokens": 0, "audio_tokens": 0, "reasoning_tokens": 0,
                "rejected_prediction_tokens": 0}, "prompt_tokens": 187, "prompt_tokens_details": {
                "audio_tokens": 0, "cached_tokens": 0}, "total_tokens": 245}))
        return events

    stream_headers = az_headers("7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f", "text/event-stream; charset=utf-8")
    write("azure-openai", "chat-completion-stream", {
        "description": "Streaming chat completion (default content filtering). First chunk: empty choices, "
                       "empty id/model/object, created 0, prompt_filter_results only. Then a role chunk, "
                       "content deltas (each with content_filter_results), a finish_reason chunk, data: [DONE].",
        "request": {
            "method": "POST", "path": AZ_CHAT_PATH, "query": {"api-version": AZ_API_VERSION},
            "headers": {**AZ_REQUEST_HEADERS, "accept": "text/event-stream"},
            "body": {"messages": AZ_MESSAGES, "temperature": 0.2, "max_tokens": 800, "stream": True},
        },
        "response": {"status": 200, "headers": stream_headers, "sse": sse_data_only(stream_events(False))},
    })
    write("azure-openai", "chat-completion-stream-usage", {
        "description": "Streaming with stream_options.include_usage: every chunk carries \"usage\": null, and "
                       "one extra chunk with empty choices and the usage object comes after the "
                       "finish_reason chunk, before data: [DONE].",
        "request": {
            "method": "POST", "path": AZ_CHAT_PATH, "query": {"api-version": AZ_API_VERSION},
            "headers": {**AZ_REQUEST_HEADERS, "accept": "text/event-stream"},
            "body": {"messages": AZ_MESSAGES, "temperature": 0.2, "max_tokens": 800, "stream": True,
                     "stream_options": {"include_usage": True}},
        },
        "response": {"status": 200, "headers": stream_headers, "sse": sse_data_only(stream_events(True))},
    })

    # --- embeddings ---------------------------------------------------------------------------------------
    def vec(seed: int, n: int = 8) -> list[float]:
        # Deterministic small values; real text-embedding-3-small vectors have 1536 dimensions (or the
        # request's "dimensions"), here the request asks for 8 to keep the fixture readable.
        out, x = [], seed
        for _ in range(n):
            x = (x * 1103515245 + 12345) % 2**31
            out.append(round((x / 2**31) * 0.2 - 0.1, 9))
        return out

    write("azure-openai", "embeddings", {
        "description": "Embeddings for two inputs (float encoding). Same shape as OpenAI's; usage has no "
                       "completion_tokens. The deployment name is in the path; no model field is needed.",
        "request": {
            "method": "POST", "path": f"/openai/deployments/{AZ_EMBED_DEPLOYMENT}/embeddings",
            "query": {"api-version": AZ_API_VERSION}, "headers": AZ_REQUEST_HEADERS,
            "body": {"input": ["財務会計システムで支出負担行為を登録する手順", "起票後は所属長の決裁を経て会計課へ回付される。"],
                     "dimensions": 8, "encoding_format": "float"},
        },
        "response": {
            "status": 200,
            "headers": az_headers("0e1f2a3b-4c5d-4e6f-8a9b-c0d1e2f3a4b5"),
            "body": {"object": "list", "data": [
                {"object": "embedding", "index": 0, "embedding": vec(1)},
                {"object": "embedding", "index": 1, "embedding": vec(2)},
            ], "model": "text-embedding-3-small", "usage": {"prompt_tokens": 31, "total_tokens": 31}},
        },
    })

    write("azure-openai", "chat-completion-output-filtered", {
        "description": "The completion (not the prompt) hit the content filter: still HTTP 200, but "
                       "finish_reason content_filter, no (or partial) content, and the category that fired has "
                       "filtered: true in the choice's content_filter_results.",
        "request": {
            "method": "POST", "path": AZ_CHAT_PATH, "query": {"api-version": AZ_API_VERSION},
            "headers": AZ_REQUEST_HEADERS, "body": {"messages": AZ_MESSAGES, "max_tokens": 800},
        },
        "response": {
            "status": 200,
            "headers": az_headers("6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"),
            "body": {
                "choices": [{
                    "content_filter_results": {**AZ_COMPLETION_FILTER, "violence": {"filtered": True,
                                                                                     "severity": "medium"}},
                    "finish_reason": "content_filter", "index": 0, "logprobs": None,
                    "message": {"annotations": [], "content": None, "refusal": None, "role": "assistant"},
                }],
                "created": AZ_CREATED, "id": "chatcmpl-B9MHQ2vJkRk8yXb0pL3nT7wZcD5eF", "model": AZ_MODEL,
                "object": "chat.completion", "prompt_filter_results": AZ_PROMPT_FILTER,
                "system_fingerprint": AZ_FP,
                "usage": {"completion_tokens": 12, "prompt_tokens": 187, "total_tokens": 199},
            },
        },
    })

    # --- errors -------------------------------------------------------------------------------------------
    write("azure-openai", "error-429-rate-limit", {
        "description": "Token-rate limit of the deployment exceeded. Azure sends retry-after (seconds) and "
                       "retry-after-ms; the body's error.code is the string \"429\" and there is no type.",
        "request": {
            "method": "POST", "path": AZ_CHAT_PATH, "query": {"api-version": AZ_API_VERSION},
            "headers": AZ_REQUEST_HEADERS, "body": {"messages": AZ_MESSAGES},
        },
        "response": {
            "status": 429,
            "headers": az_headers("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", extra={
                "retry-after": "7", "retry-after-ms": "6542",
                "x-ratelimit-remaining-requests": "97", "x-ratelimit-remaining-tokens": "0"}),
            "body": {"error": {
                "code": "429",
                "message": f"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version "
                           f"{AZ_API_VERSION} have exceeded token rate limit of your current OpenAI S0 pricing "
                           f"tier. Please retry after 7 seconds. Please go here: https://aka.ms/oai/quotaincrease "
                           f"if you would like to further increase the default rate limit.",
            }},
        },
    })
    write("azure-openai", "error-400-content-filter", {
        "description": "The prompt was blocked by the content filter: HTTP 400, error.code content_filter, "
                       "param prompt, innererror.code ResponsibleAIPolicyViolation with the per-category "
                       "content_filter_result (singular).",
        "request": {
            "method": "POST", "path": AZ_CHAT_PATH, "query": {"api-version": AZ_API_VERSION},
            "headers": AZ_REQUEST_HEADERS,
            "body": {"messages": [{"role": "user", "content": "(有害と判定される入力の例。内容は省略)"}]},
        },
        "response": {
            "status": 400,
            "headers": az_headers("3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f"),
            "body": {"error": {
                "message": "The response was filtered due to the prompt triggering Azure OpenAI's content "
                           "management policy. Please modify your prompt and retry. To learn more about our "
                           "content filtering policies please read our documentation: "
                           "https://go.microsoft.com/fwlink/?linkid=2198766",
                "type": None, "param": "prompt", "code": "content_filter", "status": 400,
                "innererror": {"code": "ResponsibleAIPolicyViolation", "content_filter_result": {
                    "hate": SAFE, "jailbreak": {"filtered": False, "detected": False}, "self_harm": SAFE,
                    "sexual": SAFE, "violence": {"filtered": True, "severity": "medium"}}},
            }},
        },
    })
    write("azure-openai", "error-404-deployment-not-found", {
        "description": "Unknown deployment name in the path: 404 DeploymentNotFound (a configuration error, "
                       "not retryable).",
        "request": {
            "method": "POST", "path": "/openai/deployments/no-such-deployment/chat/completions",
            "query": {"api-version": AZ_API_VERSION}, "headers": AZ_REQUEST_HEADERS,
            "body": {"messages": AZ_MESSAGES},
        },
        "response": {
            "status": 404,
            "headers": {"content-type": "application/json", "apim-request-id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                        "x-ms-region": "Japan East",
                        "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
                        "x-content-type-options": "nosniff"},
            "body": {"error": {"code": "DeploymentNotFound",
                               "message": "The API deployment for this resource does not exist. If you created "
                                          "the deployment within the last 5 minutes, please wait a moment and "
                                          "try again."}},
        },
    })
    write("azure-openai", "error-401", {
        "description": "Wrong or missing api-key. The 401 comes from the gateway: only error.code and "
                       "error.message, no x-ms-region / rate-limit headers.",
        "request": {
            "method": "POST", "path": AZ_CHAT_PATH, "query": {"api-version": AZ_API_VERSION},
            "headers": {**AZ_REQUEST_HEADERS, "api-key": "<WRONG_KEY>"}, "body": {"messages": AZ_MESSAGES},
        },
        "response": {
            "status": 401,
            "headers": {"content-type": "application/json", "apim-request-id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                        "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
                        "x-content-type-options": "nosniff"},
            "body": {"error": {"code": "401", "message": "Access denied due to invalid subscription key or wrong "
                                                          "API endpoint. Make sure to provide a valid key for an "
                                                          "active subscription and use a correct regional API "
                                                          "endpoint for your resource."}},
        },
    })


# ---------------------------------------------------------------------------------------------------------
# Anthropic Messages API
AN_MODEL = "claude-sonnet-4-20250514"
AN_PATH = "/v1/messages"
AN_REQUEST_HEADERS = {"x-api-key": "<ANTHROPIC_API_KEY>", "anthropic-version": "2023-06-01",
                      "content-type": "application/json"}
AN_MSG_ID = "msg_01XFDUDYJgAACzvnptvVoYEL"
AN_BODY = {"model": AN_MODEL, "max_tokens": 1024, "system": SYSTEM_JA,
           "messages": [{"role": "user", "content": USER_JA}]}


def an_headers(request_id: str, content_type: str = "application/json", extra: dict | None = None) -> dict:
    h = {
        "content-type": content_type,
        "request-id": request_id,
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "49",
        "anthropic-ratelimit-requests-reset": "2025-06-02T01:23:46Z",
        "anthropic-ratelimit-input-tokens-limit": "30000",
        "anthropic-ratelimit-input-tokens-remaining": "29000",
        "anthropic-ratelimit-input-tokens-reset": "2025-06-02T01:23:47Z",
        "anthropic-ratelimit-output-tokens-limit": "8000",
        "anthropic-ratelimit-output-tokens-remaining": "8000",
        "anthropic-ratelimit-output-tokens-reset": "2025-06-02T01:23:45Z",
        "anthropic-ratelimit-tokens-limit": "38000",
        "anthropic-ratelimit-tokens-remaining": "37000",
        "anthropic-ratelimit-tokens-reset": "2025-06-02T01:23:45Z",
    }
    if extra:
        h.update(extra)
    return h


def an_error(kind: str, message: str, request_id: str) -> dict:
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": request_id}


def anthropic() -> None:
    usage = {"input_tokens": 214, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
             "output_tokens": 71, "service_tier": "standard"}
    write("anthropic", "message", {
        "description": "Non-streaming Messages response: content blocks, stop_reason end_turn, usage.",
        "request": {"method": "POST", "path": AN_PATH, "query": {}, "headers": AN_REQUEST_HEADERS, "body": AN_BODY},
        "response": {
            "status": 200, "headers": an_headers("req_011CPhwwrXS9oNDjDqFy8GUW"),
            "body": {"id": AN_MSG_ID, "type": "message", "role": "assistant", "model": AN_MODEL,
                     "content": [{"type": "text", "text": ANSWER_JA}],
                     "stop_reason": "end_turn", "stop_sequence": None, "usage": usage},
        },
    })

    def start_events(msg_id: str) -> list:
        return [
            ("message_start", {"type": "message_start", "message": {
                "id": msg_id, "type": "message", "role": "assistant", "model": AN_MODEL, "content": [],
                "stop_reason": None, "stop_sequence": None,
                "usage": {"input_tokens": 214, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                          "output_tokens": 1, "service_tier": "standard"}}}),
            ("content_block_start", {"type": "content_block_start", "index": 0,
                                     "content_block": {"type": "text", "text": ""}}),
            # The documented ping payload has a space after the colon; keep it byte-exact.
            ("ping", '{"type": "ping"}'),
        ]

    def delta(text: str) -> tuple:
        return ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                        "delta": {"type": "text_delta", "text": text}})

    stream_body = {**AN_BODY, "stream": True}
    events = start_events("msg_01Nq2s5GxT3bE8yVwK7mZcHd") + [delta(p) for p in ANSWER_PIECES] + [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                           "usage": {"output_tokens": 71}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    write("anthropic", "message-stream", {
        "description": "Streaming Messages response: message_start, content_block_start, ping, "
                       "content_block_delta (text_delta) x N, content_block_stop, message_delta (stop_reason "
                       "and cumulative output usage), message_stop.",
        "request": {"method": "POST", "path": AN_PATH, "query": {},
                    "headers": {**AN_REQUEST_HEADERS, "accept": "text/event-stream"}, "body": stream_body},
        "response": {"status": 200,
                     "headers": an_headers("req_011CPhx1mR8d2k3PqS6tUvWx", "text/event-stream; charset=utf-8"),
                     "sse": sse_named(events)},
    })

    overloaded = '{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}'
    events = start_events("msg_01Hy6bT4sWq9cZ2nL5xJ8kRd") + [delta(p) for p in ANSWER_PIECES[:2]] + [
        ("error", overloaded),
    ]
    write("anthropic", "message-stream-error-overloaded", {
        "description": "An error event mid-stream after HTTP 200: the stream ends with event: error "
                       "(overloaded_error, what would be HTTP 529 without streaming); no message_stop follows.",
        "request": {"method": "POST", "path": AN_PATH, "query": {},
                    "headers": {**AN_REQUEST_HEADERS, "accept": "text/event-stream"}, "body": stream_body},
        "response": {"status": 200,
                     "headers": an_headers("req_011CPhx7bQ2e4GhJkL9mNpRs", "text/event-stream; charset=utf-8"),
                     "sse": sse_named(events)},
    })

    write("anthropic", "error-429-rate-limit", {
        "description": "Rate limit exceeded: 429 rate_limit_error with retry-after (seconds) and the "
                       "anthropic-ratelimit-* headers showing which limit ran out.",
        "request": {"method": "POST", "path": AN_PATH, "query": {}, "headers": AN_REQUEST_HEADERS, "body": AN_BODY},
        "response": {
            "status": 429,
            "headers": an_headers("req_011CPhxC3fW5aB6cD7eF8gH9", extra={
                "retry-after": "18",
                "anthropic-ratelimit-input-tokens-remaining": "0",
                "anthropic-ratelimit-input-tokens-reset": "2025-06-02T01:24:03Z",
                "anthropic-ratelimit-tokens-remaining": "0",
                "anthropic-ratelimit-tokens-reset": "2025-06-02T01:24:03Z"}),
            "body": an_error("rate_limit_error",
                             "This request would exceed the rate limit for your organization "
                             "(00000000-0000-0000-0000-000000000000) of 30,000 input tokens per minute. For details, "
                             "refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response "
                             "headers for current usage. Please reduce the prompt length or the maximum tokens "
                             "requested, or try again later. You may also contact sales at "
                             "https://www.anthropic.com/contact-sales to discuss your options for a rate limit "
                             "increase.",
                             "req_011CPhxC3fW5aB6cD7eF8gH9"),
        },
    })
    write("anthropic", "error-529-overloaded", {
        "description": "The API is temporarily overloaded for all users: 529 overloaded_error (retryable, "
                       "usually without retry-after).",
        "request": {"method": "POST", "path": AN_PATH, "query": {}, "headers": AN_REQUEST_HEADERS, "body": AN_BODY},
        "response": {
            "status": 529,
            "headers": {"content-type": "application/json", "request-id": "req_011CPhxH7kL2mN3pQ4rS5tU6"},
            "body": an_error("overloaded_error", "Overloaded", "req_011CPhxH7kL2mN3pQ4rS5tU6"),
        },
    })
    write("anthropic", "error-401-authentication", {
        "description": "Invalid x-api-key: 401 authentication_error.",
        "request": {"method": "POST", "path": AN_PATH, "query": {},
                    "headers": {**AN_REQUEST_HEADERS, "x-api-key": "<WRONG_KEY>"}, "body": AN_BODY},
        "response": {
            "status": 401,
            "headers": {"content-type": "application/json", "request-id": "req_011CPhxM2nP4qR5sT6uV7wX8"},
            "body": an_error("authentication_error", "invalid x-api-key", "req_011CPhxM2nP4qR5sT6uV7wX8"),
        },
    })
    write("anthropic", "error-400-invalid-request", {
        "description": "Malformed request (max_tokens missing): 400 invalid_request_error; message names the "
                       "field.",
        "request": {"method": "POST", "path": AN_PATH, "query": {}, "headers": AN_REQUEST_HEADERS,
                    "body": {k: v for k, v in AN_BODY.items() if k != "max_tokens"}},
        "response": {
            "status": 400,
            "headers": {"content-type": "application/json", "request-id": "req_011CPhxR6sT8uV9wX1yZ2aB3"},
            "body": an_error("invalid_request_error", "max_tokens: Field required", "req_011CPhxR6sT8uV9wX1yZ2aB3"),
        },
    })


if __name__ == "__main__":
    azure()
    anthropic()
    for p in sorted(ROOT.glob("*/*.json")):
        if p.parent.name in ("azure-openai", "anthropic"):
            print(p.relative_to(ROOT.parent.parent.parent))
