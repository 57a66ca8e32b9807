# Installs the build under PREFIX, then imports the installed package from a directory that is
# neither the source nor the build tree and runs a small simulation and analysis with it. The
# PYTHONPATH of the test's environment (the build tree's package) is replaced, not extended.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE installed)
if(NOT installed EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
set(package ${PREFIX}/${SITE_DIR})
foreach(file __init__.py __init__.pyi py.typed)
  if(NOT EXISTS ${package}/${file})
    message(FATAL_ERROR "${package}/${file} was not installed")
  endif()
endforeach()
get_filename_component(site_packages ${package} DIRECTORY)
set(script "import cryptomood, os; \
assert cryptomood.__file__.startswith(os.environ['EXPECTED']), cryptomood.__file__; \
t, s = cryptomood.simulate(days=1, trades=3000, tweets=1000); \
rows = cryptomood.analyze(t, s, mode='bars', lags=(0, 2)); \
assert len(rows) == 9, rows; print('installed package ok')")
execute_process(COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${site_packages}
                        EXPECTED=${site_packages} ${PYTHON} -c "${script}"
                WORKING_DIRECTORY ${PREFIX}
                RESULT_VARIABLE ran)
if(NOT ran EQUAL 0)
  message(FATAL_ERROR "the installed package did not import and run")
endif()
