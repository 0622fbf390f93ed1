package org.sockoptbridge;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every ```java block of README.md compiles against the library as it is: each becomes the body
 * of a method (its import lines go to the top), with {@code log} a logger that takes Strings, as
 * SLF4J's and System.Logger's do. Compiled, not run: the snippets bind real ports.
 */
class ReadmeCodeTest {
    private static final Path README = Path.of("README.md");

    @Test
    void everyJavaBlockInTheReadmeCompiles() throws IOException {
        assumeTrue(Files.exists(README), "skipped: needs the source tree (README.md), not here");
        List<JavaFileObject> units = new ArrayList<>();
        List<String> lines = Files.readAllLines(README);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals("```java")) {
                continue;
            }
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            int start = i + 1;
            for (i = start; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
                String line = lines.get(i);
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            units.add(unit("ReadmeBlockAtLine" + start, imports.toString(), body.toString()));
        }
        assertFalse(units.isEmpty(), "README.md has java blocks");

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("readme-code");
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            boolean compiled = compiler.getTask(null, files, diagnostics,
                    List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none"),
                    null, units).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.append(d.getSource().getName()).append(':').append(d.getLineNumber()).append(": ")
                            .append(d.getMessage(Locale.ROOT)).append('\n');
                }
            }
            assertEquals("", errors.toString(), "README code blocks that do not compile (line numbers inside each block's unit)");
            assertEquals(true, compiled);
        } finally {
            try (var walk = Files.walk(out)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static JavaFileObject unit(String name, String imports, String body) {
        String source = "import java.net.*;\nimport java.nio.channels.*;\nimport java.time.*;\n"
                + "import org.sockoptbridge.*;\n" + imports
                + "class " + name + " {\n"
                + "    interface Logger { void info(String message); void warn(String message); }\n"
                + "    static void snippet(Logger log) throws Exception {\n" + body + "    }\n}\n";
        return new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
    }
}
