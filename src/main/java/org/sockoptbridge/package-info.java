/**
 * Kernel-level control of the sockets a Java server already has: keep-alive timers, buffer sizes
 * as the kernel holds them, {@code IPV6_V6ONLY} and {@code SO_REUSEPORT}, on JDK channels,
 * {@code java.net} sockets and raw fds, with a fail-fast check of what this platform supports.
 *
 * <h2>Where to start</h2>
 * <ul>
 * <li>{@link org.sockoptbridge.SockoptBridge}: {@code requireSupport(...)} at startup, and
 *     {@code capabilities()} to ask without throwing.</li>
 * <li>{@link org.sockoptbridge.SocketControl}: set and get options on one socket, typed by
 *     {@link org.sockoptbridge.SockOpt} keys; {@code apply(OptionSettings)} sets several in one
 *     native call, all or nothing.</li>
 * <li>{@link org.sockoptbridge.ListenerBuilder} and {@link org.sockoptbridge.AcceptedSocketPolicy}:
 *     listeners with their options set in the kernel's order, and options for every accepted
 *     connection, set once on the listener where the platform passes them on.</li>
 * <li>{@link org.sockoptbridge.AcceptQueue} and {@link org.sockoptbridge.ListenCounters}: the
 *     accept queue and the host's drop counters, to see backlog pressure.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Every error is a {@link org.sockoptbridge.SockoptException} (unchecked) naming the option, the
 * value, the errno's name and the platform, and leaves the socket as it was.
 *
 * <h2>Logging</h2>
 * Through {@link java.lang.System.Logger}, logger name {@value org.sockoptbridge.SockoptBridge#LOGGER_NAME},
 * once per JVM and only where the bridge departs from its default path: a fallback to the
 * portable backend, no backend at all, a stale extraction directory removed, accepted-socket
 * inheritance that could not be detected or is absent. The default path logs nothing and never
 * starts a logging backend.
 *
 * <h2>Tests</h2>
 * {@link org.sockoptbridge.junit.EnabledIfSocketOptions} skips a JUnit Jupiter test, with the
 * bridge's reason, where an option it needs is missing.
 */
package org.sockoptbridge;
