#!/usr/bin/env bash
# Distributed-mode check: run genesis-distributed on ns-3's MPI engine at
# several rank counts and require the same per-flow results from each.
#
#   utils/check-distributed.sh [--ranks "1 2"] [--nullmsg] [--tree DIR] [-- example args...]
#
#   --ranks   the rank counts to run (default "1 2"); the first is the reference
#   --nullmsg also run the last rank count on ns-3's NullMessageSimulatorImpl
#             (the others use DistributedSimulatorImpl); it must match too
#
# Needs the ns-3 tree that utils/check-intree.sh builds (with --enable-mpi);
# check-intree.sh runs this script at its end. For each rank count N it runs
#   mpirun -np N genesis-distributed --flows=... --db=...
# in a scratch directory, concatenates the ranks' flow files, sorts them and
# compares them with the first rank count's: every flow's packets and bytes
# must be identical, and its summed one-way delay identical up to the order
# in which ns-3's MPI engine serves simultaneous events (at most 1e-4 of the
# flow's summed delay; see below). It prints each network's received
# Mbit from the flows, and merges each run's per-rank databases with
# genesis-db-merge (which checks that the ranks' records agree).
#
# Environment: GENESIS_CACHE (as check-intree.sh), GENESIS_KEEP=1 keeps the
# scratch directory.
set -euo pipefail

GENESIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RANKS="1 2"
NULLMSG=0
TREE=""
EXAMPLE_ARGS=()
die() { echo "check-distributed: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ranks) [[ $# -ge 2 ]] || die "--ranks needs a value, e.g. \"1 2 3\""; RANKS="$2"; shift ;;
    --ranks=*) RANKS="${1#*=}" ;;
    --nullmsg) NULLMSG=1 ;;
    --tree) [[ $# -ge 2 ]] || die "--tree needs a directory"; TREE="$2"; shift ;;
    --tree=*) TREE="${1#*=}" ;;
    --) shift; EXAMPLE_ARGS=("$@"); break ;;
    -h | --help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
for n in $RANKS; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "--ranks: '$n' is not a rank count (1, 2, ...)"
done

if [[ -z "$TREE" ]]; then
  cache="${GENESIS_CACHE:-}"
  if [[ -z "$cache" ]]; then
    if [[ -w /var/cache/genesis ]]; then cache=/var/cache/genesis; else cache="${XDG_CACHE_HOME:-$HOME/.cache}/genesis"; fi
  fi
  v="$(dpkg-query -W -f='${source:Version}' libns3-dev)"; u="${v%-*}"; u="${u#*:}"
  TREE="$cache/ns3-src/$v/ns3-$u/ns-$u"
fi
[[ -d "$TREE/build" ]] || die "no built ns-3 tree at $TREE; run utils/check-intree.sh first"
grep -q '^NS3_MPI:BOOL=ON' "$TREE/cmake-cache/CMakeCache.txt" 2>/dev/null \
  || die "$TREE is not configured with --enable-mpi; run utils/check-intree.sh (it configures MPI)"
find_prog() {
  find "$TREE/build" -type f -perm -u+x -name "ns3.*-$1-*" 2>/dev/null | head -n 1
}
example="$(find_prog genesis-distributed)"
[[ -n "$example" ]] || die "genesis-distributed is not built in $TREE; run utils/check-intree.sh"
merge="$(find_prog genesis-db-merge)"
[[ -n "$merge" ]] || die "genesis-db-merge is not built in $TREE; run utils/check-intree.sh"
command -v mpirun >/dev/null || die "mpirun not found: apt-get install openmpi-bin"

mpi=(mpirun)
[[ "$(id -u)" == 0 ]] && mpi+=(--allow-run-as-root)
scratch="$(mktemp -d /tmp/genesis-distributed.XXXXXX)"
[[ "${GENESIS_KEEP:-0}" == 1 ]] || trap 'rm -rf "$scratch"' EXIT
args=(--profiles="$GENESIS_ROOT/examples/profiles")
args+=("${EXAMPLE_ARGS[@]}")
runs=()
for n in $RANKS; do runs+=("$n:granted"); done
if [[ $NULLMSG == 1 ]]; then runs+=("${RANKS##* }:nullmsg"); fi

first=""
status=0
for run in "${runs[@]}"; do
  n="${run%%:*}"; engine="${run#*:}"
  label="$n rank(s)"; tag="np$n"
  extra=()
  if [[ $engine == nullmsg ]]; then
    label="$n rank(s), null messages"; tag="np$n-nullmsg"
  fi
  dir="$scratch/$tag"; mkdir -p "$dir"
  eargs=("${args[@]}")
  [[ $engine == nullmsg ]] && eargs+=(--nullmsg=1)
  [[ $n -gt $(nproc) ]] && extra+=(--oversubscribe)
  echo "=== check-distributed: $label: mpirun -np $n $(basename "$example") ${eargs[*]}"
  t0=$SECONDS
  (cd "$dir" && "${mpi[@]}" "${extra[@]}" -np "$n" "$example" "${eargs[@]}" \
      --flows="$dir/flows.txt" --db="$dir/run.sqlite") || die "genesis-distributed failed on $label"
  echo "check-distributed: $label took $((SECONDS - t0)) s"
  cat "$dir"/flows*.txt | LC_ALL=C sort >"$scratch/flows-$tag.sorted"
  nflows=$(wc -l <"$scratch/flows-$tag.sorted")
  [[ $nflows -gt 0 ]] || die "$label: no flow received anything"
  digest=$(sha256sum <"$scratch/flows-$tag.sorted" | cut -c1-16)
  echo "check-distributed: $label: $nflows flows, digest $digest"
  awk '{ bytes[$1] += $5 } END { for (n in bytes) printf "  %-9s %10.3f Mbit received\n", n, bytes[n] * 8 / 1e6 }' \
    "$scratch/flows-$tag.sorted" | LC_ALL=C sort
  dbs=("$dir"/run*.sqlite)
  "$merge" --out="$dir/merged.sqlite" "${dbs[@]}" >/dev/null \
    || die "$label: genesis-db-merge refused the ranks' databases (see above)"
  echo "check-distributed: $label: ${#dbs[@]} database(s) merged: $(sqlite3 "$dir/merged.sqlite" \
    "SELECT group_concat(name || '=' || state, ' ') FROM (SELECT name, state FROM networks ORDER BY network_id)")"
  if [[ -z "$first" ]]; then
    first=$tag; first_label=$label
  elif cmp -s "$scratch/flows-$first.sorted" "$scratch/flows-$tag.sorted"; then
    echo "check-distributed: $label: identical to $first_label, delays included"
  elif ! cmp -s <(cut -d' ' -f1-5 "$scratch/flows-$first.sorted") <(cut -d' ' -f1-5 "$scratch/flows-$tag.sorted"); then
    echo "check-distributed: FAILED: $label differs from $first_label in packets or bytes:" >&2
    diff <(cut -d' ' -f1-5 "$scratch/flows-$first.sorted") <(cut -d' ' -f1-5 "$scratch/flows-$tag.sorted") | head -n 20 >&2
    status=1
  else
    # Same packets and bytes in every flow; summed delays differ. ns-3's MPI
    # engines order simultaneous events by insertion, and a packet from
    # another rank is inserted when it is received (at a synchronisation
    # point), not when it was sent: two packets reaching one queue at the
    # same nanosecond can be served in the other order, shifting each one's
    # delay by a transmission time. Allowed: at most 1e-4 of a flow's summed
    # delay (tens of such swaps); anything more fails.
    if ! paste -d' ' "$scratch/flows-$first.sorted" "$scratch/flows-$tag.sorted" | awk -v a="$first_label" -v b="$label" '
        { d = $12 - $6; if (d < 0) d = -d; if (d > 0) { n++; r = $6 > 0 ? d / $6 : 1; if (r > worst) { worst = r; w = $1 " " $2 " " $3 " (" $6 " vs " $12 " ns)" } } }
        END { printf "check-distributed: %s: same packets and bytes as %s; summed delay differs in %d flow(s), at most %.2g of a flow'"'"'s (%s)\n", b, a, n, worst, w
              exit worst > 1e-4 }'; then
      echo "check-distributed: FAILED: $label: delays differ by more than simultaneous-event ordering explains" >&2
      status=1
    fi
  fi
done
[[ $status == 0 ]] || exit 1
echo "check-distributed: OK (${#runs[@]} runs: rank counts $RANKS$([[ $NULLMSG == 1 ]] && echo ", and ${RANKS##* } on null messages") give identical per-flow packets and bytes)"
