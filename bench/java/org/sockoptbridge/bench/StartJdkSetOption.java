package org.sockoptbridge.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import jdk.net.ExtendedSocketOptions;

/** Startup with the JDK alone: open a socket and set a buffer size and a keep-alive timer on it. */
public final class StartJdkSetOption {
    private StartJdkSetOption() {
    }

    public static void main(String[] args) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 60);
        }
    }
}
