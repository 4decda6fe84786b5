# Sanitizers on gameevents::options (cmake/ProjectOptions.cmake):
# - GE_SANITIZE (the asan preset, make test-asan): ASan + UBSan, every finding fatal.
# - GE_FUZZ (the fuzz preset, clang): the same plus libFuzzer's coverage feedback on every project
#   library (fuzzer-no-link); only the fuzz executables link libFuzzer's main (tests/fuzz).
set(GE_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)

if(GE_SANITIZE)
  target_compile_options(gameevents_options INTERFACE ${GE_SANITIZER_FLAGS})
  target_link_options(gameevents_options INTERFACE -fsanitize=address,undefined)
elseif(GE_FUZZ)
  target_compile_options(gameevents_options INTERFACE -fsanitize=fuzzer-no-link ${GE_SANITIZER_FLAGS})
  target_link_options(gameevents_options INTERFACE -fsanitize=address,undefined)
endif()
