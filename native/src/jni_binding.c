/*
 * The JNI binding: the library's only exported symbol is JNI_OnLoad, which registers every native
 * of the Java class org.sockoptbridge.internal.JniShim with RegisterNatives. No Java_... symbol
 * is exported, so nothing outside the JVM can call into the shim, and the Java class can live in
 * any package.
 *
 * Which class: a shaded copy of the jar relocates the package (com.acme.shaded.org.sockoptbridge...),
 * and a C string cannot follow that. The Java loader therefore names its class in the system
 * property "sockopt.bridge.jni.class" for the duration of its System.load call (holding the
 * Properties lock, so that two copies in one JVM take turns), and JNI_OnLoad reads it; without
 * the property it uses the unshaded name. FindClass inside JNI_OnLoad resolves through the class
 * loader of the class that called System.load (JNI spec, FindClass), so each copy finds its own.
 *
 * Every wrapper forwards primitives; none calls back into Java, except the few that build a String
 * or read JDK fields. Arrays for the batch are copied onto the stack (GetIntArrayRegion), so no
 * array is pinned and no critical region blocks the garbage collector.
 */
#include "jdk_fields.h"
#include "sockopt_bridge.h"

#include <errno.h>
#include <string.h>

#define SOB_DEFAULT_CLASS "org/sockoptbridge/internal/JniShim"
#define SOB_CLASS_PROPERTY "sockopt.bridge.jni.class"

#ifndef SOB_VERSION
#define SOB_VERSION "unknown"
#endif

/* A test-only build (CMake target sockopt_bridge_other_abi) claims another ABI, to prove the
 * Java side refuses it with both versions named. */
#ifdef SOB_TEST_OTHER_ABI
#define SOB_REPORTED_ABI (SOB_ABI_VERSION + 100)
#else
#define SOB_REPORTED_ABI SOB_ABI_VERSION
#endif

/* Every code Java decodes, in one array: Java compares it with its own copy at load, so a library
 * and a jar from different builds fail at startup with both versions named, not later with a
 * misread result. Append only; the order is part of the ABI. */
static const jint abi_layout[] = {
    SOB_REPORTED_ABI, SOB_OPTION_COUNT,
    SOB_TCP_KEEPIDLE, SOB_TCP_KEEPINTVL, SOB_TCP_KEEPCNT, SOB_SO_RCVBUF, SOB_SO_SNDBUF,
    SOB_IPV6_V6ONLY, SOB_SO_REUSEPORT, SOB_TCP_USER_TIMEOUT, SOB_SO_KEEPALIVE,
    SOB_SUPPORTED, SOB_NOT_COMPILED, SOB_KERNEL_REJECTED, SOB_NO_IPV6,
    SOB_FAMILY_UNIX, SOB_FAMILY_INET, SOB_FAMILY_INET6, SOB_TYPE_STREAM, SOB_TYPE_DGRAM, SOB_TYPE_OTHER,
    SOB_BATCH_INDEX_UNIT, SOB_BATCH_MAX,
    SOB_FILE_REGULAR, SOB_FILE_DIRECTORY, SOB_FILE_FIFO, SOB_FILE_CHAR_DEVICE, SOB_FILE_BLOCK_DEVICE,
    SOB_FILE_SYMLINK, SOB_FILE_SOCKET, SOB_FILE_OTHER,
    SOB_LIMIT_ACCEPT_QUEUE_MAX, SOB_LIMIT_RECEIVE_BUFFER_MAX, SOB_LIMIT_SEND_BUFFER_MAX, SOB_HOST_LIMIT_COUNT,
    SOB_TCPI_STATE, SOB_TCPI_RETRANSMITS, SOB_TCPI_PROBES, SOB_TCPI_UNACKED, SOB_TCPI_TOTAL_RETRANS,
    SOB_TCPI_LAST_DATA_RECV, SOB_TCPI_LAST_ACK_RECV, SOB_TCPI_FIELDS,
};

static jstring new_string_or_null(JNIEnv *env, const char *text) {
    return text == NULL ? NULL : (*env)->NewStringUTF(env, text);
}

static jint n_abi_version(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return SOB_REPORTED_ABI;
}

static jstring n_library_version(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, SOB_VERSION);
}

static jintArray n_abi_layout(JNIEnv *env, jclass cls) {
    (void)cls;
    jsize count = (jsize)(sizeof abi_layout / sizeof abi_layout[0]);
    jintArray array = (*env)->NewIntArray(env, count);
    if (array != NULL) {
        (*env)->SetIntArrayRegion(env, array, 0, count, abi_layout);
    }
    return array;
}

static jint n_option_level(JNIEnv *env, jclass cls, jint id) {
    (void)env;
    (void)cls;
    return sob_option_level(id);
}

static jint n_option_name(JNIEnv *env, jclass cls, jint id) {
    (void)env;
    (void)cls;
    return sob_option_name(id);
}

static jstring n_option_symbol(JNIEnv *env, jclass cls, jint id) {
    (void)cls;
    return new_string_or_null(env, sob_option_symbol(id));
}

static jint n_option_min(JNIEnv *env, jclass cls, jint id) {
    (void)env;
    (void)cls;
    return sob_option_min(id);
}

static jint n_option_max(JNIEnv *env, jclass cls, jint id) {
    (void)env;
    (void)cls;
    return sob_option_max(id);
}

static jint n_buffer_readback_factor(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return sob_buffer_readback_factor();
}

static jstring n_libc_name(JNIEnv *env, jclass cls) {
    (void)cls;
    return new_string_or_null(env, sob_libc_name());
}

static jstring n_libc_version(JNIEnv *env, jclass cls) {
    (void)cls;
    return new_string_or_null(env, sob_libc_version());
}

static jint n_capability(JNIEnv *env, jclass cls, jint id) {
    (void)env;
    (void)cls;
    return sob_capability(id);
}

static jlong n_default_value(JNIEnv *env, jclass cls, jint id) {
    (void)env;
    (void)cls;
    return (jlong)sob_default_value(id);
}

static jint n_ipv6_available(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return sob_ipv6_available();
}

static jint n_set_int(JNIEnv *env, jclass cls, jint fd, jint id, jint value) {
    (void)env;
    (void)cls;
    return sob_set_int(fd, id, value);
}

static jlong n_get_int(JNIEnv *env, jclass cls, jint fd, jint id) {
    (void)env;
    (void)cls;
    return (jlong)sob_get_int(fd, id);
}

static jint n_set_batch(JNIEnv *env, jclass cls, jint fd, jintArray ids, jintArray values, jint count) {
    (void)cls;
    if (count < 0 || count > SOB_BATCH_MAX || ids == NULL || values == NULL
        || (*env)->GetArrayLength(env, ids) < count || (*env)->GetArrayLength(env, values) < count) {
        return -EINVAL;
    }
    jint id_copy[SOB_BATCH_MAX];
    jint value_copy[SOB_BATCH_MAX];
    (*env)->GetIntArrayRegion(env, ids, 0, count, id_copy);
    (*env)->GetIntArrayRegion(env, values, 0, count, value_copy);
    return sob_set_batch(fd, id_copy, value_copy, count);
}

static jint n_socket_kind(JNIEnv *env, jclass cls, jint fd) {
    (void)env;
    (void)cls;
    return sob_socket_kind(fd);
}

static jlong n_listen_queue(JNIEnv *env, jclass cls, jint fd) {
    (void)env;
    (void)cls;
    return (jlong)sob_listen_queue(fd);
}

static jlong n_host_limit(JNIEnv *env, jclass cls, jint id) {
    (void)env;
    (void)cls;
    return (jlong)sob_host_limit(id);
}

static jstring n_host_limit_setting(JNIEnv *env, jclass cls, jint id) {
    (void)cls;
    return new_string_or_null(env, sob_host_limit_setting(id));
}

static jint n_tcp_info(JNIEnv *env, jclass cls, jint fd, jintArray out) {
    (void)cls;
    if (out == NULL || (*env)->GetArrayLength(env, out) < SOB_TCPI_FIELDS) {
        return -EINVAL;
    }
    uint32_t fields[SOB_TCPI_FIELDS];
    int rc = sob_tcp_info(fd, fields, SOB_TCPI_FIELDS);
    if (rc == 0) {
        jint copy[SOB_TCPI_FIELDS];
        for (int i = 0; i < SOB_TCPI_FIELDS; i++) {
            copy[i] = (jint)fields[i]; /* Java reads them back as unsigned */
        }
        (*env)->SetIntArrayRegion(env, out, 0, SOB_TCPI_FIELDS, copy);
    }
    return rc;
}

static jint n_file_kind(JNIEnv *env, jclass cls, jint fd) {
    (void)env;
    (void)cls;
    return sob_file_kind(fd);
}

static jstring n_errno_name(JNIEnv *env, jclass cls, jint err) {
    (void)cls;
    return new_string_or_null(env, sob_errno_name(err));
}

static jint n_errno_value(JNIEnv *env, jclass cls, jstring name) {
    (void)cls;
    if (name == NULL) {
        return -1;
    }
    const char *chars = (*env)->GetStringUTFChars(env, name, NULL);
    if (chars == NULL) {
        return -1; /* OutOfMemoryError pending */
    }
    int value = sob_errno_value(chars);
    (*env)->ReleaseStringUTFChars(env, name, chars);
    return value;
}

/* JNINativeMethod holds the function as a void *, a conversion ISO C leaves to the platform
 * (every platform with a JVM defines it); __extension__ keeps -Wpedantic quiet about it here only. */
#define NATIVE(name, signature, function) {(char *)(name), (char *)(signature), __extension__(void *)(function)}

static const JNINativeMethod natives[] = {
    NATIVE("abiVersion", "()I", n_abi_version),
    NATIVE("libraryVersion", "()Ljava/lang/String;", n_library_version),
    NATIVE("abiLayout", "()[I", n_abi_layout),
    NATIVE("optionLevel0", "(I)I", n_option_level),
    NATIVE("optionName0", "(I)I", n_option_name),
    NATIVE("optionSymbol0", "(I)Ljava/lang/String;", n_option_symbol),
    NATIVE("optionMin0", "(I)I", n_option_min),
    NATIVE("optionMax0", "(I)I", n_option_max),
    NATIVE("bufferReadbackFactor0", "()I", n_buffer_readback_factor),
    NATIVE("libcName0", "()Ljava/lang/String;", n_libc_name),
    NATIVE("libcVersion0", "()Ljava/lang/String;", n_libc_version),
    NATIVE("capability0", "(I)I", n_capability),
    NATIVE("defaultValue0", "(I)J", n_default_value),
    NATIVE("ipv6Available0", "()I", n_ipv6_available),
    NATIVE("setInt0", "(III)I", n_set_int),
    NATIVE("getInt0", "(II)J", n_get_int),
    NATIVE("setBatch0", "(I[I[II)I", n_set_batch),
    NATIVE("socketKind0", "(I)I", n_socket_kind),
    NATIVE("listenQueue0", "(I)J", n_listen_queue),
    NATIVE("hostLimit0", "(I)J", n_host_limit),
    NATIVE("hostLimitSetting0", "(I)Ljava/lang/String;", n_host_limit_setting),
    NATIVE("tcpInfo0", "(I[I)I", n_tcp_info),
    NATIVE("fileKind0", "(I)I", n_file_kind),
    NATIVE("errnoName0", "(I)Ljava/lang/String;", n_errno_name),
    NATIVE("errnoValue0", "(Ljava/lang/String;)I", n_errno_value),
    NATIVE("fieldId", "(Ljava/lang/reflect/Field;Z)J", sob_jni_field_id),
    NATIVE("readInt", "(JLjava/lang/Class;Ljava/lang/Object;)I", sob_jni_read_int),
    NATIVE("readObject", "(JLjava/lang/Class;Ljava/lang/Object;)Ljava/lang/Object;", sob_jni_read_object),
    NATIVE("readStaticInt", "(Ljava/lang/reflect/Field;)I", sob_jni_read_static_int),
};

/* The binary name of the class to bind, in JNI form (slashes), into buffer; 0 on success. */
static int natives_class_name(JNIEnv *env, char *buffer, size_t size) {
    strncpy(buffer, SOB_DEFAULT_CLASS, size - 1);
    buffer[size - 1] = 0;
    jclass system = (*env)->FindClass(env, "java/lang/System");
    if (system == NULL) {
        return -1;
    }
    jmethodID get_property = (*env)->GetStaticMethodID(env, system, "getProperty",
                                                       "(Ljava/lang/String;)Ljava/lang/String;");
    jstring key = (*env)->NewStringUTF(env, SOB_CLASS_PROPERTY);
    if (get_property == NULL || key == NULL) {
        return -1;
    }
    jstring value = (jstring)(*env)->CallStaticObjectMethod(env, system, get_property, key);
    if ((*env)->ExceptionCheck(env)) {
        return -1;
    }
    if (value == NULL) {
        return 0;
    }
    const char *chars = (*env)->GetStringUTFChars(env, value, NULL);
    if (chars == NULL) {
        return -1;
    }
    size_t length = strlen(chars);
    int rc = length < size ? 0 : -1;
    if (rc == 0) {
        for (size_t i = 0; i <= length; i++) {
            buffer[i] = chars[i] == '.' ? '/' : chars[i];
        }
    }
    (*env)->ReleaseStringUTFChars(env, value, chars);
    return rc;
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    char class_name[512];
    if (natives_class_name(env, class_name, sizeof class_name) != 0) {
        return JNI_ERR;
    }
    /* A pending ClassNotFoundException or NoSuchMethodError makes System.load throw
     * UnsatisfiedLinkError with it as the cause: the class name is in the message. */
    jclass natives_class = (*env)->FindClass(env, class_name);
    if (natives_class == NULL) {
        return JNI_ERR;
    }
    jint count = (jint)(sizeof natives / sizeof natives[0]);
    if ((*env)->RegisterNatives(env, natives_class, natives, count) != JNI_OK) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}
