package org.sockoptbridge.launcher;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs one test class through the JUnit Platform launcher, as a build tool would, and prints one
 * line per skipped container or test ("skipped NAME: reason") and per finished test ("ran NAME:
 * STATUS"). Run in child JVMs by EnabledIfSocketOptionsTest (with the bridge's library chosen by
 * -Dsockopt.bridge.library) and ModulePathIT (with the library jar on the module path). In a
 * package of its own: on the class path, a class in a package of the named module org.sockoptbridge
 * could not be loaded.
 */
public final class ConditionReportMain {
    private ConditionReportMain() {
    }

    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(args[0])).build(), new Report());
    }

    private static final class Report implements TestExecutionListener {
        @Override
        public void executionSkipped(TestIdentifier identifier, String reason) {
            System.out.println("skipped " + identifier.getDisplayName() + ": " + reason);
        }

        @Override
        public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
            if (identifier.isTest()) {
                System.out.println("ran " + identifier.getDisplayName() + ": " + result.getStatus());
            }
        }
    }
}
