package org.sockoptbridge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Finds, checks and loads the shim once per JVM. Attempts, in order:
 * <ol>
 * <li>{@value #LIBRARY_PROPERTY}: a preinstalled library file; when set, it is the only attempt;</li>
 * <li>the library shipped in the jar for this os-arch, extracted into a fresh private directory
 *     (0700) under {@value #TMPDIR_PROPERTY} or {@code java.io.tmpdir}, checked against the
 *     SHA-256 recorded at build time, loaded, then deleted;</li>
 * <li>{@code sockopt_bridge-<os-arch>} on {@code java.library.path} (distribution packages).</li>
 * </ol>
 * Loading runs the library's JNI_OnLoad, which registers the natives of {@link JniShim}; the
 * loader then checks the library's ABI against this jar's ({@link JniShim#checkAbi}).
 */
public final class NativeLoader {
    public static final String LIBRARY_PROPERTY = "sockopt.bridge.library";
    public static final String TMPDIR_PROPERTY = "sockopt.bridge.tmpdir";

    private static final Result RESULT = load();

    private NativeLoader() {
    }

    /** The outcome of loading, computed once. */
    public static final class Result {
        private final NativeBackend backend;
        private final String source;
        private final NativeLibraryException failure;

        Result(NativeBackend backend, String source, NativeLibraryException failure) {
            this.backend = backend;
            this.source = source;
            this.failure = failure;
        }

        public boolean loaded() {
            return backend != null;
        }

        /** The backend, or the loader's exception listing every attempt. */
        public NativeBackend backend() {
            if (backend == null) {
                throw failure;
            }
            return backend;
        }

        /** The backend, or null when none loaded. */
        public NativeBackend backendOrNull() {
            return backend;
        }

        /** Where the library came from, or null. */
        public String source() {
            return source;
        }

        /** Why it did not load, or null. */
        public NativeLibraryException failure() {
            return failure;
        }
    }

    public static Result result() {
        return RESULT;
    }

    private static Result load() {
        Platform platform = Platform.current();
        List<String> attempts = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        String preinstalled = System.getProperty(LIBRARY_PROPERTY);
        if (preinstalled != null && !preinstalled.isBlank()) {
            Path path = Paths.get(preinstalled).toAbsolutePath();
            try {
                return new Result(bind(path), path + " (from -D" + LIBRARY_PROPERTY + ")", null);
            } catch (Throwable e) {
                attempts.add("-D" + LIBRARY_PROPERTY + "=" + preinstalled + ": " + e);
                causes.add(e);
                return failed(platform, attempts, causes);
            }
        }
        String resource = "META-INF/native/" + platform.osArch() + "/" + platform.libraryFileName();
        try {
            NativeBackend backend = extractAndBind(resource);
            // The resource's URL names the jar it came from ("jar:file:/srv/app.jar!/META-INF/...").
            java.net.URL url = NativeLoader.class.getClassLoader().getResource(resource);
            return new Result(backend, (url == null ? resource : url.toString())
                    + " (extracted to a private directory, SHA-256 checked, deleted after loading)", null);
        } catch (Throwable e) {
            attempts.add("extract " + resource + " from the jar: " + e);
            causes.add(e);
        }
        try {
            String name = platform.libraryName();
            NativeBackend backend = withClassNameForJniOnLoad(() -> System.loadLibrary(name), name);
            return new Result(backend, System.mapLibraryName(name) + " on java.library.path", null);
        } catch (Throwable e) {
            attempts.add(platform.libraryFileName() + " on java.library.path ("
                    + System.getProperty("java.library.path") + "): " + e);
            causes.add(e);
        }
        return failed(platform, attempts, causes);
    }

    private static Result failed(Platform platform, List<String> attempts, List<Throwable> causes) {
        NativeLibraryException failure = new NativeLibraryException(platform, attempts);
        causes.forEach(failure::addSuppressed);
        return new Result(null, null, failure);
    }

    private static NativeBackend extractAndBind(String resource) throws IOException {
        byte[] library;
        String expectedDigest;
        ClassLoader classLoader = NativeLoader.class.getClassLoader();
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("this jar has no native library for " + Platform.current().osArch());
            }
            library = in.readAllBytes();
        }
        try (InputStream in = classLoader.getResourceAsStream(resource + ".sha256")) {
            if (in == null) {
                throw new IOException(resource + ".sha256 is missing from the jar");
            }
            expectedDigest = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        Path parent = Paths.get(System.getProperty(TMPDIR_PROPERTY, System.getProperty("java.io.tmpdir")));
        // createTempDirectory picks an unpredictable name and creates it atomically, so no other
        // user can have planted a library there; 0700 keeps them from swapping it afterwards.
        Path directory = isPosix(parent)
                ? Files.createTempDirectory(parent, "sockopt-bridge-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory(parent, "sockopt-bridge-");
        Path file = directory.resolve(Platform.current().libraryFileName());
        try {
            Files.write(file, library);
            String actualDigest = sha256(Files.readAllBytes(file));
            if (!actualDigest.equalsIgnoreCase(expectedDigest)) {
                throw new IOException("extracted " + file + " has SHA-256 " + actualDigest
                        + " but the jar recorded " + expectedDigest + ": the file was altered or truncated");
            }
            try {
                return bind(file);
            } catch (UnsatisfiedLinkError e) {
                throw noexecHint(parent, e);
            }
        } finally {
            // Once mapped, the library needs no file; removing it leaves nothing to tamper with.
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    private static UnsatisfiedLinkError noexecHint(Path parent, UnsatisfiedLinkError e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("failed to map segment") || message.contains("Operation not permitted")) {
            UnsatisfiedLinkError hinted = new UnsatisfiedLinkError(message + " -- " + parent
                    + " looks mounted noexec; set -D" + TMPDIR_PROPERTY + "=<a directory that allows execution>");
            hinted.initCause(e);
            return hinted;
        }
        return e;
    }

    private static boolean isPosix(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static NativeBackend bind(Path file) {
        String path = file.toAbsolutePath().toString();
        return withClassNameForJniOnLoad(() -> System.load(path), path);
    }

    /**
     * Loads with the natives' class named for JNI_OnLoad (native/src/jni_binding.c): in a shaded
     * jar this class's package is relocated, and the property is how the C side learns the new
     * name. The Properties lock is held across the load so that two copies of the bridge loading
     * at once in one JVM do not see each other's name; JNI_OnLoad runs on this thread, inside it.
     */
    private static NativeBackend withClassNameForJniOnLoad(Runnable load, String library) {
        java.util.Properties properties = System.getProperties();
        synchronized (properties) {
            String previous = properties.getProperty(JniShim.CLASS_PROPERTY);
            properties.setProperty(JniShim.CLASS_PROPERTY, JniShim.class.getName());
            try {
                load.run();
            } finally {
                if (previous == null) {
                    properties.remove(JniShim.CLASS_PROPERTY);
                } else {
                    properties.setProperty(JniShim.CLASS_PROPERTY, previous);
                }
            }
        }
        JniShim.checkAbi(library);
        return new JniShim();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
