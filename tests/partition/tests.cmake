# Partitioners (partition/): an MPI test on graphs with known optima and a
# cmocka test of the input errors.
add_executable(test_partition_mpi partition/partition_mpi.c)
target_link_libraries(test_partition_mpi PRIVATE walras_lib)
walras_set_warnings(test_partition_mpi)
walras_add_mpi_test(partition RANKS 1 2 4 TIMEOUT 120 COMMAND $<TARGET_FILE:test_partition_mpi>)

walras_add_unit_test(test_partition SOURCES partition/test_partition.c)
