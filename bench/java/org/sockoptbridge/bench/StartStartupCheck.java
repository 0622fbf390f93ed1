package org.sockoptbridge.bench;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.SockoptBridge;

/** What a server does at startup: the fail-fast check (loader, capability probe, the check). */
public final class StartStartupCheck {
    private StartStartupCheck() {
    }

    public static void main(String[] args) {
        SockoptBridge.requireSupport(OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT,
                OptionName.SO_RCVBUF, OptionName.SO_SNDBUF, OptionName.IPV6_V6ONLY, OptionName.SO_REUSEPORT,
                OptionName.TCP_USER_TIMEOUT);
    }
}
