#!/usr/bin/env bash
# Start or stop the Docker engine that the container matrix needs, as root.
#
#   platform-tests/scripts/docker-engine.sh start   # install docker.io if needed, start dockerd, wait
#   platform-tests/scripts/docker-engine.sh stop    # stop the dockerd that `start` started (by pid)
#   platform-tests/scripts/docker-engine.sh status
#
# The engine runs without the default bridge and without iptables rules (containers use
# `--network none`: each has its own loopback, nothing else). If an engine already answers
# `docker info` when `start` runs, it is reused and `stop` leaves it alone.
#
# Environment:
#   SOB_ENGINE_DIR      state dir (pid file, log); default platform-tests/target/docker-engine
#   SOB_ENGINE_TIMEOUT  seconds to wait for `docker info` (default 90)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
state=${SOB_ENGINE_DIR:-$(dirname "$here")/target/docker-engine}
timeout_s=${SOB_ENGINE_TIMEOUT:-90}
pidfile=$state/dockerd.pid
logfile=$state/dockerd.log
reusedfile=$state/reused-external-engine

log() { echo "docker-engine: $*" >&2; }

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

# The pid in the pid file, if that process is alive and is a dockerd.
our_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'dockerd' || return 1
  echo "$pid"
}

install_engine() {
  if [ "$(id -u)" != 0 ]; then
    log "dockerd is not installed and this is not root: install Debian's docker.io first"
    exit 1
  fi
  log "dockerd not found: installing Debian's docker.io (apt)"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's init scripts from starting an engine with the default bridge.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local rc=0
  { apt-get update -q && apt-get install -y -q --no-install-recommends docker.io; } || rc=$?
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ "$rc" != 0 ] || ! command -v dockerd >/dev/null 2>&1; then
    log "installing docker.io failed (apt exit $rc)"
    exit 1
  fi
}

start() {
  mkdir -p "$state"
  local pid
  if pid=$(our_pid); then
    log "dockerd already started by this script (pid $pid)"
  elif engine_answers; then
    log "a Docker engine already answers: reusing it (stop will leave it running)"
    touch "$reusedfile"
    return 0
  else
    rm -f "$reusedfile" "$pidfile"
    command -v dockerd >/dev/null 2>&1 || install_engine
    if [ "$(id -u)" != 0 ]; then
      log "dockerd must be started as root"
      exit 1
    fi
    log "starting dockerd (--bridge=none --iptables=false --ip6tables=false), log: $logfile"
    # setsid: the engine does not get the caller's terminal signals; it is stopped by pid.
    setsid dockerd --bridge=none --iptables=false --ip6tables=false \
      --pidfile "$state/dockerd.self.pid" >"$logfile" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pidfile"
  fi
  local waited=0
  until engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "dockerd (pid $pid) exited before answering; last lines of $logfile:"
      tail -n 20 "$logfile" >&2 || true
      rm -f "$pidfile"
      exit 1
    fi
    if [ "$waited" -ge "$timeout_s" ]; then
      log "dockerd (pid $pid) did not answer 'docker info' within ${timeout_s}s; last lines of $logfile:"
      tail -n 20 "$logfile" >&2 || true
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "engine ready after ${waited}s: $(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo '?')"
}

stop() {
  if [ -f "$reusedfile" ]; then
    log "engine was not started by this script: leaving it running"
    rm -f "$reusedfile"
    return 0
  fi
  local pid
  if ! pid=$(our_pid); then
    log "no dockerd started by this script is running"
    rm -f "$pidfile"
    return 0
  fi
  # Containers of the matrix are removed by the tests; remove any a killed test run left behind.
  local -a left=()
  mapfile -t left < <(timeout 20 docker ps -aq --filter label=org.sockoptbridge.cell 2>/dev/null || true)
  if [ ${#left[@]} -gt 0 ]; then
    log "removing leftover matrix containers: ${left[*]}"
    timeout 60 docker rm -f "${left[@]}" >/dev/null 2>&1 || true
  fi
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 60 ]; then
      log "dockerd (pid $pid) still running after 30s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  log "dockerd stopped"
}

status() {
  local pid
  if pid=$(our_pid); then echo "started by this script: pid $pid"; fi
  if engine_answers; then echo "engine answers"; else echo "no engine answers"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 {start|stop|status}" >&2; exit 2 ;;
esac
