#!/usr/bin/env bash
# The Prometheus Operator's ServiceMonitor and PodMonitor CRDs, as released, for the operator's end-to-end tests on
# the real control plane: taken from the prometheus-operator Go module (its example/prometheus-operator-crd/) through
# the Go module proxy, cached in the Go module cache. Prints the directory holding the two YAML files.
set -euo pipefail

version=v0.85.0
module=github.com/prometheus-operator/prometheus-operator

if ! command -v go >/dev/null 2>&1; then
  echo "monitoring-crds: the 'go' command is not on PATH (see build.sh)" >&2
  exit 2
fi
# outside any module: only this module is downloaded, nothing is resolved or built
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$module@$version" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
crds="$dir/example/prometheus-operator-crd"
for kind in servicemonitors podmonitors; do
  if [[ ! -f "$crds/monitoring.coreos.com_$kind.yaml" ]]; then
    echo "monitoring-crds: $crds/monitoring.coreos.com_$kind.yaml missing from $module@$version" >&2
    exit 1
  fi
done
echo "$crds"
