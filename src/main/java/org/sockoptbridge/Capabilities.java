package org.sockoptbridge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What this platform, kernel and host support, computed once per JVM on throwaway sockets.
 * Never throws: a missing native library shows up as every option unsupported with
 * {@link UnsupportedReason#NO_NATIVE_LIBRARY}.
 */
public final class Capabilities {
    private final Map<OptionName, OptionSupport> byOption;
    private final boolean ipv6Available;
    private final String nativeLibrary;
    private final String backend;

    Capabilities(Map<OptionName, OptionSupport> byOption, boolean ipv6Available, String nativeLibrary, String backend) {
        this.byOption = new EnumMap<>(byOption);
        this.ipv6Available = ipv6Available;
        this.nativeLibrary = nativeLibrary;
        this.backend = backend;
    }

    /**
     * {@return which backend answers} "shim" (the bundled C shim, bound through JNI) or "portable"
     * (jnr-ffi over libc, where no shim is bundled or -Dsockopt.bridge.backend=portable); null
     * when neither loaded.
     */
    public String backend() {
        return backend;
    }

    /**
     * Whether one option works here and, if not, why.
     *
     * @param option the option
     * @return its support, with the reason when unsupported
     */
    public OptionSupport of(OptionName option) {
        return byOption.get(Objects.requireNonNull(option, "option"));
    }

    /**
     * Whether one option works here.
     *
     * @param option the option
     * @return true when it can be set on this platform, kernel and host
     */
    public boolean isSupported(OptionName option) {
        return of(option).supported();
    }

    /** {@return every option, in {@link OptionName} order} */
    public List<OptionSupport> all() {
        return List.copyOf(byOption.values());
    }

    /**
     * The unsupported ones among some options.
     *
     * @param required the options to check
     * @return those among them that are not supported, each once, in the given order
     */
    public List<OptionSupport> missing(Collection<OptionName> required) {
        List<OptionSupport> missing = new ArrayList<>();
        for (OptionName option : required) {
            OptionSupport support = of(option);
            if (!support.supported() && !missing.contains(support)) {
                missing.add(support);
            }
        }
        return missing;
    }

    /**
     * {@return true when an IPv6 socket can be created and bound to {@code ::1}} False also when
     * it is not known: without the native library nothing was probed (see {@link #nativeLibraryLoaded()}).
     */
    public boolean ipv6Available() {
        return ipv6Available;
    }

    /** {@return false when the native library did not load: then every option reads unsupported and nothing was probed} */
    public boolean nativeLibraryLoaded() {
        return backend != null;
    }

    /** {@return where the native library was loaded from, or the reason it was not} */
    public String nativeLibrary() {
        return nativeLibrary;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (OptionSupport support : byOption.values()) {
            text.append(support.option()).append(": ").append(support.explanation()).append('\n');
        }
        return text.toString();
    }
}
