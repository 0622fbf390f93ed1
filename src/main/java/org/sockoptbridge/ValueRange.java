package org.sockoptbridge;

/**
 * The values this platform's kernel accepts for an option, in the unit setsockopt takes.
 *
 * @param min the smallest accepted value
 * @param max the largest accepted value
 * @param text for people, with the unit: "1..32767 seconds", "true or false"
 */
public record ValueRange(long min, long max, String text) {
}
