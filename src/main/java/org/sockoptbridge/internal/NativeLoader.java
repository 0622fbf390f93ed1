package org.sockoptbridge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds, checks and loads the shim once per JVM. Attempts, in order:
 * <ol>
 * <li>{@value #LIBRARY_PROPERTY}: a preinstalled library file; when set, it is the only attempt;</li>
 * <li>the library shipped in the jar for this os-arch, extracted into a fresh private directory
 *     under {@value #TMPDIR_PROPERTY} or {@code java.io.tmpdir}, after its bytes were checked (the
 *     jar entry's CRC-32, or the SHA-256 recorded at build time for an unpacked directory), read
 *     back and compared byte for byte, loaded, then deleted;</li>
 * <li>{@code sockopt_bridge-<os-arch>} on {@code java.library.path} (distribution packages).</li>
 * </ol>
 * Loading runs the library's JNI_OnLoad, which registers the natives of {@link JniShim}; the
 * loader then checks the library's ABI against this jar's ({@link JniShim#checkAbi}).
 *
 * <h2>What the extraction guarantees, and against whom</h2>
 * {@code System.load} takes a path, not a descriptor, and canonicalizes it before {@code dlopen}:
 * checked on JDK 17 and 25, {@code /proc/self/fd/N} comes back as the file's current name in its
 * directory, so loading "through the descriptor that was verified" is not possible from Java, and a
 * sealed memfd would need native code before the native code is loaded. The guarantee therefore
 * rests on who can change the path between the check and the load:
 * <ul>
 * <li>The extraction parent, after resolving symbolic links, and every directory above it must be
 *     owned by this process's user or root, and none may be group- or world-writable unless it
 *     has the sticky bit. Otherwise the load is refused, naming the directory: without the sticky
 *     bit another user can rename our directory away and put theirs (or a symbolic link) in its
 *     place; the owner of any directory on the path can do the same at any time. POSIX ACLs are
 *     covered because the group bits show the ACL mask. Where that holds, <b>no other non-root
 *     user can change which file the path names</b>, from before the directory exists until it
 *     is deleted, so the bytes verified are the bytes {@code dlopen} maps.</li>
 * <li>Defence in depth, against this same user or root, who can rename anything in those
 *     directories: the directory is created 0700 with an unpredictable name; the file is created
 *     relative to the opened directory's descriptor ({@code openat} through a
 *     {@link SecureDirectoryStream}, {@code O_CREAT|O_EXCL|O_NOFOLLOW}), so no write ever lands
 *     outside the directory the loader created, even if that directory is renamed away and a link
 *     planted under its name; it is read back the same way and compared with the jar's bytes;
 *     right before loading, the path
 *     must still name the same directory and file (device and inode, 0700, this user); after
 *     loading, on Linux, {@code /proc/self/maps} must show that inode mapped, or the load fails.
 *     What remains: such an attacker can win the few microseconds between that last check and
 *     {@code dlopen}'s own open and have other bytes mapped. The loader then fails instead of
 *     returning the shim, but the other library's constructors have run. The same user or root
 *     can also attach a debugger to the JVM, so no loader can do better against them.</li>
 * </ul>
 *
 * <h2>Nothing left behind</h2>
 * A shutdown hook registered before the directory exists removes it, so {@code System.exit} from
 * another thread during a load (the CLI's usage errors) and SIGTERM leave nothing. SIGKILL runs no
 * code: the directory's name carries the creating pid ({@code sockopt-bridge-<pid>-<random>}),
 * and a later load removes such directories of this user whose process is gone and which are
 * older than {@link #STALE_AFTER} (a process in another PID namespace sharing the directory may
 * have a pid that looks dead from here; the age keeps its extraction in progress safe).
 */
public final class NativeLoader {
    public static final String LIBRARY_PROPERTY = "sockopt.bridge.library";
    public static final String TMPDIR_PROPERTY = "sockopt.bridge.tmpdir";

    static final String DIRECTORY_PREFIX = "sockopt-bridge-";
    /** Exactly what this loader creates; nothing else in a shared directory is ever removed. */
    // Parsed by hand (ownDirectoryPid), not with a regex: java.util.regex costs several ms of
    // class loading at startup, and the loader runs in every server's startup.
    static final Duration STALE_AFTER = Duration.ofSeconds(30);

    private static final int S_ISVTX = 01000;
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int GROUP_OR_OTHERS_ANY = 0077;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

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

    /**
     * The shim first, unless -D{@value Backends#PROPERTY}=portable. The portable backend only where
     * this jar has no shim for the platform and none is on java.library.path, and not when =shim
     * forbids it: a shim that exists but fails (altered, unsafe extraction directory, noexec) or a
     * library the user named (-D{@value #LIBRARY_PROPERTY}) is an error to see, not to paper over.
     */
    private static Result load() {
        Platform platform = Platform.current();
        List<String> attempts = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        Backends.Mode mode;
        try {
            mode = Backends.mode();
        } catch (IllegalArgumentException e) {
            attempts.add(e.getMessage());
            causes.add(e);
            return failed(platform, attempts, causes);
        }
        String why;
        if (mode == Backends.Mode.PORTABLE) {
            why = "-D" + Backends.PROPERTY + "=portable";
        } else {
            Result shim = loadShim(platform, attempts, causes);
            if (shim != null) {
                return shim;
            }
            String named = System.getProperty(LIBRARY_PROPERTY);
            boolean bundled = NativeLoader.class.getClassLoader().getResource(resourceFor(platform)) != null;
            if (mode == Backends.Mode.SHIM || (named != null && !named.isBlank()) || bundled) {
                return failed(platform, attempts, causes);
            }
            why = "this jar has no shim for " + platform.nativeName() + " (it has: " + bundledText() + ")";
        }
        try {
            Result portable = new Result(Backends.portable(why), "portable backend: jnr-ffi over libc (" + why + ")", null);
            // Chosen by the user: worth a DEBUG record. Fallen back to: INFO, since the portable
            // backend knows fewer options and needs --add-opens for JDK sockets.
            BridgeLog.log(mode == Backends.Mode.PORTABLE ? Level.DEBUG : Level.INFO, "sockopt-bridge uses the "
                    + portable.source + (mode == Backends.Mode.PORTABLE ? "" : "; options whose constants jnr-constants"
                    + " lacks read unsupported, and a JDK socket's fd needs --add-opens (README, \"Backends\")"));
            return portable;
        } catch (RuntimeException | LinkageError e) {
            attempts.add("portable backend (" + why + "): " + e.getMessage());
            causes.add(e);
            return failed(platform, attempts, causes);
        }
    }

    private static String resourceFor(Platform platform) {
        return "META-INF/native/" + platform.nativeName() + "/" + platform.libraryFileName();
    }

    /**
     * The platforms whose shim this jar (or class path) carries, of those the project builds:
     * looked up by name, since a class loader cannot list a resource directory. Only on the
     * failure paths, so the lookups cost nothing when the shim loads.
     */
    static List<String> bundledPlatforms() {
        List<String> found = new ArrayList<>();
        ClassLoader loader = NativeLoader.class.getClassLoader();
        for (String name : Platform.BUILT) {
            String os = name.substring(0, name.indexOf('-'));
            String file = "libsockopt_bridge-" + name + (os.equals("macos") ? ".dylib" : ".so");
            if (loader.getResource("META-INF/native/" + name + "/" + file) != null) {
                found.add(name);
            }
        }
        return found;
    }

    static String bundledText() {
        List<String> found = bundledPlatforms();
        return found.isEmpty() ? "none" : String.join(", ", found);
    }

    /** Which file was chosen and why: the libc is read from the process, not from os.name. */
    private static String choice(Platform platform) {
        return "chose " + platform.nativeName()
                + (platform.libc().isEmpty() ? "" : " because libc is " + platform.libc() + ": " + platform.libcEvidence());
    }

    /** The bundled shim, a named one, or one on java.library.path; null when none loads (attempts recorded). */
    private static Result loadShim(Platform platform, List<String> attempts, List<Throwable> causes) {
        String preinstalled = System.getProperty(LIBRARY_PROPERTY);
        if (preinstalled != null && !preinstalled.isBlank()) {
            Path path = Paths.get(preinstalled).toAbsolutePath();
            try {
                return new Result(bind(path), path + " (from -D" + LIBRARY_PROPERTY + ")", null);
            } catch (Throwable e) {
                attempts.add("-D" + LIBRARY_PROPERTY + "=" + preinstalled + ": " + e);
                causes.add(e);
                return null;
            }
        }
        String resource = resourceFor(platform);
        try {
            NativeBackend backend = extractAndBind(resource);
            // The resource's URL names the jar it came from ("jar:file:/srv/app.jar!/META-INF/...").
            java.net.URL url = NativeLoader.class.getClassLoader().getResource(resource);
            return new Result(backend, (url == null ? resource : url.toString())
                    + " (" + choice(platform) + "; checked, extracted to a private directory, read back and compared,"
                    + " deleted after loading)", null);
        } catch (Throwable e) {
            attempts.add("extract " + resource + " from the jar: " + e);
            causes.add(e);
        }
        try {
            String name = platform.libraryName();
            NativeBackend backend = withClassNameForJniOnLoad(name, true);
            return new Result(backend, System.mapLibraryName(name) + " on java.library.path (" + choice(platform) + ")", null);
        } catch (Throwable e) {
            attempts.add(platform.libraryFileName() + " on java.library.path ("
                    + System.getProperty("java.library.path") + "): " + e);
            causes.add(e);
        }
        return null;
    }

    private static Result failed(Platform platform, List<String> attempts, List<Throwable> causes) {
        NativeLibraryException failure = new NativeLibraryException(platform, attempts);
        for (Throwable cause : causes) {
            failure.addSuppressed(cause);
        }
        // Capabilities never throws, so a server that only asks isSupported() would degrade silently.
        BridgeLog.log(Level.WARNING, failure.getMessage() + "\nUntil then every option reads unsupported and"
                + " SocketControl throws NativeLibraryUnavailableException.");
        return new Result(null, null, failure);
    }

    private static NativeBackend extractAndBind(String resource) throws IOException {
        byte[] library = verifiedLibraryBytes(resource);
        Path configured = Paths.get(System.getProperty(TMPDIR_PROPERTY, System.getProperty("java.io.tmpdir")));
        Path parent = parentWithSafeModes(configured);
        Extraction extraction = new Extraction(parent, Platform.current().libraryFileName());
        try {
            // Before the directory exists: System.exit on another thread or SIGTERM from now on
            // runs the hook, which removes whatever this extraction has created so far.
            Runtime.getRuntime().addShutdownHook(extraction.cleanup);
        } catch (IllegalStateException shuttingDown) {
            throw new IOException("the JVM is shutting down; nothing extracted", shuttingDown);
        }
        try {
            int uid = extraction.createDirectory();
            requireOwners(configured, parent, uid);
            removeStaleDirectories(parent, uid);
            extraction.write(library);
            extraction.requireReadBackEquals(library);
            extraction.requirePathStillNamesWhatWasVerified();
            NativeBackend backend;
            try {
                backend = bind(extraction.file());
            } catch (UnsatisfiedLinkError e) {
                throw noexecHint(parent, e);
            }
            extraction.requireMappedFileIsWhatWasVerified();
            return backend;
        } finally {
            // Once mapped, the library needs no file; removing it leaves nothing to tamper with.
            extraction.remove();
            try {
                Runtime.getRuntime().removeShutdownHook(extraction.cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs (or ran) anyway; remove() does its work once.
            }
        }
    }

    /**
     * The library's bytes, refused unless they are exactly what was built: a truncated or damaged
     * ELF file reaching dlopen can crash the JVM (SIGBUS in the dynamic linker, seen here), so
     * corruption must stop here. From a jar the check is the zip entry's own CRC-32, which the
     * JDK's jar reading does not verify; CRC32 is a JVM intrinsic and loads nothing, where a
     * SHA-256 costs about 18 ms of security-provider start-up in every server. From a directory
     * (an IDE, exploded classes) there is no zip CRC, so the SHA-256 recorded at build time is
     * checked instead. Neither stops whoever can rewrite the jar; nothing in the jar could.
     */
    private static byte[] verifiedLibraryBytes(String resource) throws IOException {
        java.net.URL url = NativeLoader.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("this jar has no native library for " + Platform.current().nativeName()
                    + " (it has: " + bundledText() + ")");
        }
        java.net.URLConnection connection = url.openConnection();
        if (connection instanceof java.net.JarURLConnection jar) {
            java.util.jar.JarEntry entry = jar.getJarEntry();
            byte[] library;
            try (InputStream in = jar.getInputStream()) {
                library = in.readAllBytes();
            }
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(library);
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new IOException(url + " is damaged: its CRC-32 is " + Long.toHexString(crc.getValue())
                        + ", the jar recorded " + Long.toHexString(entry.getCrc()) + "; refusing to load it"
                        + " (a damaged library can crash the JVM); download the jar again");
            }
            return library;
        }
        byte[] library;
        try (InputStream in = connection.getInputStream()) {
            library = in.readAllBytes();
        }
        String expected;
        try (InputStream in = NativeLoader.class.getClassLoader().getResourceAsStream(resource + ".sha256")) {
            if (in == null) {
                throw new IOException(resource + ".sha256 is missing next to the library");
            }
            expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        String actual;
        try {
            actual = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(library));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("this JVM has no SHA-256", e);
        }
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException(url + " has SHA-256 " + actual + " but the build recorded " + expected
                    + ": the library was altered or truncated; refusing to load it (a damaged library can crash the JVM)");
        }
        return library;
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

    private static boolean hasUnixAttributes(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    /**
     * The one step that loads the verified file and binds the shim. System.load canonicalizes the
     * path; the extraction's path is already canonical (its parent is resolved), so it names the
     * very file that was checked.
     */
    private static NativeBackend bind(Path file) {
        String path = file.toAbsolutePath().toString();
        return withClassNameForJniOnLoad(path, false);
    }

    /**
     * Loads with the natives' class named for JNI_OnLoad (native/src/jni_binding.c): in a shaded
     * jar this class's package is relocated, and the property is how the C side learns the new
     * name. The Properties lock is held across the load so that two copies of the bridge loading
     * at once in one JVM do not see each other's name; JNI_OnLoad runs on this thread, inside it.
     */
    private static NativeBackend withClassNameForJniOnLoad(String library, boolean onLibraryPath) {
        java.util.Properties properties = System.getProperties();
        synchronized (properties) {
            String previous = properties.getProperty(JniShim.CLASS_PROPERTY);
            properties.setProperty(JniShim.CLASS_PROPERTY, JniShim.class.getName());
            try {
                // No lambda here: the first lambda of a JVM costs milliseconds of bootstrap.
                if (onLibraryPath) {
                    System.loadLibrary(library);
                } else {
                    System.load(library);
                }
            } finally {
                if (previous == null) {
                    properties.remove(JniShim.CLASS_PROPERTY);
                } else {
                    properties.setProperty(JniShim.CLASS_PROPERTY, previous);
                }
            }
        }
        try {
            JniShim.checkAbi(library);
        } catch (JniShim.AbiMismatchError e) {
            throw e;
        } catch (UnsatisfiedLinkError e) {
            throw notTheShim(library, e);
        }
        return new JniShim();
    }

    /**
     * A library without the shim's JNI_OnLoad (libc, or anything else a user pointed the property
     * at) loads fine and registers nothing, so the first native call fails with a bare
     * "UnsatisfiedLinkError: 'int[] ...JniShim.abiLayout()'". Say what that means.
     */
    private static UnsatisfiedLinkError notTheShim(String library, UnsatisfiedLinkError e) {
        Platform platform = Platform.current();
        UnsatisfiedLinkError explained = new UnsatisfiedLinkError(library + " is not sockopt-bridge's native library"
                + " (loading it registered none of the bridge's native methods: it has no JNI_OnLoad for them;"
                + " libc or another library was named). Point -D" + LIBRARY_PROPERTY
                + " at the " + platform.libraryFileName() + " of this jar's release (the jar carries it as META-INF/native/"
                + platform.osArch() + "/" + platform.libraryFileName() + "), or remove -D" + LIBRARY_PROPERTY
                + " to use the copy inside the jar");
        explained.initCause(e);
        return explained;
    }

    /**
     * The configured directory with links resolved, refused when it or a directory above it lets
     * other users rename entries (group- or world-writable without the sticky bit). Runs before
     * anything is created, so a refused directory gets nothing written into it.
     */
    private static Path parentWithSafeModes(Path configured) throws IOException {
        Path parent;
        try {
            parent = configured.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("the extraction directory " + configured + " does not exist: create it (mkdir -m 700 "
                    + configured + ") or set -D" + TMPDIR_PROPERTY + " to one that exists", e);
        }
        if (!hasUnixAttributes(parent)) {
            // Windows: the per-user temporary directory is protected by ACLs, not mode bits.
            return parent;
        }
        for (Path directory = parent; directory != null; directory = directory.getParent()) {
            Map<String, Object> attributes = Files.readAttributes(directory, "unix:mode,isDirectory", NOFOLLOW);
            int mode = (Integer) attributes.get("mode");
            if (!(Boolean) attributes.get("isDirectory")) {
                throw unsafe(configured, directory, "is not a directory");
            }
            if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & S_ISVTX) == 0) {
                throw unsafe(configured, directory, String.format("is %s-writable without the sticky bit (mode %04o):"
                        + " another user can rename the loader's directory away and put their own in its place,"
                        + " then the library is written or loaded through their link; add the sticky bit"
                        + " (chmod +t %s) or remove the write bit,",
                        (mode & 0002) != 0 ? "world" : "group", mode & 07777, directory));
            }
        }
        return parent;
    }

    /** Every directory from the parent up must belong to this user or root: their owner can rename anything. */
    private static void requireOwners(Path configured, Path parent, int uid) throws IOException {
        if (uid < 0) {
            return;
        }
        for (Path directory = parent; directory != null; directory = directory.getParent()) {
            int owner = (Integer) Files.getAttribute(directory, "unix:uid", NOFOLLOW);
            if (owner != uid && owner != 0) {
                throw unsafe(configured, directory, "is owned by uid " + owner + ", neither this process's user (uid "
                        + uid + ") nor root: its owner can replace what the loader extracts there,");
            }
        }
    }

    private static IOException unsafe(Path configured, Path directory, String why) {
        String where = directory.equals(configured) ? String.valueOf(directory)
                : directory + " (on the way to the extraction directory " + configured + ")";
        return new IOException("refusing to extract the native library: " + where + " " + why
                + " or set -D" + TMPDIR_PROPERTY + " to a directory only this user can write"
                + " (for example: mkdir -m 700 ~/.cache/sockopt-bridge), or point -D" + LIBRARY_PROPERTY
                + " at an installed " + Platform.current().libraryFileName());
    }

    /**
     * mkdir of PREFIX + a random number, again with another number if the name exists.
     * Files.createTempDirectory would do the same, but its SecureRandom loads the security
     * providers (about 20 ms at startup). The name need not be secret: mkdir fails on any name
     * that exists, so a name another user planted is never used, only skipped; and the parent has
     * been checked so that no other user can rename what this creates.
     */
    private static Path createUniqueDirectory(Path parent, String prefix, boolean unix) throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve(prefix + Long.toUnsignedString(random.nextLong() & Long.MAX_VALUE));
            try {
                return unix ? Files.createDirectory(candidate, Extraction.DIRECTORY_MODE) : Files.createDirectory(candidate);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }

    /**
     * Removes what an earlier process of this user left when it was killed mid-extraction (SIGKILL
     * runs no hook). Best effort: a directory that cannot be removed now is tried again next time.
     */
    private static void removeStaleDirectories(Path parent, int uid) {
        if (uid < 0) {
            return;
        }
        long self = currentPid();
        // No glob filter: a glob compiles to a regex, which costs milliseconds at startup; ownDirectoryPid filters.
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent)) {
            for (Path candidate : candidates) {
                long pid = ownDirectoryPid(candidate.getFileName().toString());
                if (pid > 0 && pid != self && !processExists(pid)) {
                    removeStaleDirectory(candidate, uid);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Another process may clean the same directory at the same moment; leftovers wait for the next load.
        }
    }

    /**
     * The pid in "sockopt-bridge-PID-RANDOM" (digits only, 1..19 and 1..20 of them), or -1 for any
     * other name: nothing that this loader did not create is ever removed.
     */
    static long ownDirectoryPid(String name) {
        if (!name.startsWith(DIRECTORY_PREFIX)) {
            return -1;
        }
        int dash = name.indexOf('-', DIRECTORY_PREFIX.length());
        int pidLength = dash - DIRECTORY_PREFIX.length();
        int randomLength = name.length() - dash - 1;
        if (dash < 0 || pidLength < 1 || pidLength > 18 || randomLength < 1 || randomLength > 20) {
            return -1;
        }
        for (int i = DIRECTORY_PREFIX.length(); i < name.length(); i++) {
            if (i != dash && (name.charAt(i) < '0' || name.charAt(i) > '9')) {
                return -1;
            }
        }
        return Long.parseLong(name.substring(DIRECTORY_PREFIX.length(), dash));
    }

    /**
     * On Linux /proc/PID answers without ProcessHandle, whose first use costs about 13 ms of
     * class loading and thread-pool setup at startup; elsewhere ProcessHandle.
     */
    private static boolean processExists(long pid) {
        if (Platform.current().isLinux() && Files.isDirectory(Paths.get("/proc/self"))) {
            return Files.exists(Paths.get("/proc/" + pid));
        }
        return ProcessHandle.of(pid).isPresent();
    }

    private static long currentPid() {
        if (Platform.current().isLinux()) {
            try {
                // /proc/self links to the pid's directory: cheaper than ProcessHandle at startup.
                return Long.parseLong(Files.readSymbolicLink(Paths.get("/proc/self")).toString());
            } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
                // fall through
            }
        }
        return ProcessHandle.current().pid();
    }

    private static void removeStaleDirectory(Path candidate, int uid) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(candidate, BasicFileAttributes.class, NOFOLLOW);
            if (!attributes.isDirectory() || (Integer) Files.getAttribute(candidate, "unix:uid", NOFOLLOW) != uid
                    || attributes.lastModifiedTime().toInstant().isAfter(Instant.now().minus(STALE_AFTER))) {
                return;
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(candidate)) {
                if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
                    return; // Without openat a link planted under the name could redirect the deletes.
                }
                if (!Objects.equals(secure.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey(),
                        attributes.fileKey())) {
                    return;
                }
                for (Path entry : secure) {
                    if (entry.getFileName().toString().contains("sockopt_bridge")) {
                        secure.deleteFile(entry.getFileName()); // unlinkat: removes a link, never its target
                    }
                }
            }
            Files.delete(candidate); // fails, and leaves it, if anything else is inside
            BridgeLog.log(Level.DEBUG, "sockopt-bridge removed " + candidate
                    + ", an extraction directory left by a process that is gone");
        } catch (IOException | RuntimeException e) {
            // Left for the next load.
        }
    }

    /**
     * One extraction's directory and file. The lock orders creation against the shutdown hook:
     * once {@link #remove()} has run, nothing more is created, so a hook that runs in the middle
     * of an extraction (System.exit on another thread, SIGTERM) leaves nothing behind.
     */
    private static final class Extraction {
        /**
         * Its own copy, not NativeLoader's: the shutdown hook runs this class's code while
         * NativeLoader may still be initializing on the loading thread (System.exit from another
         * thread mid-load). Touching a NativeLoader static there waits for that initialization,
         * which waits for this lock the hook holds: the CLI hung on exit before this.
         */
        private static final LinkOption NO_LINKS = LinkOption.NOFOLLOW_LINKS;
        private static final FileAttribute<?> DIRECTORY_MODE =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        private static final FileAttribute<?> FILE_MODE =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

        final Thread cleanup = new Thread("sockopt-bridge-extraction-cleanup") {
            @Override
            public void run() {
                remove();
            }
        };
        private final Path parent;
        private final Path name;
        private final Object lock = new Object();
        private boolean removed;
        private Path directory;
        private Object directoryKey;
        private int uid = -1;
        private SecureDirectoryStream<Path> opened; // null where the platform has no openat
        private Object fileKey;
        private long fileDevice = -1;
        private long fileInode = -1;

        Extraction(Path parent, String fileName) {
            this.parent = parent;
            this.name = parent.getFileSystem().getPath(fileName);
        }

        Path file() {
            return directory.resolve(name);
        }

        /** Creates the directory (mkdir never follows a link) and returns its owner: this process's uid. */
        int createDirectory() throws IOException {
            synchronized (lock) {
                requireNotRemoved();
                boolean unix = hasUnixAttributes(parent);
                directory = createUniqueDirectory(parent, DIRECTORY_PREFIX + currentPid() + "-", unix);
                BasicFileAttributes attributes = Files.readAttributes(directory, BasicFileAttributes.class, NO_LINKS);
                directoryKey = attributes.fileKey();
                if (unix) {
                    // The owner of what this process just created is its file-system uid: the one
                    // that counts for permissions (user.name can be set to anything).
                    uid = (Integer) Files.getAttribute(directory, "unix:uid", NO_LINKS);
                }
                DirectoryStream<Path> stream = Files.newDirectoryStream(directory);
                if (stream instanceof SecureDirectoryStream<Path> secure) {
                    Object openedKey = secure.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
                    if (directoryKey == null || !directoryKey.equals(openedKey)) {
                        // Not kept: remove() must never unlink inside a directory that is not ours.
                        secure.close();
                        throw changed(directory, "between its creation and its opening");
                    }
                    opened = secure;
                } else {
                    stream.close();
                }
                return uid;
            }
        }

        void write(byte[] library) throws IOException {
            synchronized (lock) {
                requireNotRemoved();
                // CREATE_NEW is O_CREAT|O_EXCL: an existing file or link under the name is an
                // error, never opened. Through the opened directory it is openat(): the file lands
                // in the directory created above wherever that directory has been moved.
                Set<OpenOption> create = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NO_LINKS);
                boolean unix = uid >= 0;
                try (SeekableByteChannel out = opened != null
                        ? (unix ? opened.newByteChannel(name, create, FILE_MODE) : opened.newByteChannel(name, create))
                        : (unix ? Files.newByteChannel(file(), create, FILE_MODE) : Files.newByteChannel(file(), create))) {
                    ByteBuffer bytes = ByteBuffer.wrap(library);
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                }
                BasicFileAttributes written = fileAttributes();
                if (!written.isRegularFile() || written.size() != library.length) {
                    throw changed(file(), "while it was written");
                }
                fileKey = written.fileKey();
            }
        }

        /**
         * Reads the file back through the opened directory and compares it byte for byte with
         * what the jar holds: the bytes verified are the bytes written, and the same inode before
         * and after the read. (The jar's bytes were checked in verifiedLibraryBytes.)
         */
        void requireReadBackEquals(byte[] library) throws IOException {
            Set<OpenOption> read = Set.of(StandardOpenOption.READ, NO_LINKS);
            ByteBuffer buffer = ByteBuffer.allocate(library.length + 1);
            try (SeekableByteChannel in = opened != null ? opened.newByteChannel(name, read)
                    : Files.newByteChannel(file(), read)) {
                while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                    // read until the file ends or is longer than the library
                }
            }
            if (buffer.position() != library.length
                    || !Arrays.equals(buffer.array(), 0, library.length, library, 0, library.length)) {
                throw changed(file(), "after it was written (it does not read back as the jar's bytes)");
            }
            if (fileKey == null || !fileKey.equals(fileAttributes().fileKey())) {
                throw changed(file(), "while it was read back");
            }
        }

        /**
         * System.load goes by path: right before it, the path must still lead to this
         * extraction's directory (still 0700, still ours) and to the file that was verified.
         */
        void requirePathStillNamesWhatWasVerified() throws IOException {
            BasicFileAttributes directoryNow = Files.readAttributes(directory, BasicFileAttributes.class, NO_LINKS);
            if (!directoryNow.isDirectory() || !directoryKey.equals(directoryNow.fileKey())) {
                throw changed(directory, "after the library was written into it (another directory or link is there now)");
            }
            if (uid >= 0) {
                Map<String, Object> unix = Files.readAttributes(directory, "unix:uid,mode", NO_LINKS);
                if ((Integer) unix.get("uid") != uid || ((Integer) unix.get("mode") & GROUP_OR_OTHERS_ANY) != 0) {
                    throw changed(directory, "(its owner or mode is no longer this user's 0700)");
                }
            }
            BasicFileAttributes fileNow = Files.readAttributes(file(), BasicFileAttributes.class, NO_LINKS);
            if (!fileNow.isRegularFile() || !fileKey.equals(fileNow.fileKey())) {
                throw changed(file(), "after it was verified");
            }
            if (uid >= 0) {
                Map<String, Object> unix = Files.readAttributes(file(), "unix:dev,ino", NO_LINKS);
                fileDevice = (Long) unix.get("dev");
                fileInode = (Long) unix.get("ino");
            }
        }

        /**
         * Linux: the mapping the dynamic linker made must be of the inode that was verified. This
         * catches a swap in the last window before dlopen's open, which no check by path can close.
         */
        void requireMappedFileIsWhatWasVerified() throws IOException {
            Path maps = Paths.get("/proc/self/maps");
            if (fileInode < 0 || !Platform.current().isLinux() || !Files.isReadable(maps)) {
                return;
            }
            String path = file().toString();
            long major = ((fileDevice >>> 8) & 0xfffL) | ((fileDevice >>> 32) & 0xfffff000L);
            long minor = (fileDevice & 0xffL) | ((fileDevice >>> 12) & 0xffffff00L);
            boolean ours = false;
            String other = null;
            for (String line : Files.readAllLines(maps, StandardCharsets.UTF_8)) {
                String[] fields = mapsFields(line);
                if (fields == null) {
                    continue;
                }
                int colon = fields[3].indexOf(':');
                boolean sameInode = colon > 0 && Long.parseLong(fields[4]) == fileInode
                        && Long.parseLong(fields[3].substring(0, colon), 16) == major
                        && Long.parseLong(fields[3].substring(colon + 1), 16) == minor;
                if (sameInode) {
                    ours = true;
                } else if (fields[5].equals(path)) {
                    other = line;
                }
            }
            if (other != null || !ours) {
                throw new IOException("the library mapped from " + path + " is not the file that was verified (device "
                        + major + ":" + minor + ", inode " + fileInode + ")" + (other == null ? "" : ": " + other)
                        + "; something replaced it between the check and the load, which only this user or root can do");
            }
        }

        /**
         * The six fields of a /proc/self/maps line (address, perms, offset, dev, inode, path; the
         * path may be empty or hold spaces), or null. Split by hand: String.split with a regex
         * would load java.util.regex at startup for this one read.
         */
        private static String[] mapsFields(String line) {
            String[] fields = new String[6];
            int at = 0;
            for (int field = 0; field < 5; field++) {
                while (at < line.length() && line.charAt(at) == ' ') {
                    at++;
                }
                int end = line.indexOf(' ', at);
                if (at >= line.length() || end < 0) {
                    return null;
                }
                fields[field] = line.substring(at, end);
                at = end;
            }
            fields[5] = line.substring(at).trim();
            return fields;
        }

        /** Idempotent; also the shutdown hook's body. Deletes through the opened directory when possible. */
        void remove() {
            synchronized (lock) {
                if (removed) {
                    return;
                }
                removed = true;
                if (directory == null) {
                    return;
                }
                try {
                    if (opened != null) {
                        try {
                            opened.deleteFile(name); // unlinkat in our directory, wherever it is now
                        } catch (NoSuchFileException nothingWritten) {
                            // Interrupted before the write.
                        } finally {
                            opened.close();
                        }
                    } else if (directoryStillOurs()) {
                        // By path only while the path still leads to our directory: after a swap,
                        // directory/name would be the planted link's target (the security test
                        // caught exactly that deleting its victim file).
                        Files.deleteIfExists(file());
                    }
                    if (directoryStillOurs()) {
                        Files.delete(directory);
                    }
                } catch (IOException | RuntimeException e) {
                    // Left behind: once this process is gone, the next load removes it as stale.
                }
            }
        }

        private boolean directoryStillOurs() throws IOException {
            try {
                BasicFileAttributes now = Files.readAttributes(directory, BasicFileAttributes.class, NO_LINKS);
                return now.isDirectory() && Objects.equals(directoryKey, now.fileKey());
            } catch (NoSuchFileException gone) {
                return false;
            }
        }

        private BasicFileAttributes fileAttributes() throws IOException {
            return opened != null
                    ? opened.getFileAttributeView(name, BasicFileAttributeView.class, NO_LINKS).readAttributes()
                    : Files.readAttributes(file(), BasicFileAttributes.class, NO_LINKS);
        }

        private void requireNotRemoved() throws IOException {
            if (removed) {
                throw new IOException("the JVM is shutting down; the extraction was stopped and removed");
            }
        }

        private static IOException changed(Path path, String when) {
            return new IOException(path + " was replaced " + when + "; refusing to load it."
                    + " Only this user or root can do that in a directory that passed the loader's checks");
        }
    }
}
