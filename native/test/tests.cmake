# The C tests, the sanitizer and fuzz builds, and the test-only libraries the Java tests load.
# Included by the top-level CMakeLists.txt when SOB_BUILD_TESTS is on (Maven turns it on).

# A test-only build that lacks two options, as a platform without them would: the Java tests
# load it in a child JVM to prove the startup check names every missing option.
set(SOB_TEST_OMITTED TCP_KEEPCNT SO_REUSEPORT)
sob_shim_library(sockopt_bridge_without_options "sockopt_bridge-${SOB_PLATFORM}-without-options" "${SOB_TEST_OMITTED}")

# A test-only build that claims another ABI: the Java tests prove the loader refuses it by name.
sob_shim_library(sockopt_bridge_other_abi "sockopt_bridge-${SOB_PLATFORM}-other-abi" "")
target_compile_definitions(sockopt_bridge_other_abi PRIVATE SOB_TEST_OTHER_ABI)

# ---- C tests against real sockets ----
# Can this host run what the build compiles? Natively, through the cross toolchain's emulator
# (qemu-user for aarch64), or a musl x86_64 build on an x86_64 Linux host. The macOS builds cannot
# run here: they get only the checks that read the files (exports, linked libraries, install name).
if(NOT CMAKE_CROSSCOMPILING OR CMAKE_CROSSCOMPILING_EMULATOR)
  set(SOB_RUN_TESTS ON)
elseif(CMAKE_SYSTEM_NAME STREQUAL CMAKE_HOST_SYSTEM_NAME AND CMAKE_SYSTEM_PROCESSOR STREQUAL CMAKE_HOST_SYSTEM_PROCESSOR)
  set(SOB_RUN_TESTS ON)
else()
  set(SOB_RUN_TESTS OFF)
endif()
function(sob_executable target source library)
  add_executable(${target} ${source})
  target_include_directories(${target} PRIVATE native/include native/src)
  target_compile_options(${target} PRIVATE ${SOB_C_FLAGS})
  target_compile_definitions(${target} PRIVATE ${SOB_DEFINES})
  if(library)
    target_link_libraries(${target} PRIVATE ${library})
  endif()
  if(SOB_LIBC STREQUAL "musl" AND CMAKE_CROSSCOMPILING)
    # Static: the test programs then run without a musl dynamic loader for their architecture
    # (Debian's musl has only the host's; qemu-user runs a static aarch64 program as it is).
    target_link_options(${target} PRIVATE -static)
  endif()
endfunction()

# The shared library exports only JNI_OnLoad, so the C tests link static copies of the same
# sources (below, after the sanitizer switches that decide how those are compiled).

# Nothing but the JNI entry point may be exported: the shim's C functions are reachable only
# through the natives JNI_OnLoad registers.
add_test(NAME shim_exports_only_jni_onload
         COMMAND ${CMAKE_COMMAND} -DLIBRARY=$<TARGET_FILE:sockopt_bridge> -DNM=${CMAKE_NM}
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/check_exports.cmake)

# The (level, name, range) table each build compiled, read from its options.c object into
# option-table-<platform>.txt in the build directory, and compared with the constants expected
# for its OS: the one check of the macOS table that needs no Mac. Builds that leave options out
# on purpose (SOB_OMIT_OPTIONS) only get the dump.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(sob_expected_table "${CMAKE_CURRENT_SOURCE_DIR}/native/test/expected-option-table-linux.txt")
elseif(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
  set(sob_expected_table "${CMAKE_CURRENT_SOURCE_DIR}/native/test/expected-option-table-macos.txt")
else()
  set(sob_expected_table "")
endif()
if(SOB_OMIT_OPTIONS)
  set(sob_expected_table "")
endif()
add_test(NAME compiled_option_table_matches_the_platform_constants
         COMMAND ${CMAKE_COMMAND} "-DOBJECTS=$<TARGET_OBJECTS:sockopt_bridge>" "-DOBJDUMP=${CMAKE_OBJDUMP}"
                 "-DOUTPUT=${CMAKE_CURRENT_BINARY_DIR}/option-table-${SOB_PLATFORM}.txt"
                 "-DEXPECTED=${sob_expected_table}"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/dump_option_table.cmake)

if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND NOT SOB_LIBC)
  # The oldest glibc the shipped library loads on is a promise in README.md; break the build
  # before a newer symbol version sneaks in. aarch64's floor is 2.17 because glibc's aarch64 port
  # starts there (its oldest symbol versions are GLIBC_2.17), so 2.14 could never pass.
  if(CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
    set(sob_glibc_floor 2.17)
  else()
    set(sob_glibc_floor 2.14)
  endif()
  set(sob_objdump_arg "")
  if(CMAKE_OBJDUMP)
    set(sob_objdump_arg "-DOBJDUMP=${CMAKE_OBJDUMP}") # llvm-objdump in cross builds: reads any ELF
  endif()
  add_test(NAME shim_glibc_floor
           COMMAND ${CMAKE_COMMAND} -DLIBRARY=$<TARGET_FILE:sockopt_bridge> -DFLOOR=${sob_glibc_floor} ${sob_objdump_arg}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/check_glibc_floor.cmake)
endif()

if(SOB_LIBC STREQUAL "musl" AND CMAKE_SYSTEM_PROCESSOR STREQUAL CMAKE_HOST_SYSTEM_PROCESSOR)
  # A musl build must resolve against musl alone: a musl program dlopen()s it with RTLD_NOW,
  # which binds every symbol at once and fails on anything only glibc has. The program is built
  # by Debian's musl-gcc (musl-tools), not zig: zig 0.11 links musl programs statically whatever
  # the flags ("Dynamic loading not supported" then), and Debian's musl is the one whose loader
  # (/lib/ld-musl-x86_64.so.1) is installed here. No aarch64 musl loader exists on this host, so
  # the aarch64 musl build goes without this test.
  find_program(SOB_MUSL_GCC musl-gcc)
  if(SOB_MUSL_GCC)
    set(sob_dlopen_test "${CMAKE_CURRENT_BINARY_DIR}/test_musl_dlopen")
    add_custom_command(OUTPUT "${sob_dlopen_test}"
      COMMAND "${SOB_MUSL_GCC}" -std=c11 -Wall -Wextra -Werror -O2 -o "${sob_dlopen_test}"
              "${CMAKE_CURRENT_SOURCE_DIR}/native/test/test_musl_dlopen.c"
      DEPENDS native/test/test_musl_dlopen.c VERBATIM)
    add_custom_target(test_musl_dlopen ALL DEPENDS "${sob_dlopen_test}")
    add_test(NAME musl_program_dlopens_the_shim_with_rtld_now
             COMMAND "${sob_dlopen_test}" $<TARGET_FILE:sockopt_bridge>)
  else()
    message(WARNING "musl-gcc not found (Debian: musl-tools): the musl dlopen test is left out")
  endif()
endif()

if(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
  # What a Mac would refuse or mis-load, checked here with LLVM's Mach-O readers.
  add_test(NAME macos_dylib_links_only_libsystem_with_relative_install_name_and_minos_11
           COMMAND ${CMAKE_COMMAND} -DLIBRARY=$<TARGET_FILE:sockopt_bridge> -DOBJDUMP=${CMAKE_OBJDUMP} -DMINOS=11.0 "-DBUILD_DIR=${CMAKE_BINARY_DIR}"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/check_macho.cmake)
  # The host limits are read with sysctlbyname (native/src/host_limits.c): the compiled library
  # must import it, and from libSystem. A Mac would run it; here its presence is what can be shown.
  add_test(NAME macos_dylib_reads_host_limits_with_libsystem_sysctlbyname
           COMMAND ${CMAKE_COMMAND} -DLIBRARY=$<TARGET_FILE:sockopt_bridge> -DNM=${CMAKE_NM} -DSYMBOLS=_sysctlbyname
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/check_macho_imports.cmake)
endif()

if(NOT SOB_RUN_TESTS)
  return() # nothing below can run on this host
endif()

# ---- static builds of the shim for C-only checks (never shipped, never loaded by a JVM) ----
# The shipped shared library links with -z now and --no-undefined, and a sanitizer runtime
# cannot be loaded into a JVM that did not start with it, so the sanitizers and link-time test
# seams go into static copies of the same sources that only C executables link.
option(SOB_SANITIZE "Also build the C tests against a static shim, both with AddressSanitizer and UBSan" OFF)
option(SOB_FUZZ "Build the libFuzzer target native/fuzz/fuzz_shim.c (clang only; implies SOB_SANITIZE)" OFF)
if(SOB_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SOB_FUZZ needs clang's libFuzzer: configure with CC=clang (Debian: clang libclang-rt-14-dev)")
  endif()
  set(SOB_SANITIZE ON)
endif()
# -fno-sanitize-recover: UBSan findings stop the test like ASan's do, instead of a line in a log.
# -U_FORTIFY_SOURCE: the sanitizers do not intercept glibc's __*_chk functions, so fortified
# calls hide errors from ASan (github.com/google/sanitizers/issues/247, the ASan FAQ).
set(SOB_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer -g -O1 -U_FORTIFY_SOURCE)
# A sanitizer error exits non-zero at once; leaks count as errors (LeakSanitizer runs at exit).
set(SOB_SANITIZER_ENV
    "ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1"
    "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")

# extra_flags: compile flags for the shim's own objects (sanitizers, coverage for the fuzzer);
# they are PUBLIC so that what links the library is built the same way.
function(sob_static_shim target omitted extra_flags)
  add_library(${target} STATIC ${SOB_SOURCES})
  target_include_directories(${target} PRIVATE native/include native/src ${SOB_JNI_INCLUDE} ${SOB_JNI_MD_INCLUDE})
  target_compile_options(${target} PRIVATE ${SOB_C_FLAGS})
  target_compile_options(${target} PUBLIC ${extra_flags})
  target_compile_definitions(${target} PRIVATE ${SOB_DEFINES})
  foreach(option IN LISTS omitted)
    target_compile_definitions(${target} PRIVATE SOB_OMIT_${option})
  endforeach()
  if(extra_flags MATCHES "-fsanitize=")
    target_link_options(${target} INTERFACE -fsanitize=address,undefined)
  endif()
endfunction()

if(SOB_SANITIZE)
  set(sob_static_flags ${SOB_SANITIZER_FLAGS})
else()
  set(sob_static_flags "")
endif()
sob_static_shim(sockopt_bridge_static "" "${sob_static_flags}")
sob_static_shim(sockopt_bridge_static_without_options "${SOB_TEST_OMITTED}" "${sob_static_flags}")

function(sob_static_test name source library)
  sob_executable(${name} ${source} ${library})
  add_test(NAME ${ARGN} COMMAND ${name})
  set_tests_properties(${ARGN} PROPERTIES LABELS static)
  if(SOB_SANITIZE)
    set_tests_properties(${ARGN} PROPERTIES ENVIRONMENT "${SOB_SANITIZER_ENV}" LABELS "static;sanitized")
  endif()
endfunction()

sob_static_test(test_shim native/test/test_shim.c sockopt_bridge_static shim_against_real_sockets)
sob_static_test(test_shim_without_options native/test/test_shim_without_options.c
                sockopt_bridge_static_without_options shim_without_options_reports_not_compiled)

include(CheckLinkerFlag)
check_linker_flag(C "-Wl,--wrap=getsockopt" SOB_LINKER_HAS_WRAP)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND SOB_LINKER_HAS_WRAP)
  # qemu-user's 4-byte TCP_INFO reply, reproduced with a linker seam around the unchanged
  # shim objects (see the test's header comment). GNU ld and lld both know --wrap; zig 0.11's
  # driver refuses it, so the cross builds go without this test (under qemu, test_shim meets
  # the real short reply instead).
  sob_static_test(test_listen_queue_short_reply native/test/test_listen_queue_short_reply.c
                  sockopt_bridge_static listen_queue_refuses_a_short_tcp_info_reply)
  target_link_options(test_listen_queue_short_reply PRIVATE -Wl,--wrap=getsockopt)
endif()

if(SOB_SANITIZE)
  # The fuzz harness driven by a plain main: replays the committed seed corpus and a fixed
  # number of pseudo-random programs, with any compiler (the fallback where libFuzzer is absent).
  sob_executable(fuzz_shim_replay native/fuzz/fuzz_shim.c sockopt_bridge_static)
  target_sources(fuzz_shim_replay PRIVATE native/fuzz/replay_main.c)
  add_test(NAME fuzz_harness_replays_seed_corpus_and_random_programs
           COMMAND fuzz_shim_replay --random 3000 --seed 1 ${CMAKE_CURRENT_SOURCE_DIR}/native/fuzz/corpus)
  set_tests_properties(fuzz_harness_replays_seed_corpus_and_random_programs
                       PROPERTIES ENVIRONMENT "${SOB_SANITIZER_ENV}" LABELS "static;sanitized;fuzz")
endif()

if(SOB_FUZZ)
  # fuzzer-no-link: the shim's own branches are coverage-instrumented, so libFuzzer steers by
  # them; only the harness executable links libFuzzer's main.
  sob_static_shim(sockopt_bridge_static_fuzz "" "${SOB_SANITIZER_FLAGS};-fsanitize=fuzzer-no-link")
  sob_executable(fuzz_shim native/fuzz/fuzz_shim.c sockopt_bridge_static_fuzz)
  target_compile_options(fuzz_shim PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_shim PRIVATE -fsanitize=fuzzer)
endif()


if(SOB_TEST_STAGING_DIR)
  foreach(test_library sockopt_bridge_without_options sockopt_bridge_other_abi)
    add_custom_command(TARGET ${test_library} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E make_directory "${SOB_TEST_STAGING_DIR}"
      COMMAND ${CMAKE_COMMAND} -E copy "$<TARGET_FILE:${test_library}>" "${SOB_TEST_STAGING_DIR}/"
      VERBATIM)
  endforeach()
endif()
