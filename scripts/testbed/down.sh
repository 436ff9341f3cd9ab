#!/usr/bin/env bash
# Stops a test bed started by up.sh and removes its state directory.
#   down.sh [--keep-logs] [state.env]
# Without a state file argument it uses $LBD_TESTBED_STATE_DIR/state.env
# (default: $LBD_TESTBED_CACHE/run/default/state.env). Safe to run twice.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEEP=0
if [[ "${1:-}" == "--keep-logs" ]]; then KEEP=1; shift; fi
STATE="${1:-${LBD_TESTBED_STATE_DIR:-$TESTBED_CACHE/run/default}/state.env}"
if [[ ! -f "$STATE" ]]; then
  tb_log "no test bed state at $STATE; nothing to stop"
  exit 0
fi
# shellcheck disable=SC1090
source "$STATE"

# Each process was started with setsid, so it leads its own process group.
for pid in ${TESTBED_PIDS:-}; do           # newest first
  if kill -0 "$pid" 2>/dev/null; then
    tb_log "stopping pid $pid ($(ps -o comm= -p "$pid" 2>/dev/null || echo '?'))"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      tb_log "pid $pid did not stop in 10 s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    fi
  fi
done

if [[ $KEEP -eq 1 ]]; then
  sed -i "s/^TESTBED_PIDS=.*/TESTBED_PIDS=''/" "$STATE"
  tb_log "stopped; logs kept in ${TESTBED_STATE_DIR}/logs"
else
  case "${TESTBED_STATE_DIR:-}" in
    */*) rm -rf -- "$TESTBED_STATE_DIR" ;;
  esac
  tb_log "stopped; removed ${TESTBED_STATE_DIR:-}"
fi
