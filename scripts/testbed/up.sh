#!/usr/bin/env bash
# Starts the LB Doctor test bed on loopback: etcd, kube-apiserver (static bearer
# tokens + RBAC), MetalLB's CRDs and RBAC from the MetalLB module in the Go
# module cache, and the real MetalLB controller running out of cluster.
#
#   scripts/testbed/up.sh          # builds what is missing, then starts
#   scripts/testbed/down.sh        # stops everything and removes the state dir
#
# State (PIDs, ports, kubeconfigs, logs) goes to $LBD_TESTBED_STATE_DIR
# (default: $LBD_TESTBED_CACHE/run/default). Its env file, state.env, can be
# sourced by tests: it sets KUBECONFIG (admin) and TESTBED_* variables.
# If anything fails, everything started so far is stopped again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE_DIR="${LBD_TESTBED_STATE_DIR:-$TESTBED_CACHE/run/default}"
STATE="$STATE_DIR/state.env"
METALLB_NS=metallb-system
# Dual-stack, so that IPv6 and dual-stack Services get clusterIPs of their families (differential.mjs).
SERVICE_CIDR="${LBD_TESTBED_SERVICE_CIDR:-10.96.0.0/16,fd00:10:96::/112}"
READY_TIMEOUT="${LBD_TESTBED_READY_TIMEOUT:-120}"

if [[ -f "$STATE" ]]; then
  # shellcheck disable=SC1090
  ( source "$STATE"; for p in ${TESTBED_PIDS:-}; do kill -0 "$p" 2>/dev/null && exit 1; done; exit 0 ) ||
    tb_die "a test bed is already running (state: $STATE); run down.sh first"
  rm -rf "$STATE_DIR"
fi

"$TESTBED_DIR/build.sh"
tb_versions
command -v kubectl >/dev/null || tb_die "kubectl is not on PATH"
command -v openssl >/dev/null || tb_die "openssl is not on PATH"
command -v curl >/dev/null || tb_die "curl is not on PATH"

mkdir -p "$STATE_DIR"
chmod 700 "$STATE_DIR"
mkdir -p "$STATE_DIR/pki" "$STATE_DIR/logs" "$STATE_DIR/kustomize"

PIDS=""
save_state() {
  cat >"$STATE" <<EOS
# Written by scripts/testbed/up.sh; read by down.sh and by tests.
TESTBED_STATE_DIR='$STATE_DIR'
TESTBED_PIDS='$PIDS'
TESTBED_ETCD_PID='${ETCD_PID:-}'
TESTBED_APISERVER_PID='${APISERVER_PID:-}'
TESTBED_CONTROLLER_PID='${CONTROLLER_PID:-}'
TESTBED_ETCD_CLIENT_PORT='${ETCD_CLIENT_PORT:-}'
TESTBED_ETCD_PEER_PORT='${ETCD_PEER_PORT:-}'
TESTBED_APISERVER_PORT='${APISERVER_PORT:-}'
TESTBED_APISERVER_URL='${APISERVER_URL:-}'
TESTBED_CONTROLLER_METRICS_PORT='${CONTROLLER_METRICS_PORT:-}'
TESTBED_CONTROLLER_HEALTH_PORT='${CONTROLLER_HEALTH_PORT:-}'
TESTBED_CA_FILE='$STATE_DIR/pki/ca.crt'
TESTBED_ADMIN_KUBECONFIG='$STATE_DIR/admin.kubeconfig'
TESTBED_SCANNER_KUBECONFIG='$STATE_DIR/scanner.kubeconfig'
TESTBED_LIMITED_KUBECONFIG='$STATE_DIR/limited.kubeconfig'
TESTBED_METALLB_NAMESPACE='$METALLB_NS'
TESTBED_K8S_VERSION='$K8S_VERSION'
TESTBED_ETCD_VERSION='$ETCD_VERSION'
TESTBED_METALLB_VERSION='$METALLB_VERSION'
KUBECONFIG='$STATE_DIR/admin.kubeconfig'
EOS
}

on_exit() {
  local rc=$?
  if [[ $rc -ne 0 ]]; then
    tb_log "start-up failed (exit $rc); last log lines:"
    for f in "$STATE_DIR"/logs/*.log; do
      [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }
    done
    tb_log "stopping what was started"
    "$TESTBED_DIR/down.sh" --keep-logs "$STATE" || true
  fi
}
trap on_exit EXIT

# A free TCP port on 127.0.0.1 (random, high).
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      case " ${USED_PORTS:-} " in *" $p "*) continue ;; esac
      USED_PORTS="${USED_PORTS:-} $p"
      echo "$p"; return 0
    fi
  done
  tb_die "no free port found"
}

# wait_for <what> <seconds> <pid> <command...>
wait_for() {
  local what="$1" secs="$2" pid="$3"; shift 3
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || tb_die "$what exited (pid $pid) before it was ready"
    (( $(date +%s) < deadline )) || tb_die "$what not ready after ${secs}s"
    sleep 0.5
  done
}

start() { # start <name> <command...>; sets LAST_PID
  local name="$1"; shift
  setsid "$@" >"$STATE_DIR/logs/$name.log" 2>&1 < /dev/null &
  LAST_PID=$!
  PIDS="$LAST_PID $PIDS"   # newest first: down.sh stops in reverse order
  save_state
}

# ---- certificates, keys and tokens -------------------------------------------
PKI="$STATE_DIR/pki"
tb_log "generating CA, serving certificate and service-account key in $PKI"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=lb-doctor-testbed-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
  -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$PKI/apiserver.ext"
openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
  -days 2 -extfile "$PKI/apiserver.ext" -out "$PKI/apiserver.crt" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/sa.key" 2>/dev/null
openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"

ADMIN_TOKEN=$(openssl rand -hex 24)
SCANNER_TOKEN=$(openssl rand -hex 24)
LIMITED_TOKEN=$(openssl rand -hex 24)
CONTROLLER_TOKEN=$(openssl rand -hex 24)
# token,user,uid,"groups"
cat >"$PKI/tokens.csv" <<EOT
$ADMIN_TOKEN,lbd-admin,lbd-admin,"system:masters"
$SCANNER_TOKEN,lbd-scanner,lbd-scanner,"lbd:scanners"
$LIMITED_TOKEN,lbd-limited,lbd-limited,"lbd:limited-scanners"
$CONTROLLER_TOKEN,system:serviceaccount:$METALLB_NS:controller,metallb-controller,"system:serviceaccounts,system:serviceaccounts:$METALLB_NS"
EOT
chmod 600 "$PKI"/*

# ---- etcd ---------------------------------------------------------------------
ETCD_CLIENT_PORT=$(free_port); ETCD_PEER_PORT=$(free_port)
tb_log "starting etcd $ETCD_VERSION on 127.0.0.1:$ETCD_CLIENT_PORT"
start etcd "$ETCD_BIN" --name testbed --data-dir "$STATE_DIR/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "testbed=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync --log-level warn
ETCD_PID=$LAST_PID; save_state
wait_for etcd 60 "$ETCD_PID" curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

# ---- kube-apiserver -----------------------------------------------------------
APISERVER_PORT=$(free_port)
APISERVER_URL="https://127.0.0.1:$APISERVER_PORT"
tb_log "starting kube-apiserver $K8S_VERSION on $APISERVER_URL"
start kube-apiserver "$KUBE_APISERVER_BIN" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$APISERVER_PORT" \
  --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --client-ca-file="$PKI/ca.crt" \
  --token-auth-file="$PKI/tokens.csv" \
  --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --endpoint-reconciler-type=none \
  --profiling=false
APISERVER_PID=$LAST_PID; save_state

kubeconfig() { # kubeconfig <file> <user> <token>
  cat >"$1" <<EOK
apiVersion: v1
kind: Config
clusters:
- name: testbed
  cluster:
    server: $APISERVER_URL
    certificate-authority: $PKI/ca.crt
users:
- name: $2
  user:
    token: $3
contexts:
- name: testbed
  context: {cluster: testbed, user: $2}
current-context: testbed
EOK
  chmod 600 "$1"
}
kubeconfig "$STATE_DIR/admin.kubeconfig" lbd-admin "$ADMIN_TOKEN"
kubeconfig "$STATE_DIR/scanner.kubeconfig" lbd-scanner "$SCANNER_TOKEN"
kubeconfig "$STATE_DIR/limited.kubeconfig" lbd-limited "$LIMITED_TOKEN"
kubeconfig "$STATE_DIR/metallb-controller.kubeconfig" metallb-controller "$CONTROLLER_TOKEN"
export KUBECONFIG="$STATE_DIR/admin.kubeconfig"

wait_for kube-apiserver "$READY_TIMEOUT" "$APISERVER_PID" \
  curl -fsS --cacert "$PKI/ca.crt" -H "Authorization: Bearer $ADMIN_TOKEN" "$APISERVER_URL/readyz"
tb_log "kube-apiserver is ready"

# ---- MetalLB CRDs, namespace and RBAC (from the MetalLB module's own files) -----
MLB_DIR="$(tb_mod_dir "$TESTBED_DIR/metallb" go.universe.tf/metallb)"
[[ -d "$MLB_DIR/config/crd/bases" ]] || tb_die "MetalLB CRDs not found in $MLB_DIR/config/crd/bases"
tb_log "applying MetalLB $METALLB_VERSION CRDs from $MLB_DIR/config/crd/bases"
kubectl apply --server-side -f "$MLB_DIR/config/crd/bases" >"$STATE_DIR/logs/apply-crds.log"
kubectl wait --for=condition=Established --timeout=60s \
  $(kubectl get crd -o name | grep '\.metallb\.io$') >>"$STATE_DIR/logs/apply-crds.log"

kubectl create namespace "$METALLB_NS" >/dev/null
# MetalLB's RBAC (config/rbac) with its namespace set the way its own
# kustomization does; the controller authenticates as its service account.
rel="$(realpath --relative-to="$STATE_DIR/kustomize" "$MLB_DIR/config/rbac")"
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: %s\nresources:\n- %s\n' \
  "$METALLB_NS" "$rel" >"$STATE_DIR/kustomize/kustomization.yaml"
kubectl apply -k "$STATE_DIR/kustomize" >"$STATE_DIR/logs/apply-rbac.log"

# Read-only role for LB Doctor's scanner (group lbd:scanners).
kubectl apply -f - >>"$STATE_DIR/logs/apply-rbac.log" <<'EOR'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lbd-scanner
rules:
- apiGroups: [""]
  resources: [services, endpoints, nodes, namespaces, events, pods, configmaps]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list, watch]
- apiGroups: [apps]   # the back-end reads controller Deployments/DaemonSets (versions, --lb-class)
  resources: [deployments, daemonsets]
  verbs: [get, list, watch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [get, list, watch]
- apiGroups: [metallb.io]
  resources: ["*"]
  verbs: [get, list, watch]
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: lbd-scanner
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: lbd-scanner}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "lbd:scanners"}
---
# The same without metallb.io: a scanner that gets 403 on MetalLB's resources (backend tests).
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lbd-limited
rules:
- apiGroups: [""]
  resources: [services, endpoints, nodes, namespaces, events, pods, configmaps]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list, watch]
- apiGroups: [apps]   # the back-end reads controller Deployments/DaemonSets (versions, --lb-class)
  resources: [deployments, daemonsets]
  verbs: [get, list, watch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: lbd-limited
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: lbd-limited}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "lbd:limited-scanners"}
EOR

# ---- MetalLB controller (out of cluster) ----------------------------------------
# MetalLB >= 0.15 reads its own Pod at start-up (owner of its
# ConfigurationState) and exits if it is missing. Nothing runs pods here (no
# scheduler, no kubelet), so this Pod is only an API object that stays Pending;
# the controller itself is the process started below.
CONTROLLER_POD=controller-testbed
kubectl apply -f - >"$STATE_DIR/logs/apply-controller-pod.log" <<EOP
apiVersion: v1
kind: Pod
metadata:
  name: $CONTROLLER_POD
  namespace: $METALLB_NS
  labels: {app: metallb, component: controller, lb-doctor.testbed/out-of-cluster: "true"}
  annotations:
    lb-doctor.testbed/note: "API object only; the MetalLB controller runs out of cluster (scripts/testbed/up.sh)"
spec:
  serviceAccountName: controller
  automountServiceAccountToken: false
  containers:
  - name: controller
    image: quay.io/metallb/controller:$METALLB_VERSION
EOP
# Its metrics and health-probe servers bind to all interfaces (MetalLB builds
# "0.0.0.0:<port>" / ":<port>" itself); we give them free random ports.
CONTROLLER_METRICS_PORT=$(free_port); CONTROLLER_HEALTH_PORT=$(free_port)
# The API server names an Update's field manager after the client's User-Agent, which client-go
# builds from the executable's name: MetalLB's image runs /controller, so its managedFields say
# "controller". Run it through a link of that name so the test bed shows the same manager.
mkdir -p "$STATE_DIR/bin"
ln -sf "$METALLB_CONTROLLER_BIN" "$STATE_DIR/bin/controller"
tb_log "starting MetalLB controller $METALLB_VERSION (namespace $METALLB_NS, webhooks off)"
start metallb-controller env KUBECONFIG="$STATE_DIR/metallb-controller.kubeconfig" \
  METALLB_NAMESPACE="$METALLB_NS" METALLB_POD_NAME="$CONTROLLER_POD" \
  "$STATE_DIR/bin/controller" --namespace="$METALLB_NS" --pod-name="$CONTROLLER_POD" \
  --webhook-mode=disabled --disable-cert-rotation \
  --port="$CONTROLLER_METRICS_PORT" --health-probe-port="$CONTROLLER_HEALTH_PORT" \
  --log-level="${LBD_TESTBED_METALLB_LOG_LEVEL:-info}"
CONTROLLER_PID=$LAST_PID; save_state
wait_for "MetalLB controller" 60 "$CONTROLLER_PID" \
  curl -fsS "http://127.0.0.1:$CONTROLLER_HEALTH_PORT/readyz"
wait_for "MetalLB controller start-up log" 30 "$CONTROLLER_PID" \
  grep -q 'MetalLB controller starting' "$STATE_DIR/logs/metallb-controller.log"
# controller-runtime logs this once the Service reconciler runs.
wait_for "MetalLB service controller" 60 "$CONTROLLER_PID" \
  grep -qE '"msg":"Starting workers","controller":"service"' "$STATE_DIR/logs/metallb-controller.log"
tb_log "MetalLB controller is running (pid $CONTROLLER_PID)"

trap - EXIT
tb_log "test bed is up; state: $STATE"
echo "export KUBECONFIG=$STATE_DIR/admin.kubeconfig   # admin (system:masters)"
echo "# read-only scanner: $STATE_DIR/scanner.kubeconfig; stop with: $TESTBED_DIR/down.sh $STATE"
