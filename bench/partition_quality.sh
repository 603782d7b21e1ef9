#!/usr/bin/env bash
# Prints a markdown table of partition quality (cut edges, cut fraction,
# imbalance, levels per rank, time) of block, scotch and level on layered
# random DAGs.  usage: bench/partition_quality.sh [build dir] (default build)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$WALRAS_ROOT"
prog=${1:-build}/partition/partition_quality
echo "| agents | ranks | partitioner | cut edges | cut / edges | imbalance | levels per rank | time (s) |"
echo "|---:|---:|---|---:|---:|---:|---|---:|"
for n in 10000 100000 1000000; do
  for np in 1 2 4; do
    mpiexec --oversubscribe -n "$np" "$prog" -n "$n" -levels 32
  done
done
