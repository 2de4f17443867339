#!/usr/bin/env bash
# Makes sure the Debian -dev packages godark links against are present:
# installs them when running as root, otherwise names them in one line.
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "need-pkgs: installing ${missing[*]}" >&2
  (apt-get install -y -q "${missing[@]}" >/dev/null 2>&1) ||
    { apt-get update -q >/dev/null 2>&1; apt-get install -y -q "${missing[@]}" >/dev/null; }
  exit 0
fi
echo "need-pkgs: missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
exit 1
