# test/db_checks.sh - what the database-level test scripts share: the client
# programs of the server's major, throwaway databases dropped on exit, and
# named checks counted into 'N passed, N failed'.  Source it, then call
# finish_checks at the end.
set -euo pipefail

# Client programs of the server's major first (as scripts/lib.sh does).
bj_client_bin=${BJ_PG_BIN:-/usr/lib/postgresql/${BJ_PG_MAJOR:-15}/bin}
if [ -d "$bj_client_bin" ]; then
	export PATH=$bj_client_bin:$PATH
fi

suffix=$$_$RANDOM
workdir=$(mktemp -d)
dbs=()
cleanup() {
	for db in "${dbs[@]}"; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null || true
	done
	rm -rf "$workdir"
}
trap cleanup EXIT
# A command that fails outside a check stops the test: say which one.
trap 'echo "FAIL command failed (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

passed=0
failed=0
check() { # check NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1)); echo "ok   $1"
	else
		failed=$((failed + 1)); printf 'FAIL %s:\n  expected [%s]\n  got      [%s]\n' "$1" "$2" "$3"
	fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }
createdb_fresh() {
	dbs+=("$1")
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $1 TEMPLATE template0 ENCODING 'UTF8'"
}
finish_checks() {
	echo "$passed passed, $failed failed"
	trap - ERR
	[ "$failed" -eq 0 ]
}
