# Cross build of the shim for linux-x86_64-musl: musl (Alpine and other musl distributions).
#   cmake -S . -B target/native-linux-x86_64-musl -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-x86_64-musl.cmake -DJAVA_HOME=$JAVA_HOME
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(SOB_ZIG_TARGET x86_64-linux-musl)
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
