# Fails unless LIBRARY's dynamic symbol table defines exactly the JNI entry points (JNI_OnLoad,
# optionally JNI_OnUnload). Run by CTest: cmake -DLIBRARY=... -DNM=... -P check_exports.cmake
execute_process(COMMAND "${NM}" -D --defined-only "${LIBRARY}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D failed on ${LIBRARY}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${symbols}")
set(exported "")
foreach(line IN LISTS lines)
  # "<address> <type> <name>": text, data and BSS symbols are what a caller could reach.
  if(line MATCHES "^[0-9a-fA-F]+ [TDBRtdbr] ([^ ]+)$")
    list(APPEND exported "${CMAKE_MATCH_1}")
  endif()
endforeach()
list(REMOVE_ITEM exported JNI_OnLoad JNI_OnUnload)
if(exported)
  message(FATAL_ERROR "${LIBRARY} exports more than the JNI entry points: ${exported}")
endif()
message(STATUS "${LIBRARY}: exports only the JNI entry points")
