package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The two jars `mvn package` makes: the library (what a server depends on) carries no CLI and
 * nothing only the CLI needs; the executable CLI jar carries the library, the CLI and their
 * dependencies. Read as zip entries, so this holds whatever class path failsafe gives the tests.
 */
class JarContentsIT {
    /** Packages of the CLI's own dependencies, none of which a library user should get. */
    private static final List<String> CLI_ONLY = List.of("org/sockoptbridge/cli/", "org/apache/commons/cli/",
            "com/fasterxml/jackson/", "picocli/");

    @Test
    void libraryJarHasNoCli() throws IOException {
        try (JarFile library = new JarFile(libraryJar().toFile())) {
            Set<String> names = names(library);
            for (String prefix : CLI_ONLY) {
                assertTrue(names.stream().noneMatch(name -> name.startsWith(prefix)),
                        "no " + prefix + " in " + library.getName() + ": "
                                + names.stream().filter(name -> name.startsWith(prefix)).toList());
            }
            assertTrue(names.contains("org/sockoptbridge/SockoptBridge.class"), "the library itself: " + names);
            assertNull(library.getManifest().getMainAttributes().getValue("Main-Class"), "not executable");
        }
    }

    /** Optional (or test-scoped) in the POM the library jar ships, so that Maven does not pass them on: the CLI's and JUnit. */
    @Test
    void cliDependenciesAreNotTransitive() throws Exception {
        Document pom;
        try (JarFile library = new JarFile(libraryJar().toFile());
             InputStream in = library.getInputStream(
                     library.getJarEntry("META-INF/maven/org.sockoptbridge/sockopt-bridge/pom.xml"))) {
            pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        NodeList dependencies = pom.getElementsByTagName("dependency");
        Set<String> checked = new TreeSet<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String group = text(dependency, "groupId");
            if (group.equals("commons-cli") || group.startsWith("com.fasterxml.jackson") || group.equals("info.picocli")
                    || group.startsWith("org.junit")) {
                String artifact = group + ":" + text(dependency, "artifactId");
                assertTrue("true".equals(text(dependency, "optional")) || "test".equals(text(dependency, "scope")),
                        artifact + " must be optional or test-scoped");
                checked.add(artifact);
            }
        }
        assertTrue(checked.contains("commons-cli:commons-cli"), "the parser is declared: " + checked);
        assertTrue(checked.contains("com.fasterxml.jackson.core:jackson-core"), "Jackson is declared: " + checked);
        assertTrue(checked.contains("org.junit.jupiter:junit-jupiter-api"), "the JUnit condition's API: " + checked);
    }

    @Test
    void cliJarHasTheLibraryTheCliAndItsDependencies() throws IOException {
        try (JarFile cli = new JarFile(CliProcess.jar().toFile()); JarFile library = new JarFile(libraryJar().toFile())) {
            Set<String> names = names(cli);
            assertEquals("org.sockoptbridge.cli.Main", cli.getManifest().getMainAttributes().getValue("Main-Class"));
            for (String needed : List.of("org/sockoptbridge/cli/Main.class", "org/sockoptbridge/cli/ProbeCommand.class",
                    "org/apache/commons/cli/DefaultParser.class", "com/fasterxml/jackson/core/JsonFactory.class")) {
                assertTrue(names.contains(needed), needed + " in " + cli.getName());
            }
            Set<String> missing = new TreeSet<>(names(library));
            missing.removeAll(names);
            missing.removeIf(name -> name.startsWith("META-INF/"));
            assertEquals(Set.of(), missing, "every library entry is in the CLI jar");
            assertFalse(names.stream().anyMatch(name -> name.startsWith("picocli/")), "picocli is gone");
            assertEquals(List.of(), names.stream().filter(name -> name.startsWith("org/junit/")
                    || name.startsWith("org/opentest4j/")).toList(), "JUnit is optional for the library, never in the CLI");
        }
    }

    /**
     * target/sockopt-bridge-VERSION.jar, beside the CLI jar: the one jar named for the project
     * without a classifier (the CLI's own classes go to ...-cli-classes.jar).
     */
    private static Path libraryJar() throws IOException {
        Path target = CliProcess.jar().toAbsolutePath().getParent();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(path -> path.getFileName().toString().matches(
                    "sockopt-bridge-[0-9][0-9A-Za-z.]*(-SNAPSHOT)?\\.jar")).toList();
            assertEquals(1, jars.size(), "one library jar in " + target + ": " + jars);
            return jars.get(0);
        }
    }

    private static Set<String> names(JarFile jar) {
        Set<String> names = new TreeSet<>();
        for (JarEntry entry : java.util.Collections.list(jar.entries())) {
            if (!entry.isDirectory()) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }
}
