package org.sockoptbridge.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last CTest run of a build directory, from the log CTest always writes
 * (Testing/Temporary/LastTest.log: for each test a "i/n Test: name" line, then "Test Passed." when
 * it passed), so that nothing in the build has to ask for a report format.
 *
 * @param tests      the tests that run started
 * @param notPassed  the names of those that did not pass (failed, or could not run)
 */
record CTestLog(List<String> tests, List<String> notPassed) {

    static final String LOG = "Testing/Temporary/LastTest.log";
    private static final Pattern TEST = Pattern.compile("^\\d+/\\d+ Test: (.+)$");

    /** Null when the directory has no CTest log. */
    static CTestLog read(Path buildDir) throws IOException {
        Path log = buildDir.resolve(LOG);
        if (!Files.isRegularFile(log)) {
            return null;
        }
        List<String> tests = new ArrayList<>();
        List<String> notPassed = new ArrayList<>();
        String current = null;
        for (String line : Files.readAllLines(log)) {
            Matcher m = TEST.matcher(line);
            if (m.matches()) {
                if (current != null) {
                    notPassed.add(current);
                }
                current = m.group(1).strip();
                tests.add(current);
            } else if (line.equals("Test Passed.")) {
                current = null;
            }
        }
        if (current != null) {
            notPassed.add(current);
        }
        return new CTestLog(tests, notPassed);
    }
}
