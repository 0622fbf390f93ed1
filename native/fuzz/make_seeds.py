#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_shim.c into corpus/: one program per fd kind that touches every
option id through set, get and batch, plus programs aimed at the edges (descriptors that are not
open, batch counts, ids out of range). Rerun after changing the harness's input format:
    python3 native/fuzz/make_seeds.py
The byte layout follows fuzz_shim.c: an opcode byte (op % 8), then that operation's arguments."""
import os
import struct

OPEN, SET, GET, BATCH, KIND, QUEUE, TABLE, CLOSE = range(8)
KINDS = ["tcp4", "tcp4-bound", "tcp4-listen", "tcp4-connected", "tcp4-listen-pending",
         "tcp6", "tcp6-bound", "tcp6-listen", "tcp6-connected",
         "udp4", "udp4-bound", "udp6", "udp6-bound",
         "unix-stream-pair", "unix-dgram-pair", "unix-listen",
         "netlink", "regular-file", "dev-null", "pipe", "eventfd", "epoll"]
# interesting_int selectors: 0 lo, 1 hi, 3 hi+1, 9 lo+next byte % 64, 11 raw int32
def lo_plus(n): return bytes([9, n])
def raw(v): return bytes([11]) + struct.pack("<i", v)
LO, HI, HI_PLUS_1 = bytes([0]), bytes([1]), bytes([3])
# pick_fd selectors: < 0xe0 a slot, 0xe0 -1, 0xe1 INT_MIN, 0xe2 INT_MAX, 0xe3 any negative,
# 0xe4 at or above the kernel's descriptor ceiling, 0xe5 just closed
def slot(n): return bytes([n])

OPTION_COUNT = 9  # SOB_OPTION_COUNT in sockopt_bridge.h: the public options, then SO_KEEPALIVE

def every_option(fd):
    out = b""
    for oid in range(OPTION_COUNT):
        out += bytes([SET]) + fd + bytes([oid]) + lo_plus(3)
        out += bytes([GET]) + fd + bytes([oid])
    return out

def batch(fd, pairs, how=5):
    out = bytes([BATCH]) + fd + bytes([how, len(pairs) - 1])
    for oid, value in pairs:
        out += bytes([oid]) + value
    return out

seeds = {}
for k, name in enumerate(KINDS):
    prog = bytes([OPEN, 0, k]) + lo_plus(5)
    prog += bytes([KIND]) + slot(0) + bytes([QUEUE]) + slot(0)
    prog += every_option(slot(0))
    prog += batch(slot(0), [(0, lo_plus(60)), (1, lo_plus(4)), (2, lo_plus(2)), (3, raw(65536))])
    prog += batch(slot(0), [(4, raw(65536)), (0, HI_PLUS_1)])  # fails last: roll back
    prog += bytes([KIND]) + slot(1) + bytes([GET]) + slot(1) + bytes([3])
    prog += bytes([CLOSE, 0]) + bytes([KIND]) + slot(0)
    seeds["kind-" + name] = prog

edges = b""
for sel in range(0xe0, 0xe6):
    edges += bytes([GET, sel, 0]) + bytes([SET, sel, 3]) + raw(4096) + bytes([KIND, sel, QUEUE, sel])
seeds["fds-that-are-not-open"] = edges

prog = bytes([OPEN, 0, 0]) + lo_plus(1)
for how in (0, 1, 2, 3, 4, 0x85, 0x80):
    prog += bytes([BATCH, 0, how, 3])
prog += batch(slot(0), [(0xc0, bytes([6])), (0, lo_plus(1))])  # id INT_MIN
seeds["batch-counts-and-null-arrays"] = prog

prog = b""
for sel in (0, 1, 2, 3, 4, 5, 6, 7, 11):
    prog += bytes([TABLE, 0xc0, sel]) + (struct.pack("<i", -7) if sel == 11 else b"")
prog += bytes([TABLE, 0xc0, 1, TABLE, 0xc0, 3])  # SOB_OPTION_COUNT and +1
seeds["table-ids-out-of-range"] = prog

here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, "corpus"), exist_ok=True)
for name, prog in seeds.items():
    with open(os.path.join(here, "corpus", name), "wb") as f:
        f.write(prog)
print(f"wrote {len(seeds)} seeds to {os.path.join(here, 'corpus')}")
