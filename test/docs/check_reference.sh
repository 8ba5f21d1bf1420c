#!/usr/bin/env bash
# test/docs/check_reference.sh - docs/reference.md documents every public
# object of the extension.  Installs the extension in a fresh database, lists
# its members from the catalog (pg_depend, deptype 'e') and names every one the
# reference does not document.
#
# The rule, on the reference with its "### Support functions" section left out:
#   function, aggregate  documented when its name is named by a heading
#                        (`##`-`####`: in backticks, or as an item of a heading
#                        that is a comma-separated list of bare names, an
#                        optional parenthesised remark after), or opens an
#                        inline code span followed by "(": `name(...`.
#                        A name covers all its overloads; each undocumented
#                        overload is named with its argument types.
#   type, table          documented when an inline code span is exactly its
#                        name: `funnel`, `process_move`.
#   operator             documented when an inline code span starts with its
#                        signature: `journey_stage < journey_stage`.
# Functions that only implement a type, an operator, an aggregate or a
# process-table trigger are internal: they are listed by name in INTERNAL
# below, and each must be a function of the extension and be named, in
# backticks, in the reference's "### Support functions" section (so neither the
# list nor that section can go stale).  Casts, operator classes and families
# and the event trigger are not checked (the Types section describes them).
# Uses the server named by the libpq environment; prints one line per check.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
reference=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/docs/reference.md

INTERNAL=(
	# the value types: I/O, operators, operator classes, min/max
	journey_stage_in journey_stage_out journey_stage_recv journey_stage_send
	journey_stage_eq journey_stage_ne journey_stage_lt journey_stage_le journey_stage_gt journey_stage_ge
	journey_stage_cmp journey_stage_hash journey_stage_hash_extended journey_stage_smaller journey_stage_larger
	lifecycle_phase_in lifecycle_phase_out lifecycle_phase_recv lifecycle_phase_send
	lifecycle_phase_eq lifecycle_phase_ne lifecycle_phase_lt lifecycle_phase_le lifecycle_phase_gt lifecycle_phase_ge
	lifecycle_phase_cmp lifecycle_phase_hash lifecycle_phase_hash_extended lifecycle_phase_smaller lifecycle_phase_larger
	# the state, result and model types' I/O
	journey_in journey_out journey_recv journey_send
	funnel_in funnel_out funnel_recv funnel_send
	velocity_in velocity_out velocity_recv velocity_send
	timeline_in timeline_out timeline_recv timeline_send
	stage_durations_in stage_durations_out stage_durations_recv stage_durations_send
	window_counts_in window_counts_out window_counts_recv window_counts_send
	customer_summary_in customer_summary_out customer_summary_recv customer_summary_send
	bgnbd_model_in bgnbd_model_out bgnbd_model_recv bgnbd_model_send
	gammagamma_model_in gammagamma_model_out gammagamma_model_recv gammagamma_model_send
	deal_mark_run_in deal_mark_run_out deal_mark_run_recv deal_mark_run_send
	deal_event_run_in deal_event_run_out deal_event_run_recv deal_event_run_send
	# aggregates' transition, combine, serialise and final functions
	journey_add journey_merge funnel_add funnel_merge
	funnel_events_add funnel_events_combine funnel_events_serialize funnel_events_deserialize funnel_events_final
	velocity_add velocity_merge timeline_add timeline_merge timeline_normalize
	time_in_stage_add time_in_stage_final stage_durations_merge
	window_funnel_add window_funnel_final window_counts_merge
	onepass_combine onepass_serialize onepass_deserialize
	deal_mark_run_add deal_mark_run_merge deal_mark_run_funnel
	deal_event_run_add_durations deal_event_run_add_window deal_event_run_add_durations_whole deal_event_run_add_window_whole deal_mark_run_add_whole deal_event_run_merge deal_event_run_durations deal_event_run_window
	customer_summary_add customer_summary_combine customer_summary_serialize customer_summary_deserialize
	customer_summary_final customer_summary_merge
	bgnbd_fit_add bgnbd_fit_final gammagamma_fit_add gammagamma_fit_final
	ltv_fit_combine ltv_fit_serialize ltv_fit_deserialize
	# the process tables' triggers, and the CREATE TRIGGER check
	check_process check_process_row check_process_part canonical_value refuse_truncate
	invalidate_process_cache triggers_using_process
	# the charts' layout
	svg_bar_chart svg_text_width xml_escape
	check_transition_triggers validate_transition_trigger
)

db=bj_docs_reference_$suffix
createdb_fresh "$db"
q "$db" -c "CREATE EXTENSION buyerjourney"

# The extension's members, one a line: kind|name|what the failure names.
q "$db" >"$workdir/catalog" <<'SQL'
WITH member AS (
	SELECT classid, objid FROM pg_depend
	 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
	   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'buyerjourney'))
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END, p.proname,
       p.oid::regprocedure::text
  FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
UNION ALL
SELECT 'type', t.typname, t.typname
  FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
UNION ALL
SELECT 'operator', format('%s %s %s', o.oprleft::regtype, o.oprname, o.oprright::regtype),
       format('%s %s %s', o.oprleft::regtype, o.oprname, o.oprright::regtype)
  FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
UNION ALL
SELECT 'table', c.relname, c.relname
  FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
ORDER BY 1, 3;
SQL

printf '%s\n' "${INTERNAL[@]}" | sort -u >"$workdir/internal"
# Public members: everything but the internal functions.
awk -F'|' 'NR == FNR { internal[$1] = 1; next }
           !(($1 == "function" || $1 == "aggregate") && ($2 in internal))' \
	"$workdir/internal" "$workdir/catalog" >"$workdir/public"

# The reference's text outside the Support functions section, and that section.
outside_support() { awk '/^### Support functions/ { skip = 1; next } skip && /^##?#? / { skip = 0 } !skip' "$1"; }
support_section() { awk '/^### Support functions/ { on = 1; next } on && /^##?#? / { on = 0 } on' "$1"; }

# undocumented PAGE: the public members it does not document, one a line.
undocumented() {
	local body=$workdir/body
	outside_support "$1" >"$body"
	{
		# headings: names in backticks, and headings that are lists of names
		grep -E '^#{2,4} ' "$body" | grep -oE '`[a-z_][a-z0-9_]*`' | tr -d '`' || true
		grep -E '^#{2,4} [a-z_][a-z0-9_]*(, [a-z_][a-z0-9_]*)*( \([^)]*\))?$' "$body" |
			sed -E 's/^#+ //; s/ \(.*//; s/, /\n/g' || true
		# signatures: `name(
		grep -oE '`[a-z_][a-z0-9_]*\(' "$body" | tr -d '`(' || true
	} | sort -u >"$workdir/documented_names"
	grep -oE '`[^`]+`' "$body" | tr -d '`' | sort -u >"$workdir/code_spans"
	local kind name what
	while IFS='|' read -r kind name what; do
		case $kind in
		function | aggregate) grep -qxF "$name" "$workdir/documented_names" || echo "$kind $what" ;;
		type | table) grep -qxF "$name" "$workdir/code_spans" || echo "$kind $what" ;;
		operator) grep -qF -- "$name" "$workdir/code_spans" || echo "$kind $what" ;;
		esac
	done <"$workdir/public"
}

count() { grep -c "^$1|" "$workdir/public" || true; }
echo "public members: $(wc -l <"$workdir/public") ($(count function) functions, $(count aggregate) aggregates," \
	"$(count type) types, $(count operator) operators, $(count table) tables);" \
	"internal functions: $(($(wc -l <"$workdir/catalog") - $(wc -l <"$workdir/public")))"

check "every public function, aggregate, type, operator and table is documented in docs/reference.md" \
	"" "$(undocumented "$reference")"

# The internal list cannot go stale: each name is a function of the extension,
# and the reference's Support functions section names it.
check "every INTERNAL name is a function of the extension" "" \
	"$(awk -F'|' '$1 == "function" || $1 == "aggregate" { print $2 }' "$workdir/catalog" | sort -u |
		comm -23 "$workdir/internal" -)"
support_section "$reference" | grep -oE '`[a-z_][a-z0-9_]*`' | tr -d '`' | sort -u >"$workdir/support_names"
check "the reference's Support functions section names every INTERNAL function" "" \
	"$(comm -23 "$workdir/internal" "$workdir/support_names")"

# The check can fail: an empty page documents nothing.
: >"$workdir/empty.md"
check "an empty page leaves every public member undocumented" \
	"$(wc -l <"$workdir/public")" "$(undocumented "$workdir/empty.md" | wc -l)"
# ... and one without label's section loses exactly label's two overloads.
awk '/^### label$/ { skip = 1; next } skip && /^##?#? / { skip = 0 } !skip' "$reference" |
	grep -v '`label(' >"$workdir/no_label.md"
undocumented "$reference" | sort >"$workdir/undocumented_now"
check "a reference without label's section leaves label's overloads undocumented too" \
	"function label(journey_stage,text)
function label(lifecycle_phase,text)" "$(undocumented "$workdir/no_label.md" | sort | comm -23 - "$workdir/undocumented_now")"

finish_checks
