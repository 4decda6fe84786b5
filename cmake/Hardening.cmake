# GE_HARDENING (on by default, every preset): the hardening of Debian's dpkg-buildflags "hardening=+all"
# and the OpenSSF compiler options guide, on gameevents::options and so on every project target.
#   _FORTIFY_SOURCE=3     glibc checks buffer sizes known at run time (glibc ≥ 2.34, GCC ≥ 12);
#                         only when optimising (glibc warns and ignores it at -O0) and not under the
#                         sanitizers, whose interceptors do those checks and more
#   -fstack-protector-strong, -fstack-clash-protection, -fcf-protection (x86 CET)
#   PIE and full RELRO (-Wl,-z,relro,-z,now): ASLR for the executables, the GOT read-only
include(CheckCXXCompilerFlag)
include(CheckPIESupported)

if(NOT GE_HARDENING)
  return()
endif()

set(CMAKE_POSITION_INDEPENDENT_CODE ON)
check_pie_supported(LANGUAGES CXX)

if(NOT GE_SANITIZE AND NOT GE_FUZZ)
  target_compile_options(gameevents_options INTERFACE
    $<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3>)
endif()

foreach(_flag -fstack-protector-strong -fstack-clash-protection -fcf-protection)
  string(MAKE_C_IDENTIFIER "GE_HAS${_flag}" _var)
  check_cxx_compiler_flag(${_flag} ${_var})
  if(${_var})
    target_compile_options(gameevents_options INTERFACE ${_flag})
  endif()
endforeach()

target_link_options(gameevents_options INTERFACE LINKER:-z,relro,-z,now)
