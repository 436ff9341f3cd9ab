#!/usr/bin/env bash
# Smoke check of a running test bed: the real MetalLB controller must give a
# LoadBalancer Service an address from an IPAddressPool and record an
# IPAllocated Event. Cleans up the objects it created.
#   scripts/testbed/smoke.sh [state.env]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STATE="${1:-${LBD_TESTBED_STATE_DIR:-$TESTBED_CACHE/run/default}/state.env}"
[[ -f "$STATE" ]] || tb_die "no running test bed ($STATE); run up.sh first"
# shellcheck disable=SC1090
source "$STATE"
export KUBECONFIG="$TESTBED_ADMIN_KUBECONFIG"

NAME="lbd-smoke-$$"
NS=default
cleanup() {
  kubectl -n "$NS" delete service "$NAME" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  kubectl -n "$TESTBED_METALLB_NAMESPACE" delete ipaddresspool "$NAME" --ignore-not-found >/dev/null 2>&1 || true
}
trap cleanup EXIT

kubectl apply -f - <<EOF2
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: $NAME, namespace: $TESTBED_METALLB_NAMESPACE}
spec:
  addresses: [198.51.100.240/30]
---
apiVersion: v1
kind: Service
metadata: {name: $NAME, namespace: $NS}
spec:
  type: LoadBalancer
  selector: {app: $NAME}
  ports: [{port: 80, targetPort: 8080, protocol: TCP}]
EOF2

ip=""
for _ in $(seq 1 60); do
  ip="$(kubectl -n "$NS" get service "$NAME" -o jsonpath='{.status.loadBalancer.ingress[0].ip}')"
  [[ -n "$ip" ]] && break
  sleep 0.5
done
[[ -n "$ip" ]] || tb_die "MetalLB gave $NS/$NAME no address within 30 s"
tb_log "status.loadBalancer.ingress[0].ip = $ip"

ev=""
for _ in $(seq 1 20); do
  ev="$(kubectl -n "$NS" get events \
        --field-selector "involvedObject.name=$NAME,reason=IPAllocated" \
        -o jsonpath='{range .items[*]}{.source.component}: {.message}{"\n"}{end}')"
  [[ -n "$ev" ]] && break
  sleep 0.5
done
[[ -n "$ev" ]] || tb_die "no IPAllocated Event for $NS/$NAME"
tb_log "IPAllocated Event: $ev"
tb_log "smoke check passed"
