#!/usr/bin/env bash
# Solvers on agent economies: rounds, evaluations, Jacobians, time, residual
# (bench/RESULTS.md, "Solvers").  usage: scripts/build release && bench/solvers.sh [ranks...]
# Runs build/tests/bench_solvers under mpiexec --oversubscribe for the layered
# test economy (2400 goods) and runs/chatdev.yaml (2166 goods), each solver
# to a natural residual of 1e-10 (iteration limits below).
# WALRAS_BENCH_GENERATED="100 300 1000" instead runs generated economies of
# growing size (walras generate --agents A --layers 6 --intervals 4 --seed 1:
# R = 2, K = 4, 8 A goods, 2 % of agents tight).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$WALRAS_ROOT"
exe=build/tests/bench_solvers
ranks=${*:-1 2 4}
limits=(-tat_max_rounds 100000 -tat_stall_window 20000 -accel_max_it 5000)

run() { # label economy options...
  local label=$1 eco=$2; shift 2
  timeout 600 mpiexec --oversubscribe -n "$np" "$exe" "$eco" -bench_label "$label" "${limits[@]}" "$@" 2>/dev/null \
    | grep '^|' || echo "| $eco | | $np | $label | (failed or timed out) | | | | | |"
}

echo "| economy | goods | ranks | solver | stop | rounds | evaluations | Jacobians x sweeps | seconds | residual |"
echo "|---|---:|---:|---|---|---:|---:|---:|---:|---:|"
economies=(layered runs/chatdev.yaml)
if [ -n "${WALRAS_BENCH_GENERATED:-}" ]; then
  gen=$(mktemp -d)
  trap 'rm -rf "$gen"' EXIT
  economies=()
  for A in $WALRAS_BENCH_GENERATED; do
    mpiexec --oversubscribe -n 2 build/walras generate --agents "$A" --layers 6 --intervals 4 \
      --seed 1 -o "$gen/g$A.yaml" >/dev/null
    economies+=("$gen/g$A.yaml")
  done
fi
for np in $ranks; do
  for eco in "${economies[@]}"; do
    run tatonnement "$eco" -walras_solver tatonnement
    run "tatonnement -tat_adaptive" "$eco" -walras_solver tatonnement -tat_adaptive
    run anderson "$eco" -walras_solver anderson
    run ngmres "$eco" -walras_solver ngmres
    run newton "$eco" -walras_solver newton
    run "tatonnement 300 + newton" "$eco" -walras_solver tatonnement -tat_max_rounds 300 -walras_fallback newton
  done
done
