# The raw system-call loops the benchmarks compare the bridge with (bench/README.md).
# Included by the top-level CMakeLists.txt when SOB_BUILD_BENCHMARKS is on (Maven turns it on).
add_executable(bench_raw_setsockopt bench/native/bench_raw_setsockopt.c)
target_compile_options(bench_raw_setsockopt PRIVATE ${SOB_C_FLAGS})
target_compile_definitions(bench_raw_setsockopt PRIVATE ${SOB_DEFINES})
# The same loops as a library, for the JMH benchmark to run the floor inside its own JVM.
add_library(sob_bench_loop SHARED bench/native/bench_loop.c)
target_compile_options(sob_bench_loop PRIVATE ${SOB_C_FLAGS})
target_compile_definitions(sob_bench_loop PRIVATE ${SOB_DEFINES})
if(SOB_TEST_STAGING_DIR)
  add_custom_command(TARGET sob_bench_loop POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E make_directory "${SOB_TEST_STAGING_DIR}"
    COMMAND ${CMAKE_COMMAND} -E copy "$<TARGET_FILE:sob_bench_loop>" "${SOB_TEST_STAGING_DIR}/"
    VERBATIM)
endif()
