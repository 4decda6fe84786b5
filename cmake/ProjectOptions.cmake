# One interface target carries the project's warning policy; every target links it.
option(GE_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)
option(GE_SANITIZE "Build with -fsanitize=address,undefined" OFF)
option(GE_BUILD_TESTS "Build the test suite" ${PROJECT_IS_TOP_LEVEL})
option(GE_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only; ASan+UBSan, no test suite)" OFF)

if(GE_FUZZ)
  # libFuzzer comes with clang (Debian: clang-14 + libclang-rt-14-dev); GCC has no equivalent.
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GE_FUZZ=ON needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(GE_BUILD_TESTS)
    message(FATAL_ERROR "GE_FUZZ=ON builds only the fuzz targets: configure with -DGE_BUILD_TESTS=OFF")
  endif()
  if(GE_SANITIZE)
    message(FATAL_ERROR "GE_FUZZ=ON already sanitizes (address,undefined): leave GE_SANITIZE off")
  endif()
endif()

add_library(project_warnings INTERFACE)
target_compile_options(project_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${GE_WARNINGS_AS_ERRORS}>:-Werror>)

add_library(project_options INTERFACE)
if(GE_SANITIZE)
  target_compile_options(project_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(project_options INTERFACE -fsanitize=address,undefined)
endif()
if(GE_FUZZ)
  # Every project library gets libFuzzer's coverage feedback (fuzzer-no-link); only the fuzz
  # executables link libFuzzer's main (tests/fuzz/CMakeLists.txt).
  target_compile_options(project_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(project_options INTERFACE -fsanitize=address,undefined)
endif()
