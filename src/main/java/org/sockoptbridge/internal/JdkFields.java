package org.sockoptbridge.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * JNI reads of private JDK members located with core reflection (native/src/jdk_fields.c).
 * Locating a member needs no access rights; JNI then reads it without the module checks that
 * make core reflection demand --add-opens. The C side checks that the member belongs to the
 * target, so a wrong guess raises IllegalArgumentException instead of crashing the JVM.
 */
public final class JdkFields {
    private JdkFields() {
    }

    public static native Object readObjectField(Field field, Object target);

    public static native int readIntField(Field field, Object target);

    public static native Object invokeObjectMethod(Method method, Object target);

    /** The int fd inside a FileDescriptor; -1 once it is closed. */
    public static native int fileDescriptorFd(java.io.FileDescriptor descriptor);
}
