package org.sockoptbridge.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes the CLI's reports (maps, lists, strings, numbers, booleans, nulls) with Jackson's
 * streaming generator. Only the {@code --json} paths load it: the databind layer is not used,
 * it would add its class loading to every probe at container start.
 */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /**
     * Loads and initializes the generator (~15-20 ms of class loading on a cold JVM) by writing a
     * small document nowhere: called while the bridge loads on another thread, it takes that
     * time off the path to the report's output.
     */
    static void warmUp() {
        writeLine(Map.of("warm", List.of(1L, true, "up")), OutputStream.nullOutputStream());
    }

    /** One JSON document on one line, then a newline; the stream is flushed, not closed. */
    static void writeLine(Object value, OutputStream out) {
        try {
            JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(generator, value);
            generator.writeRaw('\n');
            generator.close();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(entry.getKey().toString());
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object element : list) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double number && Double.isFinite(number)) {
            generator.writeNumber(number); // times in milliseconds, ratios
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }
}
