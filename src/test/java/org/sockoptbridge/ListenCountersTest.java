package org.sockoptbridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The host's drop counters: deltas, and unknown (never 0) where a counter is absent. */
class ListenCountersTest {
    @Test
    void deltaIsUnknownWhereEitherSnapshotLacksTheCounterOrItWentDown() {
        ListenCounters before = new ListenCounters(0, new long[] {10, 12, -1, 5, 7});
        ListenCounters after = new ListenCounters(1, new long[] {13, 15, 4, -1, 6});
        ListenCounters delta = after.since(before);
        assertEquals(OptionalLong.of(3), delta.get(ListenCounters.Counter.LISTEN_OVERFLOWS));
        assertEquals(OptionalLong.of(3), delta.get(ListenCounters.Counter.LISTEN_DROPS));
        assertFalse(delta.isKnown(ListenCounters.Counter.TCP_REQ_Q_FULL_DROP), "absent before: unknown, not 4");
        assertFalse(delta.isKnown(ListenCounters.Counter.TCP_REQ_Q_FULL_DO_COOKIES), "absent now: unknown");
        assertFalse(delta.isKnown(ListenCounters.Counter.SYNCOOKIES_SENT), "went down: unknown, not -1");
        assertTrue(delta.anyDropped());
        Map<String, Long> map = delta.asMap();
        assertEquals(3L, map.get("ListenOverflows"));
        assertTrue(map.containsKey("SyncookiesSent"));
        assertNull(map.get("SyncookiesSent"), "JSON null, never 0");
        assertEquals("ListenOverflows=3 ListenDrops=3 TCPReqQFullDrop=unknown TCPReqQFullDoCookies=unknown "
                + "SyncookiesSent=unknown", delta.toString());
    }

    @Test
    void noDropsWhenNothingRose() {
        ListenCounters same = new ListenCounters(0, new long[] {841, 841, 0, 0, 0});
        assertFalse(same.since(same).anyDropped());
    }

    /** Compared with the file read here, by other code: the same names, the same values (or close: they move). */
    @Test
    void readsWhatProcNetNetstatHolds() throws IOException {
        Path netstat = Path.of("/proc/net/netstat");
        assumeTrue(Files.isReadable(netstat), "/proc/net/netstat absent: not Linux, or no procfs");
        ListenCounters counters = ListenCounters.read(); // first: the file, read after, can only be higher
        String[] lines;
        try (var in = Files.newInputStream(netstat)) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n");
        }
        for (int i = 0; i + 1 < lines.length; i++) {
            if (!lines[i].startsWith("TcpExt:")) {
                continue;
            }
            java.util.List<String> names = java.util.List.of(lines[i].split(" "));
            String[] values = lines[i + 1].split(" ");
            for (ListenCounters.Counter counter : ListenCounters.Counter.values()) {
                int index = names.indexOf(counter.netstatName());
                if (index < 0) {
                    assertFalse(counters.isKnown(counter), counter + " is not in this kernel's file: unknown");
                } else {
                    long expected = Long.parseLong(values[index]);
                    long read = counters.get(counter).getAsLong();
                    assertTrue(read <= expected && read >= 0, counter + ": read " + read + ", file then " + expected);
                }
            }
            return;
        }
        throw new AssertionError("/proc/net/netstat has no TcpExt lines");
    }

    @Test
    void fillRatioAndHeadroom() {
        assertEquals(0.5, new AcceptQueue(2, 4).fillRatio());
        assertEquals(1.25, new AcceptQueue(5, 4).fillRatio(), "the kernel admits one more than the limit");
        assertEquals(2, new AcceptQueue(2, 4).headroom());
        assertEquals(0, new AcceptQueue(5, 4).headroom());
        assertTrue(new AcceptQueue(4, 4).isFull());
    }
}
