# The project's options. The developer-only ones (warnings as errors, sanitizers, fuzzing, tests)
# exist only when gameevents is the top-level project: a parent project that adds it with
# add_subdirectory() or FetchContent gets the libraries, built its own way.
include(CMakeDependentOption)

if(PROJECT_IS_TOP_LEVEL)
  option(GE_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)
  option(GE_SANITIZE "Build with -fsanitize=address,undefined" OFF)
  option(GE_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only; ASan+UBSan, no test suite)" OFF)
  cmake_dependent_option(GE_BUILD_TESTS "Build the test suite" ON "NOT GE_FUZZ" OFF)
else()
  set(GE_WARNINGS_AS_ERRORS OFF)
  set(GE_SANITIZE OFF)
  set(GE_FUZZ OFF)
  set(GE_BUILD_TESTS OFF)
endif()
option(GE_HARDENING "Harden the binaries: _FORTIFY_SOURCE, stack protector, stack clash, CET, PIE, full RELRO" ON)

if(GE_FUZZ)
  # libFuzzer comes with clang (Debian: clang-14 + libclang-rt-14-dev); GCC has no equivalent.
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GE_FUZZ=ON needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(GE_SANITIZE)
    message(FATAL_ERROR "GE_FUZZ=ON already sanitizes (address,undefined): leave GE_SANITIZE off")
  endif()
endif()

# ccache, when installed, makes rebuilds (and a second checkout's build) cheap; CI has none.
if(PROJECT_IS_TOP_LEVEL AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(GE_CCACHE ccache)
  if(GE_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${GE_CCACHE})
  endif()
endif()

# gameevents::options: what every target compiles and links with besides warnings (sanitizers,
# hardening); gameevents::warnings: the warning policy. Every project target links both.
add_library(gameevents_options INTERFACE)
add_library(gameevents::options ALIAS gameevents_options)

include(${CMAKE_CURRENT_LIST_DIR}/CompilerWarnings.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/Sanitizers.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/Hardening.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/CodeGeneration.cmake)
