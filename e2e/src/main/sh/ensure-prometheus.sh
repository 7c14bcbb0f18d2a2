#!/bin/sh
# Prints the path of the prometheus server binary, installing Debian's `prometheus` package first when it is
# missing and this is a root shell with apt-get (CI, fresh machines). Prints nothing and exits 1 when it cannot be
# had; the demo then says how to install it and lets the operator read the services' metrics directly.
set -eu
if ! command -v prometheus >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >&2 || true
  # the package's own service is not wanted: the demo runs its own Prometheus on a free loopback port
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2 || true
fi
command -v prometheus
