#!/usr/bin/env bash
# The distributed path gives the replicated path's equilibrium: a YAML
# scenario is rewritten as an arrays scenario (write_arrays); walras run on
# the YAML at 1 rank is the reference, and the arrays scenario at NP ranks
# with partitioner PART must agree with it to 1e-9 relative in prices,
# supply, demand and edge flows, and list every edge of the arrays file
# once, in the file's order (compare_runs).
# OPTION... go to write_arrays (--spread-levels).
# usage: arrays_same.sh WALRAS_EXE MPIEXEC WRITE_ARRAYS COMPARE_RUNS SCENARIO.yaml NP PART [OPTION...]
set -euo pipefail
exe=$1 mpiexec=$2 write=$3 compare=$4 yaml=$5 np=$6 part=$7
shift 7
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$write" "$yaml" "$dir/arrays.yaml" "$@"
"$mpiexec" --oversubscribe -n 1 "$exe" run "$yaml" -o "$dir/yaml.h5" >"$dir/yaml.log"
"$mpiexec" --oversubscribe -n "$np" "$exe" run "$dir/arrays.yaml" -o "$dir/arrays-out.h5" \
  -walras_partition "$part" | tee "$dir/arrays.log" | grep 'equilibrium of'
"$compare" "$dir/yaml.h5" "$dir/arrays-out.h5" "$dir/arrays.h5"
