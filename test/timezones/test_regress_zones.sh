#!/usr/bin/env bash
# test/timezones/test_regress_zones.sh - the regression suite (sql/,
# expected/) under several session time zones: the same expected output in
# every one, so nothing a test prints depends on the zone unless the test
# sets one itself.  pg_regress sets PGTZ=PST8PDT for every psql it starts, and
# a client's PGTZ overrides PGOPTIONS; so psql is wrapped (pg_regress
# --bindir) to set PGTZ to the zone under test.
#
# Needs a running server (PGHOST/PGPORT) with the extension installed, as
# `make installcheck` does.  Zones: arguments, or the four below.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PG_CONFIG=${PG_CONFIG:-pg_config}
zones=("$@")
if [ ${#zones[@]} -eq 0 ]; then
	# UTC+0; UTC+8 (a day ends at 16:00 UTC); UTC-8/-7 with DST; UTC+12:45/+13:45
	zones=(UTC Asia/Shanghai America/Los_Angeles Pacific/Chatham)
fi
wrapper=$(mktemp -d)
trap 'rm -rf "$wrapper"' EXIT
bindir=$("$PG_CONFIG" --bindir)
status=0
for zone in "${zones[@]}"; do
	cat >"$wrapper/psql" <<WRAP
#!/bin/sh
PGTZ='$zone' exec '$bindir/psql' "\$@"
WRAP
	chmod +x "$wrapper/psql"
	if make -s installcheck PG_CONFIG="$PG_CONFIG" ISOLATION= EXTRA_REGRESS_OPTS="--bindir=$wrapper" >"$wrapper/out" 2>&1; then
		echo "regress under TimeZone=$zone: ok"
	else
		echo "regress under TimeZone=$zone: FAILED"
		grep -E 'FAILED|failed' "$wrapper/out" || true
		head -100 regression.diffs
		status=1
	fi
done
exit $status
