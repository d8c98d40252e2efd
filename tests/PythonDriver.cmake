# sharedstate_python_driver_tests(PREFIX <prefix> PYTHON <interpreter> DRIVER <driver.py>
#                                 LABEL <label> [TIMEOUT <seconds>] [ARGS <arg>...])
#
# One ctest <prefix>/<name> for each test a Python driver lists: `<interpreter>
# <driver> --list` runs at configure time (one name a line), and each test runs
# as `<interpreter> <driver> <args>... <name>`. Exit status 77 means the test
# does not apply here (tests/harness.py): ctest shows it as skipped. TIMEOUT
# defaults to 60 seconds.
#
# The driver collects its tests from the topic modules next to it, so every .py
# in the driver's directory, and tests/harness.py, is a configure dependency:
# editing, adding or removing one lists the tests again.
include_guard(GLOBAL)

function(sharedstate_python_driver_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "PREFIX;PYTHON;DRIVER;LABEL;TIMEOUT" "ARGS")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_PREFIX OR NOT arg_PYTHON OR NOT arg_DRIVER OR NOT arg_LABEL)
    message(FATAL_ERROR "sharedstate_python_driver_tests: PREFIX, PYTHON, DRIVER and LABEL are required "
                        "(unexpected: ${arg_UNPARSED_ARGUMENTS})")
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 60)
  endif()

  get_filename_component(driver_dir "${arg_DRIVER}" DIRECTORY)
  file(GLOB modules CONFIGURE_DEPENDS "${driver_dir}/*.py")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${modules}
               "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/harness.py")

  execute_process(COMMAND "${arg_PYTHON}" "${arg_DRIVER}" --list
                  OUTPUT_VARIABLE names RESULT_VARIABLE list_failed)
  if(list_failed)
    message(FATAL_ERROR "cannot list the ${arg_PREFIX} tests: ${arg_PYTHON} ${arg_DRIVER} --list")
  endif()
  string(STRIP "${names}" names)
  string(REPLACE "\n" ";" names "${names}")

  foreach(name IN LISTS names)
    add_test(NAME "${arg_PREFIX}/${name}" COMMAND "${arg_PYTHON}" "${arg_DRIVER}" ${arg_ARGS} "${name}")
    set_tests_properties("${arg_PREFIX}/${name}" PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT ${arg_TIMEOUT}
                         LABELS "${arg_LABEL}")
  endforeach()
endfunction()
