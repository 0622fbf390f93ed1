#!/usr/bin/env bash
# Per-call cost, side by side: the C floor (bench/native/bench_raw_setsockopt) and JMH's
# PerCallBenchmark (bridge and JDK on the same socket), alternated PASSES times (C, JMH, C, JMH,
# ..., C) so that the machine's noise reaches both; then one table of medians over the passes,
# with each pass's JMH score compared to the mean of the C runs on either side of it.
# Results land in target/bench/.
#   bench/per-call.sh
#   PASSES=5 BENCH_ARGS='-f 1 -wi 3 -w 1s -i 5 -r 1s' bench/per-call.sh
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/per-call.sh
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-target/bench}
passes=${PASSES:-3}
jmh_args=${BENCH_ARGS:--f 1 -wi 2 -w 500ms -i 5 -r 500ms}
java_bin=$(command -v "${JAVA:-java}")
floor=target/native-build/bench_raw_setsockopt
c_args=${C_ARGS:-100000 15}

rm -rf "$out" && mkdir -p "$out"
mvn -B -ntp -q -Pbench test-compile -Dtest.jvm="$java_bin" >/dev/null

{ uname -srm; "$java_bin" -version 2>&1 | head -2; date -u +%FT%TZ; uptime; } | tee "$out/env.txt"
"$floor" $c_args | tee "$out/c-floor-0.txt"
for pass in $(seq 1 "$passes"); do
  echo "== pass $pass of $passes"
  # JMH refuses to run while another JMH holds /tmp/jmh.lock (another benchmark on this
  # machine): wait for it rather than measure two benchmarks against each other.
  until mvn -B -ntp -q -Pbench exec:exec -Dtest.jvm="$java_bin" \
      -Dbench.args="PerCallBenchmark $jmh_args -prof gc -rf json -rff $out/jmh-$pass.json" \
      >"$out/jmh-$pass.txt" 2>&1; do
    grep -q 'Unable to acquire the JMH lock' "$out/jmh-$pass.txt" || { cat "$out/jmh-$pass.txt"; exit 1; }
    echo "another JMH run holds /tmp/jmh.lock; waiting"
    sleep 15
  done
  grep -E '^PerCallBenchmark\.[a-zA-Z]+ ' "$out/jmh-$pass.txt" || true
  "$floor" $c_args | tee "$out/c-floor-$pass.txt"
done
uptime | tee -a "$out/env.txt"
python3 bench/per_call_table.py "$out" "$passes" | tee "$out/table.md"
