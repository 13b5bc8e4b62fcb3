# Fuzz targets (tests/fuzz/*_fuzz.cpp), included at the end of the native branch of the
# top-level CMakeLists.txt. Two ways to build the same sources:
#  - always: fuzz_replay_<target>, the target plus replay_main.cpp, registered with CTest to
#    replay tests/fuzz/corpus/<target>/ (seeds and crash reproducers) in every `npm test`;
#  - with -DS3FILE_FUZZ=ON and clang (scripts/fuzz.sh, in build/fuzz): fuzz_<target>, linked
#    with libFuzzer, and the libraries under test instrumented for coverage, ASan and UBSan.

option(S3FILE_FUZZ "Build the libFuzzer targets (clang only; see scripts/fuzz.sh)" OFF)

# Test names like "fuzz replay: s3_emulator" (spaces, a colon) need CMake 3.19's add_test().
# CMake reads this policy when it writes CTestTestfile.cmake, i.e. from the including
# directory's scope: hence include(… NO_POLICY_SCOPE) there. It changes nothing else.
if(POLICY CMP0110)
  cmake_policy(SET CMP0110 NEW)
endif()

set(S3FILE_FUZZ_TARGETS s3_response post_policy form_receiver s3_emulator app_json)

if(S3FILE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "S3FILE_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  # Undefined behaviour aborts like a memory error, so the fuzzer keeps the input.
  set(S3FILE_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  # The code under test, not only the harness, gives coverage feedback and is checked.
  foreach(library s3file_core s3file_server_lib)
    target_compile_options(${library} PRIVATE -fsanitize=fuzzer-no-link ${S3FILE_SANITIZERS})
    target_link_options(${library} INTERFACE ${S3FILE_SANITIZERS})
  endforeach()
endif()

foreach(name IN LISTS S3FILE_FUZZ_TARGETS)
  set(source ${CMAKE_CURRENT_LIST_DIR}/${name}_fuzz.cpp)
  if(S3FILE_FUZZ)
    set(target fuzz_${name})
    add_executable(${target} ${source})
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer ${S3FILE_SANITIZERS})
    target_link_options(${target} PRIVATE -fsanitize=fuzzer ${S3FILE_SANITIZERS})
  else()
    set(target fuzz_replay_${name})
    add_executable(${target} ${source} ${CMAKE_CURRENT_LIST_DIR}/replay_main.cpp)
    add_test(NAME "fuzz replay: ${name}"
             COMMAND ${target} ${CMAKE_CURRENT_LIST_DIR}/corpus/${name})
  endif()
  target_link_libraries(${target} PRIVATE s3file_server_lib)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endforeach()

# Writes the signed seeds (corpus/s3_emulator, corpus/app_json) again, e.g. after the fuzz
# identity in harness.hpp changed: cmake --build <dir> --target fuzz_make_seeds, then run it.
add_executable(fuzz_make_seeds EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/make_seeds.cpp)
target_link_libraries(fuzz_make_seeds PRIVATE s3file_server_lib)
target_include_directories(fuzz_make_seeds PRIVATE ${CMAKE_CURRENT_LIST_DIR}/..)
