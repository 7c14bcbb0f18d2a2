#!/usr/bin/env bash
# Creates (once) a Python venv under the given directory with the official Triton OIP v2 HTTP client from PyPI.
# Exit 3 when PyPI cannot be reached, so the calling test can skip loudly instead of failing.
set -euo pipefail
venv="$1"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import tritonclient.http, numpy' 2>/dev/null; then
  exit 0
fi
python3 -m venv "$venv"
if ! "$venv/bin/pip" install --disable-pip-version-check -q --timeout 30 'tritonclient[http]==2.73.0' numpy; then
  echo "oip-venv: cannot install tritonclient[http] from PyPI" >&2
  exit 3
fi
