/* Internal: the JNI readers of JDK fields (jdk_fields.c), registered by jni_binding.c. */
#ifndef SOB_JDK_FIELDS_H
#define SOB_JDK_FIELDS_H

#include <jni.h>

jlong sob_jni_field_id(JNIEnv *env, jclass cls, jobject field, jboolean want_int);
jint sob_jni_read_int(JNIEnv *env, jclass cls, jlong id, jclass owner, jobject target);
jobject sob_jni_read_object(JNIEnv *env, jclass cls, jlong id, jclass owner, jobject target);
jint sob_jni_read_static_int(JNIEnv *env, jclass cls, jobject field);

#endif
