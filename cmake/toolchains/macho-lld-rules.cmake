# Link rule for the macOS cross builds (CMAKE_USER_MAKE_RULES_OVERRIDE, read after CMake's Darwin
# platform files so that it wins over their rule). Zig compiles; LLVM's ld64.lld links.
#
# Why not zig's own Mach-O linker: Zig 0.11 puts every "private external" symbol (what
# -fvisibility=hidden makes of the shim's sob_* functions) into the dylib's exports trie, so all 26
# internal functions were exported, and it refuses -exported_symbol / -exported_symbols_list
# ("unsupported linker arg"). ld64.lld (Debian: lld) honours both the visibility and an explicit
# export list, and writes the ad-hoc code signature arm64 macOS requires.
#
# -lSystem against Zig's text stub of libSystem for macOS 11 (the floor): the only library linked.
# The install name is relative (@rpath/...), never the build directory, because the loader loads
# the file by absolute path after extracting it and nothing should see where it was built.
set(CMAKE_C_CREATE_SHARED_LIBRARY
    "${SOB_LD64_LLD} -dylib -arch ${SOB_MACHO_ARCH} -platform_version macos 11.0 11.0 -L${SOB_ZIG_DARWIN_LIBS} -lSystem.11 -exported_symbol _JNI_OnLoad -dead_strip -S -x -install_name @rpath/<TARGET_SONAME> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
