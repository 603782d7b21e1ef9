#!/usr/bin/env bash
# Scale benchmark: prints a markdown table (bench/RESULTS.md, "Scale").
# For each size, generates a scenario (R = 2, K = 4, every agent tight) and
# runs scale_bench at 1 and 2 ranks.  usage: bench/scale.sh [build dir]
# Environment: SIZES (agents, default "12500 125000 1250000"), ROUNDS (5).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$WALRAS_ROOT"
build=${1:-build}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "| agents | R | K | goods N | ranks | partition | cut | triad GB/s | pow M/s | floor ms | round / floor | round ms | supply ms | sweeps ms | reduce ms | update ms | other ms | peak B/good | latency us | ping-pong GB/s | proj. rounds/s @64 | @1024 |"
echo "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for a in ${SIZES:-12500 125000 1250000}; do
  mpiexec -n 2 "$build/walras" generate --agents "$a" --layers 8 --metrics ${R:-2} --intervals ${K:-4} \
    --bottleneck 1 --seed 1 -o "$dir/s.yaml" >/dev/null
  for np in 1 2; do
    mpiexec -n "$np" "$build/bench/scale_bench" "$dir/s.yaml" -rounds "${ROUNDS:-5}" -walras_partition level
  done
  rm -f "$dir/s.h5"
done
