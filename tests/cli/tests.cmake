# The walras command line: help, positional arguments, -o, unused options and
# exit statuses.  The scripts run mpiexec themselves, so that they can watch
# the exit status, stdout, stderr and the files left behind.

set(cli_dir ${CMAKE_CURRENT_SOURCE_DIR}/cli)
set(cli_status bash ${cli_dir}/expect_status.sh)
set(cli_failure bash ${CMAKE_CURRENT_SOURCE_DIR}/scenario/expect_failure.sh)
set(cli_walras ${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras>)
set(cli_tiny ${CMAKE_CURRENT_SOURCE_DIR}/inputs/good/tiny.yaml)
set(cli_classic ${PROJECT_SOURCE_DIR}/runs/classic)

function(cli_test name)
  add_test(NAME cli_${name} COMMAND ${ARGN})
  set_tests_properties(cli_${name} PROPERTIES TIMEOUT 120 LABELS e2e PROCESSORS 2
    ENVIRONMENT "${WALRAS_TEST_ENV};WALRAS_DEFAULT_SCENARIO=${cli_tiny}")
endfunction()

# -help and --help print the usage and exit 0 without writing anything;
# run's help lists its own options without solving.
foreach(flag -help --help)
  cli_test(help_run${flag} ${cli_status} 0 --clean
    --out "usage: walras run" --out -walras_solver --out -walras_fallback
    --out -walras_partition --out "-o <"
    -- ${cli_walras} run ${flag})
  cli_test(help_run_scenario${flag} ${cli_status} 0 --clean --out "usage: walras run"
    -- ${cli_walras} run ${cli_tiny} ${flag})
  foreach(command check classic derive-chatdev generate)
    cli_test(help_${command}${flag} ${cli_status} 0 --clean --out "usage: walras ${command}"
      -- ${cli_walras} ${command} ${flag})
  endforeach()
endforeach()

# -o never names an input, and a wrong -o fails before the solve.
foreach(case scenario arrays empty novalue folder generate_folder)
  cli_test(output_${case} bash ${cli_dir}/output_checks.sh ${case} ${MPIEXEC_EXECUTABLE}
    $<TARGET_FILE:walras>)
endforeach()

# The scenario comes right after the command; nothing else is positional.
cli_test(run_scenario_after_options ${cli_failure} --message
  "expected the scenario right after 'run', got it after the options: ${cli_tiny}"
  -- ${cli_walras} run -o ${CMAKE_CURRENT_BINARY_DIR}/cli_x.h5 ${cli_tiny})
cli_test(run_two_scenarios ${cli_failure} --message
  "run: unexpected argument '${cli_tiny}' (usage: walras run [SCENARIO.yaml] [-o OUT.h5] [options])"
  -- ${cli_walras} run ${cli_tiny} ${cli_tiny})
cli_test(check_two_scenarios ${cli_failure} --message
  "check: unexpected argument 'b.yaml' (usage: walras check SCENARIO.yaml)"
  -- ${cli_walras} check ${cli_tiny} b.yaml)
cli_test(check_scenario_after_options ${cli_failure} --message
  "expected the scenario right after 'check', got it after the options: ${cli_tiny}"
  -- ${cli_walras} check -start 1 ${cli_tiny})
cli_test(classic_extra_argument ${cli_failure} --message
  "classic: unexpected argument 'extra' (usage: walras classic FILE [-start i] [-newton_monitor] [-newton_snes_type ...])"
  -- ${cli_walras} classic ${cli_classic}/kehoe1985.yaml extra)
cli_test(generate_extra_argument ${cli_failure} --message
  "generate: unexpected argument 'extra' (see walras generate -help)"
  -- ${cli_walras} generate extra)

# An option nothing read is a warning, once, from rank 0; options that were
# read (-tat_rtol by the solver) are not.
cli_test(run_unused_option ${cli_status} 0
  --err-line "walras: warning: option -walras_sovler was given but never used (a typo?)"
  -- ${cli_walras} run ${cli_tiny} -o out.h5 -walras_sovler newton -tat_rtol 1e-8)
cli_test(check_unused_option ${cli_status} 0
  --err-line "walras: warning: option -bogus was given but never used (a typo?)"
  -- ${cli_walras} check ${cli_tiny} -bogus 3)
cli_test(run_no_unused_option ${cli_status} 0 --err-empty
  -- ${cli_walras} run ${cli_tiny} -o out.h5 -tat_rtol 1e-8 -walras_partition block)

# classic: exit 3 when a start ends outside the tolerance (Scarf's corner
# start with the default method), 0 when all are within it.
cli_test(classic_not_within_tolerance ${cli_status} 3 --out "NOT within tolerance"
  -- ${cli_walras} classic ${cli_classic}/scarf1960.yaml)
cli_test(classic_within_tolerance ${cli_status} 0 --out "within tolerance"
  -- ${cli_walras} classic ${cli_classic}/scarf1960.yaml -newton_snes_type vinewtonrsls)

# derive-chatdev finds its data from any folder (they ship in runs/data/).
cli_test(derive_chatdev_any_folder ${cli_status} 0 --clean --out "name: \"DemandAnalysis\""
  -- ${cli_walras} derive-chatdev)
