#!/usr/bin/env bash
# A test bed for Genesis emulation (genesis-emu) on this machine: Linux
# network namespaces joined by veth pairs. Nothing outside its own namespaces
# is touched: every interface is created inside a namespace of the test bed,
# so the machine's real interfaces and routes never change.
#
#   utils/emu-testbed.sh up     [--name N] [--hosts K]   build it
#   utils/emu-testbed.sh down   [--name N]               remove it (idempotent)
#   utils/emu-testbed.sh status [--name N]               show it
#   utils/emu-testbed.sh kernel [--name N] on|off        Linux forwarding in the router
#
# Layout (name N, default "gemu"; K hosts, default 3):
#
#   namespace N-h1: eth0 10.77.1.2/24, default via 10.77.1.1 --+
#   namespace N-h2: eth0 10.77.2.2/24, default via 10.77.2.1 --+-- namespace N-r:
#   ...                                                        |   p1, p2, ... (up, no address)
#   namespace N-hK: eth0 10.77.K.2/24, default via 10.77.K.1 --+
#
# The router namespace's ports p1..pK carry no address: genesis-emu runs in
# it (ip netns exec N-r build/genesis-emu --ports=p1,p2,p3 ...) and answers
# for 10.77.i.1 itself. "kernel on" gives p1..pK those addresses and turns on
# IPv4 forwarding instead, so the same hosts talk through Linux's own
# forwarding (the benchmark's physical anchor); "kernel off" undoes it.
#
# Offloads are off on every veth (TSO/GSO/GRO and checksum offload): frames
# read from a packet socket must be complete, checksummed and at most one
# MTU, as on a wire. Needs root (ip netns), iproute2 and ethtool.
set -euo pipefail

cmd="${1:-}"
shift || true
name=gemu
hosts=3
arg=""
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name="$2"; shift 2 ;;
    --hosts) hosts="$2"; shift 2 ;;
    on|off) arg="$1"; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "emu-testbed: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if ! [[ "$name" =~ ^[a-zA-Z0-9_-]{1,20}$ ]]; then
  echo "emu-testbed: name '$name' must be 1-20 letters, digits, '-' or '_'" >&2
  exit 2
fi
if ! [[ "$hosts" =~ ^[0-9]+$ ]] || [ "$hosts" -lt 2 ] || [ "$hosts" -gt 16 ]; then
  echo "emu-testbed: --hosts must be 2..16" >&2
  exit 2
fi

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "emu-testbed: needs root (network namespaces); run: sudo $0 $cmd --name $name" >&2
    exit 1
  fi
  for t in ip ethtool; do
    command -v "$t" >/dev/null || {
      echo "emu-testbed: '$t' is missing; install it: sudo apt-get install iproute2 ethtool" >&2
      exit 1
    }
  done
}

router="$name-r"

# Namespaces of this test bed (and only these).
our_namespaces() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${name}-(r|h[0-9]+)$" || true
}

no_offload() { # namespace interface
  ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 ||
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off >/dev/null
}

down() {
  for ns in $(our_namespaces); do
    ip netns del "$ns"
  done
}

up() {
  if [ -n "$(our_namespaces)" ]; then
    echo "emu-testbed: test bed '$name' exists already; remove it first: $0 down --name $name" >&2
    exit 1
  fi
  trap 'down' ERR
  ip netns add "$router"
  ip -n "$router" link set lo up
  ip netns exec "$router" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip netns exec "$router" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
  for i in $(seq 1 "$hosts"); do
    h="$name-h$i"
    ip netns add "$h"
    ip -n "$h" link set lo up
    # IPv4 only: no IPv6 neighbour discovery chatter on the test links.
    ip netns exec "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$h" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    # Both ends are created inside namespaces: no name in the root namespace.
    ip link add "p$i" netns "$router" type veth peer name eth0 netns "$h"
    no_offload "$router" "p$i"
    no_offload "$h" eth0
    ip -n "$h" addr add "10.77.$i.2/24" dev eth0
    ip -n "$h" link set eth0 up
    ip -n "$router" link set "p$i" up
    ip -n "$h" route add default via "10.77.$i.1"
  done
  trap - ERR
}

status() {
  local nss
  nss="$(our_namespaces)"
  if [ -z "$nss" ]; then
    echo "test bed '$name': absent"
    return 0
  fi
  echo "test bed '$name':"
  for ns in $nss; do
    echo "  namespace $ns:"
    ip -n "$ns" -br addr show | grep -v '^lo ' | sed 's/^/    /'
  done
}

kernel() {
  case "$arg" in
    on)
      for i in $(seq 1 "$hosts"); do
        ip -n "$router" addr add "10.77.$i.1/24" dev "p$i" 2>/dev/null || true
      done
      ip netns exec "$router" sysctl -qw net.ipv4.ip_forward=1
      ;;
    off)
      ip netns exec "$router" sysctl -qw net.ipv4.ip_forward=0
      for i in $(seq 1 "$hosts"); do
        ip -n "$router" addr flush dev "p$i" 2>/dev/null || true
      done
      ;;
    *) echo "emu-testbed: kernel needs 'on' or 'off'" >&2; exit 2 ;;
  esac
}

case "$cmd" in
  up) need_root; up; status ;;
  down) need_root; down ;;
  status) status ;;
  kernel) need_root; kernel ;;
  -h|--help|"") sed -n '2,27p' "$0"; [ -n "$cmd" ] ;;
  *) echo "emu-testbed: unknown command '$cmd' (up, down, status, kernel)" >&2; exit 2 ;;
esac
