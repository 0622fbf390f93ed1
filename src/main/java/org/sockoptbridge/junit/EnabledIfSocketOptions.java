package org.sockoptbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.sockoptbridge.OptionName;

/**
 * Runs the annotated test class or method only where sockopt-bridge supports every listed option
 * on this platform, kernel and host; elsewhere JUnit reports it skipped with the bridge's own
 * reason for each missing option, the same words {@link org.sockoptbridge.SockoptBridge#requireSupport}
 * would throw (not compiled on this OS, rejected by this kernel with its errno name, no IPv6 on
 * this host, no native library for this os-arch).
 *
 * <pre>{@code
 * @EnabledIfSocketOptions({OptionName.IPV6_V6ONLY, OptionName.SO_REUSEPORT})
 * class DualStackListenerTest {
 *     // skipped with "IPV6_V6ONLY: no IPv6 on this host: ..." in a container without IPv6
 * }
 * }</pre>
 *
 * <p>Support is read from {@link org.sockoptbridge.SockoptBridge#capabilities()}, probed once per
 * JVM on throwaway sockets, so the condition costs a map lookup per test after the first.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SocketOptionsCondition.class)
public @interface EnabledIfSocketOptions {
    /** {@return the options the test needs; it runs only where all of them are supported} */
    OptionName[] value();
}
