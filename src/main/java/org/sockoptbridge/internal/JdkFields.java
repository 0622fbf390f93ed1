package org.sockoptbridge.internal;

import java.lang.reflect.Field;

/**
 * JNI reads of private JDK fields located with core reflection (native/src/jdk_fields.c).
 * Locating a field needs no access rights; JNI then reads it without the module checks that
 * make core reflection demand --add-opens. A field is verified once (instance field, expected
 * type) when its {@link JdkField} is made; each read checks the target's class in C, so a wrong
 * guess raises IllegalArgumentException instead of crashing the JVM.
 */
final class JdkFields {
    private JdkFields() {
    }

    static native long fieldId(Field field, boolean wantInt);

    static native int readInt(long fieldId, Class<?> owner, Object target);

    static native Object readObject(long fieldId, Class<?> owner, Object target);

    /** The value of a static int field (a JDK-internal state constant), read once per class. */
    static native int readStaticInt(Field field);

    /** One verified private field: its JNI id and declaring class, kept together. */
    static final class JdkField {
        private final long id;
        private final Class<?> owner;
        private final Class<?> type;

        private JdkField(long id, Class<?> owner, Class<?> type) {
            this.id = id;
            this.owner = owner;
            this.type = type;
        }

        static JdkField of(Field field) {
            return new JdkField(fieldId(field, field.getType() == int.class), field.getDeclaringClass(), field.getType());
        }

        Class<?> type() {
            return type;
        }

        int readInt(Object target) {
            return JdkFields.readInt(id, owner, target);
        }

        Object readObject(Object target) {
            return JdkFields.readObject(id, owner, target);
        }
    }
}
