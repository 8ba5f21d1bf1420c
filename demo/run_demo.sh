#!/usr/bin/env bash
# demo/run_demo.sh - the demo itself (demo/demo.sql), on the server named by
# the libpq environment, in its own database buyerjourney_demo; the charts go
# to $BJ_DEMO_CHARTS (default ./buyerjourney-demo-charts).  scripts/demo runs
# it after setting up; the demo test suite runs it on the test cluster.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
db=buyerjourney_demo
marker='buyerjourney demo database (safe to drop)'
charts=${BJ_DEMO_CHARTS:-$PWD/buyerjourney-demo-charts}
mkdir -p "$charts"
charts=$(cd "$charts" && pwd)

existing=$(psql -X -At -d postgres -c "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$db'")
if [ -n "$existing" ] && [ "$existing" != "$marker" ]; then
	echo "database $db exists and was not made by this demo; not touching it" >&2
	exit 1
fi
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
	-c "COMMENT ON DATABASE $db IS '$marker'"

# The tour; progress and the caught refusal come as notices and warnings:
# shown without psql's file:line prefix.
psql -X -q -d "$db" -v data="$root/demo/data" -v charts="$charts" -f "$root/demo/demo.sql" 2>&1 |
	sed -E 's/^psql:[^:]*:[0-9]+: (NOTICE|WARNING): +/   /'
echo
echo "   funnel.svg, time_in_stage.svg and time_in_stage_zh.svg (in Chinese) are in $charts"
