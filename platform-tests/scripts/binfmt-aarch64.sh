#!/usr/bin/env bash
# Let this x86_64 host run arm64 programs, in containers too, for the matrix's arm64 cell, as root.
#
#   platform-tests/scripts/binfmt-aarch64.sh register   # mount binfmt_misc, register qemu-aarch64
#   platform-tests/scripts/binfmt-aarch64.sh restore    # undo what `register` did, nothing else
#   platform-tests/scripts/binfmt-aarch64.sh status
#
# The kernel hands an aarch64 ELF file to qemu-user when a binfmt_misc entry matches its header
# (Documentation/admin-guide/binfmt-misc.rst). Debian's qemu-user-static ships that entry in
# /usr/lib/binfmt.d/qemu-aarch64.conf, with the F flag: the kernel opens the interpreter when
# the entry is registered, so it also works inside a container whose file system has no qemu.
# A new machine has binfmt_misc unmounted and nothing registered. An entry that is already there
# is reused and left alone; `restore` removes only the entry and the mount that `register` made.
#
# Environment:
#   SOB_BINFMT_DIR  state dir (what register did); default platform-tests/target/binfmt
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
state=${SOB_BINFMT_DIR:-$(dirname "$here")/target/binfmt}
mnt=/proc/sys/fs/binfmt_misc
entry=$mnt/qemu-aarch64
conf=/usr/lib/binfmt.d/qemu-aarch64.conf

log() { echo "binfmt-aarch64: $*" >&2; }

mounted() { [ -e "$mnt/register" ]; }

ensure_qemu() {
  [ -f "$conf" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "$conf is missing and this is not root: apt-get install qemu-user-static"
    exit 1
  fi
  log "installing Debian's qemu-user-static (apt)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends qemu-user-static; } >&2 \
      || [ ! -f "$conf" ]; then
    log "installing qemu-user-static failed, or it has no $conf"
    exit 1
  fi
}

# An entry registered by someone else must still serve containers: enabled, and with the F flag.
check_entry() {
  local flags
  if ! head -n 1 "$entry" | grep -qx enabled; then
    log "$entry exists but is disabled (echo 1 > $entry enables it): arm64 programs cannot run"
    exit 1
  fi
  flags=$(sed -n 's/^flags: *//p' "$entry")
  if [[ "$flags" != *F* ]]; then
    log "$entry is registered without the F flag (flags: '$flags'): containers cannot find its"
    log "interpreter $(sed -n 's/^interpreter //p' "$entry"). Remove it (echo -1 > $entry) and run this again"
    exit 1
  fi
}

register() {
  if [ "$(id -u)" != 0 ]; then
    log "registering a binfmt_misc entry needs root"
    exit 1
  fi
  ensure_qemu
  mkdir -p "$state"
  if mounted; then
    log "binfmt_misc is mounted at $mnt"
  else
    mount -t binfmt_misc binfmt_misc "$mnt"
    touch "$state/mounted-by-us"
    log "mounted binfmt_misc at $mnt"
  fi
  if [ -e "$entry" ]; then
    check_entry
    log "qemu-aarch64 is already registered (interpreter $(sed -n 's/^interpreter //p' "$entry"), flags $(sed -n 's/^flags: *//p' "$entry")): using it as it is"
    return 0
  fi
  local line
  line=$(grep -v '^[[:space:]]*#' "$conf" | grep -m 1 .) || { log "no entry in $conf"; exit 1; }
  printf '%s\n' "$line" >"$mnt/register"
  touch "$state/registered-by-us"
  check_entry
  log "registered qemu-aarch64 from $conf (interpreter $(sed -n 's/^interpreter //p' "$entry"), flags $(sed -n 's/^flags: *//p' "$entry"))"
}

restore() {
  if [ -f "$state/registered-by-us" ]; then
    if [ -e "$entry" ]; then
      echo -1 >"$entry"
      log "unregistered qemu-aarch64 (this script had registered it)"
    fi
    rm -f "$state/registered-by-us"
  fi
  if [ -f "$state/mounted-by-us" ]; then
    rm -f "$state/mounted-by-us"
    # Other entries may have appeared since: then the mount stays for them.
    if mounted && [ -z "$(find "$mnt" -mindepth 1 -maxdepth 1 ! -name register ! -name status -print -quit)" ]; then
      umount "$mnt"
      log "unmounted binfmt_misc (this script had mounted it)"
    else
      log "binfmt_misc stays mounted: it holds entries this script did not make"
    fi
  fi
}

status() {
  if ! mounted; then
    echo "binfmt_misc not mounted"
    return 1
  fi
  if [ -e "$entry" ]; then
    cat "$entry"
  else
    echo "qemu-aarch64 not registered"
    return 1
  fi
}

case "${1:-}" in
  register) register ;;
  restore) restore ;;
  status) status ;;
  *) echo "usage: $0 {register|restore|status}" >&2; exit 2 ;;
esac
