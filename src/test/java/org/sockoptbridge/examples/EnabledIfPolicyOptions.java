package org.sockoptbridge.examples;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

/**
 * The options of {@link AcceptedSockets#policy()}: the example tests run only where all of them
 * are supported. A composed annotation, as a user would write one for a set of tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfSocketOptions({OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT,
        OptionName.SO_RCVBUF, OptionName.SO_SNDBUF})
@interface EnabledIfPolicyOptions {
}
