package org.sockoptbridge.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.OptionName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * JniShim's copy of the codes is the C header's: every #define and enum value it mirrors is read
 * from native/include/sockopt_bridge.h and compared, so an edit on one side alone fails here, not
 * at a user's startup.
 */
class JniShimHeaderTest {
    private static final Pattern DEFINE = Pattern.compile("#define\\s+(SOB_[A-Z0-9_]+)\\s+(-?\\d+)\\b");
    private static final Pattern ENUM_ENTRY = Pattern.compile("\\b(SOB_[A-Z0-9_]+)\\s*=\\s*(-?\\d+)\\s*,?");

    private static final Path HEADER = Path.of("native/include/sockopt_bridge.h");

    private static Map<String, Integer> headerConstants() throws IOException {
        // The container matrix runs the compiled tests without the source tree.
        assumeTrue(Files.exists(HEADER), "skipped: needs the source tree (" + HEADER + "), not here");
        String header = Files.readString(HEADER);
        Map<String, Integer> constants = new HashMap<>();
        for (Pattern pattern : new Pattern[] {DEFINE, ENUM_ENTRY}) {
            Matcher m = pattern.matcher(header);
            while (m.find()) {
                constants.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return constants;
    }

    @Test
    void everyMirroredCodeEqualsTheHeader() throws IOException {
        Map<String, Integer> c = headerConstants();
        assertEquals(c.get("SOB_ABI_VERSION"), JniShim.ABI_VERSION);
        assertEquals(c.get("SOB_OPTION_COUNT"), JniShim.OPTION_COUNT);
        assertEquals(c.get("SOB_SO_KEEPALIVE"), JniShim.OPTION_SO_KEEPALIVE);
        assertEquals(c.get("SOB_SUPPORTED"), JniShim.STATUS_SUPPORTED);
        assertEquals(c.get("SOB_NOT_COMPILED"), JniShim.STATUS_NOT_COMPILED);
        assertEquals(c.get("SOB_KERNEL_REJECTED"), JniShim.STATUS_KERNEL_REJECTED);
        assertEquals(c.get("SOB_NO_IPV6"), JniShim.STATUS_NO_IPV6);
        assertEquals(c.get("SOB_FAMILY_UNIX"), JniShim.FAMILY_UNIX);
        assertEquals(c.get("SOB_FAMILY_INET"), JniShim.FAMILY_INET);
        assertEquals(c.get("SOB_FAMILY_INET6"), JniShim.FAMILY_INET6);
        assertEquals(c.get("SOB_TYPE_STREAM"), JniShim.TYPE_STREAM);
        assertEquals(c.get("SOB_TYPE_DGRAM"), JniShim.TYPE_DGRAM);
        assertEquals(c.get("SOB_TYPE_OTHER"), JniShim.TYPE_OTHER);
        assertEquals(c.get("SOB_BATCH_INDEX_UNIT"), JniShim.BATCH_INDEX_UNIT);
        assertEquals(c.get("SOB_BATCH_MAX"), JniShim.BATCH_MAX);
        assertEquals(c.get("SOB_FILE_REGULAR"), JniShim.FILE_REGULAR);
        assertEquals(c.get("SOB_FILE_DIRECTORY"), JniShim.FILE_DIRECTORY);
        assertEquals(c.get("SOB_FILE_FIFO"), JniShim.FILE_FIFO);
        assertEquals(c.get("SOB_FILE_CHAR_DEVICE"), JniShim.FILE_CHAR_DEVICE);
        assertEquals(c.get("SOB_FILE_BLOCK_DEVICE"), JniShim.FILE_BLOCK_DEVICE);
        assertEquals(c.get("SOB_FILE_SYMLINK"), JniShim.FILE_SYMLINK);
        assertEquals(c.get("SOB_FILE_SOCKET"), JniShim.FILE_SOCKET);
        assertEquals(c.get("SOB_FILE_OTHER"), JniShim.FILE_OTHER);
        assertEquals(c.get("SOB_HOST_LIMIT_COUNT"), JniShim.HOST_LIMIT_COUNT);
        assertEquals(c.get("SOB_TCPI_STATE"), JniShim.TCPI_STATE);
        assertEquals(c.get("SOB_TCPI_RETRANSMITS"), JniShim.TCPI_RETRANSMITS);
        assertEquals(c.get("SOB_TCPI_PROBES"), JniShim.TCPI_PROBES);
        assertEquals(c.get("SOB_TCPI_UNACKED"), JniShim.TCPI_UNACKED);
        assertEquals(c.get("SOB_TCPI_TOTAL_RETRANS"), JniShim.TCPI_TOTAL_RETRANS);
        assertEquals(c.get("SOB_TCPI_LAST_DATA_RECV"), JniShim.TCPI_LAST_DATA_RECV);
        assertEquals(c.get("SOB_TCPI_LAST_ACK_RECV"), JniShim.TCPI_LAST_ACK_RECV);
        assertEquals(c.get("SOB_TCPI_FIELDS"), JniShim.TCPI_FIELDS);
    }

    @Test
    void hostLimitIdsAreTheKindOrdinals() throws IOException {
        Map<String, Integer> c = headerConstants();
        for (org.sockoptbridge.HostLimit.Kind kind : org.sockoptbridge.HostLimit.Kind.values()) {
            assertEquals(c.get("SOB_LIMIT_" + kind.name()), kind.ordinal(), kind.name());
        }
        assertEquals(c.get("SOB_HOST_LIMIT_COUNT"), org.sockoptbridge.HostLimit.Kind.values().length);
    }

    @Test
    void optionIdsAreTheEnumOrdinals() throws IOException {
        Map<String, Integer> c = headerConstants();
        for (OptionName option : OptionName.values()) {
            assertEquals(c.get("SOB_" + option.name()), option.ordinal(), option.name());
        }
        assertEquals(c.get("SOB_OPTION_COUNT") - 1, OptionName.values().length, "the public options plus SO_KEEPALIVE");
    }

    @Test
    void theBuiltLibraryPassesTheLayoutCheckAtLoad() {
        assertTrue(NativeLoader.result().loaded(), "loading runs JniShim.checkAbi, which compares the library's layout with this class's");
        org.junit.jupiter.api.Assumptions.assumeTrue("shim".equals(NativeLoader.result().backend().name()),
                "skipped: this run forces the portable backend, so the shim was not loaded");
    }

    @Test
    void decodingInvertsEncoding() {
        int capability = JniShim.encodeCapability(JniShim.STATUS_KERNEL_REJECTED, 92);
        assertEquals(JniShim.STATUS_KERNEL_REJECTED, JniShim.capabilityStatus(capability));
        assertEquals(92, JniShim.capabilityErrno(capability));
        int kind = JniShim.encodeSocketKind(true, JniShim.FAMILY_INET6, JniShim.TYPE_DGRAM);
        assertEquals(JniShim.FAMILY_INET6, JniShim.socketFamily(kind));
        assertEquals(JniShim.TYPE_DGRAM, JniShim.socketType(kind));
        assertTrue(JniShim.socketBound(kind));
        long queue = JniShim.encodeQueue(9, 4096);
        assertEquals(9, JniShim.queueLength(queue));
        assertEquals(4096, JniShim.queueLimit(queue));
        int batch = JniShim.encodeBatchFailure(3, 22);
        assertEquals(3, JniShim.batchFailedIndex(batch));
        assertEquals(22, JniShim.batchErrno(batch));
    }
}
