#!/usr/bin/env bash
# Emulation benchmark: the largest packet rate and throughput through
#   kernel   Linux's own IPv4 forwarding in the router namespace (the anchor),
#   plain    plain ns-3 forwarding over FdNetDevices (genesis-emu --plain),
#   genesis  the Genesis router (genesis-emu: arbitrators, child network
#            'gold' (emu-gold.yaml) holding the sender h1, the receiver h2 a
#            host of the root, ports paced at --port-rate),
# between the same two namespaces of a test bed (utils/emu-testbed.sh), for
# 64-byte and 1500-byte frames, in one run. The sender is iperf3 UDP at
# unlimited rate (-b 0); the figures are what the receiver got.
#
#   sudo utils/emu-bench.sh [--build DIR] [--time S] [--port-rate RATE] [--sizes "64 1500"]
#
# Prints one line per (mode, frame size): received Mb/s (UDP payload and
# Ethernet frames), received kpps, loss. Needs root, iperf3, ethtool, and a
# built genesis-emu.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$here/build"
secs=5
port_rate=10Gbps
sizes="64 1500"
modes="kernel plain genesis"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --time) secs="$2"; shift 2 ;;
    --port-rate) port_rate="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "emu-bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "emu-bench: needs root; run: sudo $0" >&2; exit 1; }
[ -x "$build/genesis-emu" ] || { echo "emu-bench: build genesis-emu first ($build)" >&2; exit 1; }
command -v iperf3 >/dev/null || { echo "emu-bench: install iperf3" >&2; exit 1; }

name="gbench$$"
tb="$here/utils/emu-testbed.sh"
router_pid=""
cleanup() {
  if [ -n "$router_pid" ]; then kill "$router_pid" 2>/dev/null || true; wait "$router_pid" 2>/dev/null || true; fi
  "$tb" down --name "$name" >/dev/null 2>&1 || true
}
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

measure() { # mode size
  local mode="$1" size="$2" payload json
  payload=$((size - 14 - 20 - 8 - 4)) # Ethernet header + FCS, IPv4, UDP
  [ "$size" -ge 1500 ] && payload=$((1500 - 20 - 8))
  ns h2 iperf3 -s -1 -D -J -p 5201 -I "/tmp/$name-srv.pid" --logfile "/tmp/$name-srv.json"
  sleep 0.3
  ns h1 ping -c 1 -W 2 -q 10.77.2.2 >/dev/null || true
  timeout $((secs + 8)) ip netns exec "$name-h1" iperf3 -u -b 0 -l "$payload" -t "$secs" \
    -c 10.77.2.2 -p 5201 >/dev/null 2>&1 || true
  # The server quits after one test; when the client gave up, end it by its pid.
  if [ -s "/tmp/$name-srv.pid" ]; then kill "$(cat "/tmp/$name-srv.pid")" 2>/dev/null || true; fi
  rm -f "/tmp/$name-srv.pid"
  sleep 0.5
  json="/tmp/$name-srv.json"
  python3 - "$json" "$mode" "$size" "$payload" <<'PY'
import json, sys
path, mode, size, payload = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
try:
    r = json.load(open(path))["end"]["sum_received"]
except Exception as e:
    print(f"{mode:8s} {size:5d} B  no result ({e})"); sys.exit(0)
secs = r["seconds"] or 1
got = r["packets"] - r["lost_packets"]
pps = got / secs
wire = pps * (payload + 8 + 20 + 14) * 8   # Ethernet frames without FCS
print(f"{mode:8s} {size:5d} B  {r['bits_per_second']/1e6:9.1f} Mb/s payload  "
      f"{wire/1e6:9.1f} Mb/s frames  {pps/1e3:8.1f} kpps  loss {r['lost_percent']:5.1f} %")
PY
  rm -f "$json"
}

echo "# emu-bench: $(date -u +%FT%TZ), $(nproc) cores, iperf3 UDP -b 0 for ${secs}s, Genesis ports at $port_rate"
for mode in $modes; do
  case "$mode" in
    kernel) "$tb" kernel on --name "$name" --hosts 2 ;;
    plain) start_router --plain --profiles=none ;;
    genesis) start_router --rate="$port_rate" --profiles=examples/profiles/emu-gold.yaml ;;
    *) echo "emu-bench: unknown mode '$mode'" >&2; exit 2 ;;
  esac
  for s in $sizes; do measure "$mode" "$s"; done
  case "$mode" in
    kernel) "$tb" kernel off --name "$name" --hosts 2 ;;
    *) stop_router ;;
  esac
done
