#!/usr/bin/env bash
# In-tree check: build Genesis inside a real ns-3 3.37 source tree, the way a
# user who drops it into contrib/ would, and run one example with ns-3's own
# ./ns3.
#
#   utils/check-intree.sh [example] [-- example args...]     (default example: genesis-nesting)
#
# Steps:
#  1. Debian packages (utils/debian-packages.txt, including the "in-tree" ones).
#  2. ns-3 source: Debian's source package `ns3`, the version of the installed
#     libns3-dev, fetched with `apt-get source` (dpkg-source applies
#     debian/patches) into a cache OUTSIDE the checkout, reused when present.
#     deb-src for the system's Debian archive is enabled first when missing
#     (/etc/apt/sources.list.d/genesis-deb-src.sources).
#  3. This repository is copied to contrib/genesis (build dirs and .git left out).
#  4. ns-3's ./ns3 configure with only the modules Genesis links
#     (GENESIS_LIBS_TO_LINK_NAMES in CMakeLists.txt) plus genesis, examples
#     on and filtered to genesis; reconfigured only when those settings change.
#  5. ns-3's ./ns3 build, then ns-3's ./ns3 run <example>; it must exit 0.
#  6. utils/check-distributed.sh: genesis-distributed on ns-3's MPI engine
#     (the tree is configured with --enable-mpi) at 1 and 2 ranks
#     (GENESIS_INTREE_RANKS) and on null messages, which must give the same
#     per-flow packets and bytes.
#  7. wscript must be what utils/gen-wscript.py generates from the tree.
#
# The ns-3 tree and its build directory (cmake-cache/, build/) stay in the
# cache, so a rerun rebuilds only Genesis.
#
# Environment:
#   GENESIS_CACHE   cache directory (default /var/cache/genesis when writable,
#                   else ${XDG_CACHE_HOME:-~/.cache}/genesis)
#   GENESIS_JOBS    parallel jobs (default nproc)
#   GENESIS_INTREE_PROFILE  ns-3 build profile (default: debug; -O0 compiles
#                   ns-3 about 2.5x faster than the -O2 "default" profile)
set -euo pipefail

GENESIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE=genesis-nesting
EXAMPLE_ARGS=()
if [[ $# -gt 0 && "$1" != -- ]]; then EXAMPLE="$1"; shift; fi
if [[ $# -gt 0 && "$1" == -- ]]; then shift; EXAMPLE_ARGS=("$@"); fi
JOBS="${GENESIS_JOBS:-$(nproc 2>/dev/null || echo 2)}"
PROFILE="${GENESIS_INTREE_PROFILE:-debug}"

step() { echo; echo "=== check-intree: $*"; }
die() { echo "check-intree: error: $*" >&2; exit 1; }
as_root() { [[ "$(id -u)" == 0 ]]; }
t_start=$SECONDS

# ------------------------------------------------------------ 1. packages
step "Debian packages"
"$GENESIS_ROOT/utils/ensure-debian-packages.sh" --in-tree

# ----------------------------------------------------------- 2. ns-3 source
if [[ -z "${GENESIS_CACHE:-}" ]]; then
  if mkdir -p /var/cache/genesis 2>/dev/null && [[ -w /var/cache/genesis ]]; then
    GENESIS_CACHE=/var/cache/genesis
  else
    GENESIS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/genesis"
  fi
fi
mkdir -p "$GENESIS_CACHE"
GENESIS_CACHE="$(cd "$GENESIS_CACHE" && pwd)"
case "$GENESIS_CACHE/" in
  "$GENESIS_ROOT"/*) die "GENESIS_CACHE ($GENESIS_CACHE) must be outside the checkout" ;;
esac

# The source version that built the installed ns-3 (e.g. 3.37-2).
NS3_SRC_VERSION="$(dpkg-query -W -f='${source:Version}' libns3-dev)"
NS3_UPSTREAM="${NS3_SRC_VERSION%-*}"
NS3_UPSTREAM="${NS3_UPSTREAM#*:}"
SRC_PARENT="$GENESIS_CACHE/ns3-src/$NS3_SRC_VERSION"
SRC_TOP="$SRC_PARENT/ns3-$NS3_UPSTREAM"     # what dpkg-source unpacks
NS3_TREE="$SRC_TOP/ns-$NS3_UPSTREAM"        # Debian's package is an allinone tree: ns-3.37/

# deb-src lines for the archive the system already uses, in deb822 form.
ensure_deb_src() {
  local main_sources=/etc/apt/sources.list.d/debian.sources
  local ours=/etc/apt/sources.list.d/genesis-deb-src.sources
  local uri="" suite=""
  if [[ -f "$main_sources" ]]; then
    # First stanza that is not debian-security: its URI and first suite.
    read -r uri suite < <(awk '
      /^[[:space:]]*$/ { if (u != "" && s != "" && u !~ /security/) { print u, s; exit } u = ""; s = "" }
      /^URIs:/ { u = $2 } /^Suites:/ { s = $2 }
      END { if (u != "" && s != "" && u !~ /security/) print u, s }' "$main_sources" | head -n 1) || true
  fi
  if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
    read -r uri suite < <(awk '$1 == "deb" && $0 !~ /security/ {
      for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i, $(i + 1); exit } }' \
      /etc/apt/sources.list) || true
  fi
  [[ -n "$uri" ]] || uri=http://deb.debian.org/debian
  [[ -n "$suite" ]] || suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  local want
  want="$(printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" "$suite")"
  if [[ -f "$ours" ]] && [[ "$(cat "$ours")" == "$want" ]]; then
    return 1   # unchanged
  fi
  as_root || die "deb-src is not enabled; as root, create $ours with:
$want"
  echo "check-intree: writing $ours (deb-src $uri $suite main)"
  printf '%s\n' "$want" >"$ours"
  return 0   # changed
}

fetch_ns3_source() {
  if [[ -x "$NS3_TREE/ns3" ]]; then
    echo "check-intree: reusing ns-3 source $NS3_TREE"
    return
  fi
  # Source index: add deb-src if needed; update when it changed or when apt
  # has no source record for this version yet.
  local changed=0
  if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    ensure_deb_src && changed=1
  elif [[ -f /etc/apt/sources.list.d/genesis-deb-src.sources ]]; then
    ensure_deb_src && changed=1 || true
  fi
  if [[ $changed == 1 ]] || ! apt-cache showsrc "ns3=$NS3_SRC_VERSION" 2>/dev/null | grep -q '^Package: ns3'; then
    as_root || die "apt has no source record for ns3 $NS3_SRC_VERSION; run 'sudo apt-get update' first"
    echo "check-intree: apt-get update (source index)"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
  fi
  local tmp="$GENESIS_CACHE/ns3-src/.download.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  echo "check-intree: apt-get source ns3=$NS3_SRC_VERSION (into $GENESIS_CACHE/ns3-src)"
  # -q: no progress bars; dpkg-source (run by apt-get source) applies debian/patches.
  (cd "$tmp" && apt-get source -q "ns3=$NS3_SRC_VERSION")
  local unpacked="$tmp/ns3-$NS3_UPSTREAM"
  [[ -d "$unpacked" ]] || die "apt-get source did not unpack $unpacked"
  rm -rf "$SRC_PARENT"; mkdir -p "$(dirname "$SRC_PARENT")"
  mv "$tmp" "$SRC_PARENT"
  [[ -x "$NS3_TREE/ns3" ]] || die "no ./ns3 in $NS3_TREE"
}

check_patches_applied() {
  local series="$SRC_TOP/debian/patches/series" applied="$SRC_TOP/.pc/applied-patches"
  [[ -f "$series" ]] || return 0
  local p
  while read -r p _; do
    [[ -z "$p" || "$p" == \#* ]] && continue
    grep -qxF "$p" "$applied" 2>/dev/null || die "Debian patch $p is not applied in $SRC_TOP (remove $SRC_PARENT and rerun)"
  done <"$series"
  echo "check-intree: Debian patches applied: $(grep -cv '^[[:space:]]*\(#\|$\)' "$series")"
}

step "ns-3 $NS3_SRC_VERSION source (cache: $GENESIS_CACHE)"
fetch_ns3_source
check_patches_applied

# ns-3's ./ns3 exports CLICOLOR=1, and ns-3's CMake adds
# -fdiagnostics-color=always when it is set: every CMake run on this tree
# (ours, ./ns3's, and the re-runs the build itself triggers) must see the
# same value, or the flags change and all of ns-3 is recompiled.
export CLICOLOR=1

# ns-3's ./ns3 refuses to run when $USER is root ("--enable-sudo will ask ...").
# CI runs as root in a throw-away container; ns3 looks only at $USER.
ns3_tree() {
  (cd "$NS3_TREE" && if as_root || [[ "${USER:-}" == root ]]; then
    USER=genesis-ci ./ns3 "$@"; else ./ns3 "$@"; fi)
}

# ------------------------------------------------------- 3. contrib/genesis
step "copy $GENESIS_ROOT -> contrib/genesis"
dest="$NS3_TREE/contrib/genesis"
rm -rf "$dest"; mkdir -p "$dest"
# tar keeps modification times, so unchanged files are not recompiled.
tar -C "$GENESIS_ROOT" -cf - \
  --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./cmake-cache \
  --exclude=./.ci-cache . | tar -C "$dest" -xf -

# ----------------------------------------------------------- 4. configure
# Only the modules Genesis links, read from CMakeLists.txt; ns-3 adds their
# own dependencies itself.
modules="$(awk '
  /^[[:space:]]*set\(GENESIS_LIBS_TO_LINK_NAMES/ { on = 1; sub(/.*set\(GENESIS_LIBS_TO_LINK_NAMES/, "") }
  on { line = $0; sub(/#.*/, "", line); if (line ~ /\)/) { sub(/\).*/, "", line); on = 0; done = 1 }
       n = split(line, w, /[[:space:]]+/); for (i = 1; i <= n; i++) if (w[i] != "") printf "%s;", w[i] }
  done { exit }' "$GENESIS_ROOT/CMakeLists.txt")"
[[ -n "$modules" ]] || die "could not read GENESIS_LIBS_TO_LINK_NAMES from CMakeLists.txt"
# Distributed mode (genesis-distributed) runs on ns-3's MPI engine: the tree is
# built with --enable-mpi (Debian's Open MPI) and the mpi and
# nix-vector-routing modules (ns-3 builds its MPI examples only with both).
enabled="genesis;${modules%;};mpi;nix-vector-routing"
config_args=(-d "$PROFILE" --enable-examples --disable-tests --disable-python-bindings --enable-mpi
             --enable-modules="$enabled" --filter-module-examples-and-tests=genesis)
if command -v ninja >/dev/null; then config_args+=(-G Ninja); fi
stamp="$NS3_TREE/cmake-cache/.genesis-configure-args"
step "configure ns-3: modules $enabled"
# ns-3 writes build/include/ns3/<header> once as a stub that #includes the
# real header's absolute path and never rewrites it: drop Genesis stubs whose
# header moved or vanished (CMake writes them anew below).
if [[ -d "$NS3_TREE/build/include/ns3" ]]; then
  grep -lF "$NS3_TREE/contrib/genesis/" "$NS3_TREE"/build/include/ns3/*.h 2>/dev/null \
    | while read -r stub; do
        target="$(sed -n 's/^#include "\(.*\)"$/\1/p' "$stub" | head -n 1)"
        [[ -n "$target" && -f "$target" ]] || rm -f "$stub"
      done
fi
if [[ -f "$NS3_TREE/cmake-cache/CMakeCache.txt" && -f "$stamp" ]] \
   && [[ "$(cat "$stamp")" == "${config_args[*]}" ]]; then
  echo "check-intree: same configure arguments; re-running CMake on the cached configuration"
  cmake "$NS3_TREE/cmake-cache" >/dev/null
else
  rm -f "$stamp"
  ns3_tree configure "${config_args[@]}"
  printf '%s' "${config_args[*]}" >"$stamp"
fi

# --------------------------------------------------------------- 5. build, run
# cmake --build rather than ./ns3 build: ns-3 3.37's ./ns3 caps -j at
# (cores - 1), i.e. one job on a 2-core CI machine.
step "build (cmake --build cmake-cache -j$JOBS)"
t_build=$SECONDS
cmake --build "$NS3_TREE/cmake-cache" -j "$JOBS"
echo "check-intree: build took $((SECONDS - t_build)) s"

step "run: ./ns3 run $EXAMPLE ${EXAMPLE_ARGS[*]:-}"
run_spec="$EXAMPLE"
for a in "${EXAMPLE_ARGS[@]}"; do run_spec+=" $(printf '%q' "$a")"; done
if ! ns3_tree run --no-build "$run_spec"; then
  die "ns-3's ./ns3 run $EXAMPLE failed"
fi

# ------------------------------------------------------- 6. distributed mode
# genesis-distributed on ns-3's MPI engine at 1 and 2 ranks: the same
# per-flow results, per-rank databases that merge.
step "distributed mode: utils/check-distributed.sh --ranks \"${GENESIS_INTREE_RANKS:-1 2}\""
"$GENESIS_ROOT/utils/check-distributed.sh" --tree "$NS3_TREE" --ranks "${GENESIS_INTREE_RANKS:-1 2}" --nullmsg

# --------------------------------------------------------------- 7. wscript
step "wscript is up to date"
python3 "$GENESIS_ROOT/utils/gen-wscript.py" --check

echo
echo "check-intree: OK ($EXAMPLE ran in ns-3 $NS3_SRC_VERSION; $((SECONDS - t_start)) s total)"
