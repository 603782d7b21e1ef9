# End to end: walras run on the default scenario at 1, 2 and 4 ranks; the
# output must have the documented layout, and the prices at 2 and 4 ranks
# must equal those at 1 rank to 1e-10 relative.

add_executable(check_output e2e/check_output.c)
target_link_libraries(check_output PRIVATE walras_lib)
walras_set_warnings(check_output)

set(chatdev ${PROJECT_SOURCE_DIR}/runs/chatdev.yaml)
set(e2e_dir ${CMAKE_CURRENT_BINARY_DIR}/e2e)
file(MAKE_DIRECTORY ${e2e_dir})

foreach(np 1 2 4)
  add_test(NAME e2e_chatdev_np${np}
    COMMAND ${WALRAS_MPIEXEC} -n ${np} $<TARGET_FILE:walras> run ${chatdev}
            -o ${e2e_dir}/chatdev_np${np}.h5)
  set_tests_properties(e2e_chatdev_np${np} PROPERTIES TIMEOUT 600 LABELS e2e PROCESSORS ${np}
    ENVIRONMENT "${WALRAS_TEST_ENV}" FIXTURES_SETUP chatdev_np${np})
  if(np EQUAL 1)
    add_test(NAME e2e_chatdev_layout_np1
      COMMAND check_output ${e2e_dir}/chatdev_np1.h5 ${chatdev})
  else()
    add_test(NAME e2e_chatdev_layout_np${np}
      COMMAND check_output ${e2e_dir}/chatdev_np${np}.h5 ${chatdev} ${e2e_dir}/chatdev_np1.h5)
  endif()
  set_tests_properties(e2e_chatdev_layout_np${np} PROPERTIES TIMEOUT 60 LABELS e2e
    ENVIRONMENT "${WALRAS_TEST_ENV}" FIXTURES_REQUIRED "chatdev_np1;chatdev_np${np}")
endforeach()

# A failed run leaves the user's file as it was and no temporary file.
add_test(NAME e2e_failed_run_keeps_output
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/failed_run_keeps_output.sh $<TARGET_FILE:walras>)
set_tests_properties(e2e_failed_run_keeps_output PROPERTIES TIMEOUT 120 LABELS e2e
  ENVIRONMENT "${WALRAS_TEST_ENV}")

# Every bad scenario also stops walras run cleanly at 4 ranks.
file(GLOB bad_runs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/inputs/bad/*.yaml)
foreach(bad IN LISTS bad_runs)
  get_filename_component(stem ${bad} NAME_WE)
  add_test(NAME e2e_run_bad_${stem}_np4
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/scenario/expect_failure.sh --from ${bad} --
            ${MPIEXEC_EXECUTABLE} --oversubscribe -n 4 $<TARGET_FILE:walras> run ${bad}
            -o ${e2e_dir}/bad_${stem}.h5)
  set_tests_properties(e2e_run_bad_${stem}_np4 PROPERTIES TIMEOUT 60 LABELS e2e PROCESSORS 4
    ENVIRONMENT "${WALRAS_TEST_ENV}")
endforeach()

# Every shipped agent scenario runs as it is, converges and writes the
# documented layout (runs/README.md reports what each shows).
file(GLOB shipped CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/runs/*.yaml)
foreach(scenario IN LISTS shipped)
  get_filename_component(stem ${scenario} NAME_WE)
  if(stem STREQUAL "chatdev")
    continue()
  endif()
  add_test(NAME e2e_runs_${stem}_np2
    COMMAND ${WALRAS_MPIEXEC} -n 2 $<TARGET_FILE:walras> run ${scenario} -o ${e2e_dir}/${stem}.h5)
  set_tests_properties(e2e_runs_${stem}_np2 PROPERTIES TIMEOUT 900 LABELS e2e PROCESSORS 2
    ENVIRONMENT "${WALRAS_TEST_ENV}" FIXTURES_SETUP runs_${stem})
  add_test(NAME e2e_runs_${stem}_layout COMMAND check_output ${e2e_dir}/${stem}.h5 ${scenario})
  set_tests_properties(e2e_runs_${stem}_layout PROPERTIES TIMEOUT 60 LABELS e2e
    ENVIRONMENT "${WALRAS_TEST_ENV}" FIXTURES_REQUIRED runs_${stem})
endforeach()

# An overflowing evaluation (sigma = 300) is a failed solve with its reason
# (exit status 3, the file written with converged = 0), not an error.
add_test(NAME e2e_overflow_is_solver_failed_np2
  COMMAND bash -c "out=$(${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras> run \
    ${PROJECT_SOURCE_DIR}/tests/inputs/numeric/large_sigma.yaml -o ${e2e_dir}/large_sigma.h5 2>&1); \
    rc=$?; echo \"$out\"; [ $rc -eq 3 ] && echo \"$out\" | grep -q 'solver_failed' && \
    echo \"$out\" | grep -q 'the excess demand is not a finite number' && \
    ! echo \"$out\" | grep -q 'Walras. law fails'")
set_tests_properties(e2e_overflow_is_solver_failed_np2 PROPERTIES TIMEOUT 60 LABELS e2e
  PROCESSORS 2 ENVIRONMENT "${WALRAS_TEST_ENV}")

# -tat_max_rounds N makes N rounds; with a fallback the file's history and
# round count hold both solvers' rounds (100 of the tatonnement, then
# Newton's), and the layout check holds the history to rounds + 1 entries.
set(tiny ${PROJECT_SOURCE_DIR}/tests/inputs/good/tiny.yaml)
add_test(NAME e2e_fallback_history_np2
  COMMAND bash -c "set -e; ${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras> run \
    ${tiny} -o ${e2e_dir}/fallback.h5 -tat_max_rounds 100 -walras_fallback newton | tee ${e2e_dir}/fallback.log; \
    grep -q 'tatonnement stopped (max_rounds after 100 rounds)' ${e2e_dir}/fallback.log; \
    rounds=$(h5dump -a /rounds ${e2e_dir}/fallback.h5 | sed -n 's/^ *(0): //p'); echo rounds=$rounds; \
    [ $rounds -gt 100 ]; $<TARGET_FILE:check_output> ${e2e_dir}/fallback.h5 ${tiny}")
set_tests_properties(e2e_fallback_history_np2 PROPERTIES TIMEOUT 60 LABELS e2e PROCESSORS 2
  ENVIRONMENT "${WALRAS_TEST_ENV}")

# Bad option values are input errors too: one line from rank 0, every rank
# exits non-zero (PETSc's parse errors, walras's own range checks, an
# unknown SNES type).
function(walras_bad_option stem message)
  add_test(NAME e2e_bad_option_${stem}_np4
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/scenario/expect_failure.sh --message "${message}" --
            ${MPIEXEC_EXECUTABLE} --oversubscribe -n 4 $<TARGET_FILE:walras> run ${tiny}
            -o ${e2e_dir}/bad_option.h5 ${ARGN})
  set_tests_properties(e2e_bad_option_${stem}_np4 PROPERTIES TIMEOUT 60 LABELS e2e PROCESSORS 4
    ENVIRONMENT "${WALRAS_TEST_ENV}")
endfunction()
walras_bad_option(tat_lambda_abc
  "a command-line option has a bad value: Input string abc has no numeric value" -tat_lambda abc)
walras_bad_option(cycle_window
  "-tat_cycle_window: expected at least 8 rounds (cycles are looked for 8 or more rounds back), got -1"
  -tat_cycle_window -1)
walras_bad_option(stall_window "-tat_stall_window: expected at least 1 round, got 0"
  -tat_stall_window 0)
walras_bad_option(snes_type
  "a command-line option names an unknown type: Unable to find requested SNES type foo"
  -walras_solver newton -newton_snes_type foo)

# The wrong command for a file says which one to use.
add_test(NAME e2e_run_classic_file_np2
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/scenario/expect_failure.sh --message
          "${PROJECT_SOURCE_DIR}/runs/classic/kehoe1985.yaml:4: 'kind': expected an agent scenario, got a classic economy ('kind' is a key of runs/classic/ files): run it with 'walras classic'"
          -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras> run
          ${PROJECT_SOURCE_DIR}/runs/classic/kehoe1985.yaml -o ${e2e_dir}/wrong_command.h5)
add_test(NAME e2e_classic_agent_file_np2
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/scenario/expect_failure.sh --message
          "${chatdev}:4: 'walras': expected a classic economy, got an agent scenario (it has 'walras: 1'): run it with 'walras run' or 'walras check'"
          -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras> classic ${chatdev})
set_tests_properties(e2e_run_classic_file_np2 e2e_classic_agent_file_np2 PROPERTIES TIMEOUT 60
  LABELS e2e PROCESSORS 2 ENVIRONMENT "${WALRAS_TEST_ENV}")
