#!/usr/bin/env bash
# A run that fails after its output file was opened must leave the file the
# user already had untouched, and no temporary file behind.
#   usage: failed_run_keeps_output.sh WALRAS_EXE
set -uo pipefail
walras=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
scenario=${WALRAS_SOURCE_DIR}/tests/inputs/good/tiny.yaml

# A good result first.
mpiexec --oversubscribe -n 2 "$walras" run "$scenario" -o "$dir/out.h5" >/dev/null 2>&1 ||
  { echo "the good run failed"; exit 1; }
before=$(sha256sum "$dir/out.h5")

# Then a run that fails once the solver reads its options (a step outside (0, 1)).
timeout 60 mpiexec --oversubscribe -n 2 "$walras" run "$scenario" -o "$dir/out.h5" -tat_lambda 5 \
  >/dev/null 2>"$dir/err"
status=$?
[[ $status -ne 0 && $status -ne 124 ]] || { echo "expected a failure, got exit $status"; cat "$dir/err"; exit 1; }
grep -qF "walras: error: -tat_lambda: expected a step in (0, 1), got 5" "$dir/err" ||
  { echo "missing the error message"; cat "$dir/err"; exit 1; }
[[ "$(sha256sum "$dir/out.h5")" == "$before" ]] || { echo "the good output was changed"; exit 1; }
leftovers=$(ls "$dir" | grep -c '\.tmp-' || true)
[[ $leftovers -eq 0 ]] || { echo "temporary files left: $(ls "$dir")"; exit 1; }
echo "ok: failed run exited $status; the earlier output is unchanged; no temporary file"
