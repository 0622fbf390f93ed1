#!/usr/bin/env bash
# Build the container images of the platform matrix locally, without any registry:
# Debian root file systems made with debootstrap (--variant=minbase), cached as tarballs, then
# `docker import`ed as sockopt-bridge/cell:<name>. The arm64 image is bootstrapped in two stages:
# the first unpacks arm64 packages on this host, the second runs their scripts in a chroot under
# qemu-user, which needs aarch64 registered with binfmt_misc (scripts/binfmt-aarch64.sh register).
#
#   platform-tests/scripts/build-images.sh           # build what is missing, import what is missing
#   platform-tests/scripts/build-images.sh --list    # print "<name> <suite> <packages>" and exit
#
# Cache: tarballs live in ${SOB_IMAGE_CACHE:-$HOME/.cache/sockopt-bridge/images}, named
# <name>-<key>.tar, where <key> hashes the recipe version, suite, mirror, architecture and package
# list. A warm run runs no debootstrap; an image whose tag already carries the same key label is
# not imported again.
#
# Environment:
#   SOB_IMAGE_CACHE          tarball cache (default ~/.cache/sockopt-bridge/images)
#   SOB_DEBIAN_MIRROR        Debian mirror (default: the Debian archive this machine's apt uses,
#                            read from /etc/apt/sources.list and /etc/apt/sources.list.d/)
#   SOB_MIRROR_<suite>       mirror for one suite, e.g. SOB_MIRROR_bullseye=<an archive mirror's URL>
#                            once bullseye leaves the main mirror
#   SOB_BUILD_JOBS           debootstraps run at once (default 2)
#   SOB_DEBOOTSTRAP_TIMEOUT  seconds one debootstrap may take (default 900)
#   SOB_IMAGES               space-separated subset of image names to build (default: all)
set -euo pipefail

# Bump when the recipe below changes in a way the key does not see (trimming, files added...).
RECIPE_VERSION=1
REPO=sockopt-bridge/cell
MIRROR=${SOB_DEBIAN_MIRROR:-} # resolved in main (apt_mirror) unless set
CACHE=${SOB_IMAGE_CACHE:-${HOME:-/root}/.cache/sockopt-bridge/images}
JOBS=${SOB_BUILD_JOBS:-2}
DB_TIMEOUT=${SOB_DEBOOTSTRAP_TIMEOUT:-900}
# In every image: ss/ip (iproute2), ps/sysctl (procps). minbase already has coreutils (timeout,
# cat) and libc-bin (getconf GNU_LIBC_VERSION).
COMMON_PACKAGES=iproute2,procps

# name | suite | Debian architecture | packages beyond COMMON_PACKAGES | packages to purge afterwards
# (bullseye: debootstrap resolves ca-certificates-java's "default-jre-headless | java8-runtime-headless"
# with the first alternative, which drags in OpenJDK 11; openjdk-17 provides java8-runtime-headless,
# so dpkg can purge 11 cleanly and the image has one JDK.)
IMAGES=(
  "bullseye-jdk17|bullseye|amd64|openjdk-17-jre-headless|default-jre-headless openjdk-11-jre-headless"
  "bookworm-jdk17|bookworm|amd64|openjdk-17-jre-headless|"
  "trixie-jdk21|trixie|amd64|openjdk-21-jre-headless|"
  "trixie-jdk25|trixie|amd64|openjdk-25-jre-headless|"
  "bookworm-arm64-jdk17|bookworm|arm64|openjdk-17-jre-headless|"
)
HOST_ARCH=$(dpkg --print-architecture)

log() { echo "build-images: $*" >&2; }
now() { date +%s; }

if [ "${1:-}" = "--list" ]; then
  for spec in "${IMAGES[@]}"; do IFS='|' read -r n s a p x <<<"$spec"; echo "$n $s $a $p,$COMMON_PACKAGES${x:+ (purged: $x)}"; done
  exit 0
fi

# The Debian archive that this machine's own apt configuration points at, so that no mirror host
# is written into the repository and each machine uses the mirror (or proxy) it is set up with.
# The entry wanted is the one that serves the machine's own release (VERSION_CODENAME in
# /etc/os-release): that skips the -security and -updates suites, which live elsewhere and lack
# the base suites, and third-party repositories, whose suite names differ. Both formats that apt
# reads (sources.list(5)): one-line "deb [options] URI suite component..." in *.list files, and
# deb822 stanzas (Types/URIs/Suites/Enabled) in *.sources files.
apt_mirror() {
  local codename f uri
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || return 1
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk -v want="$codename" '
      $1 == "deb" {
        i = 2
        if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == want) { print $i; exit }
      }' "$f")
    [ -n "$uri" ] && { echo "${uri%/}"; return 0; }
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk -v want="$codename" '
      function flush(  u) {
        if (!found && (" " types " ") ~ / deb / && enabled != "no" && (" " suites " ") ~ (" " want " ")) {
          split(uris, u, " "); if (u[1] != "") { print u[1]; found = 1 }
        }
        types = uris = suites = enabled = ""
      }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key)
        val = $0; sub(/^[^:]*:[ \t]*/, "", val)
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "enabled") enabled = tolower(val)
      }
      END { flush() }' "$f")
    [ -n "$uri" ] && { echo "${uri%/}"; return 0; }
  done
  return 1
}

selected() {
  [ -z "${SOB_IMAGES:-}" ] && return 0
  local want
  for want in $SOB_IMAGES; do [ "$want" = "$1" ] && return 0; done
  return 1
}

mirror_for() { # suite
  local var="SOB_MIRROR_$1"
  echo "${!var:-$MIRROR}"
}

key_of() { # suite arch packages purge
  printf 'recipe=%s\nsuite=%s\nmirror=%s\narch=%s\nvariant=minbase\npackages=%s\npurge=%s\n' \
    "$RECIPE_VERSION" "$1" "$(mirror_for "$1")" "$2" "$3" "$4" | sha256sum | cut -c1-16
}

ensure_tools() {
  command -v docker >/dev/null 2>&1 || { log "no docker client found"; exit 1; }
  if ! timeout 10 docker info >/dev/null 2>&1; then
    log "no Docker engine answers: run platform-tests/scripts/docker-engine.sh start first"
    exit 1
  fi
}

ensure_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ]; then
    log "debootstrap is missing and this is not root: apt-get install debootstrap"
    exit 1
  fi
  log "installing debootstrap (apt)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends debootstrap; } >&2; then
    log "installing debootstrap failed"
    exit 1
  fi
}

# A scratch root file system that a failed or killed second stage may have left /proc or /sys
# mounted in: unmount those first, so that rm never walks into the host's /proc or /sys.
discard() { # dir
  local mounts
  mounts=$(awk -v d="$1/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r)
  [ -z "$mounts" ] || umount -l $mounts 2>/dev/null || true
  rm -rf "$1"
}

# The second stage runs the packages' maintainer scripts inside the arm64 root file system, so
# the kernel must hand arm64 programs to qemu-user.
foreign_arch_runs() { # arch
  local entry
  case "$1" in
    arm64) entry=/proc/sys/fs/binfmt_misc/qemu-aarch64 ;;
    *) log "no emulator known for $1"; return 1 ;;
  esac
  if [ ! -e "$entry" ] || ! head -n 1 "$entry" | grep -qx enabled; then
    log "$1 programs cannot run here ($entry missing or disabled): run platform-tests/scripts/binfmt-aarch64.sh register first"
    return 1
  fi
}

# Build one tarball: debootstrap into a scratch dir next to the cache, trim, tar, move into place.
# Another architecture takes debootstrap's two stages: --foreign unpacks on this host, then the
# second stage configures the packages in a chroot under emulation (most of that image's time).
build_tarball() { # name suite arch packages purge key tarball
  local name=$1 suite=$2 arch=$3 packages=$4 purge=$5 key=$6 tarball=$7
  local work=$CACHE/work/$name-$key
  local dlog=$CACHE/work/$name-$key.debootstrap.log
  discard "$work"
  mkdir -p "$work"
  local t0 t1 t2
  t0=$(now)
  local mirror
  mirror=$(mirror_for "$suite")
  local -a foreign=()
  [ "$arch" = "$HOST_ARCH" ] || foreign=(--foreign)
  log "[$name] debootstrap $suite $arch${foreign[*]:+ (two stages)} (minbase, +$packages) from $mirror"
  local stage_failed=""
  if ! timeout "$DB_TIMEOUT" debootstrap --variant=minbase --arch="$arch" "${foreign[@]}" --include="$packages" \
      "$suite" "$work/rootfs" "$mirror" >"$dlog" 2>&1; then
    stage_failed="debootstrap of $suite $arch"
  elif [ ${#foreign[@]} -gt 0 ]; then
    log "[$name] first stage done in $(($(now) - t0))s; second stage in a chroot under qemu-user"
    if ! timeout "$DB_TIMEOUT" chroot "$work/rootfs" /debootstrap/debootstrap --second-stage >>"$dlog" 2>&1; then
      stage_failed="the second stage (chroot, qemu-user) of $suite $arch"
    fi
  fi
  if [ -n "$stage_failed" ]; then
    log "[$name] ERROR: $stage_failed failed (or exceeded ${DB_TIMEOUT}s). Last lines of $dlog:"
    tail -n 25 "$dlog" | sed "s/^/  [$name] /" >&2
    if [ -f "$work/rootfs/debootstrap/debootstrap.log" ]; then
      log "[$name] last lines of the rootfs's debootstrap/debootstrap.log:"
      tail -n 15 "$work/rootfs/debootstrap/debootstrap.log" | sed "s/^/  [$name] /" >&2
    fi
    discard "$work"
    return 1
  fi
  t1=$(now)
  local r=$work/rootfs
  if [ -n "$purge" ]; then
    # shellcheck disable=SC2086
    if ! chroot "$r" dpkg --purge $purge >>"$dlog" 2>&1; then
      log "[$name] ERROR: dpkg --purge $purge failed in the new root file system. Last lines of $dlog:"
      tail -n 15 "$dlog" | sed "s/^/  [$name] /" >&2
      discard "$work"
      return 1
    fi
  fi
  # Nothing big beyond the JRE: drop the downloaded .debs, apt lists, docs, manuals, locales.
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* "$r"/usr/share/doc/* \
    "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/* "$r"/var/log/*.log \
    "$r"/var/cache/debconf/*-old
  printf 'name=%s\nsuite=%s\narch=%s\npackages=%s\nkey=%s\nrecipe=%s\n' \
    "$name" "$suite" "$arch" "$packages" "$key" "$RECIPE_VERSION" >"$r/etc/sockopt-bridge-cell"
  # (java itself cannot run in a bare chroot: it needs /proc. The image is run after import.)
  local -a releases=()
  local jdk
  for jdk in "$r"/usr/lib/jvm/*; do # real directories only (java-1.17.0-openjdk-<arch> is a link)
    [ -L "$jdk" ] || [ ! -f "$jdk/release" ] || releases+=("$jdk/release")
  done
  if [ ! -e "$r/usr/bin/java" ] || [ ${#releases[@]} -ne 1 ]; then
    log "[$name] ERROR: want exactly one JDK in the new root file system, found: ${releases[*]#"$r"}"
    discard "$work"
    return 1
  fi
  local release=${releases[0]}
  grep -h '^JAVA_VERSION=' "$release" >"$work/java-version" || echo "JAVA_VERSION=?" >"$work/java-version"
  tar --numeric-owner -C "$r" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  t2=$(now)
  log "[$name] built $(basename "$tarball") ($(du -h "$tarball" | cut -f1)): debootstrap $((t1 - t0))s, trim+tar $((t2 - t1))s; $(head -n 1 "$work/java-version")"
  discard "$work"
  rm -f "$dlog"
}

main() {
  if [ -z "$MIRROR" ] && ! MIRROR=$(apt_mirror); then
    log "no Debian archive found in this machine's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/): set SOB_DEBIAN_MIRROR"
    exit 1
  fi
  ensure_tools
  mkdir -p "$CACHE/work"
  local start
  start=$(now)
  local -a todo=() failed=()
  local spec name suite arch extra purge packages key tarball
  for spec in "${IMAGES[@]}"; do
    IFS='|' read -r name suite arch extra purge <<<"$spec"
    selected "$name" || continue
    packages="$extra,$COMMON_PACKAGES"
    key=$(key_of "$suite" "$arch" "$packages" "$purge")
    tarball=$CACHE/$name-$key.tar
    if [ -f "$tarball" ]; then
      log "[$name] cached: $tarball"
    elif [ "$arch" != "$HOST_ARCH" ] && ! foreign_arch_runs "$arch"; then
      failed+=("$name")
    elif [ "$arch" != "$HOST_ARCH" ]; then
      # Emulated second stages take longest (about 2.5 minutes against 1 for a native image):
      # started first, they run beside the native ones instead of after them.
      todo=("$name|$suite|$arch|$packages|$purge|$key|$tarball" ${todo[@]+"${todo[@]}"})
    else
      todo+=("$name|$suite|$arch|$packages|$purge|$key|$tarball")
    fi
  done

  if [ ${#todo[@]} -gt 0 ]; then
    ensure_debootstrap
    local -A pids=()
    local item running pid
    for item in "${todo[@]}"; do
      # At most $JOBS debootstraps at once: on 2 cores they mostly wait on the network and dpkg.
      while true; do
        running=0
        for pid in "${!pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=$((running + 1)); done
        [ "$running" -lt "$JOBS" ] && break
        sleep 1
      done
      IFS='|' read -r name suite arch packages purge key tarball <<<"$item"
      build_tarball "$name" "$suite" "$arch" "$packages" "$purge" "$key" "$tarball" &
      pids[$!]=$name
    done
    for pid in "${!pids[@]}"; do
      wait "$pid" || failed+=("${pids[$pid]}")
    done
  fi

  # Import (or keep) each image whose tarball exists.
  local have label t0
  for spec in "${IMAGES[@]}"; do
    IFS='|' read -r name suite arch extra purge <<<"$spec"
    selected "$name" || continue
    packages="$extra,$COMMON_PACKAGES"
    key=$(key_of "$suite" "$arch" "$packages" "$purge")
    tarball=$CACHE/$name-$key.tar
    [ -f "$tarball" ] || continue
    if [ "$arch" != "$HOST_ARCH" ] && ! foreign_arch_runs "$arch"; then
      failed+=("$name")
      continue
    fi
    have=$(docker image inspect -f '{{index .Config.Labels "org.sockoptbridge.image-key"}}' "$REPO:$name" 2>/dev/null || true)
    if [ "$have" = "$key" ]; then
      log "[$name] image $REPO:$name is current (key $key)"
    else
      t0=$(now)
      # --platform records the architecture in the image where the engine keeps it (Docker
      # 20.10 keeps only the OS and labels an arm64 image amd64; the smoke test below prints what
      # the image really runs, and the org.sockoptbridge.arch label says it too).
      docker import --platform "linux/$arch" \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["sleep", "infinity"]' \
        --change "LABEL org.sockoptbridge.image-key=$key" \
        --change "LABEL org.sockoptbridge.cell-image=$name" \
        --change "LABEL org.sockoptbridge.arch=$arch" \
        "$tarball" "$REPO:$name" >/dev/null
      log "[$name] imported $REPO:$name in $(($(now) - t0))s"
    fi
    # Smoke test: the JRE starts in the image, as the matrix will run it.
    if ! have=$(timeout 120 docker run --rm --network none "$REPO:$name" sh -c 'uname -m && java -version' 2>&1); then
      log "[$name] ERROR: 'java -version' fails in $REPO:$name:"
      printf '%s\n' "$have" | sed "s/^/  [$name] /" >&2
      failed+=("$name")
      continue
    fi
    log "[$name] $REPO:$name runs on $(echo "$have" | sed -n 1p): $(echo "$have" | sed -n 2p)"
    # Keep the cache bounded: drop this image's tarballs of older recipes.
    for label in "$CACHE/$name"-*.tar; do
      [ "$label" = "$tarball" ] || [ ! -f "$label" ] || { log "[$name] removing stale $(basename "$label")"; rm -f "$label"; }
    done
  done
  docker image prune -f --filter label=org.sockoptbridge.cell-image >/dev/null 2>&1 || true
  rmdir "$CACHE/work" 2>/dev/null || true

  log "done in $(($(now) - start))s; cache $(du -sh "$CACHE" | cut -f1) in $CACHE"
  if [ ${#failed[@]} -gt 0 ]; then
    log "ERROR: could not build: ${failed[*]} (see the messages above)"
    exit 1
  fi
}

main "$@"
