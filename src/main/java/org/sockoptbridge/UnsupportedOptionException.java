package org.sockoptbridge;

/** The option does not exist on this platform, or this kernel refuses it; see {@link #support()}. */
public final class UnsupportedOptionException extends SockoptException {
    private static final long serialVersionUID = 1L;

    private final transient OptionSupport support;

    UnsupportedOptionException(OptionSupport support, String value) {
        super(support.option(), value, support.errno(), support.explanation());
        this.support = support;
    }

    /** {@return why the option is unsupported here, as {@link Capabilities#of} reports it} */
    public OptionSupport support() {
        return support;
    }
}
