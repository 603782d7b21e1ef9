# Classic economies and the Newton-type solvers (docs/classic.md, docs/solvers.md).
walras_add_unit_test(test_classic SOURCES classic/test_classic.c)

add_executable(test_classic_solve classic/test_classic_solve.c)
target_link_libraries(test_classic_solve PRIVATE walras_lib)
walras_set_warnings(test_classic_solve)
walras_add_mpi_test(classic_solve RANKS 1 2 4 TIMEOUT 120
  COMMAND $<TARGET_FILE:test_classic_solve>)

# End to end: every file of runs/classic/ runs as it is.
foreach(run IN ITEMS scarf1960 mathiesen1987 kehoe1985 scarf_scarfmcp)
  walras_add_mpi_test(classic_run_${run} RANKS 1 2 TIMEOUT 120
    COMMAND $<TARGET_FILE:walras> classic ${PROJECT_SOURCE_DIR}/runs/classic/${run}.yaml)
endforeach()
