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

# The distributed path against the replicated one on the same economy:
# write_arrays rewrites a YAML scenario as an arrays scenario (plain serial
# HDF5, not the generator), compare_runs holds the runs of both to 1e-9.
add_executable(write_arrays scale/write_arrays.c)
target_link_libraries(write_arrays PRIVATE walras_lib)
walras_set_warnings(write_arrays)
add_executable(compare_runs scale/compare_runs.c)
target_link_libraries(compare_runs PRIVATE walras_lib)
walras_set_warnings(compare_runs)

# The same equilibrium from a YAML scenario (replicated) and from the arrays
# scenario written of it (distributed) at 1, 2 and 4 ranks, and with each
# partitioner at 4: prices, supply, demand and edge flows to 1e-9 relative,
# the file's edges once each in its order.  layers16 spreads 16 agents over
# 4 ranks with edges between every pair of slices.
foreach(input tiny layers16)
  foreach(run 1:block 2:block 4:block 4:scotch 4:level)
    string(REPLACE ":" ";" run ${run})
    list(GET run 0 np)
    list(GET run 1 part)
    add_test(NAME scale_arrays_same_${input}_np${np}_${part}
      COMMAND bash ${scale_dir}/arrays_same.sh $<TARGET_FILE:walras> ${MPIEXEC_EXECUTABLE}
              $<TARGET_FILE:write_arrays> $<TARGET_FILE:compare_runs>
              ${PROJECT_SOURCE_DIR}/tests/inputs/good/${input}.yaml ${np} ${part})
    set_tests_properties(scale_arrays_same_${input}_np${np}_${part} PROPERTIES TIMEOUT 60
      LABELS mpi PROCESSORS ${np} ENVIRONMENT "${WALRAS_TEST_ENV}")
  endforeach()
endforeach()

# Levels need only fall along every edge: with gaps between them and exits
# at 0 or 1, the same equilibrium.
foreach(run 1:block 4:level)
  string(REPLACE ":" ";" run ${run})
  list(GET run 0 np)
  list(GET run 1 part)
  add_test(NAME scale_arrays_same_layers16_spread_np${np}_${part}
    COMMAND bash ${scale_dir}/arrays_same.sh $<TARGET_FILE:walras> ${MPIEXEC_EXECUTABLE}
            $<TARGET_FILE:write_arrays> $<TARGET_FILE:compare_runs>
            ${PROJECT_SOURCE_DIR}/tests/inputs/good/layers16.yaml ${np} ${part} --spread-levels)
  set_tests_properties(scale_arrays_same_layers16_spread_np${np}_${part} PROPERTIES TIMEOUT 60
    LABELS mpi PROCESSORS ${np} ENVIRONMENT "${WALRAS_TEST_ENV}")
endforeach()

# Each DAG check of the slices (src/scenario/scenario_slice.c) on a defect
# write_arrays puts into layers16, where it can in the slice of a rank other
# than 0 and on an edge between slices: walras check at 1 and 4 ranks, and
# walras run at 4, stop with the one message (the indices are those of the
# written file; write_arrays prints what it changed).
set(arrays_defects ${CMAKE_CURRENT_BINARY_DIR}/arrays_defects)
file(MAKE_DIRECTORY ${arrays_defects})
set(sigma_one_rule "sigma = 1 needs the outgoing edge weights of every agent and of the entry to sum to 1 (the CES limit of MODEL.md section 3)")
set(defect_level
  "${arrays_defects}/level.h5: dataset 'agents/level': edge 15 (9 -> 4): expected the source higher than the target, got levels 1 and 1")
set(defect_duplicate
  "${arrays_defects}/duplicate.h5: dataset 'edges/pairs': index 18: expected each edge once, got 10 -> 14 again (first at index 16)")
set(defect_unreachable
  "${arrays_defects}/unreachable.h5: agent a8 cannot be reached by any task: expected a path to it from an entry agent (dataset 'entry/agent')")
set(defect_unreachable_chain
  "${arrays_defects}/unreachable_chain.h5: agent a8 cannot be reached by any task: expected a path to it from an entry agent (dataset 'entry/agent')")
set(defect_sigma_one
  "${arrays_defects}/sigma_one.h5: dataset 'edges/weight': ${sigma_one_rule}: expected 1 for agent 'a10', got 1.25")
set(defect_sigma_one_entry
  "${arrays_defects}/sigma_one_entry.h5: dataset 'entry/weight': ${sigma_one_rule}: expected 1 for the entry weights, got 1.5")
set(defect_duplicate_entry
  "${arrays_defects}/duplicate_entry.h5: dataset 'entry/agent': index 3: expected each entry agent once, got 7 again (first at index 0)")
foreach(defect level duplicate duplicate_entry unreachable unreachable_chain sigma_one
        sigma_one_entry)
  set(yaml ${arrays_defects}/${defect}.yaml)
  add_test(NAME scale_arrays_write_${defect}
    COMMAND write_arrays ${PROJECT_SOURCE_DIR}/tests/inputs/good/layers16.yaml ${yaml}
            --defect ${defect})
  set_tests_properties(scale_arrays_write_${defect} PROPERTIES TIMEOUT 30 LABELS mpi
    ENVIRONMENT "${WALRAS_TEST_ENV}" FIXTURES_SETUP arrays_${defect})
  foreach(np 1 4)
    add_test(NAME scale_arrays_${defect}_np${np}
      COMMAND bash ${PROJECT_SOURCE_DIR}/tests/scenario/expect_failure.sh --message
              "${defect_${defect}}" -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n ${np}
              $<TARGET_FILE:walras> check ${yaml})
    set_tests_properties(scale_arrays_${defect}_np${np} PROPERTIES TIMEOUT 60 LABELS mpi
      PROCESSORS ${np} ENVIRONMENT "${WALRAS_TEST_ENV};WALRAS_EXPECT_TIMEOUT=30"
      FIXTURES_REQUIRED arrays_${defect})
  endforeach()
  add_test(NAME scale_arrays_run_${defect}_np4
    COMMAND bash ${PROJECT_SOURCE_DIR}/tests/scenario/expect_failure.sh --message
            "${defect_${defect}}" -- ${MPIEXEC_EXECUTABLE} --oversubscribe -n 4
            $<TARGET_FILE:walras> run ${yaml} -o ${arrays_defects}/${defect}_out.h5)
  set_tests_properties(scale_arrays_run_${defect}_np4 PROPERTIES TIMEOUT 60 LABELS mpi
    PROCESSORS 4 ENVIRONMENT "${WALRAS_TEST_ENV};WALRAS_EXPECT_TIMEOUT=30"
    FIXTURES_REQUIRED arrays_${defect})
endforeach()
