# Cross build of the shim for macos-x86_64: macOS 11 (Big Sur) and later, Intel.
#   cmake -S . -B target/native-macos-x86_64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/macos-x86_64.cmake -DJAVA_HOME=$JAVA_HOME
set(CMAKE_SYSTEM_NAME Darwin)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(SOB_ZIG_TARGET x86_64-macos.11.0)
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
