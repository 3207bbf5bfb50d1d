#!/usr/bin/env bash
# PC/SC test stack without hardware: pcscd + vsmartcard vpcd ("Virtual PCD 00 00" on TCP 35963,
# "Virtual PCD 00 01" on 35964). A virtual card (mocks/src/card/vpcd.ts) connects to those ports.
#
#   pcsc-stack.sh install   apt packages (root), stops a systemd-managed pcscd
#   pcsc-stack.sh start     builds the TCP_NODELAY shim, runs pcscd --foreground in the background
#   pcsc-stack.sh wait      until pcscd answers and lists the virtual reader (PCSC_WAIT_SECS, default 20)
#   pcsc-stack.sh stop      SIGTERM, up to 5 s, SIGKILL, stale files removed
#   pcsc-stack.sh status    exit 0 when the stack is up
#
# Environment: PCSC_STATE_DIR (default /tmp/kiosk-pcsc), PCSC_NODELAY=0 (no shim), PCSCD_DEBUG=1
# (--debug --apdu in pcscd.log), PCSC_WAIT_SECS.
# Never probe TCP 35963/35964 to check health: vpcd takes any connection for an inserted card.
set -euo pipefail

STATE_DIR="${PCSC_STATE_DIR:-/tmp/kiosk-pcsc}"
PID_FILE="$STATE_DIR/pcscd.pid"
LOG_FILE="$STATE_DIR/pcscd.log"
SHIM_SO="$STATE_DIR/nodelay-preload.so"
SHIM_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/nodelay-preload.c"
COMM=/run/pcscd/pcscd.comm
READER="Virtual PCD 00 00"
PACKAGES=(pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools opensc)

say() { echo "[pcsc-stack] $*"; }
die() { echo "[pcsc-stack] error: $*" >&2; exit 1; }

# A zombie (exited, not yet reaped by its parent) answers kill -0 but is gone.
alive() {
  kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

our_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && alive "$pid" && echo "$pid"
}

# pcscd's own pid file ends with a NUL byte.
system_pid() {
  [[ -f /run/pcscd/pcscd.pid ]] || return 1
  local pid
  pid="$(tr -d '\0\n' < /run/pcscd/pcscd.pid)"
  [[ -n "$pid" ]] && alive "$pid" && echo "$pid"
}

readers_listed() {
  [[ -S "$COMM" ]] && pcsc_scan -r 2>/dev/null | grep -q "$READER"
}

cmd_install() {
  local missing=()
  for pkg in "${PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    [[ "$(id -u)" == 0 ]] || die "run as root to install: ${missing[*]}"
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
  else
    say "packages already installed: ${PACKAGES[*]}"
  fi
  # A systemd host runs pcscd from a socket unit with --auto-exit; ours must own /run/pcscd.
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    say "stopping the systemd pcscd units"
    systemctl stop pcscd.socket pcscd.service 2>/dev/null || true
  fi
}

build_shim() {
  if [[ "${PCSC_NODELAY:-1}" == 0 ]]; then return 1; fi
  if [[ ! -f "$SHIM_SO" || "$SHIM_SRC" -nt "$SHIM_SO" ]]; then
    command -v gcc >/dev/null || die "gcc is needed to build the TCP_NODELAY shim (or set PCSC_NODELAY=0)"
    gcc -shared -fPIC -O2 -o "$SHIM_SO" "$SHIM_SRC" -ldl
  fi
}

cmd_start() {
  command -v pcscd >/dev/null || die "pcscd is not installed: run '$0 install'"
  mkdir -p "$STATE_DIR"
  local pid
  if pid="$(our_pid)"; then say "pcscd already running (pid $pid)"; return 0; fi
  if pid="$(system_pid)"; then die "another pcscd (pid $pid) is running; stop it first"; fi
  local preload=()
  if build_shim; then preload=(env "LD_PRELOAD=$SHIM_SO"); fi
  local args=(--foreground)
  if [[ "${PCSCD_DEBUG:-0}" == 1 ]]; then args+=(--debug --apdu); fi
  # Never --auto-exit: pcscd would quit after 60 s without clients and take the virtual readers along.
  # setsid: a caller's process group (a test runner killed by `timeout`) must not take pcscd with it.
  setsid "${preload[@]}" pcscd "${args[@]}" >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  say "pcscd started (pid $(cat "$PID_FILE"), log $LOG_FILE${preload:+, TCP_NODELAY shim})"
}

cmd_wait() {
  local limit="${PCSC_WAIT_SECS:-20}" started=$SECONDS
  until readers_listed; do
    if ((SECONDS - started >= limit)); then
      echo "[pcsc-stack] timeout waiting for pcscd/vpcd after ${limit}s" >&2
      [[ -f "$LOG_FILE" ]] && { echo "--- $LOG_FILE ---" >&2; cat "$LOG_FILE" >&2; }
      exit 1
    fi
    if [[ -f "$PID_FILE" ]] && ! our_pid >/dev/null; then
      echo "[pcsc-stack] pcscd exited" >&2
      [[ -f "$LOG_FILE" ]] && { echo "--- $LOG_FILE ---" >&2; cat "$LOG_FILE" >&2; }
      exit 1
    fi
    sleep 0.1
  done
  say "ready: $READER"
}

cmd_stop() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$PID_FILE"
    if system_pid >/dev/null; then say "not ours: a pcscd started elsewhere is left running"; else say "not running"; fi
    clean_stale
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  # pcscd takes about 2 s to exit; a new one refuses to start while the old pid exists.
  for _ in $(seq 50); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    say "pcscd did not exit after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      alive "$pid" || break
      sleep 0.1
    done
  fi
  rm -f "$PID_FILE"
  clean_stale
  say "stopped"
}

clean_stale() {
  if ! system_pid >/dev/null; then rm -f /run/pcscd/pcscd.comm /run/pcscd/pcscd.pid 2>/dev/null || true; fi
}

cmd_status() {
  local pid
  if pid="$(our_pid)" && readers_listed; then say "up (pid $pid)"; return 0; fi
  if pid="$(our_pid)"; then say "pcscd running (pid $pid) but '$READER' not listed"; return 1; fi
  if system_pid >/dev/null; then say "a pcscd not started by this script is running"; return 1; fi
  say "down"
  return 1
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  wait) cmd_wait ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 install|start|wait|stop|status" >&2; exit 2 ;;
esac
