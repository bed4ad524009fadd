#!/usr/bin/env bash
# Installs the Debian packages Hiroba needs to build and test. Idempotent: does nothing when all are present.
set -euo pipefail
# chromium + chromium-driver run the browser tests, wrk the load benchmark (bench/load.sh), valgrind the
# instruction count per request (bench/instructions.sh);
# OpenBLAS + LAPACKE do the listening pipeline's SVD and matrix products; jemalloc is the binary's allocator.
PKGS=(libjemalloc-dev libmecab-dev mecab-ipadic-utf8 libsqlite3-dev sqlite3 libicu-dev libxml2-dev poppler-utils libopenblas-dev liblapacke-dev chromium chromium-driver wrk valgrind)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
