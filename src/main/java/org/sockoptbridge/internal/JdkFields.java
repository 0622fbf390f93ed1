package org.sockoptbridge.internal;

import java.lang.reflect.Field;

import org.sockoptbridge.internal.NativeBackend.JdkFieldReader;

/**
 * Private JDK fields located with core reflection and read through the backend: by the shim's
 * JNI functions (native/src/jdk_fields.c), which need no access rights, since JNI performs no
 * module checks. A field is verified once (instance field, expected type) when its
 * {@link JdkField} is made; each read checks the target's class, so a wrong guess raises
 * IllegalArgumentException instead of crashing the JVM.
 */
final class JdkFields {
    private JdkFields() {
    }

    private static JdkFieldReader reader() {
        return NativeLoader.result().backend().fieldReader();
    }

    /** The value of a static int field (a JDK-internal state constant), read once per class. */
    static int readStaticInt(Field field) {
        return reader().readStaticInt(field);
    }

    /** One verified private field: its handle and the Field, kept together. */
    static final class JdkField {
        private final long id;
        private final Field field;
        private final JdkFieldReader reader;

        private JdkField(long id, Field field, JdkFieldReader reader) {
            this.id = id;
            this.field = field;
            this.reader = reader;
        }

        static JdkField of(Field field) {
            JdkFieldReader reader = reader();
            return new JdkField(reader.fieldId(field, field.getType() == int.class), field, reader);
        }

        Class<?> type() {
            return field.getType();
        }

        int readInt(Object target) {
            return reader.readInt(id, field, target);
        }

        Object readObject(Object target) {
            return reader.readObject(id, field, target);
        }
    }
}
