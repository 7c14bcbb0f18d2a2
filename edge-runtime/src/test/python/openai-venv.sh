#!/usr/bin/env bash
# Creates (once) a Python venv under the given directory with the official OpenAI Python client from PyPI.
# Exit 3 when PyPI cannot be reached, so the calling test can skip loudly instead of failing.
set -euo pipefail
venv="$1"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import openai' 2>/dev/null; then
  exit 0
fi
python3 -m venv "$venv"
if ! "$venv/bin/pip" install --disable-pip-version-check -q --timeout 30 'openai==3.51.0'; then
  echo "openai-venv: cannot install openai from PyPI" >&2
  exit 3
fi
