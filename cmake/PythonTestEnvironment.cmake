# cryptomood_python_test_environment(OUT): the environment (a list of NAME=VALUE) under which a
# test runs Debian's python3 against this build's module: the build's package on PYTHONPATH,
# and in a sanitizer build the ASan and UBSan runtimes preloaded (the interpreter is not built
# with them, and an instrumented extension needs them loaded first). The interpreter never frees
# its own memory at exit, so leak detection is off there.
function(cryptomood_python_test_environment out)
  set(environment "PYTHONPATH=${CMAKE_BINARY_DIR}/python" "PYTHONDONTWRITEBYTECODE=1")
  if(CRYPTOMOOD_SANITIZE)
    foreach(runtime asan ubsan)
      execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=lib${runtime}.so
                      OUTPUT_VARIABLE ${runtime}_library OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(NOT IS_ABSOLUTE "${${runtime}_library}" OR NOT EXISTS "${${runtime}_library}")
        message(FATAL_ERROR "${CMAKE_CXX_COMPILER} has no shared lib${runtime}.so to preload into "
                            "python3; configure with -DCRYPTOMOOD_PYTHON_MODULE=OFF")
      endif()
    endforeach()
    list(APPEND environment
      "LD_PRELOAD=${asan_library} ${ubsan_library}"
      "ASAN_OPTIONS=detect_leaks=0:strict_string_checks=1:check_initialization_order=1"
      "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
  endif()
  set(${out} "${environment}" PARENT_SCOPE)
endfunction()
