package org.sockoptbridge.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jnr.ffi.LibraryLoader;

/**
 * A network namespace made with {@code ip netns add}, and a way to open JDK sockets inside it
 * from this JVM: a fresh thread joins the namespace with setns(2), which affects that thread
 * only (CLONE_NEWNET is allowed in a multi-threaded process), creates the sockets and ends. A
 * socket belongs to the namespace it was created in for its whole life, whichever thread uses
 * it later. All names start with {@link #PREFIX} and carry this JVM's pid.
 */
public final class NetNamespace implements AutoCloseable {
    static final String PREFIX = "sobk-";
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    /** The three libc calls; public for jnr-ffi's generated implementation. */
    public interface LibC {
        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);
    }

    private static final class Libc {
        static final LibC C = LibraryLoader.create(LibC.class).failImmediately().load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(C);
    }

    private final String ip;
    public final String name;
    private boolean deleted;

    private NetNamespace(String ip, String name) {
        this.ip = ip;
        this.name = name;
    }

    /** Creates the namespace; the caller closes it (deletes it) in a finally. */
    static NetNamespace create(String ip, String role) throws Exception {
        String name = PREFIX + role + "-" + ProcessHandle.current().pid();
        HostCommand.run(ip, "netns", "del", name); // a leftover of this pid, if any
        HostCommand.Result added = HostCommand.run(ip, "netns", "add", name);
        if (!added.ok()) {
            throw new NamespaceUnavailableException("ip netns add " + name + " failed: " + added.stderr().strip());
        }
        return new NetNamespace(ip, name);
    }

    /** Runs ip with -n this namespace; fails the test if it fails. */
    public HostCommand.Result ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ip, "-n", name));
        command.addAll(List.of(args));
        return HostCommand.run(command).orThrow(command);
    }

    /** {@code ip netns exec NAME}: the words that run a command inside this namespace. */
    public List<String> execPrefix() {
        return List.of(ip, "netns", "exec", name);
    }

    /** Runs a command inside the namespace ({@code ip netns exec}). */
    public HostCommand.Result exec(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", name));
        command.addAll(List.of(args));
        return HostCommand.run(command).orThrow(command);
    }

    /** Calls action on a new thread that has joined this namespace (sockets it opens live here). */
    public <T> T call(Callable<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                int fd = Libc.C.open("/run/netns/" + name, O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                    throw new NamespaceUnavailableException("open /run/netns/" + name + ": errno " + Libc.RUNTIME.getLastError());
                }
                int rc = Libc.C.setns(fd, CLONE_NEWNET);
                int errno = Libc.RUNTIME.getLastError();
                Libc.C.close(fd);
                if (rc != 0) {
                    throw new NamespaceUnavailableException("setns(" + name + ", CLONE_NEWNET): errno " + errno);
                }
                result.complete(action.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "in-netns-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            return result.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void close() throws java.io.IOException {
        if (!deleted) {
            deleted = true;
            try {
                HostCommand.run(ip, "netns", "del", name); // also destroys the veth end inside it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.IOException("interrupted while deleting network namespace " + name, e);
            }
        }
    }

    /** Deletes namespaces this test class left behind in a JVM that no longer runs (killed mid-test). */
    static void deleteOrphans(String ip) throws Exception {
        Matcher m = Pattern.compile("^(" + Pattern.quote(PREFIX) + "[a-z]+-(\\d+))\\b", Pattern.MULTILINE)
                .matcher(HostCommand.run(ip, "netns", "list").stdout());
        while (m.find()) {
            boolean alive = ProcessHandle.of(Long.parseLong(m.group(2))).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                HostCommand.run(ip, "netns", "del", m.group(1));
            }
        }
    }

    /** This host cannot make or join namespaces: the test is skipped, with this message. */
    static final class NamespaceUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        NamespaceUnavailableException(String message) {
            super(message);
        }
    }
}
