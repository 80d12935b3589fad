#!/usr/bin/env bash
# Private network for one pptpd test VM.
#
#   netns.sh up NAME     create netns NAME: lo up, IPv6 off, bridge br0 = 10.77.0.2/24, tap0 on
#                        br0 for the VM (server 10.77.0.1), no default route, and
#                        /etc/netns/NAME/resolv.conf (so DNS changes made inside stay inside)
#   netns.sh down NAME   delete the netns (and with it br0/tap0) and /etc/netns/NAME
#
# The bridge and tap live inside the namespace, so their names never clash between runs and
# nothing is added to, or routed through, the host's own namespace. It must never touch the
# host's routes, DNS or interfaces.
set -euo pipefail

cmd=${1:-}
name=${2:-}
[[ "$name" =~ ^[A-Za-z0-9_.-]{1,40}$ ]] || { echo "usage: $0 up|down NAME" >&2; exit 2; }

in_ns() { ip netns exec "$name" "$@"; }

case "$cmd" in
  up)
    if ip netns list | awk '{print $1}' | grep -qx "$name"; then
      echo "netns.sh: namespace $name already exists" >&2
      exit 1
    fi
    mkdir -p "/etc/netns/$name"
    printf '# pptpd test namespace %s\nnameserver 127.0.0.1\n' "$name" >"/etc/netns/$name/resolv.conf"
    ip netns add "$name"
    in_ns ip link set lo up
    in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
    in_ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
    in_ns ip link add br0 type bridge
    in_ns ip tuntap add dev tap0 mode tap
    in_ns ip link set tap0 master br0
    in_ns ip addr add 10.77.0.2/24 dev br0
    in_ns ip link set tap0 up
    in_ns ip link set br0 up
    ;;
  down)
    if ip netns list | awk '{print $1}' | grep -qx "$name"; then
      ip netns delete "$name"
    fi
    rm -rf "/etc/netns/${name:?}"
    ;;
  *)
    echo "usage: $0 up|down NAME" >&2
    exit 2
    ;;
esac
