/*
 * The shim's only JNI code: read a private field, or call a no-argument method, that Java code
 * has located with core reflection. Locating a member (Class.getDeclaredField) needs no access
 * rights; only using it does, and core reflection refuses that for JDK internals unless the
 * application runs with --add-opens. JNI performs no access or module checks (JNI spec,
 * "Accessing Fields of Objects"), so these three calls are how the bridge reads the native fd
 * and the close lock out of JDK socket objects with no JVM flags.
 *
 * Java decides which members to read (org.sockoptbridge.internal.JdkSockets); this file knows
 * nothing about JDK internals. A wrong member raises a Java exception, never a crash: every
 * call checks for NULL and for a pending exception.
 */
#include <jni.h>

#include "sockopt_bridge.h"

#define JNI_CLASS(name) Java_org_sockoptbridge_internal_JdkFields_##name

static void throw_java(JNIEnv *env, const char *class_name, const char *message) {
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls != NULL) {
        (*env)->ThrowNew(env, cls, message);
    }
}

/* Using a field or method id on an object of another class, or a static member as an instance
 * one, is undefined behaviour in JNI (a crash at best), so every call first proves that member
 * belongs to target: an instance member of a class that target is an instance of. */
static int usable(JNIEnv *env, jobject member, jobject target) {
    if (member == NULL || target == NULL) {
        throw_java(env, "java/lang/NullPointerException", member == NULL ? "member" : "target");
        return 0;
    }
    jclass member_class = (*env)->FindClass(env, "java/lang/reflect/Member");
    if (member_class == NULL || !(*env)->IsInstanceOf(env, member, member_class)) {
        throw_java(env, "java/lang/IllegalArgumentException", "not a java.lang.reflect.Member");
        return 0;
    }
    jmethodID declaring = (*env)->GetMethodID(env, member_class, "getDeclaringClass", "()Ljava/lang/Class;");
    jmethodID modifiers = (*env)->GetMethodID(env, member_class, "getModifiers", "()I");
    if (declaring == NULL || modifiers == NULL) {
        return 0;
    }
    jobject owner = (*env)->CallObjectMethod(env, member, declaring);
    if ((*env)->ExceptionCheck(env) || owner == NULL) {
        return 0;
    }
    if (!(*env)->IsInstanceOf(env, target, (jclass)owner)) {
        throw_java(env, "java/lang/IllegalArgumentException", "target is not an instance of the member's class");
        return 0;
    }
    jint flags = (*env)->CallIntMethod(env, member, modifiers);
    if ((*env)->ExceptionCheck(env)) {
        return 0;
    }
    if (flags & 0x0008 /* java.lang.reflect.Modifier.STATIC */) {
        throw_java(env, "java/lang/IllegalArgumentException", "static member");
        return 0;
    }
    return 1;
}

/* The field's declared type must be the primitive int (want_int) or a reference type. */
static int field_type_is(JNIEnv *env, jobject field, int want_int) {
    jclass field_class = (*env)->FindClass(env, "java/lang/reflect/Field");
    jclass class_class = (*env)->FindClass(env, "java/lang/Class");
    if (field_class == NULL || class_class == NULL || !(*env)->IsInstanceOf(env, field, field_class)) {
        throw_java(env, "java/lang/IllegalArgumentException", "not a java.lang.reflect.Field");
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

SOB_EXPORT JNIEXPORT jobject JNICALL JNI_CLASS(readObjectField)(JNIEnv *env, jclass cls, jobject field, jobject target) {
    (void)cls;
    if (!usable(env, field, target) || !field_type_is(env, field, 0)) {
        return NULL;
    }
    jfieldID id = (*env)->FromReflectedField(env, field);
    if (id == NULL) {
        return NULL;
    }
    return (*env)->GetObjectField(env, target, id);
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_CLASS(readIntField)(JNIEnv *env, jclass cls, jobject field, jobject target) {
    (void)cls;
    if (!usable(env, field, target) || !field_type_is(env, field, 1)) {
        return -1;
    }
    jfieldID id = (*env)->FromReflectedField(env, field);
    if (id == NULL) {
        return -1;
    }
    return (*env)->GetIntField(env, target, id);
}

static int method_returns_object_without_parameters(JNIEnv *env, jobject method) {
    jclass method_class = (*env)->FindClass(env, "java/lang/reflect/Method");
    jclass class_class = (*env)->FindClass(env, "java/lang/Class");
    if (method_class == NULL || class_class == NULL || !(*env)->IsInstanceOf(env, method, method_class)) {
        throw_java(env, "java/lang/IllegalArgumentException", "not a java.lang.reflect.Method");
        return 0;
    }
    jmethodID count = (*env)->GetMethodID(env, method_class, "getParameterCount", "()I");
    jmethodID returns = (*env)->GetMethodID(env, method_class, "getReturnType", "()Ljava/lang/Class;");
    jmethodID is_primitive = (*env)->GetMethodID(env, class_class, "isPrimitive", "()Z");
    if (count == NULL || returns == NULL || is_primitive == NULL) {
        return 0;
    }
    jint parameters = (*env)->CallIntMethod(env, method, count);
    if ((*env)->ExceptionCheck(env)) {
        return 0;
    }
    jobject type = (*env)->CallObjectMethod(env, method, returns);
    if ((*env)->ExceptionCheck(env) || type == NULL) {
        return 0;
    }
    jboolean primitive = (*env)->CallBooleanMethod(env, type, is_primitive);
    if ((*env)->ExceptionCheck(env)) {
        return 0;
    }
    if (parameters != 0 || primitive) {
        throw_java(env, "java/lang/IllegalArgumentException", "method takes parameters or returns a primitive");
        return 0;
    }
    return 1;
}

SOB_EXPORT JNIEXPORT jobject JNICALL JNI_CLASS(invokeObjectMethod)(JNIEnv *env, jclass cls, jobject method, jobject target) {
    (void)cls;
    if (!usable(env, method, target) || !method_returns_object_without_parameters(env, method)) {
        return NULL;
    }
    jmethodID id = (*env)->FromReflectedMethod(env, method);
    if (id == NULL) {
        return NULL;
    }
    return (*env)->CallObjectMethod(env, target, id);
}

/* The int inside a java.io.FileDescriptor, on the per-call path of java.net sockets: a closed
 * descriptor reads -1 (FileDescriptor.close0 clears it before closing), which is how the bridge
 * tells, under the socket's close lock, that the fd number is no longer this socket's.
 * The field id is looked up once; FileDescriptor is final, so any instance has that field. */
static jclass file_descriptor_class;
static jfieldID file_descriptor_fd;

static int cache_file_descriptor(JNIEnv *env) {
    if (__atomic_load_n(&file_descriptor_fd, __ATOMIC_ACQUIRE) != NULL) {
        return 1;
    }
    jclass local = (*env)->FindClass(env, "java/io/FileDescriptor");
    if (local == NULL) {
        return 0;
    }
    jfieldID id = (*env)->GetFieldID(env, local, "fd", "I");
    jclass global = id == NULL ? NULL : (jclass)(*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    if (global == NULL) {
        return 0;
    }
    jclass expected = NULL;
    if (!__atomic_compare_exchange_n(&file_descriptor_class, &expected, global, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        (*env)->DeleteGlobalRef(env, global); /* another thread cached it first */
    }
    __atomic_store_n(&file_descriptor_fd, id, __ATOMIC_RELEASE);
    return 1;
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_CLASS(fileDescriptorFd)(JNIEnv *env, jclass cls, jobject descriptor) {
    (void)cls;
    if (!cache_file_descriptor(env)) {
        return -1;
    }
    jclass fd_class = __atomic_load_n(&file_descriptor_class, __ATOMIC_ACQUIRE);
    if (descriptor == NULL || !(*env)->IsInstanceOf(env, descriptor, fd_class)) {
        throw_java(env, "java/lang/IllegalArgumentException", "not a java.io.FileDescriptor");
        return -1;
    }
    return (*env)->GetIntField(env, descriptor, __atomic_load_n(&file_descriptor_fd, __ATOMIC_ACQUIRE));
}
