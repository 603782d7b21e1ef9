#!/usr/bin/env bash
# Runs a command that must fail on bad input, and checks how it fails.
#
#   expect_failure.sh --from SCENARIO -- COMMAND...   message from line 2 of SCENARIO
#   expect_failure.sh --message TEXT -- COMMAND...
#
# A bad scenario announces its message on its second line, "# error: ...",
# with @FILE@ and @DIR@ standing for its path and folder.  Passes when the
# command exits non-zero within the time limit and stderr holds the line
# "walras: error: MESSAGE" once (rank 0 alone prints input errors) and the
# message nowhere else.
set -uo pipefail

limit=${WALRAS_EXPECT_TIMEOUT:-45}
case "${1:-}" in
  --from)
    file=$2
    message=$(sed -n '2s/^# error: //p' "$file")
    [[ -n "$message" ]] || { echo "expect_failure: $file: line 2 is not '# error: ...'" >&2; exit 2; }
    message=${message//@FILE@/$file}
    message=${message//@DIR@/$(dirname "$file")}
    ;;
  --message) message=$2 ;;
  *) echo "usage: expect_failure.sh (--from SCENARIO | --message TEXT) -- COMMAND..." >&2; exit 2 ;;
esac
shift 2
[[ "${1:-}" == "--" ]] && shift

command="$*"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
timeout --kill-after=5 "$limit" "$@" >/dev/null 2>"$err"
status=$?

fail() {
  echo "expect_failure: $*" >&2
  echo "--- command: $command" >&2
  echo "--- stderr:" >&2
  cat "$err" >&2
  exit 1
}
[[ $status -ne 124 && $status -ne 137 ]] || fail "timed out after ${limit} s (a rank hangs?)"
[[ $status -ne 0 ]] || fail "exited 0; expected a failure"
lines=$(grep -cxF -- "walras: error: $message" "$err")
hits=$(grep -oF -- "$message" "$err" | wc -l)
[[ $lines -eq 1 && $hits -eq 1 ]] ||
  fail "expected 'walras: error: $message' once on stderr, found it $lines times (message $hits times)"
echo "ok: exit $status, message once: $message"
