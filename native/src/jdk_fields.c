/*
 * The JNI readers of JDK internals (registered on JniShim by jni_binding.c): read private fields that Java code has located with core reflection.
 * Locating a member (Class.getDeclaredField) needs no access rights; only using it does, and
 * core reflection refuses that for JDK internals unless the application runs with --add-opens.
 * JNI performs no access or module checks (JNI spec, "Accessing Fields of Objects"), so these
 * calls are how the bridge reads the native fd and the close lock out of JDK socket objects with
 * no JVM flags.
 *
 * Java decides which fields to read (org.sockoptbridge.internal.JdkSockets); this file knows
 * nothing about JDK internals. Using a field id on an object of another class, or a static field
 * as an instance one, is undefined behaviour in JNI (a crash at best), so ids are handed out only
 * for instance fields of the wanted type (fieldId, once per field), and every read checks that
 * its target is an instance of the field's declaring class. A wrong guess raises a Java
 * exception, never a crash.
 */
#include "jdk_fields.h"

#include <stdint.h>

static void throw_java(JNIEnv *env, const char *class_name, const char *message) {
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls != NULL) {
        (*env)->ThrowNew(env, cls, message);
    }
}

/* want_static: 1 for a static field, 0 for an instance field; anything else throws. */
static int is_static_field(JNIEnv *env, jobject field, int want_static) {
    jclass field_class = (*env)->FindClass(env, "java/lang/reflect/Field");
    if (field_class == NULL || !(*env)->IsInstanceOf(env, field, field_class)) {
        throw_java(env, "java/lang/IllegalArgumentException", "not a java.lang.reflect.Field");
        return 0;
    }
    jmethodID modifiers = (*env)->GetMethodID(env, field_class, "getModifiers", "()I");
    if (modifiers == NULL) {
        return 0;
    }
    jint flags = (*env)->CallIntMethod(env, field, modifiers);
    if ((*env)->ExceptionCheck(env)) {
        return 0;
    }
    int is_static = (flags & 0x0008 /* java.lang.reflect.Modifier.STATIC */) != 0;
    if (is_static != want_static) {
        throw_java(env, "java/lang/IllegalArgumentException", is_static ? "static field" : "instance field");
        return 0;
    }
    return 1;
}

/* The field's declared type must be the primitive int (want_int) or a reference type. */
static int field_type_is(JNIEnv *env, jobject field, int want_int) {
    jclass field_class = (*env)->FindClass(env, "java/lang/reflect/Field");
    jclass class_class = (*env)->FindClass(env, "java/lang/Class");
    if (field_class == NULL || class_class == NULL) {
        return 0;
    }
    jmethodID get_type = (*env)->GetMethodID(env, field_class, "getType", "()Ljava/lang/Class;");
    jmethodID is_primitive = (*env)->GetMethodID(env, class_class, "isPrimitive", "()Z");
    jmethodID get_name = (*env)->GetMethodID(env, class_class, "getName", "()Ljava/lang/String;");
    if (get_type == NULL || is_primitive == NULL || get_name == NULL) {
        return 0;
    }
    jobject type = (*env)->CallObjectMethod(env, field, get_type);
    if ((*env)->ExceptionCheck(env) || type == NULL) {
        return 0;
    }
    jboolean primitive = (*env)->CallBooleanMethod(env, type, is_primitive);
    if ((*env)->ExceptionCheck(env)) {
        return 0;
    }
    int ok;
    if (want_int) {
        jstring name = (jstring)(*env)->CallObjectMethod(env, type, get_name);
        if ((*env)->ExceptionCheck(env) || name == NULL) {
            return 0;
        }
        const char *chars = (*env)->GetStringUTFChars(env, name, NULL);
        if (chars == NULL) {
            return 0;
        }
        ok = primitive && chars[0] == 'i' && chars[1] == 'n' && chars[2] == 't' && chars[3] == 0;
        (*env)->ReleaseStringUTFChars(env, name, chars);
    } else {
        ok = !primitive;
    }
    if (!ok) {
        throw_java(env, "java/lang/IllegalArgumentException", want_int ? "field is not an int" : "field is primitive");
    }
    return ok;
}

/* A private static final int of a JDK class (a state constant such as NioSocketImpl.ST_CLOSING),
 * read by value so that Java never hard-codes a JDK-internal number. */
jint sob_jni_read_static_int(JNIEnv *env, jclass cls, jobject field) {
    (void)cls;
    if (field == NULL) {
        throw_java(env, "java/lang/NullPointerException", "field");
        return 0;
    }
    if (!is_static_field(env, field, 1) || !field_type_is(env, field, 1)) {
        return 0;
    }
    /* The class comes from the Field itself, so an id can never meet the wrong class. */
    jclass field_class = (*env)->FindClass(env, "java/lang/reflect/Field");
    if (field_class == NULL) {
        return 0;
    }
    jmethodID declaring = (*env)->GetMethodID(env, field_class, "getDeclaringClass", "()Ljava/lang/Class;");
    if (declaring == NULL) {
        return 0;
    }
    jclass owner = (jclass)(*env)->CallObjectMethod(env, field, declaring);
    if ((*env)->ExceptionCheck(env) || owner == NULL) {
        return 0;
    }
    return (*env)->GetStaticIntField(env, owner, (*env)->FromReflectedField(env, field));
}

jlong sob_jni_field_id(JNIEnv *env, jclass cls, jobject field, jboolean want_int) {
    (void)cls;
    if (field == NULL) {
        throw_java(env, "java/lang/NullPointerException", "field");
        return 0;
    }
    if (!is_static_field(env, field, 0) || !field_type_is(env, field, want_int ? 1 : 0)) {
        return 0;
    }
    return (jlong)(intptr_t)(*env)->FromReflectedField(env, field);
}

static int instance_of(JNIEnv *env, jobject target, jclass owner) {
    if (target == NULL || owner == NULL) {
        throw_java(env, "java/lang/NullPointerException", target == NULL ? "target" : "owner");
        return 0;
    }
    if (!(*env)->IsInstanceOf(env, target, owner)) {
        throw_java(env, "java/lang/IllegalArgumentException", "target is not an instance of the field's class");
        return 0;
    }
    return 1;
}

/* owner must be the declaring class of the field whose id this is: the Java side (JdkField)
 * keeps the two together. */
jint sob_jni_read_int(JNIEnv *env, jclass cls, jlong id, jclass owner, jobject target) {
    (void)cls;
    if (id == 0 || !instance_of(env, target, owner)) {
        return -1;
    }
    return (*env)->GetIntField(env, target, (jfieldID)(intptr_t)id);
}

jobject sob_jni_read_object(JNIEnv *env, jclass cls, jlong id, jclass owner, jobject target) {
    (void)cls;
    if (id == 0 || !instance_of(env, target, owner)) {
        return NULL;
    }
    return (*env)->GetObjectField(env, target, (jfieldID)(intptr_t)id);
}
