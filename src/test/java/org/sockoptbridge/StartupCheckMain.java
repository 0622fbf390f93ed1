package org.sockoptbridge;

import java.util.ArrayList;
import java.util.List;

/**
 * What a server does at startup, run in a child JVM by the tests: print the capability report,
 * then require the options named in the arguments. Exit 0 when all are supported, 3 when the
 * startup check threw (its message printed), 4 for any other exception.
 */
public final class StartupCheckMain {
    private StartupCheckMain() {
    }

    public static void main(String[] args) {
        System.out.print(SockoptBridge.capabilities());
        System.out.println("library: " + SockoptBridge.capabilities().nativeLibrary());
        List<OptionName> required = new ArrayList<>();
        for (String arg : args) {
            required.add(OptionName.parse(arg));
        }
        try {
            SockoptBridge.requireSupport(required);
            System.out.println("startup check passed");
        } catch (MissingCapabilitiesException e) {
            System.out.println("MissingCapabilitiesException: " + e.getMessage());
            System.exit(3);
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.exit(4);
        }
    }
}
