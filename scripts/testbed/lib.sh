# Shared settings for the LB Doctor test bed scripts. Source it; do not run it.
# Everything built lives in a cache folder outside the repository so that fresh
# clones on the same machine reuse it.

TESTBED_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TESTBED_CACHE="${LBD_TESTBED_CACHE:-$HOME/.cache/lb-doctor/testbed}"
TESTBED_BIN="$TESTBED_CACHE/bin"

tb_log() { printf '[testbed %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
tb_die() { tb_log "ERROR: $*"; exit 1; }

tb_need_go() {
  command -v go >/dev/null 2>&1 || tb_die "go is not on PATH (Go >= 1.26 is needed)"
}

# Version of a module as selected by one of our go.mod files.
#   tb_mod_version <module dir> <module path>
tb_mod_version() {
  (cd "$1" && GOFLAGS=-mod=readonly go list -m -f '{{.Version}}' "$2")
}

# Directory of a module in the Go module cache (downloads it if needed, e.g.
# when the binaries are cached but the module cache was cleaned).
#   tb_mod_dir <module dir> <module path>
tb_mod_dir() {
  (cd "$1" && GOFLAGS=-mod=readonly go mod download -json "$2" |
     sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}

tb_versions() {
  tb_need_go
  K8S_VERSION="$(tb_mod_version "$TESTBED_DIR" k8s.io/kubernetes)"
  ETCD_VERSION="$(tb_mod_version "$TESTBED_DIR" go.etcd.io/etcd/server/v3)"
  METALLB_VERSION="$(tb_mod_version "$TESTBED_DIR/metallb" go.universe.tf/metallb)"
  KUBE_APISERVER_BIN="$TESTBED_BIN/kube-apiserver-$K8S_VERSION"
  # LBD_TESTBED_ETCD_BIN: use another etcd (e.g. Debian etcd-server's
  # /usr/bin/etcd) instead of building one; see README.md.
  ETCD_BIN="${LBD_TESTBED_ETCD_BIN:-$TESTBED_BIN/etcd-$ETCD_VERSION}"
  if [[ -n "${LBD_TESTBED_ETCD_BIN:-}" && -x "$LBD_TESTBED_ETCD_BIN" ]]; then
    ETCD_VERSION="v$("$LBD_TESTBED_ETCD_BIN" --version | awk '/^etcd Version:/ {print $3}')"
  fi
  METALLB_CONTROLLER_BIN="$TESTBED_BIN/metallb-controller-$METALLB_VERSION"
}
