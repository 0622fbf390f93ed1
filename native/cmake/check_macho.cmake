# Fails unless the macOS dylib LIBRARY is what a Mac will load: it links libSystem and nothing
# else (no build machine's library paths, no libc++), its install name is relative (@rpath/...,
# not the build directory, which would leak into every binary that links it), its minimum
# macOS is MINOS, and it does not name BUILD_DIR.
# Run by CTest: cmake -DLIBRARY=... -DOBJDUMP=<llvm-objdump> -DMINOS=11.0 -DBUILD_DIR=... -P ...
if(NOT OBJDUMP MATCHES "llvm-objdump")
  find_program(SOB_LLVM_OBJDUMP NAMES llvm-objdump llvm-objdump-16 llvm-objdump-15 llvm-objdump-14 REQUIRED)
  set(OBJDUMP "${SOB_LLVM_OBJDUMP}")
endif()
execute_process(COMMAND "${OBJDUMP}" --macho --dylibs-used "${LIBRARY}" OUTPUT_VARIABLE dylibs RESULT_VARIABLE rc1)
execute_process(COMMAND "${OBJDUMP}" --macho --private-headers "${LIBRARY}" OUTPUT_VARIABLE headers RESULT_VARIABLE rc2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "${OBJDUMP} --macho failed on ${LIBRARY}")
endif()
# --dylibs-used lists the library's own id first, then what it links, one per tab-indented line.
string(REGEX MATCHALL "\t[^\n(]+ \\(" used "${dylibs}")
set(linked "")
foreach(entry IN LISTS used)
  string(REGEX REPLACE "^\t(.*) \\($" "\\1" entry "${entry}")
  list(APPEND linked "${entry}")
endforeach()
list(POP_FRONT linked own_id)
if(NOT own_id MATCHES "^@rpath/")
  message(SEND_ERROR "install name ${own_id} is not relative (@rpath/...)")
endif()
if(NOT linked STREQUAL "/usr/lib/libSystem.B.dylib")
  message(SEND_ERROR "links ${linked}, expected only /usr/lib/libSystem.B.dylib")
endif()
# LC_BUILD_VERSION's minos (macOS 10.14+ binaries; older ones carry LC_VERSION_MIN_MACOSX).
if(NOT headers MATCHES "minos ([0-9.]+)")
  message(SEND_ERROR "no LC_BUILD_VERSION minos in ${LIBRARY}")
elseif(NOT CMAKE_MATCH_1 VERSION_EQUAL MINOS)
  message(SEND_ERROR "minimum macOS ${CMAKE_MATCH_1}, expected ${MINOS}")
endif()
# Nor the build directory anywhere else: ld64 writes a debug map naming every object file unless
# told -S, which is how the first builds carried this machine's paths.
if(BUILD_DIR)
  file(STRINGS "${LIBRARY}" leaks REGEX "${BUILD_DIR}")
  if(leaks)
    message(SEND_ERROR "${LIBRARY} names the build directory: ${leaks}")
  endif()
endif()
message(STATUS "${LIBRARY}: install name ${own_id}, links ${linked}, minos ${CMAKE_MATCH_1}")
