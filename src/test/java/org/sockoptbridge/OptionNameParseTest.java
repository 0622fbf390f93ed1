package org.sockoptbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/** OptionName.parse: case-insensitive in ASCII only, whatever the default locale. */
class OptionNameParseTest {
    @Test
    void anyAsciiCaseAndSurroundingSpace() {
        assertEquals(OptionName.TCP_KEEPIDLE, OptionName.parse("tcp_keepidle"));
        assertEquals(OptionName.SO_REUSEPORT, OptionName.parse(" So_ReusePort "));
        assertEquals(OptionName.IPV6_V6ONLY, OptionName.parse("ipv6_v6only"));
    }

    /**
     * Letters whose case mapping lands on an ASCII letter: equalsIgnoreCase folds the dotted capital
     * İ and the Kelvin sign to i and k, toUpperCase(Locale.ROOT) the dotless ı and the long ſ to I and S.
     */
    @Test
    void nonAsciiLookalikesAreUnknown() {
        for (String name : new String[] {"TCP_KEEP\u0130DLE", "tcp_keep\u0131dle", "\u017Fo_rcvbuf", "TCP_\u212AEEPCNT"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptionName.parse(name));
            assertEquals(true, e.getMessage().contains("'" + name + "'"), e.getMessage());
        }
    }

    /** In Turkish, "i".toUpperCase() is "İ": a default-locale upper-casing would lose every name with an i. */
    @Test
    void turkishDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals(OptionName.TCP_KEEPIDLE, OptionName.parse("tcp_keepidle"));
            assertEquals(OptionName.TCP_KEEPINTVL, OptionName.parse("tcp_keepintvl"));
            assertEquals(OptionName.IPV6_V6ONLY, OptionName.parse("ipv6_v6only"));
        } finally {
            Locale.setDefault(saved);
        }
    }
}
