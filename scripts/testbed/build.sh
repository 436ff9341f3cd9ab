#!/usr/bin/env bash
# Builds kube-apiserver, etcd and the MetalLB controller from the Go module
# proxy into $LBD_TESTBED_CACHE (default ~/.cache/lb-doctor/testbed)/bin.
# Idempotent: a binary that is already there (its name carries its version) is
# not rebuilt. Prints what it builds and how long each build took.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tb_versions
mkdir -p "$TESTBED_BIN" "$TESTBED_CACHE/logs"

# Be gentle with shared 2-core machines; override with TESTBED_BUILD_PROCS.
PROCS="${TESTBED_BUILD_PROCS:-2}"
export GOMAXPROCS="$PROCS"
export GOFLAGS="-mod=readonly -buildvcs=false"

# build <output> <module dir> <package> [ldflags]
build() {
  local out="$1" dir="$2" pkg="$3" ldflags="${4:-}"
  local name; name="$(basename "$out")"
  if [[ -x "$out" ]]; then
    tb_log "have $name (skip)"
    return 0
  fi
  local log="$TESTBED_CACHE/logs/build-$name.log" start end
  tb_log "building $name from $pkg (log: $log)"
  start=$(date +%s)
  if ! (cd "$dir" && nice -n 10 go build -p "$PROCS" -trimpath -ldflags "-s -w $ldflags" \
          -o "$out.tmp" "$pkg") >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$out.tmp"
    tb_die "build of $name failed: (cd $dir && go build ... $pkg); full log in $log"
  fi
  mv "$out.tmp" "$out"
  end=$(date +%s)
  tb_log "built $name in $((end - start)) s ($(du -h "$out" | cut -f1))"
}

k8s_minor="${K8S_VERSION#v1.}"; k8s_minor="${k8s_minor%%.*}"
kv=k8s.io/component-base/version
cv=k8s.io/client-go/pkg/version
k8s_ldflags="-X $kv.gitVersion=$K8S_VERSION -X $kv.gitMajor=1 -X $kv.gitMinor=$k8s_minor -X $kv.gitTreeState=clean"
k8s_ldflags+=" -X $cv.gitVersion=$K8S_VERSION -X $cv.gitMajor=1 -X $cv.gitMinor=$k8s_minor -X $cv.gitTreeState=clean"

build "$KUBE_APISERVER_BIN" "$TESTBED_DIR" k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ldflags"
if [[ -n "${LBD_TESTBED_ETCD_BIN:-}" ]]; then
  [[ -x "$ETCD_BIN" ]] || tb_die "LBD_TESTBED_ETCD_BIN=$ETCD_BIN is not executable"
  tb_log "using etcd $ETCD_BIN (LBD_TESTBED_ETCD_BIN); not building one"
else
  build "$ETCD_BIN" "$TESTBED_DIR" go.etcd.io/etcd/server/v3
fi
build "$METALLB_CONTROLLER_BIN" "$TESTBED_DIR/metallb" go.universe.tf/metallb/controller

tb_log "ready: kube-apiserver $K8S_VERSION, etcd $ETCD_BIN, MetalLB controller $METALLB_VERSION in $TESTBED_BIN"
