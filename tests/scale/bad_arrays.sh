#!/usr/bin/env bash
# A bad arrays file must stop all 4 ranks with one message from rank 0.
# Generates a scenario, corrupts one capacity (a negative value in the slice
# of the last rank) and runs expect_failure.sh on `walras check`.
# usage: bad_arrays.sh WALRAS_EXE MPIEXEC EXPECT_FAILURE
set -euo pipefail
exe=$1 mpiexec=$2 expect=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$mpiexec" --oversubscribe -n 2 "$exe" generate --agents 400 --layers 4 --intervals 2 --seed 5 -o "$dir/bad.yaml" >/dev/null
# Overwrite the bytes of one capacity (doubles, stored contiguously) with -1.
value=$(h5dump -d agents/capacity -s "390,1,0" -c "1,1,1" -m %.17g "$dir/bad.h5" |
  sed -n 's/^ *(390,1,0): *//p')
python3 - "$dir/bad.h5" "$value" <<'PY'
import struct, sys
path, value = sys.argv[1], float(sys.argv[2])
data = bytearray(open(path, "rb").read())
# Capacities are flat in time: the K = 2 values of (390, 1) identify the row.
old = struct.pack("<d", value) * 2
assert data.count(old) == 1, "capacity row not unique in the file"
i = data.index(old)
data[i:i + 8] = struct.pack("<d", -1.0)
open(path, "wb").write(data)
PY
bash "$expect" --message "$dir/bad.h5: dataset 'agents/capacity': index [390][1][0]: expected a finite capacity >= 0, got -1" \
  -- "$mpiexec" --oversubscribe -n 4 "$exe" check "$dir/bad.yaml"
