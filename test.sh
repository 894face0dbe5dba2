#!/usr/bin/env bash
# Installs what the integration tests' servers need (when missing), runs every test project, then
# the runtime's suite again on the portable loop backend (GEVENT_LOOP=select), and prints one
# closing line with the totals.
set -uo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Debug}"
./scripts/install-test-dependencies.sh || exit 1
log="$(mktemp)"
build_log="$(mktemp)"
trap 'rm -f "$log" "$build_log"' EXIT

# A green build shows only its closing summary. A red one first shows each error (warnings count, under
# -warnaserror) once: MSBuild repeats them, and its summary alone says no more than "1 Error(s)".
if ! dotnet build Gevent.sln -c "$configuration" -warnaserror >"$build_log" 2>&1; then
    grep -E ': (error|warning) ' "$build_log" | sort -u || tail -n 40 "$build_log"
    tail -n 3 "$build_log"
    exit 1
fi
tail -n 3 "$build_log"
status=0
run() {
    echo "== $*"
    # Read the test run's own status straight away: under pipefail a `|| true` here would run whenever the
    # tests failed and replace PIPESTATUS with its own success.
    env "$@" 2>&1 | tee -a "$log" | grep -E '^(Passed|Failed)!|\[FAIL\]|error|Aborted|crash'
    local statuses=("${PIPESTATUS[@]}")
    [ "${statuses[0]}" -eq 0 ] || status=1
}

# One test project at a time (-m:1): side by side, the integration tests' servers and the runtime's timing tests
# shared two cores with each other; each project still runs its own tests in parallel.
# --blame: when a test host dies, vstest names the tests it was running (it costs no dump and no time limit).
run GEVENT_LOOP=epoll dotnet test Gevent.sln -c "$configuration" --no-build -m:1 --blame
run GEVENT_LOOP=select dotnet test tests/Gevent.Runtime.Tests -c "$configuration" --no-build --blame

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
[ "$passed" -gt 0 ] && [ "$failed" -eq 0 ] || status=1
# A failure's message, which the filter above leaves out, so that a CI log says what went wrong.
[ "$failed" -eq 0 ] || grep -A6 'Error Message:' "$log"
# An aborted run's reason (the host's first standard-error lines) and the tests it was running, whole: the filter
# above keeps only the lines that match it, which cut a crash's reason down to its first line or two.
grep -i -A40 -E 'active test run was aborted|host process exited unexpectedly' "$log" | head -n 120
echo "tests: $passed passed, $failed failed"
exit $status
