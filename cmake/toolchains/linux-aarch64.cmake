# Cross build of the shim for linux-aarch64: glibc 2.17 is the oldest aarch64 glibc (the port started there), so it is also this build's floor.
#   cmake -S . -B target/native-linux-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-aarch64.cmake -DJAVA_HOME=$JAVA_HOME
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SOB_ZIG_TARGET aarch64-linux-gnu.2.17)
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
