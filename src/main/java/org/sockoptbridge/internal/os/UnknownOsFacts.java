package org.sockoptbridge.internal.os;

import org.sockoptbridge.OptionName;

/** An OS the bridge has no facts for: it says so instead of guessing. */
final class UnknownOsFacts extends PlatformFacts {
    @Override
    public String defaultSetting(OptionName option) {
        return null;
    }

    @Override
    public String bufferCap(OptionName option) {
        return null;
    }

    @Override
    public String bufferRule(OptionName option) {
        return "how this kernel adjusts the size is not known to the bridge; the kernel's value is read back";
    }

    @Override
    public String v6OnlyAfterBindRule() {
        return "settable before bind() only on the kernels the bridge knows";
    }

    @Override
    public String optionNote(OptionName option) {
        return "";
    }

    @Override
    public String jdkDifference(OptionName option) {
        return null;
    }

    @Override
    public String missingOptionReason(OptionName option) {
        return null;
    }
}
