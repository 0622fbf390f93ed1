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

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * Finds, checks and loads the shim once per JVM. Attempts, in order:
 * <ol>
 * <li>{@value #LIBRARY_PROPERTY}: a preinstalled library file; when set, it is the only attempt;</li>
 * <li>the library shipped in the jar for this os-arch, extracted into a fresh private directory
 *     (0700) under {@value #TMPDIR_PROPERTY} or {@code java.io.tmpdir}, checked against the
 *     SHA-256 recorded at build time, loaded, then deleted;</li>
 * <li>{@code sockopt_bridge-<os-arch>} on {@code java.library.path} (distribution packages).</li>
 * </ol>
 * The same file is loaded twice, which the dynamic linker turns into one mapping: once by
 * {@code System.load} so the JVM binds the JNI functions, once by jnr-ffi for the C functions.
 */
public final class NativeLoader {
    public static final String LIBRARY_PROPERTY = "sockopt.bridge.library";
    public static final String TMPDIR_PROPERTY = "sockopt.bridge.tmpdir";

    private static final Result RESULT = load();

    private NativeLoader() {
    }

    /** The outcome of loading, computed once. */
    public static final class Result {
        private final NativeShim shim;
        private final String source;
        private final NativeLibraryException failure;

        Result(NativeShim shim, String source, NativeLibraryException failure) {
            this.shim = shim;
            this.source = source;
            this.failure = failure;
        }

        public boolean loaded() {
            return shim != null;
        }

        /** The shim, or the loader's exception listing every attempt. */
        public NativeShim shim() {
            if (shim == null) {
                throw failure;
            }
            return shim;
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

    /**
     * JDK 24+ warns on stderr the first time a library calls sun.misc.Unsafe's memory access
     * (JEP 498), and jffi's default MemoryIO does, so every server would print that warning.
     * jffi's own switch "jffi.unsafe.disabled" selects its JNI-based MemoryIO instead; the bridge's
     * calls pass primitives and int arrays, which do not go through MemoryIO on the hot path.
     * A value the user set explicitly wins.
     */
    private static void avoidUnsafeWarning() {
        if (Runtime.version().feature() >= 24 && System.getProperty("jffi.unsafe.disabled") == null) {
            System.setProperty("jffi.unsafe.disabled", "true");
        }
    }

    public static Result result() {
        return RESULT;
    }

    private static Result load() {
        avoidUnsafeWarning();
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
            NativeShim shim = extractAndBind(resource);
            // The resource's URL names the jar it came from ("jar:file:/srv/app.jar!/META-INF/...").
            java.net.URL url = NativeLoader.class.getClassLoader().getResource(resource);
            return new Result(shim, (url == null ? resource : url.toString())
                    + " (extracted to a private directory, SHA-256 checked, deleted after loading)", null);
        } catch (Throwable e) {
            attempts.add("extract " + resource + " from the jar: " + e);
            causes.add(e);
        }
        try {
            String name = platform.libraryName();
            System.loadLibrary(name);
            NativeShim shim = checkedBind(LibraryLoader.create(NativeShim.class), name);
            return new Result(shim, System.mapLibraryName(name) + " on java.library.path", null);
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

    private static NativeShim extractAndBind(String resource) throws IOException {
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

    private static NativeShim bind(Path file) {
        String path = file.toAbsolutePath().toString();
        System.load(path);
        return checkedBind(LibraryLoader.create(NativeShim.class), path);
    }

    private static NativeShim checkedBind(LibraryLoader<NativeShim> loader, String library) {
        // failImmediately: jnr-ffi otherwise returns a proxy that fails at the first call,
        // which would move a missing library from startup to the first live connection.
        NativeShim shim = loader.failImmediately()
                .option(LibraryOption.IgnoreError, true)
                .load(library);
        int abi = shim.sob_abi_version();
        if (abi != NativeShim.ABI_VERSION) {
            throw new UnsatisfiedLinkError(library + " has ABI version " + abi + ", this jar needs "
                    + NativeShim.ABI_VERSION + ": the library and the jar come from different builds");
        }
        return shim;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
