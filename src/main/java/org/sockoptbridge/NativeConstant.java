package org.sockoptbridge;

/**
 * How this platform spells an option in setsockopt: for diagnostics and the probe, never needed
 * to use the bridge.
 *
 * @param symbol the C constant, e.g. {@code TCP_KEEPALIVE} for the idle timer on macOS
 * @param level the level argument (e.g. IPPROTO_TCP's number), or -1 when not compiled in
 * @param name the option name argument, or -1 when not compiled in
 */
public record NativeConstant(String symbol, int level, int name) {
}
