# gameevents::warnings: the one warning policy, an INTERFACE target every project target links
# PRIVATE (so that nothing leaks into a consumer's flags). GE_WARNINGS_AS_ERRORS adds -Werror:
# `make build` and every preset turn it on, and every preset builds with zero warnings.
add_library(gameevents_warnings INTERFACE)
add_library(gameevents::warnings ALIAS gameevents_warnings)

set(GE_CXX_WARNINGS
    -Wall
    -Wextra
    -Wpedantic
    -Wshadow                # a variable that hides another
    -Wnon-virtual-dtor      # a polymorphic class without a virtual destructor
    -Wold-style-cast
    -Wcast-align
    -Wunused
    -Woverloaded-virtual
    -Wconversion
    -Wsign-conversion
    -Wnull-dereference
    -Wdouble-promotion      # float silently promoted to double
    -Wformat=2
    -Wimplicit-fallthrough
    -Wextra-semi            # a stray ; after a member function or namespace
)
set(GE_GCC_WARNINGS
    -Wmisleading-indentation
    -Wduplicated-cond       # if (a) … else if (a)
    -Wduplicated-branches   # if (c) x; else x;
    -Wlogical-op            # a && a, a == b || a == b with the same operands
    -Wuseless-cast          # a cast to the type the value already has
    -Wsuggest-override      # an overriding virtual function without `override`
)
set(GE_CLANG_WARNINGS
    -Wsuggest-override
)

target_compile_options(gameevents_warnings INTERFACE
  ${GE_CXX_WARNINGS}
  $<$<CXX_COMPILER_ID:GNU>:${GE_GCC_WARNINGS}>
  $<$<CXX_COMPILER_ID:Clang>:${GE_CLANG_WARNINGS}>
  $<$<BOOL:${GE_WARNINGS_AS_ERRORS}>:-Werror>)
