#!/usr/bin/env bash
# test/sanitize/test_sanitized_regress.sh - the whole regression suite
# (pg_regress and the isolation specs) with the server under valgrind's
# memcheck and the extension built with UndefinedBehaviorSanitizer.
#
# The checked library must not replace the installed one, so the source is
# copied to a scratch directory, built there with -fsanitize=undefined (its
# runtime comes in with the library; UBSan halts on the first error), and
# installed into a scratch copy of the PostgreSQL installation (a relocated
# copy finds its files relative to its own bin/).  That copy's postgres is
# wrapped so that the postmaster, every backend and every parallel worker run
# under memcheck.  (AddressSanitizer needs its runtime preloaded into the
# uninstrumented server, and the server deadlocks at start with it.)  Any
# memcheck error with a frame in the extension, any UBSan report, a crashed
# backend or a test difference fails the suite.
#
#   bash test/sanitize/test_sanitized_regress.sh   (needs root or the owner of
#   the scratch cluster; scripts/test runs it as suite "sanitized-regress")
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

bj_install_packages valgrind
scratch=$(mktemp -d /tmp/buyerjourney-sanitize.XXXXXX)
chmod 755 "$scratch"
remove_scratch() { bj_stop_clusters; rm -rf "$scratch"; }
trap remove_scratch EXIT

bj_say "copying PostgreSQL $BJ_PG_MAJOR and the source to $scratch"
pg_lib=$(dirname "$BJ_PG_BIN")					# .../lib/postgresql/15
pg_share=$("$PG_CONFIG" --sharedir)			# .../share/postgresql/15
pg_include=$("$PG_CONFIG" --includedir)		# .../include/postgresql
mkdir -p "$scratch/pg$(dirname "$pg_lib")" "$scratch/pg$(dirname "$pg_share")" "$scratch/pg$(dirname "$pg_include")"
cp -a "$pg_lib" "$scratch/pg$pg_lib"
cp -a "$pg_share" "$scratch/pg$pg_share"
cp -a "$pg_include" "$scratch/pg$pg_include"
mkdir "$scratch/src"
(cd "$BJ_ROOT" && git ls-files -z 2>/dev/null | xargs -0 cp --parents -t "$scratch/src" ||
	cp -a "$BJ_ROOT/." "$scratch/src")

BJ_PG_BIN=$scratch/pg$BJ_PG_BIN
export PG_CONFIG=$BJ_PG_BIN/pg_config PATH=$BJ_PG_BIN:$PATH
sanitize="-fsanitize=undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
bj_say "building the extension with $sanitize"
make -C "$scratch/src" -s clean >/dev/null
make -C "$scratch/src" -s WERROR=1 PG_CONFIG="$PG_CONFIG" PG_CFLAGS="-Wall -Wextra -g $sanitize" \
	LDFLAGS_SL="$sanitize"
make -C "$scratch/src" -s install PG_CONFIG="$PG_CONFIG"
symbols=$(nm -D "$scratch/pg$pg_lib/lib/buyerjourney.so")
grep -q __ubsan_handle <<<"$symbols" ||
	{ echo "the installed library is not instrumented" >&2; exit 1; }

# The server, its backends and parallel workers (forked, not exec'd) all run
# under memcheck.  Only errors with a frame in the extension count: the
# uninstrumented server has known reports of its own (uninitialised padding
# written to disk, and so on).
mv "$BJ_PG_BIN/postgres" "$BJ_PG_BIN/postgres.real"
cat > "$BJ_PG_BIN/postgres" <<WRAPPER
#!/bin/sh
exec valgrind --quiet --tool=memcheck --trace-children=no --track-origins=no --num-callers=30 \\
	--error-limit=no --log-file=$scratch/valgrind/%p.log "$BJ_PG_BIN/postgres.real" "\$@"
WRAPPER
chmod 755 "$BJ_PG_BIN/postgres"
mkdir -m 777 "$scratch/valgrind"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$scratch/ubsan
unset PGHOST PGPORT
bj_start_cluster max_parallel_workers_per_gather=2 statement_timeout=0
trap remove_scratch EXIT	# bj_start_cluster may have set its own

bj_say "running the regression suite against the sanitized build"
status=0
make -C "$scratch/src" -s installcheck PG_CONFIG="$PG_CONFIG" || status=$?
# memcheck errors in the extension: error blocks (blank-line separated)
# with a frame in one of its source files (built with -g, its frames name
# them) or in its library.
ours=$(cd "$scratch/src" && ls src/*.c src/core/*.c | xargs -n1 basename | sed 's/\./\\./' | paste -sd'|')
reports=$(cat "$scratch"/ubsan.* 2>/dev/null || true)
all_errors=0
for log in "$scratch"/valgrind/*.log; do
	# memcheck ends each report with a line "==PID== ": make it a blank line
	reports+=$(sed 's/^==[0-9]*== $//' "$log" | awk -v RS= -v ours="[( ](${ours}):[0-9]+\\)|buyerjourney\\.so" '$0 ~ ours')
	all_errors=$((all_errors + $(grep -c -E '^==[0-9]+== [A-Z][a-z]+ ' "$log" || true)))
done
crashes=$(grep -c -E 'terminated by signal|was terminated' "$BJ_CLUSTER_DIR/server.log" || true)
if [ -n "$reports" ]; then
	echo "$reports" | head -80
	status=1
fi
if [ "$crashes" -gt 0 ]; then
	grep -E 'terminated by signal|was terminated' "$BJ_CLUSTER_DIR/server.log" | head
	status=1
fi
[ "$status" -ne 0 ] && [ -f "$scratch/src/regression.diffs" ] && head -100 "$scratch/src/regression.diffs"
echo "valgrind logs: $(ls "$scratch"/valgrind | wc -l) processes, $all_errors memcheck reports in all; in the extension, and UBSan reports: $(printf '%s' "$reports" | grep -c -E '^==[0-9]+== [A-Z]|runtime error' || true); backends crashed: $crashes"
exit "$status"
