# Solvers on agent economies: derivatives, Newton against the tâtonnement,
# Scarf's cycle (docs/solvers.md).
add_executable(test_tangent solvers/test_tangent.c)
target_link_libraries(test_tangent PRIVATE walras_testeconomies)
walras_set_warnings(test_tangent)
walras_add_mpi_test(tangent RANKS 1 2 4 TIMEOUT 120 COMMAND $<TARGET_FILE:test_tangent>
  ${PROJECT_SOURCE_DIR}/runs/chatdev_tenants.yaml)

# Newton and the tâtonnement agree to 1e-10 (solved to 1e-12 and 1e-13), on the
# layered test economy and on the default ChatDev scenario.  Release: at most
# 35 s at 4 oversubscribed ranks; the timeout leaves room for the sanitizer
# build, several times slower.
add_executable(test_newton_agent solvers/test_newton_agent.c)
target_link_libraries(test_newton_agent PRIVATE walras_testeconomies)
walras_set_warnings(test_newton_agent)
walras_add_mpi_test(newton_agent_layered RANKS 1 2 4 TIMEOUT 900
  COMMAND $<TARGET_FILE:test_newton_agent> layered)
walras_add_mpi_test(newton_agent_chatdev RANKS 1 2 4 TIMEOUT 900
  COMMAND $<TARGET_FILE:test_newton_agent> ${PROJECT_SOURCE_DIR}/runs/chatdev.yaml)

# ... and on a generated economy (walras generate: 64 agents in 4 layers,
# R = 2, K = 3, 2 % of agents tight), written once by a fixture.
set(newton_generated ${CMAKE_CURRENT_BINARY_DIR}/newton_generated)
add_test(NAME newton_agent_generate
  COMMAND ${WALRAS_MPIEXEC} -n 2 $<TARGET_FILE:walras> generate --agents 64 --layers 4
          --intervals 3 --seed 5 -o ${newton_generated}/g.yaml)
set_tests_properties(newton_agent_generate PROPERTIES TIMEOUT 60 LABELS mpi PROCESSORS 2
  ENVIRONMENT "${WALRAS_TEST_ENV}" FIXTURES_SETUP newton_generated)
file(MAKE_DIRECTORY ${newton_generated})
walras_add_mpi_test(newton_agent_generated RANKS 1 2 4 TIMEOUT 900
  COMMAND $<TARGET_FILE:test_newton_agent> ${newton_generated}/g.yaml)
foreach(np 1 2 4)
  set_tests_properties(newton_agent_generated_np${np} PROPERTIES FIXTURES_REQUIRED newton_generated)
endforeach()

# Scarf (1960): the tâtonnement reports its cycle (or growth), Newton finds
# the equilibrium.
add_executable(test_scarf_cycle solvers/test_scarf_cycle.c)
target_link_libraries(test_scarf_cycle PRIVATE walras_lib)
walras_set_warnings(test_scarf_cycle)
walras_add_mpi_test(scarf_cycle RANKS 1 2 4 TIMEOUT 60 COMMAND $<TARGET_FILE:test_scarf_cycle>)

# The benchmark driver of bench/solvers.sh (built with the tests because it
# uses their test economies; not a test).
add_executable(bench_solvers ${PROJECT_SOURCE_DIR}/bench/solvers_driver.c)
target_link_libraries(bench_solvers PRIVATE walras_testeconomies)
walras_set_warnings(bench_solvers)
