# Cross build of the shim for linux-aarch64-musl: musl (Alpine on arm64).
#   cmake -S . -B target/native-linux-aarch64-musl -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-aarch64-musl.cmake -DJAVA_HOME=$JAVA_HOME
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SOB_ZIG_TARGET aarch64-linux-musl)
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
