#!/usr/bin/env bash
# Make sure the Debian packages listed in utils/debian-packages.txt are
# installed.
#
#   utils/ensure-debian-packages.sh [--in-tree] [--fuzz] [--list]
#
#   --in-tree  also the packages scoped "in-tree" (utils/check-intree.sh)
#   --fuzz     also the packages scoped "fuzz" (utils/run-fuzz.sh)
#   --list     print the package names and exit
#
# Fast path: one dpkg-query call; nothing else happens when all are present.
# When some are missing: as root, `apt-get update` once and install them;
# otherwise print the one `sudo apt-get install ...` line and exit 1.
# GENESIS_SKIP_DEPS=1 skips the check entirely.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list_file="$here/debian-packages.txt"
with_intree=0
with_fuzz=0
list_only=0
for a in "$@"; do
  case "$a" in
    --in-tree) with_intree=1 ;;
    --fuzz) with_fuzz=1 ;;
    --list) list_only=1 ;;
    *) echo "ensure-debian-packages: unknown argument '$a'" >&2; exit 2 ;;
  esac
done

[[ "${GENESIS_SKIP_DEPS:-0}" == 1 && $list_only == 0 ]] && exit 0

wanted=()
while read -r pkg scope _; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  [[ "$scope" == \#* ]] && scope=""
  if [[ "$scope" == in-tree && $with_intree == 0 ]]; then continue; fi
  if [[ "$scope" == fuzz && $with_fuzz == 0 ]]; then continue; fi
  wanted+=("$pkg")
done <"$list_file"

if [[ $list_only == 1 ]]; then
  printf '%s\n' "${wanted[@]}"
  exit 0
fi

missing_packages() {
  local installed
  # Unknown packages make dpkg-query exit 1; their names simply don't show up.
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${wanted[@]}" 2>/dev/null \
    | awk '$2 == "ii" { print $1 }' || true)"
  local p
  for p in "${wanted[@]}"; do
    grep -qxF -- "$p" <<<"$installed" || echo "$p"
  done
}

mapfile -t missing < <(missing_packages)
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "genesis: missing Debian packages: ${missing[*]}" >&2
if [[ "$(id -u)" != 0 ]]; then
  echo "genesis: install them with:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "genesis: apt-get update" >&2
apt-get update -q >&2
echo "genesis: apt-get install -y --no-install-recommends ${missing[*]}" >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2

mapfile -t still < <(missing_packages)
if [[ ${#still[@]} -ne 0 ]]; then
  echo "genesis: still missing after apt-get install: ${still[*]}" >&2
  exit 1
fi
