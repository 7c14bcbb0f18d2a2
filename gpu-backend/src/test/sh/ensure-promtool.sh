#!/bin/sh
# Prints the path of promtool, installing Debian's `prometheus` package first when it is missing and this is a root
# shell with apt-get (CI, fresh machines). Prints nothing and exits 1 when promtool cannot be had.
set -eu
if ! command -v promtool >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2 || true
fi
command -v promtool
