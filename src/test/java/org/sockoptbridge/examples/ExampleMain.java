package org.sockoptbridge.examples;

import java.time.Duration;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SockoptBridge;

/** What every example's {@code main(port)} does before it starts its server. */
final class ExampleMain {
    private ExampleMain() {
    }

    static int port(String[] args) {
        return args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    }

    /**
     * The startup check, then the policy for every accepted connection: keep-alive 60/10/5 s and a
     * 256 KiB receive buffer. At startup, one exception names everything this host lacks, not a
     * surprise per connection.
     */
    static OptionSettings checkedPolicy() {
        SockoptBridge.requireSupport(OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT);
        return OptionSettings.builder()
                .keepAlive(Duration.ofSeconds(60), Duration.ofSeconds(10), 5)
                .set(SockOpt.SO_RCVBUF, 256 * 1024)
                .build();
    }
}
