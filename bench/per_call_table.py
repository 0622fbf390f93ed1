#!/usr/bin/env python3
"""Turns a bench/per-call.sh run into two Markdown tables.

Medians: for each benchmark and pass, the JMH score and the C floor of the same system calls
(the mean of the C runs just before and just after that pass); medians over the passes of the
score, the floor, the ratio to the floor, the nanoseconds above it, and the ratio to the JDK.

Best: the fastest JMH iteration of each benchmark over all passes, against the fastest C round
over all runs. On a shared machine noise only ever adds time, so the fastest runs are the best
estimate of what the code itself costs; the ratios of the best are the ones to compare with
a target."""
import json
import re
import statistics
import sys
from pathlib import Path

# benchmark -> (C floor line for the same system calls, how many it makes, JDK counterpart)
ROWS = [
    ("cLoopInJvmSetKeepIdle", "setsockopt(TCP_KEEPIDLE)", 1, None),
    ("cLoopInJvmGetKeepIdle", "getsockopt(TCP_KEEPIDLE)", 1, None),
    ("cLoopInJvmSetRcvBuf", "setsockopt(SO_RCVBUF)", 1, None),
    ("cLoopInJvmGetRcvBuf", "getsockopt(SO_RCVBUF)", 1, None),
    ("fdSetKeepIdle", "setsockopt(TCP_KEEPIDLE)+SO_KEEPALIVE", 2, "jdkSetKeepIdleAndKeepAlive"),
    ("channelSetKeepIdle", "setsockopt(TCP_KEEPIDLE)+SO_KEEPALIVE", 2, "jdkSetKeepIdleAndKeepAlive"),
    ("jdkSetKeepIdleAndKeepAlive", "setsockopt(TCP_KEEPIDLE)+SO_KEEPALIVE", 2, None),
    ("jdkSetKeepIdle", "setsockopt(TCP_KEEPIDLE)", 1, None),
    ("fdGetKeepIdle", "getsockopt(TCP_KEEPIDLE)", 1, "jdkGetKeepIdle"),
    ("channelGetKeepIdle", "getsockopt(TCP_KEEPIDLE)", 1, "jdkGetKeepIdle"),
    ("jdkGetKeepIdle", "getsockopt(TCP_KEEPIDLE)", 1, None),
    ("fdSetRcvBuf", "setsockopt(SO_RCVBUF)", 1, "jdkSetRcvBuf"),
    ("channelSetRcvBuf", "setsockopt(SO_RCVBUF)", 1, "jdkSetRcvBuf"),
    ("jdkSetRcvBuf", "setsockopt(SO_RCVBUF)", 1, None),
    ("channelGetRcvBuf", "getsockopt(SO_RCVBUF)", 1, "jdkGetRcvBuf"),
    ("jdkGetRcvBuf", "getsockopt(SO_RCVBUF)", 1, None),
    ("channelApplyKeepAliveBatch", "4x(getsockopt+setsockopt):batch", 8, "jdkKeepAliveTimersAndFlag"),
    ("channelThreeKeepAliveSets", "3x(setsockopt(timer)+SO_KEEPALIVE)", 6, "jdkKeepAliveTimersAndFlag"),
    ("jdkKeepAliveTimersAndFlag", "setsockopt(IDLE,INTVL,CNT)+SO_KEEPALIVE", 4, None),
    ("channelControlCreation", None, 0, None),
    ("nativeCallWithoutSyscall", None, 0, None),
]


def read_floor(path, best=False):
    floor = {}
    for line in Path(path).read_text().splitlines():
        match = re.match(r"(\S+)\s+([\d.]+) ns/call \(([\d.]+) \.\.", line)
        if match:
            floor[match.group(1)] = float(match.group(3 if best else 2))
    return floor


def read_best_iterations(path):
    best = {}
    for result in json.loads(Path(path).read_text()):
        name = result["benchmark"].rsplit(".", 1)[1]
        best[name] = min(score for fork in result["primaryMetric"]["rawData"] for score in fork)
    return best


def read_jmh(path):
    scores, alloc = {}, {}
    for result in json.loads(Path(path).read_text()):
        name = result["benchmark"].rsplit(".", 1)[1]
        scores[name] = result["primaryMetric"]["score"]
        norm = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        alloc[name] = norm["score"] if norm else float("nan")
    return scores, alloc


# single-system-call benchmarks -> the same C loop run inside the JVM
IN_JVM = {
    "SetKeepIdle": "cLoopInJvmSetKeepIdle", "GetKeepIdle": "cLoopInJvmGetKeepIdle",
    "SetRcvBuf": "cLoopInJvmSetRcvBuf", "GetRcvBuf": "cLoopInJvmGetRcvBuf",
}


def in_jvm_floor(name, syscalls):
    if syscalls != 1 or name.startswith("cLoop"):
        return None
    for suffix, loop in IN_JVM.items():
        if name.endswith(suffix):
            return loop
    return None


def median(values):
    return statistics.median(values) if values else None


def main(out, passes):
    out = Path(out)
    floors = [read_floor(out / f"c-floor-{i}.txt") for i in range(passes + 1)]
    runs = [read_jmh(out / f"jmh-{i}.json") for i in range(1, passes + 1)]
    print(f"Medians over {passes} passes; floor = mean of the C runs before and after each pass.\n")
    print("| benchmark | syscalls | ns/op | min..max ns/op | B/op | C floor ns | x C floor | ns above C"
          " | x C in JVM | x JDK |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, floor_op, syscalls, jdk in ROWS:
        scores = [scores[name] for scores, _ in runs if name in scores]
        if not scores:
            continue
        allocs = [alloc[name] for _, alloc in runs if name in alloc]
        floor_text = ratio_c = above_c = ratio_jdk = ""
        if floor_op:
            per_pass = [(floors[i][floor_op] + floors[i + 1][floor_op]) / 2 for i in range(passes)]
            ratios = [runs[i][0][name] / per_pass[i] for i in range(passes) if name in runs[i][0]]
            above = [runs[i][0][name] - per_pass[i] for i in range(passes) if name in runs[i][0]]
            floor_text = f"{median(per_pass):.0f}"
            ratio_c = f"{median(ratios):.2f}"
            above_c = f"{median(above):+.0f}"
        if jdk:
            jdk_ratios = [s[name] / s[jdk] for s, _ in runs if name in s and jdk in s]
            if jdk_ratios:
                ratio_jdk = f"{median(jdk_ratios):.2f}"
        ratio_in_jvm = ""
        loop = in_jvm_floor(name, syscalls)
        if loop:
            loop_ratios = [s[name] / s[loop] for s, _ in runs if name in s and loop in s]
            if loop_ratios:
                ratio_in_jvm = f"{median(loop_ratios):.2f}"
        print(f"| {name} | {syscalls} | {median(scores):.0f} | {min(scores):.0f}..{max(scores):.0f}"
              f" | {median(allocs):.0f} | {floor_text} | {ratio_c} | {above_c} | {ratio_in_jvm} | {ratio_jdk} |")

    c_best = {}
    for i in range(passes + 1):
        for op, value in read_floor(out / f"c-floor-{i}.txt", best=True).items():
            c_best[op] = min(value, c_best.get(op, value))
    jmh_best = {}
    for i in range(1, passes + 1):
        for name, value in read_best_iterations(out / f"jmh-{i}.json").items():
            jmh_best[name] = min(value, jmh_best.get(name, value))
    print("\nBest: fastest JMH iteration over all passes vs fastest C round over all runs.\n")
    print("| benchmark | syscalls | best ns/op | best C floor ns | x C floor | ns above C | x C in JVM | x JDK |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, floor_op, syscalls, jdk in ROWS:
        if name not in jmh_best:
            continue
        score = jmh_best[name]
        floor_text = ratio_c = above_c = ratio_jdk = ""
        if floor_op:
            floor_text = f"{c_best[floor_op]:.0f}"
            ratio_c = f"{score / c_best[floor_op]:.2f}"
            above_c = f"{score - c_best[floor_op]:+.0f}"
        if jdk and jdk in jmh_best:
            ratio_jdk = f"{score / jmh_best[jdk]:.2f}"
        loop = in_jvm_floor(name, syscalls)
        ratio_in_jvm = f"{score / jmh_best[loop]:.2f}" if loop and loop in jmh_best else ""
        print(f"| {name} | {syscalls} | {score:.0f} | {floor_text} | {ratio_c} | {above_c} | {ratio_in_jvm}"
              f" | {ratio_jdk} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench", int(sys.argv[2]) if len(sys.argv) > 2 else 3)
