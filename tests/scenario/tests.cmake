# Scenario files: exact messages for every bad input, parsed values of the
# good ones, and `walras check` at 4 ranks failing cleanly on each bad input.

walras_add_unit_test(test_scenario SOURCES scenario/test_scenario.c)

set(scenario_inputs ${CMAKE_CURRENT_SOURCE_DIR}/inputs)
set(scenario_expect ${CMAKE_CURRENT_SOURCE_DIR}/scenario/expect_failure.sh)

foreach(good tiny tiny_trace layers16)
  walras_add_mpi_test(scenario_check_${good} RANKS 1 4 TIMEOUT 60
    COMMAND $<TARGET_FILE:walras> check ${scenario_inputs}/good/${good}.yaml)
endforeach()

# Each bad file states its message on line 2; the driver runs mpiexec itself
# so that it can watch the exit status, stderr and the clock.
file(GLOB scenario_bad CONFIGURE_DEPENDS ${scenario_inputs}/bad/*.yaml)
foreach(path IN LISTS scenario_bad)
  get_filename_component(bad ${path} NAME_WE)
  add_test(NAME scenario_check_bad_${bad}_np4
    COMMAND bash ${scenario_expect} --from ${path} -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n 4
            $<TARGET_FILE:walras> check ${path})
  set_tests_properties(scenario_check_bad_${bad}_np4 PROPERTIES TIMEOUT 60 LABELS mpi
    PROCESSORS 4 ENVIRONMENT "${WALRAS_TEST_ENV};WALRAS_NP=4")
endforeach()

add_test(NAME scenario_check_missing_file_np4
  COMMAND bash ${scenario_expect} --message
          "${scenario_inputs}/bad/no_such_scenario.yaml: cannot open the scenario file: No such file or directory"
          -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n 4 $<TARGET_FILE:walras> check
          ${scenario_inputs}/bad/no_such_scenario.yaml)
set_tests_properties(scenario_check_missing_file_np4 PROPERTIES TIMEOUT 60 LABELS mpi
  PROCESSORS 4 ENVIRONMENT "${WALRAS_TEST_ENV};WALRAS_NP=4")

add_test(NAME scenario_check_directory_np4
  COMMAND bash ${scenario_expect} --message
          "${scenario_inputs}/data: expected a file (the scenario file), got a directory"
          -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n 4 $<TARGET_FILE:walras> check
          ${scenario_inputs}/data)
set_tests_properties(scenario_check_directory_np4 PROPERTIES TIMEOUT 60 LABELS mpi
  PROCESSORS 4 ENVIRONMENT "${WALRAS_TEST_ENV};WALRAS_NP=4")
