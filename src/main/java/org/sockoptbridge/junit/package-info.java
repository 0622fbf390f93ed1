/**
 * JUnit Jupiter support for tests that depend on socket options: {@link
 * org.sockoptbridge.junit.EnabledIfSocketOptions} skips a test, with the bridge's reason, where an
 * option it needs is not supported here.
 *
 * <p>sockopt-bridge declares its JUnit dependency (junit-jupiter-api) optional: a server that does
 * not use this package gets no JUnit class on its class path or module path, and nothing in the
 * rest of the library refers to this package. A test that uses it already has JUnit Jupiter 5.x or
 * 6.x on its test path. On the module path the library is the automatic module
 * {@code org.sockoptbridge}, which declares no requirements; an automatic module reads every
 * module in the graph, so this package finds {@code org.junit.jupiter.api} whenever the test's own
 * module resolves it.
 */
package org.sockoptbridge.junit;
