# Hiroba — two commands on a fresh Debian 12 machine: `make run` and `make test`.
SWIFT ?= swift
DB ?= ./var/hiroba.sqlite
RELEASE_BIN := .build/release/hiroba

.PHONY: deps build release run demo test bench-analyze bench-search bench-ingest eval-retrieval eval-statutes fixtures clean eval-clustering bench-listen bench-listen-server

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Build, load the demo city (みなと市) into $(DB), create its demo users, and serve on http://localhost:8080.
run: release
	@bash scripts/demo.sh $(RELEASE_BIN) $(DB)

# Unit and server tests (with the local test model — llama.cpp + Gemma 3 270M — serving on 127.0.0.1 for
# the model end-to-end tests; its wheel is built once and cached in ~/.cache/hiroba), then the end-to-end
# tests: the OIDC test provider's self-check and the browser tests (chromium + selenium; screenshots in
# var/test-artifacts/browser/), and the listening reports opened offline (var/test-artifacts/listening/).
test: deps
	@bash scripts/install-test-deps.sh
	@bash scripts/install-llm-test-deps.sh >/dev/null
	$(SWIFT) build --build-tests
	@# Tests make their files under $$TMPDIR: one directory per run, removed afterwards (the suites leave
	@# ~100 directories of databases behind per run, which a CI machine would keep forever).
	@TEST_TMP=$$(mktemp -d /tmp/hiroba-make-test.XXXXXX); \
	  TMPDIR=$$TEST_TMP python3 e2e/llm/with_model.py -- $(SWIFT) test --skip-build --parallel --num-workers 2; \
	  status=$$?; rm -rf "$$TEST_TMP"; exit $$status
	python3 e2e/oidc/selftest.py
	python3 e2e/browser/run.py --bin .build/debug/hiroba
	bash e2e/listening/run.sh .build/debug/hiroba

eval-retrieval: release
	$(RELEASE_BIN) eval retrieval --corpus ../shared/data/ja_retrieval/corpus.jsonl \
	  --queries ../shared/data/ja_retrieval/queries.jsonl --qrels ../shared/data/ja_retrieval/qrels.tsv

eval-statutes: release
	$(RELEASE_BIN) eval statutes --articles ../shared/data/ja_legal/egov_laws/articles.jsonl

bench-analyze: release
	$(RELEASE_BIN) bench analyze ../shared/data/ja_retrieval/corpus.jsonl

bench-search: release
	$(RELEASE_BIN) bench search --chunks $${CHUNKS:-1000000}

# Mixed-format corpus (statutes, Markdown, HTML, CSV, and DOCX/PDF when LibreOffice is installed) from
# ../shared/data, then end-to-end ingest throughput.
bench-ingest: release
	python3 bench/make-ingest-corpus.py /tmp/hiroba-ingest-corpus --copies $${COPIES:-4}
	$(RELEASE_BIN) bench ingest /tmp/hiroba-ingest-corpus

# Regenerate the Office/PDF test fixtures with LibreOffice (needs the packages named in the script).
fixtures:
	bash scripts/make-fixtures.sh

clean:
	rm -rf .build

eval-clustering: release
	python3 bench/make_clustering_set.py ../shared/data/ja_retrieval/queries.jsonl var/clustering-dev.jsonl
	$(RELEASE_BIN) eval clustering --input var/clustering-dev.jsonl --json

bench-listen: release
	$(RELEASE_BIN) bench listen --comments $${COMMENTS:-10000}

# The same through the server: upload, background run, and request latency while it runs.
bench-listen-server: release
	python3 bench/listen_server.py --bin $(RELEASE_BIN) --comments $${COMMENTS:-10000}
