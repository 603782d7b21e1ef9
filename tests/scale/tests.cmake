# Scale (docs/scale.md): generated scenarios read from HDF5 in parallel.
set(scale_dir ${CMAKE_CURRENT_SOURCE_DIR}/scale)

add_test(NAME scale_generate_same_arrays
  COMMAND bash ${scale_dir}/gen_same.sh $<TARGET_FILE:walras> ${MPIEXEC_EXECUTABLE})
set_tests_properties(scale_generate_same_arrays PROPERTIES TIMEOUT 60 LABELS mpi PROCESSORS 2
  ENVIRONMENT "${WALRAS_TEST_ENV}")

add_test(NAME scale_bad_arrays_np4
  COMMAND bash ${scale_dir}/bad_arrays.sh $<TARGET_FILE:walras> ${MPIEXEC_EXECUTABLE}
          ${CMAKE_CURRENT_SOURCE_DIR}/scenario/expect_failure.sh)
set_tests_properties(scale_bad_arrays_np4 PROPERTIES TIMEOUT 90 LABELS mpi PROCESSORS 4
  ENVIRONMENT "${WALRAS_TEST_ENV};WALRAS_NP=4")

add_test(NAME scale_same_equilibrium
  COMMAND bash ${scale_dir}/same_equilibrium.sh $<TARGET_FILE:walras> ${MPIEXEC_EXECUTABLE})
set_tests_properties(scale_same_equilibrium PROPERTIES TIMEOUT 300 LABELS mpi PROCESSORS 4
  ENVIRONMENT "${WALRAS_TEST_ENV}")

# 10^5 generated agents (every agent tight, K = 2) converging at 2 ranks:
# about 280 rounds, under a minute on the 2-core CI machine.
add_test(NAME scale_converge_1e5_np2
  COMMAND bash -c "set -e; d=$(mktemp -d); trap 'rm -rf $d' EXIT; \
    ${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras> generate --agents 100000 \
      --layers 4 --metrics 1 --intervals 2 --bottleneck 1 --seed 3 -o $d/g.yaml; \
    ${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras> run $d/g.yaml -o $d/out.h5 \
      -walras_partition level | tee $d/log; grep -q '^walras: equilibrium of' $d/log")
set_tests_properties(scale_converge_1e5_np2 PROPERTIES TIMEOUT 240 LABELS mpi PROCESSORS 2
  ENVIRONMENT "${WALRAS_TEST_ENV}")

# Numbers too large for an option are refused as out of range, not wrapped
# (a seed past 2^64 - 1 used to read as -1).
set(generate_bad_seed 18446744073709551616)
set(generate_bad_agents 99999999999)
foreach(bad seed agents)
  add_test(NAME scale_generate_bad_${bad}_np2
    COMMAND bash ${PROJECT_SOURCE_DIR}/tests/scenario/expect_failure.sh --message
            "$<IF:$<STREQUAL:${bad},seed>,generate: --seed: expected a whole number from 0 to 18446744073709551615,generate: --agents: expected an integer from -2147483648 to 2147483647>, got '${generate_bad_${bad}}' (out of range)"
            -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras> generate
            --${bad} ${generate_bad_${bad}} -o ${CMAKE_CURRENT_BINARY_DIR}/bad_${bad}.yaml)
  set_tests_properties(scale_generate_bad_${bad}_np2 PROPERTIES TIMEOUT 60 LABELS mpi
    PROCESSORS 2 ENVIRONMENT "${WALRAS_TEST_ENV}")
endforeach()

# More goods than PetscInt indexes are refused before anything is allocated.
add_test(NAME scale_generate_too_many_goods_np2
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/scenario/expect_failure.sh --message
          "generate: expected at most 2147483647 goods (agents x metrics x intervals, the index range of this PETSc build), got 200 x 2 x 10000000 = 4e+09"
          -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n 2 $<TARGET_FILE:walras> generate
          --agents 200 --metrics 2 --intervals 10000000 -o ${CMAKE_CURRENT_BINARY_DIR}/too_many.yaml)
set_tests_properties(scale_generate_too_many_goods_np2 PROPERTIES TIMEOUT 60 LABELS mpi
  PROCESSORS 2 ENVIRONMENT "${WALRAS_TEST_ENV}")
