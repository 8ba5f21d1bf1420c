#!/usr/bin/env bash
# bench/copy_types.sh - text input speed and storage of journey_stage against
# a native ENUM with the same labels.  A benchmark, not a test: it prints
# figures and fails only if something does not run.
#
# On the server named by the libpq variables (the files are written and read
# by the server itself, so run it against a local server, e.g. the one
# scripts/lib.sh starts, as a superuser), in a scratch database it creates and
# drops:
#   COPY of BJ_BENCH_ROWS rows (default 5,000,000) of (id, stage label) into
#   (id int, stage journey_stage) vs (id int, stage <native enum>) vs
#   (id int, stage text) as a floor, for English names and for Simplified
#   Chinese labels (the same file for all three), plus, for journey_stage
#   only, a Simplified/Traditional mix, which a native enum cannot take;
#   after an untimed warm-up round, BJ_BENCH_REPS runs each (default 3) in
#   rotating order, each into a freshly truncated table after a CHECKPOINT,
#   timed inside the server; medians, ratios to the native enum, and table
#   sizes (pg_total_relation_size) with bytes per row.
set -euo pipefail
shopt -s inherit_errexit

rows=${BJ_BENCH_ROWS:-5000000}
reps=${BJ_BENCH_REPS:-3}
db=buyerjourney_bench_copy_$$ # its own: others may share the server
dir=$(mktemp -d /tmp/buyerjourney-bench.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" || true; rm -rf "$dir"' EXIT
chmod 777 "$dir" # the server (user postgres) writes and reads the files
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
run() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

run <<SQL
CREATE EXTENSION buyerjourney;
CREATE TYPE native_en AS ENUM ('unaware', 'explore', 'define', 'select', 'decide', 'approve', 'realize', 'lost', 'no_decision');
CREATE TYPE native_zh AS ENUM ('不关心', '探索', '定义', '选择', '决策', '批准', '实现', '丢单', '放弃');
-- No autovacuum: a vacuum of the last load must not run during the next one.
CREATE TABLE ours (id int, stage journey_stage) WITH (autovacuum_enabled = off);
CREATE TABLE native_en_t (id int, stage native_en) WITH (autovacuum_enabled = off);
CREATE TABLE native_zh_t (id int, stage native_zh) WITH (autovacuum_enabled = off);
CREATE TABLE text_t (id int, stage text) WITH (autovacuum_enabled = off);
-- Stages with a realistic skew: most deals sit in the early stages.
CREATE TABLE src AS
SELECT i AS id, (ARRAY[0,1,1,1,2,2,3,4,5,6,7,8,8])[1 + (hashint4(i) & 2147483647) % 13] AS ord
  FROM generate_series(1, $rows) i;
-- English: the canonical (lower-case) names, which are exactly the enum labels.
COPY (SELECT id, journey_stage(ord)::text FROM src) TO '$dir/en.tsv';
-- Simplified labels only (the native enum's labels), and a half-Traditional mix.
COPY (SELECT id, label(journey_stage(ord), 'zh-CN') FROM src) TO '$dir/zh_hans.tsv';
COPY (SELECT id, label(journey_stage(ord), CASE WHEN id % 2 = 0 THEN 'zh-CN' ELSE 'zh-TW' END) FROM src) TO '$dir/zh_mix.tsv';
DROP TABLE src;
SQL

# case -> "table file"
declare -A spec=(
	[en_ours]="ours en.tsv" [en_native]="native_en_t en.tsv" [en_text]="text_t en.tsv"
	[zh_ours]="ours zh_hans.tsv" [zh_native]="native_zh_t zh_hans.tsv" [zh_text]="text_t zh_hans.tsv"
	[mix_ours]="ours zh_mix.tsv"
)
cases=(en_ours en_native en_text zh_ours zh_native zh_text mix_ours)
declare -A times size bytes

# One measurement: prints "milliseconds bytes pretty-size" of a fresh load.
measure() {
	local table file out ms
	read -r table file <<<"${spec[$1]}"
	run -c "TRUNCATE $table" -c "CHECKPOINT" >/dev/null
	out=$(run 2>&1 <<SQL
DO \$\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
	COPY $table FROM '$dir/$file';
	RAISE WARNING 'ms=%', round(extract(epoch FROM clock_timestamp() - t0) * 1000);
END \$\$;
SQL
	) || { echo "$1: $out" >&2; return 1; }
	ms=$(sed -n 's/.*WARNING: *ms=//p' <<<"$out")
	[[ $ms =~ ^[0-9]+$ ]] || { echo "$1: no timing in: $out" >&2; return 1; }
	echo "$ms $(run -F ' ' -c "SELECT pg_total_relation_size('$table'), pg_size_pretty(pg_total_relation_size('$table'))")"
}

# An untimed round first: the first loads also create the WAL segments that
# later ones recycle, and run slower for it.
for c in "${cases[@]}"; do measure "$c" >/dev/null; done

echo "COPY FROM file of $rows rows (id int, stage label) on $(run -c 'SHOW server_version'); median of $reps runs after a warm-up round"
for ((r = 0; r < reps; r++)); do
	for ((i = 0; i < ${#cases[@]}; i++)); do
		c=${cases[$(((i + r) % ${#cases[@]}))]}
		out=$(measure "$c")
		read -r ms b s1 s2 <<<"$out"
		times[$c]="${times[$c]:-} $ms"
		bytes[$c]=$b
		size[$c]="$s1 $s2"
	done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
med() { echo "${times[$1]}" | median; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
sz() { printf '%s (%s B/row)' "${size[$1]}" "$(awk -v s="${bytes[$1]}" -v n="$rows" 'BEGIN {printf "%.1f", s / n}')"; }

fmt='%-38s %8s %10s %7s %8s %9s   %-21s %-21s %s\n'
printf "$fmt" case "ours ms" "native ms" ratio "text ms" "ours/text" "ours size" "native size" "text size"
line() { # line LABEL OURS NATIVE TEXT
	printf "$fmt" "$1" "$(med "$2")" "$(med "$3")" "$(div "$(med "$2")" "$(med "$3")")" \
		"${4:+$(med "$4")}" "${4:+$(div "$(med "$2")" "$(med "$4")")}" "$(sz "$2")" "$(sz "$3")" "${4:+$(sz "$4")}"
}
line "English names (same file)" en_ours en_native en_text
line "Simplified labels (same file)" zh_ours zh_native zh_text
line "Simpl.+Trad. mix (ours) vs Simplified" mix_ours zh_native ""
echo "runs (ms):"
for c in "${cases[@]}"; do echo "  $c:${times[$c]}"; done
echo "target: ratio (journey_stage / native enum) <= 1.10"
