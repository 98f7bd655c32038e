#!/usr/bin/env bash
# Build the libFuzzer target for profiling scripts (fuzz/) and run it for a
# bounded time.
#
#   utils/run-fuzz.sh [seconds]        default 60
#
# 1. builds fuzz/ with clang in its own build directory (GENESIS_FUZZ_BUILD,
#    default build-fuzz/): the Genesis sources instrumented for libFuzzer,
#    AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer,
#    linked with Debian's ns-3 3.37;
# 2. replays every saved input under fuzz/regressions/ (each must pass);
# 3. fuzzes for the given time, seeded with examples/profiles/*.yaml,
#    test/profiles/*.yaml and fuzz/regressions/* copied into a fresh
#    temporary corpus (nothing generated is kept in the tree), with the
#    dictionary fuzz/profile.dict.
#
# Exit status 0 when nothing was found; non-zero on a finding (crash, abort,
# sanitizer report, leak, timeout of an input > 10 s, RSS > 2048 MB, or an
# exception other than GenesisError), with the reproducer's path printed.
# Reproducers are kept in <build>/artifacts/. Replay one with
#   build-fuzz/profile-fuzzer <file>
#
# Environment: GENESIS_FUZZ_BUILD (build dir), GENESIS_FUZZ_JOBS (build
# jobs, default nproc), GENESIS_FUZZ_SEED (libFuzzer -seed; default: random),
# GENESIS_FUZZ_CXX (default clang++).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [[ "$seconds" -lt 1 ]]; then
  echo "run-fuzz: seconds must be a positive integer, not '$seconds'" >&2
  echo "usage: utils/run-fuzz.sh [seconds]" >&2
  exit 2
fi
build="${GENESIS_FUZZ_BUILD:-$root/build-fuzz}"
jobs="${GENESIS_FUZZ_JOBS:-$(nproc)}"
cxx="${GENESIS_FUZZ_CXX:-clang++}"

# The fuzzing packages (scope "fuzz" in utils/debian-packages.txt): installed
# here as root, otherwise the one apt-get line to run is printed.
"$root/utils/ensure-debian-packages.sh" --fuzz || exit 2
if ! command -v "$cxx" >/dev/null; then
  echo "run-fuzz: $cxx not found; install the Debian packages clang and libclang-rt-14-dev" >&2
  echo "  (utils/ensure-debian-packages.sh --fuzz does, as root)" >&2
  exit 2
fi

echo "run-fuzz: building the fuzz target in $build"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ -f "$build/CMakeCache.txt" ]]; then
  generator=()
fi
mkdir -p "$build"
cmake -S "$root/fuzz" -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 || {
  cat "$build/configure.log" >&2
  echo "run-fuzz: configuring fuzz/ failed" >&2
  exit 2
}
cmake --build "$build" -j "$jobs" || {
  echo "run-fuzz: building the fuzz target failed" >&2
  exit 2
}
fuzzer="$build/profile-fuzzer"

# Sanitizer options: every report is fatal, leaks included; symbolized stacks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
symbolizer="$(command -v llvm-symbolizer || ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | head -n1)"
[[ -n "$symbolizer" ]] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

common=(-timeout=10 -rss_limit_mb=2048 -max_len=65536 -dict="$root/fuzz/profile.dict")

# 2. Regressions: inputs that once failed must pass now.
shopt -s nullglob
regressions=("$root"/fuzz/regressions/*)  # (the .keep file is hidden from the glob)
shopt -u nullglob
if [[ ${#regressions[@]} -gt 0 ]]; then
  echo "run-fuzz: replaying ${#regressions[@]} regression input(s) from fuzz/regressions/"
  failed_regressions=()
  for f in "${regressions[@]}"; do
    if ! "$fuzzer" "${common[@]}" "$f" >"$build/regression.log" 2>&1; then
      failed_regressions+=("$f")
      tail -n 40 "$build/regression.log" >&2
    fi
  done
  if [[ ${#failed_regressions[@]} -gt 0 ]]; then
    echo "run-fuzz: FINDING: regression input(s) fail again:" >&2
    printf '  %s\n' "${failed_regressions[@]}" >&2
    echo "  replay: $fuzzer <file>" >&2
    exit 1
  fi
fi

# 3. Fuzz.
corpus="$(mktemp -d "${TMPDIR:-/tmp}/genesis-fuzz-corpus.XXXXXX")"
trap 'rm -rf "$corpus"' EXIT
for f in "$root"/examples/profiles/*.yaml "$root"/test/profiles/*.yaml "${regressions[@]}"; do
  [[ -f "$f" ]] && cp "$f" "$corpus/seed-$(basename "$f")"
done
artifacts="$build/artifacts"
mkdir -p "$artifacts"
before="$(ls "$artifacts" 2>/dev/null | sort)"
seed_arg=()
[[ -n "${GENESIS_FUZZ_SEED:-}" ]] && seed_arg=(-seed="$GENESIS_FUZZ_SEED")

echo "run-fuzz: fuzzing for $seconds s with $(ls "$corpus" | wc -l) seed input(s)"
log="$build/fuzz.log"
rc=0
"$fuzzer" "${common[@]}" "${seed_arg[@]}" -max_total_time="$seconds" \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$corpus" >"$log" 2>&1 || rc=$?
# The run's summary (libFuzzer prints its stats and any report last).
grep -E '^#[0-9]+ +(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added)' "$log" || true

after="$(ls "$artifacts" 2>/dev/null | sort)"
new_artifacts="$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')"
if [[ $rc -ne 0 || -n "$new_artifacts" ]]; then
  tail -n 80 "$log" >&2
  echo "run-fuzz: FINDING (libFuzzer exit $rc); full log: $log" >&2
  while read -r a; do
    [[ -n "$a" ]] && echo "run-fuzz: reproducer: $artifacts/$a   (replay: $fuzzer $artifacts/$a)" >&2
  done <<<"$new_artifacts"
  exit 1
fi
echo "run-fuzz: no finding in $seconds s"
