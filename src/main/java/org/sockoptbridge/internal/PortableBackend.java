package org.sockoptbridge.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import jnr.constants.platform.AddressFamily;
import jnr.constants.platform.Errno;
import jnr.constants.platform.IPProto;
import jnr.constants.platform.IPv6;
import jnr.constants.platform.Sock;
import jnr.constants.platform.SocketLevel;
import jnr.constants.platform.SocketOption;
import jnr.constants.platform.TCP;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.NativeLongByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.Pointer;

/**
 * The shim's contract implemented over libc through jnr-ffi, for an os-arch the jar has no shim
 * for. Option numbers come from jnr-constants (generated from each OS's headers), so this
 * backend knows exactly what jnr-constants knows: an option whose constant it lacks on this OS is
 * reported as not compiled, with {@link #unsupportedDetail} saying so. Everything else (ranges,
 * the keep-alive coupling, the all-or-nothing batch, the capability probe, the socket kind, the
 * accept queue) follows native/src/sockopt.c, options.c and listen_queue.c step for step, and
 * uses the same encodings, so the rest of the bridge cannot tell the two backends apart.
 *
 * <p>Only {@link Backends#portable} constructs it: this class is the only one that names jnr
 * types, so jnr-ffi and jffi load only on that path.
 */
final class PortableBackend implements NativeBackend {

    /** libc, as jnr-ffi binds it. socklen_t is a 32-bit unsigned int on every OS jffi ships for. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int name, @In int[] value, int length);

        /**
         * The length is in/out: the kernel reads how much room there is and writes how much it
         * filled (jnr notes in shared/reference/platform-semantics.md: with an in-only length the
         * calls fail with EINVAL intermittently). int[] rather than a byte buffer so that one
         * signature serves both the int options and TCP_INFO.
         */
        int getsockopt(int fd, int level, int name, @Out int[] value, @In @Out int[] length);

        int getsockname(int fd, @Out byte[] address, @In @Out int[] length);

        int bind(int fd, @In byte[] address, int length);

        int close(int fd);
    }

    /**
     * sysctlbyname(3), bound only on the OSes that have it (macOS, FreeBSD, NetBSD): glibc and musl
     * have none, and a missing symbol must not fail the libc binding. size_t is an unsigned long on
     * every OS jffi ships for, hence the NativeLong length.
     */
    public interface Sysctl {
        int sysctlbyname(String name, @Out byte[] value, @In @Out NativeLongByReference length, Pointer newValue,
                         @size_t long newLength);
    }

    /** Bound separately: only glibc has it, and a missing symbol must not fail the libc binding. */
    public interface GlibcVersion {
        String gnu_get_libc_version();
    }

    /** Which throwaway socket proves an option (enum sob_kind in options_table.h). */
    private enum ProbeKind { ANY, TCP, INET6 }

    /** One row of the option table (struct sob_option_entry), plus why it is absent. */
    private static final class Entry {
        final boolean compiled;
        final int level;
        final int name;
        final String symbol;
        final int min;
        final int max;
        final ProbeKind kind;
        final String whyAbsent;

        private Entry(boolean compiled, int level, int name, String symbol, int min, int max, ProbeKind kind,
                      String whyAbsent) {
            this.compiled = compiled;
            this.level = level;
            this.name = name;
            this.symbol = symbol;
            this.min = min;
            this.max = max;
            this.kind = kind;
            this.whyAbsent = whyAbsent;
        }

        static Entry of(int level, int name, String symbol, int min, int max, ProbeKind kind) {
            return new Entry(true, level, name, symbol, min, max, kind, null);
        }

        static Entry absent(String symbol, ProbeKind kind, String why) {
            return new Entry(false, -1, -1, symbol, 0, 0, kind, why);
        }
    }

    /** include/net/tcp_states.h: TCP_LISTEN = 10 (the value tcp_info.tcpi_state reports). */
    private static final int LINUX_TCP_LISTEN = 10;
    /**
     * include/uapi/linux/tcp.h struct tcp_info: eight u8 fields (tcpi_state first), then u32
     * tcpi_rto, tcpi_ato, tcpi_snd_mss, tcpi_rcv_mss, tcpi_unacked (byte 24), tcpi_sacked (byte
     * 28). listen_queue.c requires the kernel to have written at least through tcpi_sacked.
     */
    private static final int TCP_INFO_UNACKED_INT = 6;
    private static final int TCP_INFO_SACKED_INT = 7;
    private static final int TCP_INFO_LISTEN_FIELDS_END = 32;
    /**
     * The same struct further on (u32 each): tcpi_last_data_recv at byte 52, tcpi_last_ack_recv at
     * 56, tcpi_total_retrans at 100; tcpi_retransmits and tcpi_probes are the third and fourth u8.
     * listen_queue.c's sob_tcp_info requires the reply to reach through tcpi_total_retrans.
     */
    private static final int TCP_INFO_LAST_DATA_RECV_INT = 13;
    private static final int TCP_INFO_LAST_ACK_RECV_INT = 14;
    private static final int TCP_INFO_TOTAL_RETRANS_INT = 25;
    private static final int TCP_INFO_CONNECTION_FIELDS_END = 104;
    /** Room for the kernel's whole struct tcp_info (232 bytes on Linux 6.x); it copies min(ours, its). */
    private static final int TCP_INFO_INTS = 64;
    /** sizeof(struct sockaddr_storage) is 128 on every OS here; getsockname truncates to what we offer. */
    private static final int SOCKADDR_STORAGE = 128;

    private final String os;
    private final String whyNoShim;
    private final LibC libc;
    private final Runtime runtime;
    private final String libcName;
    private final String libcVersion;
    private final Entry[] table;
    /** sockaddr starts with a length byte (4.4BSD, macOS, AIX) rather than a 16-bit family (Linux, SunOS). */
    private final boolean bsdSockaddr;
    private final int sunos6Length;
    private final int afInet;
    private final int afInet6;
    private final int afUnix;
    private final int sockStream;
    private final int sockDgram;
    private final int solSocket;
    private final int soType;
    private final int tcpInfo;
    private final int errnoInval;
    private final int errnoNoProtoOpt;
    private final int errnoOpNotSupp;
    private final int errnoAfNoSupport;
    private final Map<Integer, String> errnoNames = new HashMap<>();
    private final Map<String, Integer> errnoValues = new HashMap<>();

    private volatile Probe probe;
    private volatile Object posix; // jnr.posix.POSIX, loaded on the first fileKind call
    private volatile Sysctl sysctl; // bound on the first host-limit read where the OS has sysctlbyname

    private PortableBackend(String os, String whyNoShim, LibC libc, String libcName, String libcVersion) {
        this.os = os;
        this.whyNoShim = whyNoShim;
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
        this.libcName = libcName;
        this.libcVersion = libcVersion;
        this.bsdSockaddr = !os.equals("linux") && !os.equals("sunos") && !os.equals("solaris");
        // sizeof(struct sockaddr_in6): 28 everywhere but SunOS, whose sin6_t carries
        // __sin6_src_id as well (32); bind() there checks the exact size.
        this.sunos6Length = os.equals("sunos") || os.equals("solaris") ? 32 : 28;
        this.afInet = required(AddressFamily.AF_INET.defined(), AddressFamily.AF_INET.intValue(), "AF_INET");
        this.afInet6 = AddressFamily.AF_INET6.defined() ? AddressFamily.AF_INET6.intValue() : -1;
        this.afUnix = AddressFamily.AF_UNIX.defined() ? AddressFamily.AF_UNIX.intValue() : -1;
        this.sockStream = required(Sock.SOCK_STREAM.defined(), Sock.SOCK_STREAM.intValue(), "SOCK_STREAM");
        this.sockDgram = required(Sock.SOCK_DGRAM.defined(), Sock.SOCK_DGRAM.intValue(), "SOCK_DGRAM");
        this.solSocket = required(SocketLevel.SOL_SOCKET.defined(), SocketLevel.SOL_SOCKET.intValue(), "SOL_SOCKET");
        this.soType = required(SocketOption.SO_TYPE.defined(), SocketOption.SO_TYPE.intValue(), "SO_TYPE");
        this.tcpInfo = os.equals("linux") && TCP.TCP_INFO.defined() ? TCP.TCP_INFO.intValue() : -1;
        this.errnoInval = required(Errno.EINVAL.defined(), Errno.EINVAL.intValue(), "EINVAL");
        this.errnoNoProtoOpt = required(Errno.ENOPROTOOPT.defined(), Errno.ENOPROTOOPT.intValue(), "ENOPROTOOPT");
        this.errnoOpNotSupp = required(Errno.EOPNOTSUPP.defined(), Errno.EOPNOTSUPP.intValue(), "EOPNOTSUPP");
        this.errnoAfNoSupport = Errno.EAFNOSUPPORT.defined() ? Errno.EAFNOSUPPORT.intValue() : errnoOpNotSupp;
        this.table = buildTable();
        for (String errnoName : ERRNO_NAMES) {
            Errno constant = errnoConstant(errnoName);
            if (constant != null && constant.defined()) {
                errnoNames.putIfAbsent(constant.intValue(), errnoName);
                errnoValues.put(errnoName, constant.intValue());
            }
        }
    }

    /**
     * Binds libc and checks that this OS's constants are there. Throws where the backend would
     * give wrong answers rather than none.
     */
    static PortableBackend create(String whyNoShim) {
        Platform platform = Platform.current();
        String os = platform.osArch().substring(0, platform.osArch().indexOf('-'));
        String arch = platform.osArch().substring(os.length() + 1);
        if (os.equals("linux") && LINUX_OWN_SOCKET_ABI.matcher(arch).matches()) {
            // jnr-constants has one Linux table, generated where SOL_SOCKET is 1, SO_RCVBUF 8,
            // SOCK_STREAM 1 and ENOPROTOOPT 92 (asm-generic). MIPS, SPARC, Alpha and PA-RISC
            // define their own (arch/*/include/uapi/asm/socket.h: SOL_SOCKET 0xffff, SO_RCVBUF
            // 0x1002; MIPS swaps SOCK_STREAM and SOCK_DGRAM; arch/*/include/uapi/asm/errno.h),
            // so every number from that table would name another option there.
            throw new IllegalStateException("jnr-constants has only the generic Linux socket constants, and "
                    + platform.osArch() + " uses its own (SOL_SOCKET, SO_*, SOCK_*, errno values differ)");
        }
        LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
        String name;
        String version = null;
        if (os.equals("linux")) {
            // jffi ships no musl build (platform-semantics.md), so on Linux this is glibc in
            // practice; gnu_get_libc_version tells, and names the loaded library's version.
            try {
                version = LibraryLoader.create(GlibcVersion.class).failImmediately().load("c").gnu_get_libc_version();
                name = "glibc";
            } catch (RuntimeException | LinkageError e) {
                name = "musl";
            }
        } else if (os.equals("macos")) {
            name = "libSystem";
        } else if (os.endsWith("bsd")) {
            name = "BSD libc";
        } else {
            name = os + " libc";
        }
        return new PortableBackend(os, whyNoShim, libc, name, version);
    }

    /** Linux architectures whose socket ABI differs from asm-generic. */
    private static final java.util.regex.Pattern LINUX_OWN_SOCKET_ABI =
            java.util.regex.Pattern.compile("mips.*|sparc.*|alpha|parisc.*|hppa.*");

    private int required(boolean defined, int value, String constant) {
        if (!defined) {
            throw new IllegalStateException("jnr-constants has no " + constant + " for " + os);
        }
        return value;
    }

    private Entry[] buildTable() {
        // Ranges as options.c has them: Linux include/net/tcp.h (MAX_TCP_KEEPIDLE 32767,
        // MAX_TCP_KEEPINTVL 32767, MAX_TCP_KEEPCNT 127; net/ipv4/tcp.c refuses val < 1 || val > MAX);
        // macOS bsd/netinet/tcp_usrreq.c (seconds up to UINT32_MAX / TCP_RETRANSHZ = 4294967);
        // elsewhere seconds * hz must fit an int for hz up to 1000.
        int idleMax;
        int intvlMax;
        int cntMax;
        if (os.equals("linux")) {
            idleMax = 32767;
            intvlMax = 32767;
            cntMax = 127;
        } else if (os.equals("macos")) {
            idleMax = 4294967;
            intvlMax = 4294967;
            cntMax = Integer.MAX_VALUE;
        } else {
            idleMax = Integer.MAX_VALUE / 1000;
            intvlMax = Integer.MAX_VALUE / 1000;
            cntMax = Integer.MAX_VALUE;
        }
        int tcpLevel = IPProto.IPPROTO_TCP.defined() ? IPProto.IPPROTO_TCP.intValue() : -1;
        Entry[] entries = new Entry[JniShim.OPTION_COUNT];
        // macOS spells the idle time TCP_KEEPALIVE and has no TCP_KEEPIDLE (options.c does the
        // same with #if defined(TCP_KEEPIDLE) / #elif defined(TCP_KEEPALIVE)).
        if (TCP.TCP_KEEPIDLE.defined()) {
            entries[0] = tcp(tcpLevel, TCP.TCP_KEEPIDLE, "TCP_KEEPIDLE", idleMax);
        } else if (os.equals("macos") && TCP.TCP_KEEPALIVE.defined()) {
            entries[0] = tcp(tcpLevel, TCP.TCP_KEEPALIVE, "TCP_KEEPALIVE", idleMax);
        } else {
            entries[0] = absent("TCP_KEEPIDLE", ProbeKind.TCP);
        }
        entries[1] = tcp(tcpLevel, TCP.TCP_KEEPINTVL, "TCP_KEEPINTVL", intvlMax);
        entries[2] = tcp(tcpLevel, TCP.TCP_KEEPCNT, "TCP_KEEPCNT", cntMax);
        // Buffer sizes: negatives refused (a negative int reads as a huge unsigned size and is
        // silently clamped); macOS and FreeBSD refuse 0 as well (EINVAL, options.c BUFFER_MIN); the
        // upper bound is the kernel's own.
        int bufferMin = os.equals("macos") || os.equals("freebsd") ? 1 : 0;
        entries[3] = socketLevel(SocketOption.SO_RCVBUF, "SO_RCVBUF", bufferMin, Integer.MAX_VALUE);
        entries[4] = socketLevel(SocketOption.SO_SNDBUF, "SO_SNDBUF", bufferMin, Integer.MAX_VALUE);
        if (IPv6.IPV6_V6ONLY.defined() && IPProto.IPPROTO_IPV6.defined()) {
            entries[5] = Entry.of(IPProto.IPPROTO_IPV6.intValue(), IPv6.IPV6_V6ONLY.intValue(), "IPV6_V6ONLY", 0, 1,
                    ProbeKind.INET6);
        } else {
            entries[5] = absent("IPV6_V6ONLY", ProbeKind.INET6);
        }
        if (os.equals("freebsd")) {
            // The bridge's SO_REUSEPORT is FreeBSD's SO_REUSEPORT_LB there (options.c), which
            // jnr-constants 0.10.4 does not have: plain SO_REUSEPORT would only share the bind.
            entries[6] = absent("SO_REUSEPORT_LB", ProbeKind.ANY);
        } else {
            entries[6] = socketLevel(SocketOption.SO_REUSEPORT, "SO_REUSEPORT", 0, 1);
        }
        // Linux only, 0..INT_MAX milliseconds, as options.c has it (which says why no other OS's
        // look-alike is mapped); jnr-constants has TCP_USER_TIMEOUT (18) in its Linux table only.
        if (os.equals("linux") && tcpLevel >= 0 && TCP.TCP_USER_TIMEOUT.defined()) {
            entries[7] = Entry.of(tcpLevel, TCP.TCP_USER_TIMEOUT.intValue(), "TCP_USER_TIMEOUT", 0, Integer.MAX_VALUE,
                    ProbeKind.TCP);
        } else {
            entries[7] = absent("TCP_USER_TIMEOUT", ProbeKind.TCP);
        }
        entries[JniShim.OPTION_SO_KEEPALIVE] = socketLevel(SocketOption.SO_KEEPALIVE, "SO_KEEPALIVE", 0, 1);
        if (!entries[JniShim.OPTION_SO_KEEPALIVE].compiled) {
            // Every OS has SO_KEEPALIVE; a table without it is not one this backend can trust.
            throw new IllegalStateException("jnr-constants has no SO_KEEPALIVE for " + os);
        }
        return entries;
    }

    private Entry tcp(int level, TCP constant, String symbol, int max) {
        return level >= 0 && constant.defined() ? Entry.of(level, constant.intValue(), symbol, 1, max, ProbeKind.TCP)
                : absent(symbol, ProbeKind.TCP);
    }

    private Entry socketLevel(SocketOption constant, String symbol, int min, int max) {
        return constant.defined() ? Entry.of(solSocket, constant.intValue(), symbol, min, max, ProbeKind.ANY)
                : absent(symbol, ProbeKind.ANY);
    }

    private Entry absent(String symbol, ProbeKind kind) {
        return Entry.absent(symbol, kind, "the portable backend has no " + symbol + " constant for " + os
                + "; build the shim on this host with `mvn package`");
    }

    private Entry entry(int optionId) {
        return optionId < 0 || optionId >= table.length ? null : table[optionId];
    }

    private Entry usable(int optionId) {
        Entry e = entry(optionId);
        return e != null && e.compiled ? e : null;
    }

    private static boolean isKeepAliveTimer(int optionId) {
        return optionId == 0 || optionId == 1 || optionId == 2;
    }

    // ---- raw calls: 0 or -errno, errno read on this thread right after the call ----

    private int errno() {
        return LastError.getLastError(runtime);
    }

    private int rawSet(int fd, Entry e, int value) {
        return libc.setsockopt(fd, e.level, e.name, new int[] {value}, Integer.BYTES) == 0 ? 0 : -errno();
    }

    /** The value zero-extended, or -errno. */
    private long rawGet(int fd, int level, int name) {
        int[] value = new int[1];
        int[] length = {Integer.BYTES};
        if (libc.getsockopt(fd, level, name, value, length) != 0) {
            return -errno();
        }
        return value[0] & 0xffffffffL;
    }

    // ---- the contract ----

    @Override
    public String name() {
        return "portable";
    }

    /** Why the shim was not used, as the loader said. */
    String whyNoShim() {
        return whyNoShim;
    }

    @Override
    public String unsupportedDetail(int optionId) {
        Entry e = entry(optionId);
        return e == null ? null : e.whyAbsent;
    }

    @Override
    public int optionLevel(int optionId) {
        Entry e = entry(optionId);
        return e == null ? -1 : e.level;
    }

    @Override
    public int optionName(int optionId) {
        Entry e = entry(optionId);
        return e == null ? -1 : e.name;
    }

    @Override
    public String optionSymbol(int optionId) {
        Entry e = entry(optionId);
        return e == null ? "" : e.symbol;
    }

    @Override
    public int optionMin(int optionId) {
        Entry e = entry(optionId);
        return e == null ? 0 : e.min;
    }

    @Override
    public int optionMax(int optionId) {
        Entry e = entry(optionId);
        return e == null ? 0 : e.max;
    }

    /** net/core/sock.c __sock_set_rcvbuf doubles on Linux; elsewhere stored as given (options.c). */
    @Override
    public int bufferReadbackFactor() {
        return os.equals("linux") ? 2 : 1;
    }

    @Override
    public String libcName() {
        return libcName;
    }

    @Override
    public String libcVersion() {
        return libcVersion;
    }

    @Override
    public int setInt(int fd, int optionId, int value) {
        Entry e = usable(optionId);
        if (e == null) {
            return -errnoNoProtoOpt;
        }
        if (value < e.min || value > e.max) {
            return -errnoInval;
        }
        // Timer first, so that a socket that rejects the timer is left untouched (sob_set_int).
        int rc = rawSet(fd, e, value);
        if (rc == 0 && isKeepAliveTimer(optionId)) {
            rc = rawSet(fd, table[JniShim.OPTION_SO_KEEPALIVE], 1);
        }
        return rc;
    }

    @Override
    public long getInt(int fd, int optionId) {
        Entry e = usable(optionId);
        if (e == null) {
            return -errnoNoProtoOpt;
        }
        return rawGet(fd, e.level, e.name);
    }

    @Override
    public int setBatch(int fd, int[] optionIds, int[] values, int count) {
        if (count < 0 || count > JniShim.BATCH_MAX
                || (count > 0 && (optionIds == null || values == null || optionIds.length < count || values.length < count))) {
            return JniShim.encodeBatchFailure(0, errnoInval);
        }
        Entry[] undoEntries = new Entry[JniShim.BATCH_MAX + 1];
        int[] undoIds = new int[JniShim.BATCH_MAX + 1];
        int[] undoValues = new int[JniShim.BATCH_MAX + 1];
        int applied = 0;
        boolean wantsKeepAlive = false;
        boolean setsKeepAlive = false;
        for (int i = 0; i < count; i++) {
            wantsKeepAlive |= isKeepAliveTimer(optionIds[i]);
            setsKeepAlive |= optionIds[i] == JniShim.OPTION_SO_KEEPALIVE;
        }
        // Keep-alive timers act only with SO_KEEPALIVE on: it goes last unless the batch sets it.
        boolean keepAliveTail = wantsKeepAlive && !setsKeepAlive;
        for (int i = 0; i < count; i++) {
            int id = optionIds[i];
            Entry e = usable(id);
            int rc;
            if (e == null) {
                rc = -errnoNoProtoOpt;
            } else if (values[i] < e.min || values[i] > e.max) {
                rc = -errnoInval;
            } else if (i == count - 1 && !keepAliveTail) {
                // The last change takes no snapshot: if it fails nothing of it was applied, and
                // nothing after it can fail.
                rc = rawSet(fd, e, values[i]);
            } else {
                long old = rawGet(fd, e.level, e.name);
                if (old < 0) {
                    // One mistake, one error: report what setsockopt says, as setInt does (Linux
                    // answers a TCP option on a UDP socket with EOPNOTSUPP from getsockopt but
                    // ENOPROTOOPT from setsockopt; see set_recording in sockopt.c).
                    int setRc = rawSet(fd, e, values[i]);
                    rc = setRc != 0 ? setRc : (int) old;
                } else {
                    rc = rawSet(fd, e, values[i]);
                    if (rc == 0) {
                        undoEntries[applied] = e;
                        undoIds[applied] = id;
                        undoValues[applied] = (int) old;
                        applied++;
                    }
                }
            }
            if (rc != 0) {
                rollBack(fd, undoEntries, undoIds, undoValues, applied);
                return JniShim.encodeBatchFailure(i, -rc);
            }
        }
        if (keepAliveTail) {
            int rc = rawSet(fd, table[JniShim.OPTION_SO_KEEPALIVE], 1);
            if (rc != 0) {
                rollBack(fd, undoEntries, undoIds, undoValues, applied);
                return JniShim.encodeBatchFailure(count, -rc);
            }
        }
        return 0;
    }

    /** Restores in reverse order; buffer sizes read back multiplied, so they are divided first. */
    private void rollBack(int fd, Entry[] entries, int[] ids, int[] oldValues, int applied) {
        for (int i = applied - 1; i >= 0; i--) {
            int value = oldValues[i];
            if (ids[i] == 3 || ids[i] == 4) {
                value /= bufferReadbackFactor();
            }
            rawSet(fd, entries[i], value);
        }
    }

    @Override
    public int socketKind(int fd) {
        long type = rawGet(fd, solSocket, soType);
        if (type < 0) {
            return (int) type;
        }
        byte[] address = new byte[SOCKADDR_STORAGE];
        int[] length = {SOCKADDR_STORAGE};
        if (libc.getsockname(fd, address, length) != 0) {
            return -errno();
        }
        int portableType = type == sockStream ? JniShim.TYPE_STREAM
                : type == sockDgram ? JniShim.TYPE_DGRAM : JniShim.TYPE_OTHER;
        // For TCP and UDP a local port means bound; a raw socket's "port" holds its protocol
        // (Linux inet_getname), so raw sockets are never bound (as sob_socket_kind says).
        boolean hasPorts = portableType != JniShim.TYPE_OTHER;
        int addressFamily = family(address);
        // sin_port and sin6_port both sit at bytes 2..3, in network order, in every layout here.
        boolean portSet = address[2] != 0 || address[3] != 0;
        int family = 0;
        boolean bound = false;
        if (addressFamily == afInet) {
            family = JniShim.FAMILY_INET;
            bound = hasPorts && portSet;
        } else if (addressFamily == afInet6 && afInet6 >= 0) {
            family = JniShim.FAMILY_INET6;
            bound = hasPorts && portSet;
        } else if (addressFamily == afUnix && afUnix >= 0) {
            family = JniShim.FAMILY_UNIX;
            // An unbound Unix socket's name is the family alone (2 bytes before sun_path in both
            // layouts); a bound one is longer (unix(7), "unnamed" sockets).
            bound = length[0] > 2;
        }
        return JniShim.encodeSocketKind(bound, family, portableType);
    }

    /** sa_family: a byte after sa_len on the BSDs, macOS and AIX; a native-order u16 on Linux and SunOS. */
    private int family(byte[] address) {
        if (bsdSockaddr) {
            return address[1] & 0xff;
        }
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? (address[0] & 0xff) | (address[1] & 0xff) << 8
                : (address[0] & 0xff) << 8 | (address[1] & 0xff);
    }

    @Override
    public long listenQueue(int fd) {
        if (tcpInfo < 0 || !IPProto.IPPROTO_TCP.defined()) {
            // FreeBSD's TCP_INFO has no accept-queue fields; the shim reads SO_LISTENQLEN and
            // SO_LISTENQLIMIT there (listen_queue.c), which jnr-constants 0.10.4 does not have.
            return -errnoOpNotSupp;
        }
        int[] info = new int[TCP_INFO_INTS];
        int[] length = {TCP_INFO_INTS * Integer.BYTES};
        if (libc.getsockopt(fd, IPProto.IPPROTO_TCP.intValue(), tcpInfo, info, length) != 0) {
            return -errno();
        }
        // A reply too short to hold the queue fields (qemu-user 7.2 returns 4 bytes) means this
        // platform cannot tell: EOPNOTSUPP, exactly as listen_queue.c decides.
        if ((length[0] & 0xffffffffL) < TCP_INFO_LISTEN_FIELDS_END) {
            return -errnoOpNotSupp;
        }
        if (leadingByte(info[0], 0) != LINUX_TCP_LISTEN) {
            return -errnoInval;
        }
        return JniShim.encodeQueue(info[TCP_INFO_UNACKED_INT], info[TCP_INFO_SACKED_INT]);
    }

    /**
     * The settings native/src/host_limits.c reads, per OS, in enum sob_host_limit_id order: the
     * same names, so that both backends answer the same question. OpenBSD's kern.somaxconn is a
     * MIB without sysctlbyname; this backend does not read MIBs, so it names none there.
     */
    static String hostLimitSetting(String os, int limitId) {
        String[] settings;
        switch (os) {
            case "linux":
                settings = new String[] {"net.core.somaxconn", "net.core.rmem_max", "net.core.wmem_max"};
                break;
            case "macos":
                settings = new String[] {"kern.ipc.somaxconn", "kern.ipc.maxsockbuf", "kern.ipc.maxsockbuf"};
                break;
            case "freebsd":
                settings = new String[] {"kern.ipc.soacceptqueue", "kern.ipc.maxsockbuf", "kern.ipc.maxsockbuf"};
                break;
            case "netbsd":
                settings = new String[] {null, "kern.sbmax", "kern.sbmax"};
                break;
            default:
                return null;
        }
        return limitId < 0 || limitId >= settings.length ? null : settings[limitId];
    }

    @Override
    public String hostLimitSetting(int limitId) {
        return hostLimitSetting(os, limitId);
    }

    @Override
    public long hostLimit(int limitId) {
        if (limitId < 0 || limitId >= JniShim.HOST_LIMIT_COUNT) {
            return -errnoInval;
        }
        String setting = hostLimitSetting(limitId);
        if (setting == null) {
            return -errnoOpNotSupp;
        }
        return os.equals("linux") ? procSys(setting) : sysctlByName(setting);
    }

    /** /proc/sys read from Java, as host_limits.c reads it in C; -errno for what the read failed with. */
    private long procSys(String setting) {
        try {
            return ProcFiles.parseDecimal(ProcFiles.readOrThrow(ProcFiles.sysctlPath(setting)));
        } catch (java.nio.file.NoSuchFileException e) {
            return -errnoValue("ENOENT");
        } catch (java.nio.file.AccessDeniedException e) {
            return -errnoValue("EACCES");
        } catch (java.io.IOException e) {
            return -errnoValue("EIO");
        } catch (NumberFormatException e) {
            return -errnoInval;
        }
    }

    /** sysctlbyname into 8 bytes: the length says whether the kernel wrote a 32- or a 64-bit integer. */
    private long sysctlByName(String setting) {
        Sysctl bound = sysctl;
        if (bound == null) {
            bound = LibraryLoader.create(Sysctl.class).failImmediately().load("c");
            sysctl = bound;
        }
        byte[] value = new byte[Long.BYTES];
        NativeLongByReference length = new NativeLongByReference(value.length);
        if (bound.sysctlbyname(setting, value, length, null, 0) != 0) {
            return -errno();
        }
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        long written = length.getValue().longValue();
        if (written == Integer.BYTES) {
            return buffer.getInt(0) & 0xffffffffL;
        }
        long wide = buffer.getLong(0);
        return written == Long.BYTES && wide >= 0 ? wide : -errnoValue("ERANGE");
    }

    @Override
    public int tcpInfo(int fd, int[] out) {
        if (out.length < JniShim.TCPI_FIELDS) {
            return -errnoInval;
        }
        if (tcpInfo < 0 || !IPProto.IPPROTO_TCP.defined()) {
            return -errnoOpNotSupp; // Linux's struct only, as listen_queue.c's sob_tcp_info
        }
        int[] info = new int[TCP_INFO_INTS];
        int[] length = {TCP_INFO_INTS * Integer.BYTES};
        if (libc.getsockopt(fd, IPProto.IPPROTO_TCP.intValue(), tcpInfo, info, length) != 0) {
            return -errno();
        }
        if ((length[0] & 0xffffffffL) < TCP_INFO_CONNECTION_FIELDS_END) {
            return -errnoOpNotSupp;
        }
        out[JniShim.TCPI_STATE] = leadingByte(info[0], 0);
        out[JniShim.TCPI_RETRANSMITS] = leadingByte(info[0], 2);
        out[JniShim.TCPI_PROBES] = leadingByte(info[0], 3);
        out[JniShim.TCPI_UNACKED] = info[TCP_INFO_UNACKED_INT];
        out[JniShim.TCPI_TOTAL_RETRANS] = info[TCP_INFO_TOTAL_RETRANS_INT];
        out[JniShim.TCPI_LAST_DATA_RECV] = info[TCP_INFO_LAST_DATA_RECV_INT];
        out[JniShim.TCPI_LAST_ACK_RECV] = info[TCP_INFO_LAST_ACK_RECV_INT];
        return 0;
    }

    /** The u8 at byte {@code index} (0..3) of the struct, read from its first int in native order. */
    private static int leadingByte(int firstInt, int index) {
        int shift = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 8 * index : 8 * (3 - index);
        return (firstInt >>> shift) & 0xff;
    }

    @Override
    public int fileKind(int fd) {
        // jnr-posix knows each OS's struct stat; loaded here only, as fileKind serves error
        // messages. getNativePOSIX, never getPOSIX, which silently falls back to pure Java.
        jnr.posix.POSIX p = (jnr.posix.POSIX) posix;
        if (p == null) {
            p = jnr.posix.POSIXFactory.getNativePOSIX();
            posix = p;
        }
        jnr.posix.FileStat stat = p.allocateStat();
        if (p.fstat(fd, stat) != 0) {
            return -p.errno();
        }
        return stat.isSocket() ? JniShim.FILE_SOCKET
                : stat.isFile() ? JniShim.FILE_REGULAR
                : stat.isDirectory() ? JniShim.FILE_DIRECTORY
                : stat.isFifo() ? JniShim.FILE_FIFO
                : stat.isCharDev() ? JniShim.FILE_CHAR_DEVICE
                : stat.isBlockDev() ? JniShim.FILE_BLOCK_DEVICE
                : stat.isSymlink() ? JniShim.FILE_SYMLINK : JniShim.FILE_OTHER;
    }

    @Override
    public String errnoName(int errno) {
        return errnoNames.get(errno);
    }

    @Override
    public int errnoValue(String name) {
        Integer value = name == null ? null : errnoValues.get(name);
        return value == null ? -1 : value;
    }

    private static Errno errnoConstant(String name) {
        try {
            return Errno.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The errno names the shim's table lists (native/src/errno_names.c), in the same order, so
     * both backends name the same values: where two names share a value (Linux EOPNOTSUPP and
     * ENOTSUP, EAGAIN and EWOULDBLOCK) the first listed wins; socket calls document EOPNOTSUPP
     * and EAGAIN, so those come first. Values come from jnr-constants' table for this OS.
     */
    private static final String[] ERRNO_NAMES = {
        "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
        "EAGAIN", "EWOULDBLOCK", "ENOMEM", "EACCES", "EFAULT", "EBUSY", "EEXIST", "EXDEV", "ENODEV",
        "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC",
        "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK",
        "ENOSYS", "ENOTEMPTY", "ELOOP", "ENOMSG", "EIDRM", "EOVERFLOW", "EILSEQ", "ENOTSOCK",
        "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT",
        "EOPNOTSUPP", "ENOTSUP", "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL",
        "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED", "ECONNRESET", "ENOBUFS", "EISCONN",
        "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED", "EHOSTDOWN",
        "EHOSTUNREACH", "EALREADY", "EINPROGRESS", "ESTALE", "EDQUOT", "ECANCELED", "EOWNERDEAD",
        "ENOTRECOVERABLE", "EPROTO", "EBADMSG", "ENODATA", "ETIME", "ENOSR", "ENOSTR",
    };

    // ---- capability probe, computed once, as probe_once in sockopt.c ----

    private static final class Probe {
        final int[] capabilities = new int[JniShim.OPTION_COUNT];
        final long[] defaults = new long[JniShim.OPTION_COUNT];
        int ipv6;
    }

    private Probe probe() {
        Probe p = probe;
        if (p == null) {
            // Idempotent, like the shim's: two threads racing both compute the same table, and
            // the volatile write publishes a complete one.
            p = new Probe();
            p.ipv6 = probeIpv6();
            for (int id = 0; id < JniShim.OPTION_COUNT; id++) {
                long[] defaultValue = new long[1];
                p.capabilities[id] = probeOption(id, p.ipv6, defaultValue);
                p.defaults[id] = defaultValue[0];
            }
            probe = p;
        }
        return p;
    }

    /**
     * 1 when an AF_INET6 socket binds ::1, else -errno of the failing step: a kernel with IPv6
     * compiled in still creates AF_INET6 sockets when IPv6 is disabled (Docker's default), and
     * binding the loopback address is what fails there (EADDRNOTAVAIL).
     */
    private int probeIpv6() {
        if (afInet6 < 0) {
            return -errnoAfNoSupport;
        }
        int fd = libc.socket(afInet6, sockStream, 0);
        if (fd < 0) {
            return -errno();
        }
        byte[] loopback = new byte[sunos6Length];
        if (bsdSockaddr) {
            loopback[0] = (byte) 28; // sin6_len
            loopback[1] = (byte) afInet6;
        } else if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            loopback[0] = (byte) afInet6;
            loopback[1] = (byte) (afInet6 >>> 8);
        } else {
            loopback[0] = (byte) (afInet6 >>> 8);
            loopback[1] = (byte) afInet6;
        }
        // sin6_port 0 (bytes 2..3), sin6_flowinfo (4..7), then sin6_addr (8..23) = ::1.
        loopback[23] = 1;
        int rc = libc.bind(fd, loopback, loopback.length) == 0 ? 1 : -errno();
        libc.close(fd);
        return rc;
    }

    private int probeOption(int id, int ipv6, long[] defaultValue) {
        Entry e = table[id];
        defaultValue[0] = -errnoNoProtoOpt;
        if (!e.compiled) {
            return JniShim.encodeCapability(JniShim.STATUS_NOT_COMPILED, 0);
        }
        int family = afInet;
        if (e.kind == ProbeKind.INET6) {
            if (ipv6 < 0) {
                defaultValue[0] = ipv6;
                return JniShim.encodeCapability(JniShim.STATUS_NO_IPV6, -ipv6);
            }
            family = afInet6;
        }
        int fd = libc.socket(family, sockStream, 0);
        if (fd < 0) {
            int err = errno();
            defaultValue[0] = -err;
            return JniShim.encodeCapability(JniShim.STATUS_KERNEL_REJECTED, err);
        }
        // Accepted = the kernel both reports the option and takes its own default back.
        long value = rawGet(fd, e.level, e.name);
        defaultValue[0] = value;
        int rc = value < 0 ? (int) value : rawSet(fd, e, (int) value);
        libc.close(fd);
        return rc == 0 ? JniShim.encodeCapability(JniShim.STATUS_SUPPORTED, 0)
                : JniShim.encodeCapability(JniShim.STATUS_KERNEL_REJECTED, -rc);
    }

    @Override
    public int capability(int optionId) {
        if (optionId < 0 || optionId >= JniShim.OPTION_COUNT) {
            return JniShim.encodeCapability(JniShim.STATUS_NOT_COMPILED, 0);
        }
        return probe().capabilities[optionId];
    }

    @Override
    public long defaultValue(int optionId) {
        if (optionId < 0 || optionId >= JniShim.OPTION_COUNT) {
            return -errnoNoProtoOpt;
        }
        return probe().defaults[optionId];
    }

    @Override
    public int ipv6Available() {
        return probe().ipv6;
    }

    // ---- JDK fields through core reflection ----

    /**
     * The packages whose private fields JdkSockets reads: sun.nio.ch (SocketChannelImpl.fdVal and
     * stateLock, the asynchronous channels' fd and closeLock, NioSocketImpl's state, SocketAdaptor.sc,
     * DatagramSocketAdaptor.dc), java.io (FileDescriptor.fd) and java.net (Socket.impl,
     * ServerSocket.impl, DatagramSocket.delegate, DelegatingSocketImpl.delegate, SocketImpl.fd).
     */
    static final String ADD_OPENS = "--add-opens java.base/sun.nio.ch=ALL-UNNAMED"
            + " --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED";

    private static final JdkFieldReader REFLECTION = new JdkFieldReader() {
        /**
         * 1 when the field could be made accessible, 0 when not. Not accessible is reported on
         * the first read, not here: JdkSockets locates FileDescriptor.fd in its static
         * initializer, and an exception there would surface as a bare
         * ExceptionInInitializerError without this message.
         */
        @Override
        public long fieldId(Field field, boolean wantInt) {
            checkShape(field, false, wantInt);
            return field.trySetAccessible() ? 1 : 0;
        }

        @Override
        public int readInt(long fieldId, Field field, Object target) {
            requireAccessible(fieldId, field);
            try {
                return field.getInt(java.util.Objects.requireNonNull(target, "target"));
            } catch (IllegalAccessException e) {
                throw notOpened(field, e);
            }
        }

        @Override
        public Object readObject(long fieldId, Field field, Object target) {
            requireAccessible(fieldId, field);
            try {
                return field.get(java.util.Objects.requireNonNull(target, "target"));
            } catch (IllegalAccessException e) {
                throw notOpened(field, e);
            }
        }

        @Override
        public int readStaticInt(Field field) {
            checkShape(field, true, true);
            requireAccessible(field.trySetAccessible() ? 1 : 0, field);
            try {
                return field.getInt(null);
            } catch (IllegalAccessException e) {
                throw notOpened(field, e);
            }
        }
    };

    /** The same checks as native/src/jdk_fields.c: the wrong kind of field is refused, never read. */
    private static void checkShape(Field field, boolean wantStatic, boolean wantInt) {
        if (Modifier.isStatic(field.getModifiers()) != wantStatic) {
            throw new IllegalArgumentException(wantStatic ? "instance field" : "static field");
        }
        if (wantInt ? field.getType() != int.class : field.getType().isPrimitive()) {
            throw new IllegalArgumentException(wantInt ? "field is not an int" : "field is primitive");
        }
    }

    private static void requireAccessible(long fieldId, Field field) {
        if (fieldId == 0) {
            RuntimeException cause;
            try {
                field.setAccessible(true);
                return; // opened since (Module.addOpens at run time)
            } catch (RuntimeException e) {
                cause = e;
            }
            throw notOpened(field, cause);
        }
    }

    private static IllegalStateException notOpened(Field field, Exception cause) {
        String module = PortableBackend.class.getModule().isNamed()
                ? PortableBackend.class.getModule().getName() : "ALL-UNNAMED";
        String flags = module.equals("ALL-UNNAMED") ? ADD_OPENS : ADD_OPENS.replace("ALL-UNNAMED", module);
        return new IllegalStateException("the portable backend (no native shim for "
                + Platform.current().osArch() + ") reads the fd of JDK sockets by reflection, which needs "
                + flags + " on the java command line; without them pass a raw fd (SocketControl.ofFd)."
                + " Cannot read " + field.getDeclaringClass().getName() + "." + field.getName()
                + ": " + cause.getMessage(), cause);
    }

    @Override
    public JdkFieldReader fieldReader() {
        return REFLECTION;
    }

    @Override
    public String toString() {
        return "portable backend (jnr-ffi over " + libcName + (libcVersion == null ? "" : " " + libcVersion)
                + ", constants from jnr-constants for " + os.toLowerCase(Locale.ROOT) + ")";
    }
}
