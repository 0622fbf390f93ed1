package org.sockoptbridge.bench;

import java.nio.file.Path;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.internal.JniShim;

/**
 * EXPERIMENT (docs/JNI-EXPERIMENT.md): what StartStartupCheck does, through JNI only.
 * System.load of the built shim (args[0], as StartSystemLoad), the ABI check, then for all seven
 * options what SockoptBridge.Runtime reads (capability, min, max, default value, symbol), the
 * buffer read-back factor and IPv6 availability; exits 1 if a required option is missing.
 * No jnr-ffi, no jffi: neither is loaded.
 */
public final class StartJniStartupCheck {
    private static final int STATUS_SUPPORTED = 0;

    private StartJniStartupCheck() {
    }

    public static void main(String[] args) {
        System.load(Path.of(args[0]).toAbsolutePath().toString());
        if (JniShim.sob_abi_version() != 1) {
            System.err.println("ABI mismatch");
            System.exit(1);
        }
        OptionName[] required = {OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT,
                OptionName.SO_RCVBUF, OptionName.SO_SNDBUF, OptionName.IPV6_V6ONLY, OptionName.SO_REUSEPORT};
        int n = required.length;
        int[] min = new int[n];
        int[] max = new int[n];
        long[] defaults = new long[n];
        String[] symbols = new String[n];
        int readback = JniShim.sob_buffer_readback_factor();
        StringBuilder missing = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int id = required[i].ordinal(); // OptionName's ordinals are the shim's option ids
            min[i] = JniShim.sob_option_min(id);
            max[i] = JniShim.sob_option_max(id);
            defaults[i] = JniShim.sob_default_value(id);
            symbols[i] = JniShim.sob_option_symbol(id);
            int capability = JniShim.sob_capability(id);
            if ((capability & 0xff) != STATUS_SUPPORTED) {
                missing.append(' ').append(required[i]).append("(status ").append(capability & 0xff)
                        .append(", errno ").append(capability >>> 8).append(')');
            }
        }
        boolean ipv6 = JniShim.sob_ipv6_available() > 0;
        if (missing.length() > 0 || readback < 1 || min[0] > max[0] || symbols[0] == null) {
            System.err.println("missing:" + missing + " (ipv6 " + ipv6 + ")");
            System.exit(1);
        }
    }
}
