# Fails unless the macOS dylib LIBRARY imports every symbol in SYMBOLS, each bound to libSystem:
# proof that the code calling it was compiled and linked in (ld64.lld -dead_strip drops what
# nothing reachable from JNI_OnLoad's natives calls), and that it needs no library beyond the one
# every Mac has. `llvm-nm -m` prints "(undefined) external _sysctlbyname (from libSystem)".
# Run by CTest: cmake -DLIBRARY=... -DNM=<llvm-nm> "-DSYMBOLS=_a;_b" -P check_macho_imports.cmake
if(NOT NM MATCHES "llvm-nm")
  find_program(SOB_LLVM_NM NAMES llvm-nm llvm-nm-16 llvm-nm-15 llvm-nm-14 REQUIRED)
  set(NM "${SOB_LLVM_NM}")
endif()
execute_process(COMMAND "${NM}" -m "${LIBRARY}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -m failed on ${LIBRARY}")
endif()
foreach(symbol IN LISTS SYMBOLS)
  if(symbols MATCHES "\\(undefined\\) external ${symbol} \\(from ([^)]+)\\)")
    if(NOT CMAKE_MATCH_1 STREQUAL "libSystem")
      message(SEND_ERROR "${LIBRARY} imports ${symbol} from ${CMAKE_MATCH_1}, expected libSystem")
    else()
      message(STATUS "${LIBRARY}: ${symbol} from libSystem")
    endif()
  else()
    message(SEND_ERROR "${LIBRARY} does not import ${symbol}: the code that calls it is not in the library")
  endif()
endforeach()
