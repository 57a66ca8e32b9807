# Strict warnings for our own targets only (third-party headers come in as SYSTEM).
function(cryptomood_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast)
  # GCC 12's optimizer reports a bogus overlapping memcpy of ~2^63 bytes inside libstdc++ for
  # `"literal" + std::string&&` (a known GCC 12 false positive, fixed in later releases); with
  # -Werror it would fail ordinary string concatenation in Release builds.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  # -Wthread-safety enables every stable group (analysis, attributes, precise, reference);
  # their findings fail the build whatever CRYPTOMOOD_WERROR says.
  if(CRYPTOMOOD_THREAD_SAFETY_ANALYSIS)
    target_compile_options(${target} PRIVATE -Wthread-safety -Werror=thread-safety)
  endif()
  if(CRYPTOMOOD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
