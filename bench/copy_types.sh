#!/usr/bin/env bash
# bench/copy_types.sh - text input speed and storage of journey_stage against
# a native ENUM with the same labels.
#
# On the server named by the libpq variables (the files are written and read
# by the server itself, so run it against a local server, e.g. the one
# scripts/lib.sh starts), in a scratch database:
#   COPY of BJ_BENCH_ROWS rows (default 5,000,000) of (id, stage label) into
#   (id int, stage journey_stage) vs (id int, stage <native enum>) vs
#   (id int, stage text) as a floor, for English names and for Simplified
#   Chinese labels (plus, for journey_stage only, a Simplified/Traditional
#   mix, which a native enum cannot take), BJ_BENCH_REPS runs each (default 3)
#   in rotating order; medians, ratios to the native enum, and table sizes.
set -euo pipefail

rows=${BJ_BENCH_ROWS:-5000000}
reps=${BJ_BENCH_REPS:-3}
db=buyerjourney_bench_copy
dir=$(mktemp -d /tmp/buyerjourney-bench.XXXXXX)
chmod 777 "$dir"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"; rm -rf "$dir"' EXIT
run() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

run <<SQL
CREATE EXTENSION buyerjourney;
CREATE TYPE native_en AS ENUM ('unaware', 'explore', 'define', 'select', 'decide', 'approve', 'realize', 'lost', 'no_decision');
CREATE TYPE native_zh AS ENUM ('不关心', '探索', '定义', '选择', '决策', '批准', '实现', '丢单', '放弃');
CREATE TABLE ours (id int, stage journey_stage);
CREATE TABLE native_en_t (id int, stage native_en);
CREATE TABLE native_zh_t (id int, stage native_zh);
CREATE TABLE text_t (id int, stage text);
-- Stages with a realistic skew: most deals sit in the early stages.
CREATE TABLE src AS
SELECT i AS id, (ARRAY[0,1,1,1,2,2,3,4,5,6,7,8,8])[1 + (hashint4(i) & 2147483647) % 13] AS ord
  FROM generate_series(1, $rows) i;
COPY (SELECT id, journey_stage(ord)::text FROM src) TO '$dir/en.tsv';
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
declare -A times size

measure() {
	local table file
	read -r table file <<<"${spec[$1]}"
	run -c "TRUNCATE $table" -c "CHECKPOINT" >/dev/null
	run 2>&1 <<SQL | sed -n 's/.*WARNING: *//p'
DO \$\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
	COPY $table FROM '$dir/$file';
	RAISE WARNING '%', round(extract(epoch FROM clock_timestamp() - t0) * 1000);
END \$\$;
SQL
	run -c "SELECT pg_total_relation_size('$table')"
}

echo "COPY of $rows rows (id, stage label); median of $reps runs"
for ((r = 0; r < reps; r++)); do
	for ((i = 0; i < ${#cases[@]}; i++)); do
		c=${cases[$(((i + r) % ${#cases[@]}))]}
		read -r ms bytes <<<"$(measure "$c" | tr '\n' ' ')"
		times[$c]="${times[$c]:-} $ms"
		size[$c]=$bytes
	done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-44s %10s %9s %12s %8s\n' case "median ms" "vs enum" "table size" "B/row"
row() { # row CASE LABEL BASELINE_CASE
	local m b
	m=$(echo "${times[$1]}" | median)
	b=$(echo "${times[$3]}" | median)
	printf '%-44s %10s %9s %12s %8s\n' "$2" "$m" "$(awk -v m="$m" -v b="$b" 'BEGIN {printf "%.2f", m / b}')" \
		"$(numfmt --to=iec "${size[$1]}")" "$(awk -v s="${size[$1]}" -v n="$rows" 'BEGIN {printf "%.1f", s / n}')"
}
row en_ours "English names -> journey_stage" en_native
row en_native "English names -> native enum" en_native
row en_text "English names -> text (floor)" en_native
row zh_ours "Simplified labels -> journey_stage" zh_native
row zh_native "Simplified labels -> native enum" zh_native
row zh_text "Simplified labels -> text (floor)" zh_native
row mix_ours "Simplified+Traditional mix -> journey_stage" zh_native
echo "runs (ms):"
for c in "${cases[@]}"; do echo "  $c:${times[$c]}"; done
echo "target: journey_stage / native enum <= 1.10"
