package org.sockoptbridge;

/**
 * A buffer size as requested and as the kernel holds it, with the rule that connects the two.
 * The rule is the platform's (for Linux: clamped to {@code net.core.rmem_max} / {@code wmem_max},
 * then doubled, never below a minimum; macOS and FreeBSD hold it as set and refuse, with ENOBUFS,
 * what is above their cap; see {@code PlatformFacts}).
 *
 * @param option SO_RCVBUF or SO_SNDBUF
 * @param requestedBytes what was asked for
 * @param kernelBytes what getsockopt reports now
 * @param adjustment how the kernel changed the request
 */
public record BufferSize(OptionName option, int requestedBytes, int kernelBytes, Adjustment adjustment) {

    /** How the kernel's value relates to the request. */
    public enum Adjustment {
        /** Held exactly as requested (platforms that do not double). */
        AS_REQUESTED,
        /** Doubled, as Linux always does: the usable payload is about half of it. */
        DOUBLED,
        /** Clamped to the host's maximum (Linux: net.core.rmem_max / wmem_max, then doubled). */
        CLAMPED_TO_HOST_MAXIMUM,
        /** Raised to the kernel's minimum buffer size. */
        RAISED_TO_MINIMUM
    }

    static BufferSize of(OptionName option, int requestedBytes, int kernelBytes, int readbackFactor) {
        long expected = (long) requestedBytes * readbackFactor;
        Adjustment adjustment;
        if (kernelBytes == expected) {
            adjustment = readbackFactor == 1 ? Adjustment.AS_REQUESTED : Adjustment.DOUBLED;
        } else if (kernelBytes < expected) {
            adjustment = Adjustment.CLAMPED_TO_HOST_MAXIMUM;
        } else {
            adjustment = Adjustment.RAISED_TO_MINIMUM;
        }
        return new BufferSize(option, requestedBytes, kernelBytes, adjustment);
    }

    /** {@return one sentence for logs: "SO_RCVBUF: requested 65536 bytes, kernel holds 131072 (doubled ...)"} */
    public String explanation() {
        String rule;
        switch (adjustment) {
            case AS_REQUESTED: rule = "as requested"; break;
            case DOUBLED: rule = "doubled by the kernel for bookkeeping overhead"; break;
            case CLAMPED_TO_HOST_MAXIMUM:
                rule = "clamped to the host maximum (" + HostLimit.read(HostLimit.Kind.bufferMaxOf(option)) + ")";
                break;
            default: rule = "raised to the kernel minimum"; break;
        }
        return option + ": requested " + requestedBytes + " bytes, kernel holds " + kernelBytes + " (" + rule + ")";
    }
}
