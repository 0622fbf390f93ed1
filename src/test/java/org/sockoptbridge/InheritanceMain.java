package org.sockoptbridge;

/** Run in a child JVM by LoggingTest: what the accepted-socket inheritance detection found. */
public final class InheritanceMain {
    private InheritanceMain() {
    }

    public static void main(String[] args) {
        System.out.println("detected: " + AcceptedSocketPolicy.inheritanceDetected());
        System.out.println("inherited: " + AcceptedSocketPolicy.inheritedOptions());
    }
}
