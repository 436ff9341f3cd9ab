#!/usr/bin/env bash
# Runs a command against a fresh test bed and always tears it down afterwards,
# also when the command fails or is interrupted. The command sees KUBECONFIG
# (admin) and the TESTBED_* variables of state.env.
#   scripts/testbed/with-testbed.sh <command> [args...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $# -gt 0 ]] || tb_die "usage: $0 <command> [args...]"

export LBD_TESTBED_STATE_DIR="${LBD_TESTBED_STATE_DIR:-$TESTBED_CACHE/run/with-$$}"
trap '"$TESTBED_DIR/down.sh" "$LBD_TESTBED_STATE_DIR/state.env"' EXIT
child=""
# On INT/TERM: stop the command, then the EXIT trap tears the test bed down.
trap '[[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null; exit 130' INT TERM
"$TESTBED_DIR/up.sh" >&2
set -a
# shellcheck disable=SC1091
source "$LBD_TESTBED_STATE_DIR/state.env"
set +a
# Run in the background (stdin kept) so that `wait` returns on a signal.
"$@" <&0 &
child=$!
set +e
wait "$child"
rc=$?
set -e
exit $rc
