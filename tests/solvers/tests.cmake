# Solvers on agent economies: derivatives, Newton against the tâtonnement,
# Scarf's cycle (docs/solvers.md).
add_executable(test_tangent solvers/test_tangent.c)
target_link_libraries(test_tangent PRIVATE walras_testeconomies)
walras_set_warnings(test_tangent)
walras_add_mpi_test(tangent RANKS 1 2 4 TIMEOUT 120 COMMAND $<TARGET_FILE:test_tangent>)

# Newton and the tâtonnement agree to 1e-10 (solved to 1e-12 and 1e-13), on the
# layered test economy and on the default ChatDev scenario.
add_executable(test_newton_agent solvers/test_newton_agent.c)
target_link_libraries(test_newton_agent PRIVATE walras_testeconomies)
walras_set_warnings(test_newton_agent)
walras_add_mpi_test(newton_agent_layered RANKS 1 2 4 TIMEOUT 120
  COMMAND $<TARGET_FILE:test_newton_agent> layered)
walras_add_mpi_test(newton_agent_chatdev RANKS 1 2 4 TIMEOUT 120
  COMMAND $<TARGET_FILE:test_newton_agent> ${PROJECT_SOURCE_DIR}/runs/chatdev.yaml)
