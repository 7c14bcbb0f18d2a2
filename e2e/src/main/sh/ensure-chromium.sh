#!/bin/sh
# Prints the path of a headless-capable Chromium, installing Debian's `chromium` package first when it is missing
# and this is a root shell with apt-get. Prints nothing and exits 1 when it cannot be had.
set -eu
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2 || true
fi
command -v chromium
