#!/usr/bin/env bash
# Fetches the pinned tree-sitter runtime and Go grammar with `npm pack` into
# third_party/ (git-ignored) and checks each tarball against its npm integrity.
set -euo pipefail
dest=${1:-third_party}
# name@version  sha512 integrity as published in the npm registry
deps=(
  "tree-sitter@0.25.1 sha512-mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA=="
  "tree-sitter-go@0.25.0 sha512-APBc/Dq3xz/e35Xpkhb1blu5UgW+2E3RyGWawZSCNcbGwa7jhSQPS8KsUupuzBla8PCo8+lz9W/JDJjmfRa2tw=="
)
command -v npm >/dev/null || { echo "fetch-deps: npm is required to fetch tree-sitter (apt-get install npm)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "fetch-deps: openssl is required to check integrity (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dest"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for d in "${deps[@]}"; do
  spec=${d%% *}; want=${d#* }
  name=${spec%@*}
  [ -f "$dest/$name/.ok" ] && [ "$(cat "$dest/$name/.ok")" = "$want" ] && continue
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  tgz=$(ls "$tmp"/"$name"-*.tgz)
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$want" ]; then
    echo "fetch-deps: integrity mismatch for $spec: got $got, want $want" >&2; exit 1
  fi
  rm -rf "${dest:?}/$name"; mkdir -p "$dest/$name"
  tar xzf "$tgz" -C "$dest/$name" --strip-components=1
  echo "$want" > "$dest/$name/.ok"
  rm -f "$tgz"
  echo "fetch-deps: $spec ok"
done
