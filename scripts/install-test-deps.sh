#!/usr/bin/env bash
# Python test tooling from PyPI (selenium for the browser tests, Authlib for the OIDC test provider).
# Idempotent: installs only what is missing.
set -euo pipefail
missing=()
python3 -c "import selenium" 2>/dev/null || missing+=("selenium>=4.20")
python3 -c "import authlib" 2>/dev/null || missing+=("authlib>=1.3")
python3 -c "import flask" 2>/dev/null || missing+=("flask>=3")
python3 -c "import requests" 2>/dev/null || missing+=("requests")
[ ${#missing[@]} -eq 0 ] && exit 0
echo "pip installing: ${missing[*]}" >&2
python3 -m pip install -q --disable-pip-version-check "${missing[@]}"
