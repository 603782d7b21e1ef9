# Solvers on agent economies: derivatives, Newton against the tâtonnement,
# Scarf's cycle (docs/solvers.md).
add_executable(test_tangent solvers/test_tangent.c)
target_link_libraries(test_tangent PRIVATE walras_testeconomies)
walras_set_warnings(test_tangent)
walras_add_mpi_test(tangent RANKS 1 2 4 TIMEOUT 120 COMMAND $<TARGET_FILE:test_tangent>)
