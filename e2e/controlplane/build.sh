#!/usr/bin/env bash
# Builds the real control plane for the operator's end-to-end tests from Go modules: kube-apiserver and
# kube-controller-manager from k8s.io/kubernetes, etcd from go.etcd.io/etcd/server/v3 (versions in go.mod).
#
# The binaries go to ${XDG_CACHE_HOME:-$HOME/.cache}/slicer/controlplane/<hash>/, keyed by go.mod, go.sum,
# cmd/etcd and this script, so a second run returns at once. Prints that directory as its only stdout line.
# With --cached it only looks: the directory if it is built, exit code 3 if not.
# A cold build (modules downloaded from the Go module proxy, nothing compiled) takes many minutes on 2 cores.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

key=$(cd "$here" && cat go.mod go.sum cmd/etcd/main.go build.sh | sha256sum | cut -c1-16)
root="${XDG_CACHE_HOME:-$HOME/.cache}/slicer/controlplane"
out="$root/$key"

# --cached: print the directory if a complete build is cached, else exit 3 without building (the demo's check)
if [[ "${1:-}" == "--cached" ]]; then
  [[ -f "$out/.complete" ]] || exit 3
  echo "$out"
  exit 0
fi
mkdir -p "$root"

if ! command -v go >/dev/null 2>&1; then
  echo "controlplane: the 'go' command is not on PATH; install Go 1.26 or newer (Debian: apt-get install golang-go, or a release from the Go project) and reach the Go module proxy" >&2
  exit 2
fi

# One build at a time per key (the Maven build and a test run may both ask); the second waits and reuses it.
exec 9>"$out.lock"
flock 9

if [[ ! -f "$out/.complete" ]]; then
  kube_version=$(cd "$here" && go list -m -f '{{.Version}}' k8s.io/kubernetes)
  major=${kube_version#v}; major=${major%%.*}
  minor=${kube_version#v*.}; minor=${minor%%.*}
  # The version stamps kube's own build scripts set (hack/lib/version.sh), so /version reports the release.
  ldflags="-s -w"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  echo "controlplane: building kube-apiserver, kube-controller-manager ($kube_version) and etcd into $out (a cold build takes many minutes)" >&2
  started=$(date +%s)
  tmp="$out.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! (cd "$here" && go build -buildvcs=false -trimpath -ldflags="$ldflags" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager ./cmd/etcd); then
    rm -rf "$tmp"
    echo "controlplane: go build failed (see above); nothing was cached" >&2
    exit 1
  fi
  echo "$kube_version" > "$tmp/kubernetes-version"
  touch "$tmp/.complete"
  rm -rf "$out"
  mv "$tmp" "$out"
  echo "controlplane: built in $(( $(date +%s) - started ))s" >&2
fi

echo "$out"
