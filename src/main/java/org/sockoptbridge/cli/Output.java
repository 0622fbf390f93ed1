package org.sockoptbridge.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The event lines of {@code listen} and {@code connect} on stdout: one JSON object per line with
 * {@code --json}, else one line of text. Each line is written and flushed whole, so another
 * program can follow the output as it comes.
 */
final class Output {
    private final boolean json;

    Output(boolean json) {
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** Prints the line (as JSON, or the text) and returns the bytes printed, newline included. */
    byte[] print(Map<String, Object> line, String text) {
        byte[] bytes;
        if (json) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            Json.writeLine(line, buffer);
            bytes = buffer.toByteArray();
        } else {
            bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        }
        PrintStream out = System.out;
        out.write(bytes, 0, bytes.length);
        out.flush();
        return bytes;
    }
}
