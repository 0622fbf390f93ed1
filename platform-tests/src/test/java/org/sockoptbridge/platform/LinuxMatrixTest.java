package org.sockoptbridge.platform;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.DockerClientFactory;

/**
 * The Linux matrix: each cell runs the CLI ({@code probe --json}, {@code probe --require},
 * {@code selftest --json}) in its own container and checks what the cell must show. The report
 * (target/matrix.md, target/matrix.json) is written after all cells, also when some failed.
 */
class LinuxMatrixTest {

    private static final List<CellResult> RESULTS = new ArrayList<>();
    private static String precondition;
    private static Path jar;
    private static Path suite;

    static List<Cell> cells() {
        return Cell.linux();
    }

    @BeforeAll
    static void preconditions() {
        for (Cell cell : Cell.linux()) {
            RESULTS.add(new CellResult(cell));
        }
        String configured = System.getenv("SOB_CLI_JAR");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("sob.cliJar", "../target/sockopt-bridge-cli.jar");
        }
        jar = Path.of(configured).toAbsolutePath().normalize();
        String suiteDir = System.getenv("SOB_SUITE_DIR");
        suite = suiteDir == null || suiteDir.isBlank() ? null : Path.of(suiteDir).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            precondition = "The CLI jar " + jar + " does not exist: run `mvn package` at the repository root first "
                    + "(it builds target/sockopt-bridge-cli.jar), then run the matrix again.";
            fail(precondition);
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            precondition = "No Docker engine answers. Start one with `platform-tests/scripts/docker-engine.sh start` "
                    + "(or run everything with `platform-tests/scripts/run-matrix.sh`); CI starts the engine itself.";
            fail(precondition);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void cell(Cell cell) throws Exception {
        CellResult result = RESULTS.stream().filter(r -> r.cell.equals(cell)).findFirst().orElseThrow();
        try {
            DockerClientFactory.instance().client().inspectImageCmd(cell.image()).exec();
        } catch (NotFoundException e) {
            result.notRunReason = "Image " + cell.image()
                    + " is missing: build it with `platform-tests/scripts/build-images.sh`.";
            fail(result.notRunReason);
        }
        long start = System.nanoTime();
        try {
            new CellRun(cell, jar, suite, result).run();
        } catch (Exception | AssertionError e) {
            result.check("cell ran to the end", false, e.toString());
        } finally {
            result.durationMs = (System.nanoTime() - start) / 1_000_000;
            result.status = result.failures().isEmpty() ? CellResult.Status.PASS : CellResult.Status.FAIL;
        }
        List<CellResult.Check> failures = result.failures();
        if (!failures.isEmpty()) {
            fail(cell.id() + ": " + failures.size() + " of " + result.checks.size() + " checks failed:\n  "
                    + failures.stream().map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("\n  ")));
        }
    }

    @AfterAll
    static void writeReport() throws Exception {
        for (CellResult r : RESULTS) {
            if (r.status == CellResult.Status.NOT_RUN && r.notRunReason == null) {
                r.notRunReason = precondition != null ? precondition : "not run";
            }
        }
        Path dir = Path.of(System.getProperty("sob.reportDir", "target"));
        Path buildDir = Path.of(System.getProperty("sob.buildDir", "../target")).toAbsolutePath().normalize();
        new MatrixReport(RESULTS, precondition, jar, buildDir).write(dir);
        System.out.println("Matrix report: " + dir.toAbsolutePath().resolve("matrix.md") + " and matrix.json");
    }
}
