/*
 * EXPERIMENT, built only into the test library libsockopt_bridge-<os-arch>-jni-experiment
 * (never shipped): the shim's C interface bound as JNI static natives of org.sockoptbridge.internal.JniShim, to measure start-up and per-call cost
 * against the jnr-ffi binding (docs/JNI-EXPERIMENT.md). Each wrapper forwards primitives to the
 * sockopt_bridge.h function of the same name; no JNI callbacks, no exceptions, no allocation,
 * except sob_option_symbol, which makes a String the way jnr-ffi's String return does.
 */
#include <jni.h>
#include <stdint.h>

#include "sockopt_bridge.h"

#define JNI_SHIM(name) Java_org_sockoptbridge_internal_JniShim_##name

SOB_EXPORT JNIEXPORT jint JNICALL JNI_SHIM(sob_1abi_1version)(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return sob_abi_version();
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_SHIM(sob_1option_1min)(JNIEnv *env, jclass cls, jint option_id) {
    (void)env;
    (void)cls;
    return sob_option_min(option_id);
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_SHIM(sob_1option_1max)(JNIEnv *env, jclass cls, jint option_id) {
    (void)env;
    (void)cls;
    return sob_option_max(option_id);
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_SHIM(sob_1capability)(JNIEnv *env, jclass cls, jint option_id) {
    (void)env;
    (void)cls;
    return sob_capability(option_id);
}

SOB_EXPORT JNIEXPORT jlong JNICALL JNI_SHIM(sob_1default_1value)(JNIEnv *env, jclass cls, jint option_id) {
    (void)env;
    (void)cls;
    return (jlong)sob_default_value(option_id);
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_SHIM(sob_1ipv6_1available)(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return sob_ipv6_available();
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_SHIM(sob_1buffer_1readback_1factor)(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return sob_buffer_readback_factor();
}

SOB_EXPORT JNIEXPORT jstring JNICALL JNI_SHIM(sob_1option_1symbol)(JNIEnv *env, jclass cls, jint option_id) {
    (void)cls;
    const char *symbol = sob_option_symbol(option_id);
    return symbol == NULL ? NULL : (*env)->NewStringUTF(env, symbol);
}

SOB_EXPORT JNIEXPORT jint JNICALL JNI_SHIM(sob_1set_1int)(JNIEnv *env, jclass cls, jint fd, jint option_id, jint value) {
    (void)env;
    (void)cls;
    return sob_set_int(fd, option_id, value);
}

SOB_EXPORT JNIEXPORT jlong JNICALL JNI_SHIM(sob_1get_1int)(JNIEnv *env, jclass cls, jint fd, jint option_id) {
    (void)env;
    (void)cls;
    return (jlong)sob_get_int(fd, option_id);
}
