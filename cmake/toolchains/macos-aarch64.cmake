# Cross build of the shim for macos-aarch64: macOS 11 (Big Sur) and later, Apple silicon; 11 is also the first macOS on arm64.
#   cmake -S . -B target/native-macos-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/macos-aarch64.cmake -DJAVA_HOME=$JAVA_HOME
set(CMAKE_SYSTEM_NAME Darwin)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SOB_ZIG_TARGET aarch64-macos.11.0)
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
