#!/usr/bin/env bash
# The whole Linux container matrix in one command (as root, after
# `mvn -Pall-platforms -Dnative.aarch64.sysroot=DIR package` at the root, which puts every
# platform's shim into the CLI jar; the arm64 cell needs the aarch64 one):
#
#   platform-tests/scripts/run-matrix.sh
#
# 1. lets the kernel run arm64 programs through qemu-user (binfmt-aarch64.sh register; installs
#    qemu-user-static if needed, reuses an entry that is already there),
# 2. starts a Docker engine (docker-engine.sh; installs docker.io if needed, reuses a running one),
# 3. builds the cell images (build-images.sh; cached tarballs, so a warm run does no debootstrap),
# 4. runs `mvn -B -f platform-tests/pom.xml verify` (the matrix tests; they write
#    platform-tests/target/matrix.md and matrix.json, also when a cell fails),
# 5. always stops the engine it started and removes the binfmt_misc entry (and mount) it made,
#    and exits with the first failing step's code.
#
# The user-land cells (arm64 included) also run the host's JUnit suite (target/test-classes)
# with their JDK.
#
# Environment: SOB_CLI_JAR (the CLI jar to test; default target/sockopt-bridge-cli.jar), and those
# of docker-engine.sh and build-images.sh. Extra arguments go to Maven.
set -euo pipefail

scripts=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$scripts")
root=$(dirname "$tests")
t_start=$(date +%s)

# shellcheck disable=SC2317  # called by the traps
stop_engine() {
  local rc=$?
  trap - EXIT INT TERM
  "$scripts/docker-engine.sh" stop || true
  "$scripts/binfmt-aarch64.sh" restore || true
  echo "run-matrix: finished in $(($(date +%s) - t_start))s with exit code $rc" >&2
  exit "$rc"
}
trap stop_engine EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

jar=${SOB_CLI_JAR:-$root/target/sockopt-bridge-cli.jar}
if [ ! -f "$jar" ]; then
  echo "run-matrix: $jar does not exist: run 'mvn package' at the repository root first" >&2
  exit 1
fi
export SOB_CLI_JAR=$jar

# The host's JUnit suite for the user-land cells: compiled test classes, the main classes, the
# test-only native library, every test dependency, and JUnit's console launcher. Needs a prior
# `mvn verify` (or test-compile); without it the cells run only the CLI and say so.
if [ -d "$root/target/test-classes" ] && [ -d "$root/target/native-test" ]; then
  suite=$root/target/platform-suite
  rm -rf "$suite"
  mkdir -p "$suite/deps"
  cp -r "$root/target/test-classes" "$root/target/classes" "$root/target/native-test" "$suite/"
  # The cross builds' test-only libraries (CMake builds them for every Linux target), so that the
  # tests that load them run in the arm64 cell too. Each file is named for its platform.
  for lib in "$root"/target/native-linux-*/libsockopt_bridge-linux-*-without-options.so \
      "$root"/target/native-linux-*/libsockopt_bridge-linux-*-other-abi.so; do
    [ ! -f "$lib" ] || cp "$lib" "$suite/native-test/"
  done
  # JUnit's own jars come from the standalone launcher only (two copies of an engine clash).
  mvn -B -ntp -q -f "$root/pom.xml" dependency:copy-dependencies -DincludeScope=test \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.junit.vintage,org.opentest4j,org.apiguardian \
    -DoutputDirectory="$suite/deps"
  junit_platform=$(sed -n 's:.*<junit.platform.version>\(.*\)</junit.platform.version>.*:\1:p' "$root/pom.xml")
  mvn -B -ntp -q -f "$root/pom.xml" dependency:copy \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" -DoutputDirectory="$suite/deps"
  export SOB_SUITE_DIR=$suite
else
  echo "run-matrix: $root/target/test-classes missing (run mvn verify first): cells run the CLI only" >&2
fi

"$scripts/binfmt-aarch64.sh" register
"$scripts/docker-engine.sh" start
t=$(date +%s)
"$scripts/build-images.sh"
echo "run-matrix: images ready in $(($(date +%s) - t))s" >&2

t=$(date +%s)
mvn_rc=0
mvn -B -ntp -f "$tests/pom.xml" verify "$@" || mvn_rc=$?
echo "run-matrix: matrix tests took $(($(date +%s) - t))s (mvn exit $mvn_rc)" >&2
if [ -f "$tests/target/matrix.md" ]; then
  echo "run-matrix: report: $tests/target/matrix.md (and matrix.json)" >&2
  cat "$tests/target/matrix.md"
fi
exit "$mvn_rc"
