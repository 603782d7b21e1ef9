#!/usr/bin/env bash
# A wrong -o fails at once, with one line, and leaves every file as it was.
#   usage: output_checks.sh CASE MPIEXEC WALRAS_EXE   (CASE: see below)
set -uo pipefail
case_name=$1 mpiexec=$2 walras=$3
expect=${WALRAS_SOURCE_DIR}/tests/scenario/expect_failure.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 2
cp "${WALRAS_SOURCE_DIR}/tests/inputs/good/tiny.yaml" s.yaml
run=("$mpiexec" --oversubscribe -n 2 "$walras")

fail() { echo "output_checks $case_name: $*" >&2; ls -la "$dir" >&2; exit 1; }
# Nothing but what the case set up may be left in the folder.
only() { [[ "$(ls -A | sort | tr '\n' ' ')" == "$* " ]] || fail "expected only: $*"; }

case "$case_name" in
  scenario)
    bash "$expect" --message \
      "-o s.yaml: is the scenario file s.yaml, which this run reads; choose another output file" \
      -- "${run[@]}" run s.yaml -o s.yaml || exit 1
    cmp -s s.yaml "${WALRAS_SOURCE_DIR}/tests/inputs/good/tiny.yaml" || fail "s.yaml was changed"
    only s.yaml ;;
  arrays)
    "${run[@]}" generate --agents 20 -o g.yaml >/dev/null || fail "generate failed"
    before=$(sha256sum g.h5 g.yaml)
    bash "$expect" --message \
      "-o g.h5: is the scenario's arrays file g.h5, which this run reads; choose another output file" \
      -- "${run[@]}" run g.yaml -o g.h5 || exit 1
    [[ "$(sha256sum g.h5 g.yaml)" == "$before" ]] || fail "the generated scenario was changed"
    only g.h5 g.yaml s.yaml ;;
  empty)
    bash "$expect" --message "-o: expected a file name after it" \
      -- "${run[@]}" run s.yaml -o "" || exit 1
    only s.yaml ;;
  novalue)
    bash "$expect" --message "-o: expected a file name after it" \
      -- "${run[@]}" run s.yaml -tat_rtol 1e-8 -o || exit 1
    only s.yaml ;;
  folder)
    mkdir out
    bash "$expect" --message "-o out: is a folder; expected a file name" \
      -- "${run[@]}" run s.yaml -o out || exit 1
    bash "$expect" --message "-o out/: is a folder; expected a file name" \
      -- "${run[@]}" run s.yaml -o out/ || exit 1
    only out s.yaml
    [[ -z "$(ls -A out)" ]] || fail "wrote into out/" ;;
  generate_folder)
    mkdir out
    bash "$expect" --message "-o out/: is a folder; expected a file name" \
      -- "${run[@]}" generate --agents 10 -o out/ || exit 1
    bash "$expect" --message "-o out: is a folder; expected a file name" \
      -- "${run[@]}" generate --agents 10 -o out || exit 1
    only out s.yaml
    [[ -z "$(ls -A out)" ]] || fail "wrote into out/" ;;
  *) echo "output_checks: unknown case '$case_name'" >&2; exit 2 ;;
esac
echo "ok: $case_name"
