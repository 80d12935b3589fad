#!/usr/bin/env bash
# Builds the pptpd test VM image from Debian packages (no debootstrap) and caches it.
#
# Output: $PPTPD_VM_CACHE/<key>/{linux, initrd.cpio, modules/, manifest.json}
#   (PPTPD_VM_CACHE defaults to <repo>/.cache/pptpd-vm). The last line on stdout is that
#   directory; progress and timings go to stderr.
# Key: sha256 of this script, init.sh and the apt download lines (file name = version, and the
#   archive's SHA256) of the top-level packages + libc6. Shared libraries pulled in by Depends
#   are recorded in manifest.json but not keyed (their ABI is stable within a Debian release).
# A fast path skips apt entirely when the script, init.sh and the apt lists are unchanged since
#   the last build (fastkey-* files).
# Idempotent: a finished image directory is never rewritten; builds go to a temporary directory
#   that is renamed into place; older image directories are removed after a build.
#   Downloaded .deb files are kept in $PPTPD_VM_CACHE/debs.
# It must not: install anything on the host, touch host networking, or need network beyond apt.
set -euo pipefail

t_start=$(date +%s%N)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
say() { echo "build-image: $*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${PPTPD_VM_CACHE:-$repo/.cache/pptpd-vm}
debs=$cache/debs
mkdir -p "$cache" "$debs"

top_pkgs=(pptpd bcrelay ppp busybox-static user-mode-linux libc6)
apt_opts=(-o APT::Sandbox::User=root -o Debug::NoLocking=1)
payload_size=$((4 * 1024 * 1024))

scripts_sha=$(cat "$here/build-image.sh" "$here/init.sh" | sha256sum | cut -c1-64)

# Fast path: same scripts and same apt lists as a previous build -> same image.
lists_sig=$( (ls -l --time-style=+%s /var/lib/apt/lists/ 2>/dev/null || true) | sha256sum | cut -c1-16)
fastkey_file=$cache/fastkey-${scripts_sha:0:16}-$lists_sig
if [ -f "$fastkey_file" ]; then
  out=$(cat "$fastkey_file")
  if [ -f "$out/manifest.json" ] && [ -f "$out/initrd.cpio" ] && [ -f "$out/linux" ]; then
    say "cached (fast path) $out ($(ms_since "$t_start") ms)"
    echo "$out"
    exit 0
  fi
fi

print_uris() { apt-get download --print-uris "${apt_opts[@]}" "$@" 2>/dev/null; }

uris=$(print_uris "${top_pkgs[@]}" || true)
if [ "$(grep -c '^'"'" <<<"$uris" || true)" -lt "${#top_pkgs[@]}" ]; then
  say "apt has no candidates for ${top_pkgs[*]}; running apt-get update"
  apt-get update -qq "${apt_opts[@]}" >&2
  uris=$(print_uris "${top_pkgs[@]}")
fi
key=$( (echo "$scripts_sha"; sort <<<"$uris" | awk '{print $2, $4}') | sha256sum | cut -c1-16)
out=$cache/$key

if [ -f "$out/manifest.json" ] && [ -f "$out/initrd.cpio" ] && [ -f "$out/linux" ]; then
  echo "$out" >"$fastkey_file"
  say "cached $out ($(ms_since "$t_start") ms)"
  echo "$out"
  exit 0
fi

say "building image $key"
work=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/stage
root=$work/root
mkdir -p "$stage" "$root"

# --- download + extract, following lib* Depends until closed --------------------------------
t_dl=$(date +%s%N)
# One apt-cache call gives the dependency graph; follow only lib* edges (first alternative) from
# the top-level packages. apt rebuilds its cache on every call here (~1 s), so calls are few.
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${top_pkgs[@]}" 2>/dev/null | awk '
  /^[^ ]/ { pkg = $1; skip = 0; next }
  /^ [ |](Pre)?Depends: / {
    alt = substr($0, 2, 1) == "|"
    if (!skip && $2 !~ /^</ && $2 ~ /^lib/) edges[pkg] = edges[pkg] " " $2
    skip = alt; next
  }
  END { for (p in edges) print p ":" edges[p] }')
declare -A edges=()
while IFS=: read -r p deps; do edges[$p]=$deps; done <<<"$closure"
declare -A want=()
queue=("${top_pkgs[@]}")
while [ "${#queue[@]}" -gt 0 ]; do
  p=${queue[0]}
  queue=("${queue[@]:1}")
  [ -n "${want[$p]:-}" ] && continue
  want[$p]=1
  [ "$p" = user-mode-linux ] && continue
  for d in ${edges[$p]:-}; do [ -n "${want[$d]:-}" ] || queue+=("$d"); done
done

declare -A have=()
missing=()
while read -r line; do
  [ -n "$line" ] || continue
  url=$(awk '{print $1}' <<<"$line")
  file=$(awk '{print $2}' <<<"$line")
  have[${file%%_*}]=$debs/$file
  [ -f "$debs/$file" ] || missing+=("${url//\'/}")
done < <(print_uris "${!want[@]}")
if [ "${#missing[@]}" -gt 0 ]; then
  say "downloading ${#missing[@]} of ${#want[@]} packages"
  (cd "$debs" && apt-get download -qq "${apt_opts[@]}" "${!want[@]}" >&2)
fi
for p in "${!want[@]}"; do
  [ -n "${have[$p]:-}" ] && [ -f "${have[$p]}" ] || { say "no .deb for $p"; exit 1; }
  dpkg -x "${have[$p]}" "$stage"
done
dl_ms=$(ms_since "$t_dl")

# --- assemble the root ----------------------------------------------------------------------
t_asm=$(date +%s%N)
mkdir -p "$root"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64,local/bin} "$root"/{proc,sys,dev,run,tmp,mnt,srv,etc/ppp,var/log,var/lock}
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
ln -s ../run "$root/var/run"

cp "$stage/bin/busybox" "$root/usr/bin/busybox"
for applet in $("$stage/bin/busybox" --list); do
  [ "$applet" = busybox ] && continue
  ln -sf busybox "$root/usr/bin/$applet"
done

for b in pptpd pptpctrl bcrelay pppd pppdump pppstats chat; do cp "$stage/usr/sbin/$b" "$root/usr/sbin/$b"; done
cp -a "$stage/usr/lib/pppd" "$stage/usr/lib/pptpd" "$root/usr/lib/"
cp -a "$stage/etc/ppp/." "$root/etc/ppp/"
cp "$stage/etc/pptpd.conf" "$root/etc/pptpd.conf"
: >"$root/etc/ppp/chap-secrets"
: >"$root/etc/ppp/pap-secrets"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf '127.0.0.1 localhost\n10.77.0.1 pptpd\n' >"$root/etc/hosts"
cp "$stage/etc/protocols" "$root/etc/protocols" 2>/dev/null || printf 'ip 0 IP\ngre 47 GRE\n' >"$root/etc/protocols"
cp "$stage/etc/services" "$root/etc/services" 2>/dev/null || true

install -m 0755 "$here/init.sh" "$root/init"
cat >"$root/usr/local/bin/sized-download" <<'EOF'
#!/bin/sh
# Reads "<N>\n", then writes the first N bytes of /srv/payload.bin repeated.
read -r n
case "$n" in ''|*[!0-9]*) echo "bad size" >&2; exit 1;; esac
while cat /srv/payload.bin; do :; done | head -c "$n"
EOF
cat >"$root/usr/local/bin/exec-service" <<'EOF'
#!/bin/sh
# Runs the script sent by the client (until half-close), then reports its exit status.
cat >/tmp/exec.$$
sh /tmp/exec.$$ 2>&1
echo "__EXIT=$?"
rm -f /tmp/exec.$$
EOF
chmod 0755 "$root/usr/local/bin/"*

# Deterministic payload: AES-128-CTR keystream with an all-zero key and IV (reproducible in
# Node with createCipheriv('aes-128-ctr', zero16, zero16) over zeros).
head -c "$payload_size" /dev/zero |
  openssl enc -aes-128-ctr -K 00000000000000000000000000000000 -iv 00000000000000000000000000000000 -nosalt >"$root/srv/payload.bin"
payload_md5=$(md5sum "$root/srv/payload.bin" | cut -c1-32)

# Shared libraries: follow DT_NEEDED from every ELF file until closed.
libdirs=("$stage/lib/x86_64-linux-gnu" "$stage/usr/lib/x86_64-linux-gnu" "$stage/lib64")
find_lib() {
  local d
  for d in "${libdirs[@]}"; do [ -e "$d/$1" ] && { echo "$d/$1"; return 0; }; done
  return 1
}
declare -A copied=()
queue=()
while IFS= read -r f; do queue+=("$f"); done < <(find "$root/usr/sbin" "$root/usr/lib/pppd" "$root/usr/lib/pptpd" -type f)
while [ "${#queue[@]}" -gt 0 ]; do
  f=${queue[0]}
  queue=("${queue[@]:1}")
  while read -r so; do
    [ -n "$so" ] || continue
    [ -n "${copied[$so]:-}" ] && continue
    src=$(find_lib "$so") || { say "missing shared library $so (needed by ${f#"$root"})"; exit 1; }
    cp -L "$src" "$root/usr/lib/x86_64-linux-gnu/$so"
    copied[$so]=1
    queue+=("$root/usr/lib/x86_64-linux-gnu/$so")
  done < <(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
ln -sf ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/usr/lib64/ld-linux-x86-64.so.2"

# Kernel modules: the PPP set and their dependencies from modules.dep.
kver=$(ls "$stage/usr/lib/uml/modules")
mods_src=$stage/usr/lib/uml/modules/$kver
mods_dst=$root/usr/lib/modules/$kver
mkdir -p "$mods_dst"
cp "$mods_src"/modules.* "$mods_dst/"
declare -A modset=()
# gre, pppox, pptp: the kernel PPTP data path accel-ppp uses (init.sh loads them only for accel).
for m in slhc ppp_generic ppp_async ppp_mppe ppp_deflate bsd_comp ipv6 libarc4 gre pppox pptp; do
  line=$(grep -E "/$m\\.ko:" "$mods_src/modules.dep")
  for p in ${line/:/}; do modset[$p]=1; done
done
for p in "${!modset[@]}"; do
  mkdir -p "$mods_dst/$(dirname "$p")"
  cp "$mods_src/$p" "$mods_dst/$p"
done
asm_ms=$(ms_since "$t_asm")

# --- pack -------------------------------------------------------------------------------------
t_cpio=$(date +%s%N)
new=$work/out
mkdir -p "$new/modules"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 >"$new/initrd.cpio")
cp "$stage/usr/bin/linux.uml" "$new/linux.tmp" && mv "$new/linux.tmp" "$new/linux"
cp -a "$mods_dst/." "$new/modules/"
cpio_ms=$(ms_since "$t_cpio")

pkg_json=$(for n in "${!have[@]}"; do basename "${have[$n]}"; done | LC_ALL=C sort | sed 's/.*/"&"/' | paste -sd, -)
cat >"$new/manifest.json" <<EOF
{
  "key": "$key",
  "kernelVersion": "$kver",
  "packages": [$pkg_json],
  "payload": { "path": "/srv/payload.bin", "size": $payload_size, "md5": "$payload_md5" },
  "initrdBytes": $(stat -c %s "$new/initrd.cpio"),
  "timingsMs": { "download": $dl_ms, "assemble": $asm_ms, "pack": $cpio_ms, "total": $(ms_since "$t_start") }
}
EOF

mv -T "$new" "$out" 2>/dev/null || say "another build finished first; keeping $out"
echo "$out" >"$fastkey_file"
# Older images are dead weight (a VM still running from one keeps its open files).
for d in "$cache"/*/; do
  d=${d%/}
  [ "$d" = "$out" ] || [ "$d" = "$debs" ] || [ ! -f "$d/manifest.json" ] || rm -rf "$d"
done
for f in "$cache"/fastkey-*; do [ -d "$(cat "$f" 2>/dev/null)" ] || rm -f "$f"; done
say "built $out in $(ms_since "$t_start") ms (download $dl_ms, assemble $asm_ms, pack $cpio_ms; initrd $(( $(stat -c %s "$out/initrd.cpio") / 1024 / 1024 )) MiB)"
echo "$out"
