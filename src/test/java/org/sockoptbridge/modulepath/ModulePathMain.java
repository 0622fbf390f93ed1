package org.sockoptbridge.modulepath;

import java.nio.channels.SocketChannel;
import java.time.Duration;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.SockoptBridge;

/**
 * Run by ModulePathIT with the library on the module path. In its own package: a class-path class
 * in package org.sockoptbridge would split that package with the named module.
 */
public final class ModulePathMain {
    private ModulePathMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("module: " + SockoptBridge.class.getModule().getName());
        java.lang.module.ModuleDescriptor descriptor = SockoptBridge.class.getModule().getDescriptor();
        System.out.println("automatic: " + descriptor.isAutomatic() + ", requires: " + descriptor.requires());
        System.out.println("junit module resolved: " + ModuleLayer.boot().findModule("org.junit.jupiter.api").isPresent());
        System.out.println("library: " + SockoptBridge.capabilities().nativeLibrary());
        SockoptBridge.requireSupport(OptionName.TCP_KEEPIDLE, OptionName.SO_RCVBUF, OptionName.SO_REUSEPORT);
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(77));
            System.out.println("TCP_KEEPIDLE read back: " + control.get(SockOpt.TCP_KEEPIDLE).getSeconds());
        }
        System.out.println("startup check passed");
    }
}
