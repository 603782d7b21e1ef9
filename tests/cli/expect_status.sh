#!/usr/bin/env bash
# Runs a command in a fresh empty folder and checks its exit status and output.
#
#   expect_status.sh STATUS [--out TEXT]... [--err-line TEXT]... [--err-empty] [--clean] -- COMMAND...
#
# --out TEXT       TEXT appears in stdout
# --err-line TEXT  stderr holds the line TEXT exactly once
# --err-empty      stderr is empty
# --clean          the command wrote no file into its working folder
set -uo pipefail

want=$1
shift
outs=() err_lines=() err_empty=0 clean=0
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --out) outs+=("$2"); shift 2 ;;
    --err-line) err_lines+=("$2"); shift 2 ;;
    --err-empty) err_empty=1; shift ;;
    --clean) clean=1; shift ;;
    *) echo "expect_status: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
shift

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
command="$*"
(cd "$dir" && timeout --kill-after=5 "${WALRAS_EXPECT_TIMEOUT:-60}" "$@") >"$dir.out" 2>"$dir.err"
status=$?
trap 'rm -rf "$dir" "$dir.out" "$dir.err"' EXIT

fail() {
  echo "expect_status: $*" >&2
  echo "--- command: $command" >&2
  echo "--- stdout (head):" >&2
  head -40 "$dir.out" >&2
  echo "--- stderr:" >&2
  cat "$dir.err" >&2
  exit 1
}
[[ $status -eq $want ]] || fail "exited $status; expected $want"
for text in "${outs[@]}"; do
  grep -qF -- "$text" "$dir.out" || fail "stdout lacks '$text'"
done
for text in "${err_lines[@]}"; do
  [[ $(grep -cxF -- "$text" "$dir.err") -eq 1 ]] || fail "stderr lacks the line '$text' (once)"
done
[[ $err_empty -eq 0 || ! -s "$dir.err" ]] || fail "expected nothing on stderr"
[[ $clean -eq 0 || -z "$(ls -A "$dir")" ]] || fail "wrote files: $(ls -A "$dir")"
echo "ok: exit $status: $command"
