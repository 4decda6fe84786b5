# One interface target carries the project's warning policy; every target links it.
option(GE_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)
option(GE_SANITIZE "Build with -fsanitize=address,undefined" OFF)
option(GE_BUILD_TESTS "Build the test suite" ${PROJECT_IS_TOP_LEVEL})

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
