# Classic economies and the Newton-type solvers (docs/classic.md, docs/solvers.md).
walras_add_unit_test(test_classic SOURCES classic/test_classic.c)

# Solves every economy against ../shared/economies/ and the market Newton
# solver on Scarf's economy; exits non-zero on any failure.
add_executable(test_classic_solve classic/test_classic_solve.c)
target_link_libraries(test_classic_solve PRIVATE walras_lib)
walras_set_warnings(test_classic_solve)
walras_add_mpi_test(classic_solve RANKS 1 2 4 TIMEOUT 120
  COMMAND $<TARGET_FILE:test_classic_solve>)

# End to end: every file of runs/classic/ runs as it is, and every start
# lands within the file's tolerance of its reference solution (Scarf's
# 'corner' start needs the reduced-space method, docs/solvers.md).
set(classic_args_scarf1960 -newton_snes_type vinewtonrsls)
foreach(run IN ITEMS scarf1960 mathiesen1987 kehoe1985 scarf_scarfmcp)
  walras_add_mpi_test(classic_run_${run} RANKS 1 2 TIMEOUT 120
    COMMAND $<TARGET_FILE:walras> classic ${PROJECT_SOURCE_DIR}/runs/classic/${run}.yaml
            ${classic_args_${run}})
  foreach(np 1 2)
    set_tests_properties(classic_run_${run}_np${np} PROPERTIES
      PASS_REGULAR_EXPRESSION "within tolerance"
      FAIL_REGULAR_EXPRESSION "NOT within tolerance;DIVERGED;walras: error")
  endforeach()
endforeach()
