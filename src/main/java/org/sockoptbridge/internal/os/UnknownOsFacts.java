package org.sockoptbridge.internal.os;

import org.sockoptbridge.HostLimit;
import org.sockoptbridge.OptionName;

/** An OS the bridge has no facts for: it says so instead of guessing. */
final class UnknownOsFacts extends PlatformFacts {
    @Override
    public String defaultSetting(OptionName option) {
        return null;
    }

    @Override
    public String bufferRule(OptionName option, HostLimit cap) {
        return "how this kernel adjusts the size is not known to the bridge; the kernel's value is read back";
    }

    @Override
    public String oversizedBufferErrno() {
        return null;
    }

    @Override
    public String acceptQueueRule(HostLimit cap) {
        return "how this kernel caps listen()'s backlog is not known to the bridge";
    }

    @Override
    public String acceptQueueSource() {
        return "not read on this OS";
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
