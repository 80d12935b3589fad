#!/bin/sh
# /init of the pptpd test VM (user-mode-linux). Built into the image by build-image.sh.
#
# Owns: bringing up the guest (mounts, PPP modules, eth0 = 10.77.0.1/24), installing the
# per-run server configuration, starting syslogd (to the console), pptpd and the test services,
# then printing "PPTPD-VM READY" once pptpd listens on TCP 1723.
#
# The per-run configuration comes from a host directory mounted with hostfs; its path is the
# kernel command-line parameter `pptpcfg=/abs/host/dir`. Files used when present:
#   pptpd.conf, pptpd-options, chap-secrets, pap-secrets  -> /etc/pptpd.conf, /etc/ppp/...
#   extra.sh                                             -> sourced last, before pptpd starts
# Without pptpcfg= the image's built-in defaults (same as the TypeScript DEFAULT preset) are used.
#
# accel-ppp instead of pptpd: when the config directory holds accel-ppp.conf and the kernel command
# line has `accelroot=/abs/host/dir` (a staged build from scripts/build-accel-ppp.sh), that tree is
# copied into / , the kernel PPTP modules (gre, pppox, pptp) are loaded, and accel-pppd serves
# 1723 with /etc/accel-ppp.conf (chap-secrets from the same directory). `start-accel` (written
# below) restarts it after a test rewrote the config.
#
# Test services (bound to 0.0.0.0, so reachable on 10.77.0.1 and, through the tunnel, 192.168.77.1):
#   7000 upload:   send N bytes, half-close; the reply is "<md5>  -\n"
#   7001 download: sends /srv/payload.bin (size and md5 in the image's manifest.json)
#   7002 echo:     echoes everything back
#   7003 sized:    send "<N>\n"; receives the first N bytes of /srv/payload.bin repeated
#   7099 exec:     send a shell script, half-close; receives its output then "__EXIT=<status>"
# It must not do anything else: no routes beyond eth0's subnet, no traffic out of 10.77.0.0/24.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "pptpd-vm: $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /run /tmp /var/lock /var/log
mount -t devpts -o ptmxmode=0666,mode=0620 devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx
hostname pptpd
ip link set lo up

for m in slhc ppp_generic ppp_async ppp_mppe ppp_deflate bsd_comp ipv6; do
  modprobe "$m" || log "module $m not loaded"
done
[ -c /dev/ppp ] || mknod /dev/ppp c 108 0

# UML's vector driver names the link vec0; call it eth0 like any server.
for dev in /sys/class/net/*; do
  dev=${dev##*/}
  case "$dev" in lo|eth0|sit*|ip6tnl*) ;; *) ip link set "$dev" name eth0 && break;; esac
done
# IPv6 stays available to pppd (IPV6CP) but eth0 sends no NDP/RS onto the test link.
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 2>/dev/null
ip link set eth0 up
ip addr add 10.77.0.1/24 dev eth0

# Server configuration: the hostfs directory wins over the built-in defaults.
cfg=$(sed -n 's/.*pptpcfg=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$cfg" ]; then
  mkdir -p /mnt/cfg
  if mount -t hostfs -o "$cfg" hostfs /mnt/cfg; then
    for f in pptpd.conf; do [ -f "/mnt/cfg/$f" ] && cp "/mnt/cfg/$f" "/etc/$f"; done
    for f in pptpd-options chap-secrets pap-secrets; do [ -f "/mnt/cfg/$f" ] && cp "/mnt/cfg/$f" "/etc/ppp/$f"; done
    [ -f /mnt/cfg/accel-ppp.conf ] && cp /mnt/cfg/accel-ppp.conf /etc/accel-ppp.conf
  else
    log "cannot mount hostfs $cfg; using built-in defaults"
  fi
fi
chmod 600 /etc/ppp/chap-secrets /etc/ppp/pap-secrets
server=pptpd
accelroot=$(sed -n 's/.*accelroot=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -f /etc/accel-ppp.conf ] && [ -n "$accelroot" ]; then
  mkdir -p /mnt/accel
  if mount -t hostfs -o "$accelroot" hostfs /mnt/accel && cp -a /mnt/accel/. /; then
    umount /mnt/accel
    server=accel-ppp
    for m in gre pppox pptp; do modprobe "$m" || log "module $m not loaded"; done
    cat >/usr/local/bin/start-accel <<'EOF_START'
#!/bin/sh
# (Re)starts accel-pppd with /etc/accel-ppp.conf, detached, logging to the console.
if [ -f /run/accel-pppd.pid ]; then
  kill "$(cat /run/accel-pppd.pid)" 2>/dev/null
  i=0; while [ -d "/proc/$(cat /run/accel-pppd.pid)" ] && [ "$i" -lt 100 ]; do usleep 50000; i=$((i + 1)); done
  rm -f /run/accel-pppd.pid
fi
setsid accel-pppd -c /etc/accel-ppp.conf -p /run/accel-pppd.pid </dev/null >/dev/console 2>&1 &
i=0
while ! netstat -ltn 2>/dev/null | grep -q ':1723 '; do
  i=$((i + 1))
  if [ "$i" -gt 300 ]; then echo "pptpd-vm: accel-pppd did not start listening on 1723"; exit 1; fi
  usleep 50000
done
EOF_START
    chmod 0755 /usr/local/bin/start-accel
  else
    log "cannot mount or copy accel-ppp root $accelroot"
  fi
fi
if [ "$server" = pptpd ]; then
  log "pptpd.conf: $(grep -v '^#' /etc/pptpd.conf | tr '\n' ' ')"
  log "pptpd-options: $(grep -v '^#' /etc/ppp/pptpd-options | tr '\n' ' ')"
else
  log "accel-ppp.conf: $(grep -v '^#' /etc/accel-ppp.conf | tr '\n' ' ')"
fi

# pptpd and pppd log through syslog; busybox syslogd copies every line to the console.
syslogd -n -O /dev/console &

nc -ll -p 7000 -e md5sum &
nc -ll -p 7001 -e cat /srv/payload.bin &
nc -ll -p 7002 -e cat &
nc -ll -p 7003 -e /usr/local/bin/sized-download &
nc -ll -p 7099 -e /usr/local/bin/exec-service &

if [ -f /mnt/cfg/extra.sh ]; then . /mnt/cfg/extra.sh; fi

if [ "$server" = pptpd ]; then
  pptpd --fg -c /etc/pptpd.conf &
  i=0
  while ! netstat -ltn 2>/dev/null | grep -q ':1723 '; do
    i=$((i + 1))
    if [ "$i" -gt 200 ]; then log "pptpd did not start listening on 1723"; break; fi
    usleep 50000
  done
else
  /usr/local/bin/start-accel || log "accel-ppp did not start listening on 1723"
fi
log "PPTPD-VM READY"

# PID 1 must never exit; reap whatever is reparented to us.
while true; do wait; sleep 1; done
