# Writes one man page per command of the built binary with help2man, run as a script at build
# time: cmake -DBINARY=... -DHELP2MAN=... -DVERSION=... -DOUT_DIR=... -P help2man_pages.cmake
# cryptomood.1 comes from `cryptomood --help`, cryptomood-SUB.1 from `cryptomood SUB --help` for
# each subcommand that help lists. help2man runs a small wrapper per page that starts the binary
# under the name "cryptomood", so the usage lines show that name and not the build path.
foreach(variable BINARY HELP2MAN VERSION OUT_DIR)
  if(NOT ${variable})
    message(FATAL_ERROR "help2man_pages.cmake: ${variable} is not set")
  endif()
endforeach()

set(wrapper_dir ${OUT_DIR}/wrappers)
file(REMOVE_RECURSE ${OUT_DIR})
file(MAKE_DIRECTORY ${wrapper_dir})

execute_process(COMMAND ${BINARY} --help OUTPUT_VARIABLE top_help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${BINARY} --help failed (${status})")
endif()
# The subcommands: the first word of each line of the help's "Subcommands:" section.
string(REGEX REPLACE ".*\nSubcommands:\n" "" listing "${top_help}")
string(REGEX MATCHALL "(^|\n)  [a-z][a-z0-9-]*" subcommand_lines "${listing}")
set(subcommands "")
foreach(line IN LISTS subcommand_lines)
  string(STRIP "${line}" name)
  list(APPEND subcommands ${name})
endforeach()
if(NOT subcommands)
  message(FATAL_ERROR "no subcommands found in `${BINARY} --help`")
endif()

# One page: `page` is the program name help2man prints (cryptomood or cryptomood-SUB).
function(write_page page subcommand)
  execute_process(COMMAND ${BINARY} ${subcommand} --help OUTPUT_VARIABLE help
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${BINARY} ${subcommand} --help failed (${status})")
  endif()
  # The help's first line is the command's one-line description: the page's NAME.
  string(REGEX MATCH "^[^\n]*" description "${help}")
  string(REGEX REPLACE "^cryptomood: " "" description "${description}")
  set(wrapper ${wrapper_dir}/${page})
  file(WRITE ${wrapper} "#!/bin/bash\nexec -a cryptomood '${BINARY}' ${subcommand} \"$@\"\n")
  file(CHMOD ${wrapper} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  execute_process(
    COMMAND ${HELP2MAN} --no-info --section=1 "--name=${description}"
            "--version-string=${VERSION}" --output=${OUT_DIR}/${page}.1 ${wrapper}
    RESULT_VARIABLE status ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "help2man failed for ${page}: ${errors}")
  endif()
endfunction()

write_page(cryptomood "")
foreach(subcommand IN LISTS subcommands)
  write_page(cryptomood-${subcommand} ${subcommand})
endforeach()
file(REMOVE_RECURSE ${wrapper_dir})
