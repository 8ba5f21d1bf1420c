#!/usr/bin/env bash
# test/docs/check_recipes.sh - docs/analysts.md cannot drift from the code.
# Every ```sql block of the page is run, in the page's order, in one psql
# session (psql -q; an error is output like any other) on a fresh database: first
# the blocks that build the page's data set, then the recipes.  The ```text
# block that follows a ```sql block (the next fenced block) must equal its
# output, trailing blanks aside; a ```sql block without one must print
# nothing.  Each block is one check, named by the page's heading above it.
# Uses the server named by the libpq environment; prints one line per check.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
page=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/docs/analysts.md

# split PAGE DIR: DIR/sql/N, DIR/expected/N (empty without a text block) and
# DIR/title/N for the page's Nth ```sql block, counted from 1.
split() {
	mkdir -p "$2/sql" "$2/expected" "$2/title"
	awk -v dir="$2" '
		function close_block() { if (file != "") close(file); file = "" }
		in_block && /^```$/ { in_block = 0; close_block(); next }
		in_block { print > file; next }
		/^#+ / { heading = $0; sub(/^#+ /, "", heading) }
		/^```sql$/ {
			n++; in_block = 1; last_sql = n
			file = dir "/sql/" n
			printf "" > (dir "/expected/" n)
			print heading > (dir "/title/" n); close(dir "/title/" n)
			next
		}
		/^```text$/ && last_sql { in_block = 1; file = dir "/expected/" last_sql; last_sql = 0; next }
		/^```/ { in_block = 1; last_sql = 0; file = "/dev/null" }
	' "$1"
}

# normalise FILE: trailing blanks and trailing empty lines removed.
normalise() { sed -e 's/[[:space:]]*$//' "$1" | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'; }

split "$page" "$workdir/page"
blocks=$(find "$workdir/page/sql" -type f | wc -l)
recipes=$(grep -cE '^## [0-9]+\. ' "$page")
echo "docs/analysts.md: $blocks sql blocks, $recipes recipes"
check "the page has its data set and recipes" "true" "$([ "$blocks" -gt "$recipes" ] && [ "$recipes" -ge 9 ] && echo true)"

# One session, a marker before each block, output and errors together.
for ((n = 1; n <= blocks; n++)); do
	printf '\\echo @@block %d\n' "$n"
	cat "$workdir/page/sql/$n"
	echo
done >"$workdir/script.sql"
db=bj_docs_recipes_$suffix
createdb_fresh "$db"
psql -X -q -d "$db" -f "$workdir/script.sql" >"$workdir/output" 2>&1
mkdir -p "$workdir/actual"
for ((n = 1; n <= blocks; n++)); do : >"$workdir/actual/$n"; done
awk -v dir="$workdir/actual" '/^@@block [0-9]+$/ { file = dir "/" $2; next } file != "" { print > file }' \
	"$workdir/output"

# compare DIR: the blocks of DIR/expected whose output differs, one a line.
compare() {
	for ((n = 1; n <= blocks; n++)); do
		[ "$(normalise "$1/expected/$n")" = "$(normalise "$workdir/actual/$n")" ] || echo "$n"
	done
}
for ((n = 1; n <= blocks; n++)); do
	check "block $n ($(cat "$workdir/page/title/$n")): output as printed" \
		"$(normalise "$workdir/page/expected/$n")" "$(normalise "$workdir/actual/$n")"
done

# The comparison can fail: one digit changed in the last text block is caught.
last_text=$(grep -n '^```text$' "$page" | tail -1 | cut -d: -f1)
awk -v from="$last_text" 'NR > from && !done && /[0-9]/ { sub(/[0-9]/, "X"); done = 1 } 1' "$page" >"$workdir/mutated.md"
split "$workdir/mutated.md" "$workdir/mutated"
check "a page with one digit changed in its last output fails on that block only" "$blocks" \
	"$(compare "$workdir/mutated")"

finish_checks
