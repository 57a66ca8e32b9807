# `cmake --install` and `cpack -G DEB`: where the binary, the dashboard, the docs, the man pages
# and the example systemd units go under the prefix, and the Debian package made of them.
#   bin/cryptomood
#   share/cryptomood/web/           the page (web/static), uPlot's dist files in vendor/uplot/
#   share/doc/cryptomood/           README.md, docs/*.md, uPlot's licence
#   share/man/man1/                 cryptomood.1 and cryptomood-SUB.1 (help2man, at build time)
#   lib/systemd/system/             cryptomood-serve.service, cryptomood-stream.service
# The binary finds the dashboard at ../share/cryptomood/web beside itself (src/cli/web_root.h),
# so the tree works under any prefix.
include(GNUInstallDirs)
# `ninja install` and cpack build only what they install (the binary and its man pages), not
# every test and benchmark.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CRYPTOMOOD_WEB_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/cryptomood/web)
set(CRYPTOMOOD_UPLOT_DIST ${CMAKE_SOURCE_DIR}/web/node_modules/uplot/dist)

install(TARGETS cryptomood RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/static/ DESTINATION ${CRYPTOMOOD_WEB_INSTALL_DIR}
        COMPONENT runtime)
# uPlot comes from npm (`npm ci` in web/); a package without it would serve chartless pages.
install(CODE "
  if(NOT IS_DIRECTORY \"${CRYPTOMOOD_UPLOT_DIST}\")
    message(FATAL_ERROR \"${CRYPTOMOOD_UPLOT_DIST} not found: run `npm ci` in web/ first\")
  endif()" COMPONENT runtime)
install(DIRECTORY ${CRYPTOMOOD_UPLOT_DIST}/
        DESTINATION ${CRYPTOMOOD_WEB_INSTALL_DIR}/vendor/uplot COMPONENT runtime OPTIONAL)
install(FILES ${CMAKE_SOURCE_DIR}/web/node_modules/uplot/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME uPlot-LICENSE COMPONENT runtime OPTIONAL)

file(GLOB CRYPTOMOOD_DOCS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CRYPTOMOOD_DOCS}
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

# Man pages: help2man over the built binary's --help, regenerated whenever it relinks.
find_program(CRYPTOMOOD_HELP2MAN help2man)
set(CRYPTOMOOD_MAN_DIR ${CMAKE_BINARY_DIR}/man/man1)
if(CRYPTOMOOD_HELP2MAN)
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/man/stamp
    COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:cryptomood> -DHELP2MAN=${CRYPTOMOOD_HELP2MAN}
            -DVERSION=${PROJECT_VERSION} -DOUT_DIR=${CRYPTOMOOD_MAN_DIR}
            -P ${CMAKE_SOURCE_DIR}/cmake/help2man_pages.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/man/stamp
    DEPENDS cryptomood ${CMAKE_SOURCE_DIR}/cmake/help2man_pages.cmake
    COMMENT "Man pages (help2man)")
  add_custom_target(cryptomood_man ALL DEPENDS ${CMAKE_BINARY_DIR}/man/stamp)
  install(DIRECTORY ${CRYPTOMOOD_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
          COMPONENT runtime FILES_MATCHING PATTERN "*.1")
else()
  message(WARNING "help2man not found: no man pages (scripts/install-deps.sh installs it)")
endif()

# Example systemd units, with one block of hardening options and the path of the installed
# binary, written at install time: cpack installs under its own prefix (/usr).
file(READ ${CMAKE_SOURCE_DIR}/packaging/systemd/hardening.conf CRYPTOMOOD_SYSTEMD_HARDENING)
string(STRIP "${CRYPTOMOOD_SYSTEMD_HARDENING}" CRYPTOMOOD_SYSTEMD_HARDENING)
foreach(unit cryptomood-serve.service cryptomood-stream.service)
  install(CODE "
    set(CRYPTOMOOD_BINARY \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/cryptomood\")
    set(CRYPTOMOOD_SYSTEMD_HARDENING [[${CRYPTOMOOD_SYSTEMD_HARDENING}]])
    configure_file(${CMAKE_SOURCE_DIR}/packaging/systemd/${unit}.in
                   ${CMAKE_BINARY_DIR}/systemd/${unit} @ONLY)" COMPONENT runtime)
  install(FILES ${CMAKE_BINARY_DIR}/systemd/${unit} DESTINATION lib/systemd/system
          COMPONENT runtime)
endforeach()

# The Debian package: the runtime component only. The Python module stays out: it installs
# into the site-packages of the interpreter it was built for (lib/python3.X/dist-packages,
# which Debian's python3 searches under /usr/local but not under /usr) and would pull numpy
# and pandas into the package's dependencies; `cmake --install` still installs it.
set(CPACK_PACKAGE_NAME cryptomood)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "cryptomood maintainers <cryptomood@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Correlates Twitter sentiment with crypto coin prices (CLI, REST API, dashboard)")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "cryptomood joins trades and scored tweets as of time per coin and reports Pearson and\n\
Spearman correlations across lags with robust confidence intervals, Granger tests and\n\
stationarity diagnostics. It ingests into SQLite or PostgreSQL, serves a REST API with a\n\
dashboard, and computes windowed correlations from Kafka.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL runtime)
include(CPack)
