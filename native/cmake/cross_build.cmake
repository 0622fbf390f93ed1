# One cross target of the all-platforms build (Maven profile all-platforms; by hand the same):
#   cmake -DTARGET=linux-aarch64 -DSOURCE_DIR=. -DBUILD_DIR=target/native-linux-aarch64
#         -DJAVA_HOME=$JAVA_HOME -DSTAGING_DIR=target/classes -DVERSION=0.1.0-SNAPSHOT
#         [-DAARCH64_SYSROOT=DIR] [-DMODE=test] -P native/cmake/cross_build.cmake
# MODE build (default): configure with cmake/toolchains/TARGET.cmake in a build directory of the
# target's own, build, stage the library into STAGING_DIR/META-INF/native/<platform>/.
# MODE test: CTest in that directory (natively, under qemu-user, or only the file checks for
# macOS: tests.cmake decides what this host can run).
# A script rather than two Maven executions per target so that the five targets share one
# definition of the steps, and a step's failure names its target.
foreach(required TARGET SOURCE_DIR BUILD_DIR)
  if(NOT ${required})
    message(FATAL_ERROR "cross_build.cmake needs -D${required}=")
  endif()
endforeach()
if(NOT MODE)
  set(MODE build)
endif()

if(MODE STREQUAL "build")
  set(toolchain "${SOURCE_DIR}/cmake/toolchains/${TARGET}.cmake")
  if(NOT EXISTS "${toolchain}")
    message(FATAL_ERROR "no toolchain file for ${TARGET}: ${toolchain}")
  endif()
  set(args -S "${SOURCE_DIR}" -B "${BUILD_DIR}" "-DCMAKE_TOOLCHAIN_FILE=${toolchain}"
      -DCMAKE_BUILD_TYPE=Release "-DJAVA_HOME=${JAVA_HOME}" -DSOB_BUILD_TESTS=ON)
  if(STAGING_DIR)
    list(APPEND args "-DSOB_STAGING_DIR=${STAGING_DIR}")
  endif()
  if(VERSION)
    list(APPEND args "-DSOB_VERSION=${VERSION}")
  endif()
  if(AARCH64_SYSROOT)
    list(APPEND args "-DSOB_AARCH64_SYSROOT=${AARCH64_SYSROOT}")
  endif()
  message(STATUS "[${TARGET}] configure in ${BUILD_DIR}")
  execute_process(COMMAND "${CMAKE_COMMAND}" ${args} RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[${TARGET}] configure failed (${rc})")
  endif()
  message(STATUS "[${TARGET}] build")
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --parallel 2 RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message("${out}")
    message(FATAL_ERROR "[${TARGET}] build failed (${rc})")
  endif()
elseif(MODE STREQUAL "test")
  message(STATUS "[${TARGET}] CTest")
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --output-on-failure WORKING_DIRECTORY "${BUILD_DIR}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[${TARGET}] CTest failed")
  endif()
else()
  message(FATAL_ERROR "MODE is build or test, not ${MODE}")
endif()
