#!/usr/bin/env bash
# Emulation benchmark: the largest packet rate and throughput through
#   kernel       Linux's own IPv4 forwarding in the router namespace (the anchor),
#   plain        plain ns-3 forwarding over FdNetDevices with ns-3's own reader
#                (genesis-emu --plain --rx-batch=1: one read() and one
#                simulator event per frame),
#   plain-batch  the same with the batching reader (--plain --rx-batch=B),
#   genesis-r1   the Genesis router with ns-3's own reader (--rx-batch=1),
#   genesis      the Genesis router with the batching reader (--rx-batch=B;
#                genesis-emu's default): arbitrators, child network 'gold'
#                (emu-gold.yaml) holding the sender h1, the receiver h2 a host
#                of the root, ports paced at --port-rate,
# between the same two namespaces of a test bed (utils/emu-testbed.sh), for
# 64-byte and 1500-byte frames, in one run, --repeat times (the modes take
# turns, so load changes spread over all of them). The sender is iperf3 UDP
# at unlimited rate (-b 0); the figures are what the receiver got.
#
#   utils/emu-bench.sh [--build DIR] [--time S] [--repeat N] [--rx-batch B] [--nice N]
#                      [--port-rate RATE] [--sizes "64 1500"] [--modes "kernel plain ..."]
#                      [--search [--max-loss PCT] [--steps N]]
#
# --search measures, instead of the rate under overload, the no-loss rate
# (RFC 2544 throughput, with a loss tolerance): one probe at unlimited rate
# gives the sender's ceiling, then --steps probes (default 7) bisect the
# offered rate (iperf3 -b) for the largest one at which the router lost at
# most --max-loss percent (default 1) of the frames that entered p1 (as RFC
# 2544 counts the device under test; the receiver's own drops are reported,
# not counted). The figure is the frames forwarded out of p2 at that rate.
# Under overload the sender spends a whole core producing frames that are
# dropped; at the no-loss rate it takes only what the router can carry, as a
# separate machine would.
#
# --nice N runs the benchmark (sender, receiver, router) at niceness N, e.g.
# -10 on a machine shared with compile jobs: the measured processes then get
# the CPUs before those jobs do, and their figures depend less on the others.
#
# Prints one line per run (mode, frame size): what the receiver h2 got (Mb/s
# of UDP payload and of Ethernet frames, kpps, loss), the frames offered at
# the router's port p1 and forwarded out of p2 (kpps, the veths' counters),
# the router process's CPU (% of one core, and microseconds per forwarded
# frame), how long its threads were runnable but waiting for a CPU (% of the
# flood, summed over its threads) and the whole machine's CPU; then the
# median of each (mode, size)
# and the ratios. Needs root, iperf3, ethtool, and a built genesis-emu.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$here/build"
secs=5
port_rate=10Gbps
sizes="64 1500"
modes="kernel plain plain-batch genesis-r1 genesis"
repeat=3
rx_batch=64
nice_level=""
search_mode=0
max_loss=1
steps=7
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --time) secs="$2"; shift 2 ;;
    --port-rate) port_rate="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --rx-batch) rx_batch="$2"; shift 2 ;;
    --nice) nice_level="$2"; shift 2 ;;
    --search) search_mode=1; shift ;;
    --max-loss) max_loss="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    -h|--help) sed -n '2,44p' "$0"; exit 0 ;;
    *) echo "emu-bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$repeat" in ''|*[!0-9]*|0) echo "emu-bench: --repeat needs a positive number" >&2; exit 2 ;; esac
case "$steps" in ''|*[!0-9]*|0) echo "emu-bench: --steps needs a positive number" >&2; exit 2 ;; esac
awk -v l="$max_loss" 'BEGIN { exit !(l ~ /^[0-9]+(\.[0-9]+)?$/ && l < 100) }' ||
  { echo "emu-bench: --max-loss needs a percentage below 100, e.g. 1 or 0.1" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "emu-bench: needs root; run: sudo $0" >&2; exit 1; }
[ -x "$build/genesis-emu" ] || { echo "emu-bench: build genesis-emu first ($build)" >&2; exit 1; }
command -v iperf3 >/dev/null || { echo "emu-bench: install iperf3" >&2; exit 1; }

if [ -n "$nice_level" ]; then renice -n "$nice_level" -p $$ >/dev/null; fi
name="gbench$$"
tb="$here/utils/emu-testbed.sh"
router_pid=""
cleanup() {
  if [ -n "$router_pid" ]; then kill "$router_pid" 2>/dev/null || true; wait "$router_pid" 2>/dev/null || true; fi
  "$tb" down --name "$name" >/dev/null 2>&1 || true
  rm -f "$results" "$search_results"
}
results="/tmp/gbench$$-results.tsv"
search_results="/tmp/gbench$$-search.tsv"
: >"$results"
: >"$search_results"
trap cleanup EXIT
"$tb" up --name "$name" --hosts 2 >/dev/null
ns() { ip netns exec "$name-$1" "${@:2}"; }

start_router() { # extra genesis-emu arguments
  local log="/tmp/$name-router.out"
  (cd "$here" && exec ip netns exec "$name-r" "$build/genesis-emu" --ports=p1,p2 --duration=0 \
      --interval=1 "$@" >"$log" 2>&1) &
  router_pid=$!
  for _ in $(seq 1 80); do
    grep -q "genesis-emu: ready" "$log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "emu-bench: genesis-emu did not start:" >&2; cat "$log" >&2; exit 1
}
stop_router() {
  if [ -n "$router_pid" ]; then
    kill "$router_pid"; wait "$router_pid" 2>/dev/null || true; router_pid=""
  fi
}

cpu_ticks() { # pid: user+system clock ticks of the process (0 without one)
  if [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ]; then
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
  else echo 0; fi
}
run_wait() { # pid: nanoseconds its threads ran and waited for a CPU while runnable
  if [ -n "${1:-}" ] && [ -d "/proc/$1/task" ]; then
    cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ r += $1; w += $2 } END { printf "%.0f %.0f\n", r, w }'
  else echo 0 0; fi
}
port_count() { # port counter: frames the router sent on p2 (tx) or got on p1 (rx)
  ip netns exec "$name-r" cat "/sys/class/net/$1/statistics/$2_packets"
}
machine_ticks() { # busy and total clock ticks of the machine
  awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

payload_of() { # frame size: UDP payload bytes (Ethernet header + FCS, IPv4, UDP)
  if [ "$1" -ge 1500 ]; then echo $((1500 - 20 - 8)); else echo $(($1 - 14 - 20 - 8 - 4)); fi
}

measure() { # mode size [offered frames/s: 0 = unlimited] [results file] [label]
  local mode="$1" size="$2" rate="${3:-0}" out="${4:-$results}" label="${5:-$1}" payload json
  local r0 r1 m0 m1 f0 f1 a0 a1 w0 w1 bps
  payload=$(payload_of "$size")
  bps=$(awk -v r="$rate" -v p="$payload" 'BEGIN { printf "%.0f", r * p * 8 }')
  ns h2 iperf3 -s -1 -D -J -p 5201 -I "/tmp/$name-srv.pid" --logfile "/tmp/$name-srv.json"
  sleep 0.3
  ns h1 ping -c 1 -W 2 -q 10.77.2.2 >/dev/null || true
  r0=$(cpu_ticks "$router_pid"); m0=$(machine_ticks)
  f0=$(port_count p2 tx); a0=$(port_count p1 rx); w0=$(run_wait "$router_pid")
  timeout $((secs + 8)) ip netns exec "$name-h1" iperf3 -u -b "$bps" -l "$payload" -t "$secs" \
    -c 10.77.2.2 -p 5201 >/dev/null 2>&1 || true
  r1=$(cpu_ticks "$router_pid"); m1=$(machine_ticks)
  f1=$(port_count p2 tx); a1=$(port_count p1 rx); w1=$(run_wait "$router_pid")
  # The server quits after one test; when the client gave up, end it by its pid.
  if [ -s "/tmp/$name-srv.pid" ]; then kill "$(cat "/tmp/$name-srv.pid")" 2>/dev/null || true; fi
  rm -f "/tmp/$name-srv.pid"
  sleep 0.5
  json="/tmp/$name-srv.json"
  python3 - "$json" "$mode" "$size" "$payload" "$r0" "$r1" "$m0" "$m1" "$(getconf CLK_TCK)" \
    "$(nproc)" "$out" "$((f1 - f0))" "$((a1 - a0))" "$w0" "$w1" "$rate" "$label" <<'PY'
import json, sys
path, mode, size, payload = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rate, label = float(sys.argv[16]), sys.argv[17]
r0, r1 = int(sys.argv[5]), int(sys.argv[6])
m0b, m0t = map(int, sys.argv[7].split()); m1b, m1t = map(int, sys.argv[8].split())
hz, cores, results = int(sys.argv[9]), int(sys.argv[10]), sys.argv[11]
fwd, arrived = int(sys.argv[12]), int(sys.argv[13])
(run0, wait0), (run1, wait1) = (map(int, sys.argv[14].split()), map(int, sys.argv[15].split()))
try:
    r = json.load(open(path))["end"]["sum_received"]
except Exception as e:
    print(f"{label:11s} {size:5d} B  no result ({e})", flush=True)
    if rate > 0:  # a failed probe of the search counts as one that lost everything
      with open(results, "a") as f:
        f.write(f"{mode}\t{size}\t0\t0\t0\t100\tnan\tnan\t0\t0\tnan\tnan\t{rate}\t100\n")
    sys.exit(0)
secs = r["seconds"] or 1
got = r["packets"] - r["lost_packets"]
pps = got / secs
wire = pps * (payload + 8 + 20 + 14) * 8   # Ethernet frames without FCS
wall = (m1t - m0t) / cores / hz or 1
router = (r1 - r0) / hz / wall * 100        # % of one core
machine = (m1b - m0b) / max(m1t - m0t, 1) * 100
fpps = fwd / wall                           # frames the router sent on p2 per second
apps = arrived / wall                       # frames that reached the router's p1 per second
# router CPU per forwarded frame (the kernel's forwarding runs in softirqs: no process)
us = (r1 - r0) / hz / fwd * 1e6 if fwd > 0 and mode != "kernel" else float("nan")
# time the router's threads were runnable but waited for a CPU (% of the flood, summed over threads)
waited = (wait1 - wait0) / 1e9 / wall * 100 if mode != "kernel" else float("nan")
# the router's own loss (RFC 2544's count for the device under test): frames
# that entered p1 and did not leave p2
rloss = max(0.0, (arrived - fwd) / arrived * 100) if arrived > 0 else 100.0
print(f"{label:11s} {size:5d} B  {r['bits_per_second']/1e6:7.1f} Mb/s payload  "
      f"{wire/1e6:7.1f} Mb/s frames  {pps/1e3:5.1f} kpps  loss {r['lost_percent']:4.1f} %  "
      f"offered {apps/1e3:5.1f} kpps  forwarded {fpps/1e3:5.1f} kpps ({rloss:4.1f} % lost)  router {router:3.0f} % "
      f"core {us:5.1f} us/frame  waited {waited:3.0f} %  machine {machine:3.0f} % busy",
      flush=True)
with open(results, "a") as f:
    f.write(f"{mode}\t{size}\t{r['bits_per_second']}\t{wire}\t{pps}\t{r['lost_percent']}"
            f"\t{router}\t{machine}\t{apps}\t{fpps}\t{us}\t{waited}\t{rate}\t{rloss}\n")
PY
  rm -f "$json"
}

search() { # mode size: the largest offered rate with at most --max-loss % lost (RFC 2544 style)
  local mode="$1" size="$2" probes="/tmp/$name-probes.tsv" top lo hi mid loss i best=""
  : >"$probes"
  # The ceiling: what the sender offers at unlimited rate (frames/s at p1).
  measure "$mode" "$size" 0 "$probes" "  $mode@max"
  read -r top loss < <(tail -1 "$probes" | awk -F'\t' '{ print $9, $14 }')
  if awk -v l="$loss" -v m="$max_loss" 'BEGIN { exit !(l <= m) }'; then
    best=$(tail -1 "$probes")   # the sender is the limit: no loss even at its ceiling
  else
    lo=0; hi="$top"
    for i in $(seq 1 "$steps"); do
      mid=$(awk -v a="$lo" -v b="$hi" 'BEGIN { printf "%.0f", (a + b) / 2 }')
      measure "$mode" "$size" "$mid" "$probes" "  $mode@$((mid / 1000))k"
      loss=$(tail -1 "$probes" | cut -f14)
      if awk -v l="$loss" -v m="$max_loss" 'BEGIN { exit !(l <= m) }'; then
        lo="$mid"; best=$(tail -1 "$probes")
      else
        hi="$mid"
      fi
    done
  fi
  if [ -n "$best" ]; then
    echo "$best" >>"$search_results"
    awk -F'\t' -v m="$mode" -v s="$size" -v b="$size" '{ printf "%-11s %5d B  no-loss rate %7.1f kpps forwarded (%7.1f Mb/s of frames), %4.1f %% lost in the router, %4.1f %% by the receiver, router %3.0f %% core %5.1f us/frame\n", m, s, $10 / 1e3, $10 * (b >= 1500 ? 1514 : b - 4) * 8 / 1e6, $14, $6, $7, $11 }' <<<"$best"
  else
    printf '%-11s %5d B  no-loss rate below %s frames/s (every probe lost more than %s %%)\n' \
      "$mode" "$size" "$(awk -v h="$hi" 'BEGIN { printf "%.0f", h }')" "$max_loss"
    printf '%s\t%s\t0\t0\t0\t100\tnan\tnan\t0\t0\tnan\tnan\t0\t100\n' "$mode" "$size" >>"$search_results"
  fi
  rm -f "$probes"
}

echo "# emu-bench: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "niceness $(ps -o ni= -p $$ | tr -d ' '), iperf3 UDP $([ "$search_mode" = 1 ] && echo "no-loss search (loss <= $max_loss %, $steps steps)" || echo "-b 0") for ${secs}s, $repeat repeats, Genesis ports at $port_rate, batches of $rx_batch"
for rep in $(seq 1 "$repeat"); do
  for mode in $modes; do
    case "$mode" in
      kernel) "$tb" kernel on --name "$name" --hosts 2 ;;
      plain) start_router --plain --rx-batch=1 --profiles=none ;;
      plain-batch) start_router --plain --rx-batch="$rx_batch" --profiles=none ;;
      genesis-r1) start_router --rx-batch=1 --rate="$port_rate" \
                    --profiles=examples/profiles/emu-gold.yaml ;;
      genesis) start_router --rx-batch="$rx_batch" --rate="$port_rate" \
                 --profiles=examples/profiles/emu-gold.yaml ;;
      *) echo "emu-bench: unknown mode '$mode'" >&2; exit 2 ;;
    esac
    for s in $sizes; do
      if [ "$search_mode" = 1 ]; then search "$mode" "$s"; else measure "$mode" "$s"; fi
    done
    case "$mode" in
      kernel) "$tb" kernel off --name "$name" --hosts 2 ;;
      *) stop_router ;;
    esac
  done
done

if [ "$search_mode" = 1 ]; then summary_input="$search_results"; else summary_input="$results"; fi
python3 - "$summary_input" "$modes" "$sizes" "$search_mode" <<'PY'
import math, statistics, sys
path, modes, sizes = sys.argv[1], sys.argv[2].split(), [int(x) for x in sys.argv[3].split()]
what = "no-loss rates" if sys.argv[4] == "1" else "runs at unlimited rate"
rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
def median(v):
    v = [x for x in v if not math.isnan(x)]
    return statistics.median(v) if v else float("nan")
med = {}
for m in modes:
    for s in sizes:
        rs = [r for r in rows if r[0] == m and int(r[1]) == s]
        if rs:
            med[m, s] = [median([float(r[i]) for r in rs]) for i in range(2, 14)] + [len(rs)]
print(f"# medians of the {what} (received by h2: Mb/s, kpps; offered at p1, forwarded out of p2: kpps)")
for (m, s), v in med.items():
    print(f"{m:11s} {s:5d} B  {v[0]/1e6:7.1f} Mb/s payload  {v[1]/1e6:7.1f} Mb/s frames  "
          f"{v[2]/1e3:5.1f} kpps  loss {v[3]:4.1f} %  offered {v[6]/1e3:5.1f} kpps  "
          f"forwarded {v[7]/1e3:5.1f} kpps ({v[11]:4.1f} % lost)  router {v[4]:3.0f} % core "
          f"{v[8]:5.1f} us/frame  waited {v[9]:3.0f} %  machine {v[5]:3.0f} % busy  (n={v[12]})")
print("# ratios of the medians: received kpps, forwarded kpps, router CPU per frame")
for a, b in [("genesis", "plain"), ("genesis", "plain-batch"), ("genesis-r1", "plain"),
             ("plain-batch", "plain"), ("genesis", "genesis-r1"), ("genesis", "kernel")]:
    for s in sizes:
        if (a, s) in med and (b, s) in med and med[b, s][2] > 0 and med[b, s][7] > 0:
            cpu = med[a, s][8] / med[b, s][8] if med[b, s][8] > 0 else float("nan")
            print(f"{a:11s} / {b:11s} {s:5d} B  received {med[a, s][2] / med[b, s][2]:5.2f}x  "
                  f"forwarded {med[a, s][7] / med[b, s][7]:5.2f}x  cpu/frame {cpu:5.2f}x")
PY
