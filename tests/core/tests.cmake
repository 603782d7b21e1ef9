add_library(walras_testeconomies STATIC core/testeconomies.c)
target_include_directories(walras_testeconomies PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(walras_testeconomies PUBLIC walras_lib)
walras_set_warnings(walras_testeconomies)

walras_add_unit_test(test_firm SOURCES core/test_firm.c)
walras_add_unit_test(test_economy_identities SOURCES core/test_economy_identities.c)
target_link_libraries(test_economy_identities PRIVATE walras_testeconomies)
walras_add_unit_test(test_known_equilibria SOURCES core/test_known_equilibria.c)
target_link_libraries(test_known_equilibria PRIVATE walras_testeconomies)

add_executable(test_rank_invariance core/test_rank_invariance.c)
target_link_libraries(test_rank_invariance PRIVATE walras_testeconomies)
walras_set_warnings(test_rank_invariance)
walras_add_mpi_test(rank_invariance RANKS 1 2 4 TIMEOUT 300 COMMAND $<TARGET_FILE:test_rank_invariance>)

# Several orchestrators: tenants at shared entries equal one orchestrator
# with their combined shares; tenants with their own entries are rank
# invariant (tests/core/test_tenants.c).
add_executable(test_tenants core/test_tenants.c)
target_link_libraries(test_tenants PRIVATE walras_lib)
walras_set_warnings(test_tenants)
walras_add_mpi_test(tenants RANKS 1 2 4 TIMEOUT 300 COMMAND $<TARGET_FILE:test_tenants>
  ${PROJECT_SOURCE_DIR}/tests/inputs/good/tiny.yaml
  ${PROJECT_SOURCE_DIR}/tests/inputs/good/tiny_tenants.yaml
  ${PROJECT_SOURCE_DIR}/runs/chatdev_tenants.yaml)
