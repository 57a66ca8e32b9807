# CTest starts one throw-away PostgreSQL server for the store tests and stops it afterwards
# (scripts/postgres-test-server.sh; Debian's postgresql is installed if missing). The tests
# find it through CRYPTOMOOD_TEST_POSTGRES_URL_FILE. If the server cannot start, the setup
# test fails and the store tests fail with it: they are never skipped.
set(pg_script ${CMAKE_SOURCE_DIR}/scripts/postgres-test-server.sh)
set(pg_url_file ${CMAKE_CURRENT_BINARY_DIR}/postgres-test.url)
set(pg_dir_file ${CMAKE_CURRENT_BINARY_DIR}/postgres-test.dir)

add_test(NAME store.postgres_server_start
         COMMAND bash ${pg_script} start --fast --url-file ${pg_url_file} --dir-file ${pg_dir_file})
set_tests_properties(store.postgres_server_start PROPERTIES
                     FIXTURES_SETUP postgres_server LABELS store TIMEOUT 600)
add_test(NAME store.postgres_server_stop COMMAND bash ${pg_script} stop --dir-file ${pg_dir_file})
set_tests_properties(store.postgres_server_stop PROPERTIES
                     FIXTURES_CLEANUP postgres_server LABELS store TIMEOUT 120)

# gtest_discover_tests defines the store tests only when ctest runs (store_tests_TESTS names
# them); this file, included after its own, gives them the fixture and the URL file.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/store_tests_postgres.cmake
     "if(store_tests_TESTS)\n"
     "  set_tests_properties(\${store_tests_TESTS} PROPERTIES FIXTURES_REQUIRED postgres_server\n"
     "    ENVIRONMENT CRYPTOMOOD_TEST_POSTGRES_URL_FILE=${pg_url_file})\n"
     "endif()\n")
set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES
             ${CMAKE_CURRENT_BINARY_DIR}/store_tests_postgres.cmake)
# The HTTP tests parameterised by backend need the same server. gtest_discover_tests names
# them ".../postgresql  # GetParam() = postgresql", so the match ends at a space or the end.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/http_tests_postgres.cmake
     "foreach(test IN LISTS http_tests_TESTS)\n"
     "  if(test MATCHES \"/postgresql( |$)\")\n"
     "    set_tests_properties(\${test} PROPERTIES FIXTURES_REQUIRED postgres_server\n"
     "      ENVIRONMENT CRYPTOMOOD_TEST_POSTGRES_URL_FILE=${pg_url_file})\n"
     "  endif()\n"
     "endforeach()\n")
set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES
             ${CMAKE_CURRENT_BINARY_DIR}/http_tests_postgres.cmake)
