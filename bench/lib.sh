# bench/lib.sh - shared by the benchmarks: a scratch database, a quiet psql,
# timing inside the server, and medians.
#
#   bench_database NAME    create the scratch database (dropped on exit)
#   run [psql args]        psql on it, quiet, stopping at the first error
#   time_sql SQL           run SQL once, print its server-side time in ms
#   median                 the median of whitespace-separated numbers on stdin

set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

BENCH_DB=

bench_database() {
	BENCH_DB=$1
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB"
	trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" || true' EXIT
}

run() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$BENCH_DB" "$@"; }

# The statement runs inside a DO block; its time comes back as a warning.
time_sql() {
	run 2>&1 <<SQL | sed -n 's/.*WARNING: *//p'
DO \$bench\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
	$1;
	RAISE WARNING '%', round(extract(epoch FROM clock_timestamp() - t0) * 1000);
END \$bench\$;
SQL
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# ratio A B: A / B with two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
