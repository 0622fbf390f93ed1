package org.sockoptbridge.bench;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;

/** The startup check, then the first use on a socket: SocketControl.of and two sets. */
public final class StartCheckAndFirstSet {
    private StartCheckAndFirstSet() {
    }

    public static void main(String[] args) throws IOException {
        StartStartupCheck.main(args);
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            control.set(SockOpt.SO_RCVBUF, 65536);
            control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(60));
        }
    }
}
