#!/usr/bin/env bash
# Startup cost, side by side with hyperfine: the mains in bench/java/org/sockoptbridge/bench
# (Start*.java), each in a fresh JVM on the test class path, on every JVM given in JVMS; then
# per main the number of classes loaded and which of them come from jnr-posix, jnr-ffi/jffi
# and the bridge (-Xlog:class+load). Results land in target/bench-startup/.
#   bench/startup.sh
#   RUNS=40 JVMS="java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java" bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-target/bench-startup}
runs=${RUNS:-30}
jvms=${JVMS:-"java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"}
mains=${MAINS:-"StartBare StartJdkSetOption StartSystemLoad StartNativeLoader StartStartupCheck StartCheckAndFirstSet StartJnrFfi"}
library=$(ls target/classes/META-INF/native/*/libsockopt_bridge-*.so | head -1)
library_for() { echo "$library"; }

mkdir -p "$out"
mvn -B -ntp -q test-compile >/dev/null
mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/deps.txt" >/dev/null
cp="target/test-classes:target/classes:$(cat "$out/deps.txt")"

{ uname -srm; date -u +%FT%TZ; uptime; } | tee "$out/env.txt"
for jvm in $jvms; do
  java_bin=$(command -v "$jvm")
  tag=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
  "$java_bin" -version 2>&1 | head -2 | tee -a "$out/env.txt"
  commands=()
  for main in $mains; do
    commands+=(-n "$main" "$java_bin -cp $cp org.sockoptbridge.bench.$main $(library_for "$main")")
  done
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/hyperfine-$tag.json" \
      --export-markdown "$out/hyperfine-$tag.md" "${commands[@]}" >"$out/hyperfine-$tag.txt" 2>&1 \
      || { cat "$out/hyperfine-$tag.txt"; exit 1; }
  echo "## $java_bin ($tag)"
  cat "$out/hyperfine-$tag.md"
  echo
  echo "| main | classes loaded | jnr-posix | jnr-ffi + jffi + jnr-* | org.sockoptbridge |"
  echo "|---|---:|---:|---:|---:|"
  for main in $mains; do
    log="$out/classload-$tag-$main.txt"
    "$java_bin" -Xlog:class+load=info:file="$log" -cp "$cp" "org.sockoptbridge.bench.$main" "$(library_for "$main")" 2>/dev/null
    echo "| $main | $(grep -c 'class,load' "$log") | $(grep -c ' jnr\.posix\.' "$log" || true)" \
         "| $(grep -cE ' (jnr\.|com\.kenai\.jffi\.)' "$log" || true)" \
         "| $(grep -c ' org\.sockoptbridge\.[a-zA-Z.]*[A-Z]' "$log" | tr -d '\n'; true) |"
  done
  echo
done | tee "$out/results.md"
