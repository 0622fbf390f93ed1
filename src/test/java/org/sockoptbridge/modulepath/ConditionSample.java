package org.sockoptbridge.modulepath;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

/**
 * A user's test class, launched by ModulePathIT with the library on the module path and JUnit on
 * the class path. Not a test of its own (no "Test" in its name, so no runner picks it up).
 */
@EnabledIfSocketOptions({OptionName.TCP_KEEPIDLE, OptionName.SO_REUSEPORT})
public class ConditionSample {
    @Test
    void setsKeepAlive() {
    }
}
