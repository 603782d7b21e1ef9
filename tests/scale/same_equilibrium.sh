#!/usr/bin/env bash
# The same equilibrium with every partitioner (block, scotch, level) at 1, 2
# and 4 ranks on a generated scenario: prices of every run agree with those
# of block at 1 rank to an absolute 1e-7 (prices are normalised to
# sum dt p = 1, the solver's tolerance is 1e-10 on the natural residual).
# usage: same_equilibrium.sh WALRAS_EXE MPIEXEC
set -euo pipefail
exe=$1 mpiexec=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$mpiexec" --oversubscribe -n 2 "$exe" generate --agents 1000 --seed 7 -o "$dir/g.yaml" >/dev/null
for np in 1 2 4; do
  for part in block scotch level; do
    "$mpiexec" --oversubscribe -n $np "$exe" run "$dir/g.yaml" -o "$dir/$part-$np.h5" \
      -walras_partition $part >"$dir/$part-$np.log"
    grep -q "equilibrium of" "$dir/$part-$np.log"
    if [[ "$part-$np" != block-1 ]]; then
      h5diff -d 1e-7 "$dir/block-1.h5" "$dir/$part-$np.h5" /equilibrium/prices
    fi
    echo "ok: $part at $np ranks"
  done
done
