# Strict warnings for our own targets only (third-party headers come in as SYSTEM).
function(cryptomood_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast)
  if(CRYPTOMOOD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
