#!/usr/bin/env bash
# Builds accel-ppp (the second real PPTP server of the interop suite) from the vendored source
# and caches the staged install.
#
# Usage: scripts/build-accel-ppp.sh [patched|race]
#   patched (default): upstream + ../shared/vendor/accel-ppp/ccp-open-before-confreq.patch
#     (SC_CCP_OPEN set before accel's CCP Configure-Request; nothing on the wire changes).
#   race: upstream without that fix, plus scripts/accel-ppp/ccp-race-delay.patch, a 0.5 s sleep
#     in the upstream window so the race (MPPE receive never started) happens on every connect.
#     Only for the test that shows the client detecting a dead encryption direction.
#
# Source: $ACCEL_PPP_VENDOR (default <repo>/../shared/vendor/accel-ppp) holding
#   accel-ppp-89637ee.tar.gz (upstream commit 89637ee, GPL-2.0) and the patch.
# Output: $ACCEL_PPP_CACHE/<variant>-<key>/root (default <repo>/.cache/accel-ppp), a DESTDIR
#   tree: usr/sbin/accel-pppd, usr/bin/accel-cmd, usr/lib64/accel-ppp/*.so, plus the host shared
#   libraries outside glibc that they need (libpcre2-8, libcrypto, ...) copied next to the modules
#   (accel's RUNPATH is /usr/lib64/accel-ppp), so the pptpd VM image's glibc runs it.
#   The last line on stdout is <variant>-<key>; progress goes to stderr.
# Key: sha256 of the tarball, the patch applied, and this script.
# Exit 3 when the vendor directory is absent (callers skip and say why).
# Needs: cmake, a C compiler, libssl-dev, libpcre2-dev (.ci/run installs them). Installs nothing.
set -euo pipefail

variant=${1:-patched}
case "$variant" in patched|race) ;; *) echo "build-accel-ppp: unknown variant $variant (patched|race)" >&2; exit 2;; esac

say() { echo "build-accel-ppp: $*" >&2; }
t0=$(date +%s)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
vendor=${ACCEL_PPP_VENDOR:-$repo/../shared/vendor/accel-ppp}
tarball=$vendor/accel-ppp-89637ee.tar.gz
fix_patch=$vendor/ccp-open-before-confreq.patch
race_patch=$here/accel-ppp/ccp-race-delay.patch
cache=${ACCEL_PPP_CACHE:-$repo/.cache/accel-ppp}

if [ ! -f "$tarball" ] || [ ! -f "$fix_patch" ]; then
  say "no accel-ppp source at $vendor (need accel-ppp-89637ee.tar.gz and ccp-open-before-confreq.patch)"
  exit 3
fi
patch_file=$fix_patch
[ "$variant" = race ] && patch_file=$race_patch

key=$(cat "$tarball" "$patch_file" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)
name=$variant-$key
out=$cache/$name
if [ -x "$out/root/usr/sbin/accel-pppd" ] && [ -f "$out/done" ]; then
  say "cached $out"
  echo "$name"
  exit 0
fi

for tool in cmake make cc patch readelf; do
  command -v "$tool" >/dev/null || { say "missing $tool (apt-get install cmake build-essential libssl-dev libpcre2-dev)"; exit 1; }
done

mkdir -p "$cache"
work=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
say "building $name (about 2-3 min on 2 cores)"
tar -xzf "$tarball" -C "$work"
src=$work/accel-ppp-89637ee
patch -d "$src" -p1 --quiet <"$patch_file"

mkdir -p "$work/build"
(
  cd "$work/build"
  cmake -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DRADIUS=FALSE -DSHAPER=FALSE \
    -DLUA=FALSE -DNETSNMP=FALSE -DLOG_PGSQL_DEPRECATED=FALSE -DBUILD_IPOE_DRIVER=FALSE \
    -DBUILD_VLAN_MON_DRIVER=FALSE -DBUILD_PPPOSEQ_DRIVER=FALSE "$src" >"$work/cmake.log" 2>&1 ||
    { tail -30 "$work/cmake.log" >&2; exit 1; }
  make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
  make install DESTDIR="$work/out/root" >"$work/install.log" 2>&1 || { tail -20 "$work/install.log" >&2; exit 1; }
)
root=$work/out/root
libdir=$root/usr/lib64/accel-ppp
[ -x "$root/usr/sbin/accel-pppd" ] || { say "make install left no usr/sbin/accel-pppd"; exit 1; }

# Host libraries outside glibc (the VM image has glibc from the same Debian release).
is_glibc() { case "$1" in libc.so.*|ld-linux*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|libresolv.so.*) return 0;; esac; return 1; }
declare -A copied=()
while IFS= read -r f; do
  while read -r so path; do
    [ -n "$so" ] && [ -n "$path" ] || continue
    is_glibc "$so" && continue
    [ -e "$libdir/$so" ] || [ -n "${copied[$so]:-}" ] && continue
    cp -L "$path" "$libdir/$so"
    copied[$so]=1
  done < <(LD_LIBRARY_PATH=$libdir ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}')
done < <(find "$root/usr/sbin" "$root/usr/bin" "$libdir" -type f \( -perm -u+x -o -name '*.so*' \))
say "copied host libraries: ${!copied[*]}"

rm -rf "$out"
mv "$work/out" "$out"
echo "$variant $(date -u +%FT%TZ)" >"$out/done"
say "built $out in $(( $(date +%s) - t0 )) s"
echo "$name"
