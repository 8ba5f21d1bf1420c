/*
 * transition_trigger.c - enforce_transitions(): a row trigger that lets a
 * journey_stage or lifecycle_phase column move only as a process allows, and
 * optionally appends every accepted change to a history table.
 *
 * Arguments are key=value strings:
 *   column=<name>          the guarded column (required)
 *   process=<name>         the process (default when process_column is NULL)
 *   process_column=<name>  a column naming each row's process
 *   history=<table>        history table; unqualified names resolve in the
 *                          schema of the table the trigger fires on
 *
 * Everything the trigger looks up is found by OID or in a known schema: the
 * extension's tables in the extension's schema (the namespace of this
 * function), the history table by its resolved OID.  search_path plays no part.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "parser/parse_relation.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/syscache.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "bj_rules.h"
#include "partition_moves.h"
#include "process_catalog.h"
#include "transition_history.h"
#include "transition_trigger.h"
#include "value_types.h"

static bool bypass_transition_checks = false;

void
transition_trigger_init(void)
{
	DefineCustomBoolVariable("buyerjourney.bypass_transition_checks",
							 "Skip transition checks (history is still written); for data migrations.",
							 "Only superusers, and roles granted SET on this parameter, can turn it on.",
							 &bypass_transition_checks,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
}

/* The trigger's arguments, parsed. */
typedef struct GuardArgs
{
	const char *column;
	const char *process;
	const char *process_column;
	const char *history;
} GuardArgs;

/* Everything resolved once per statement (cached in fn_extra). */
typedef struct GuardState
{
	Oid			trigger_oid;
	Oid			relid;
	GuardArgs	args;
	AttrNumber	attnum;
	bj_kind		kind;
	Oid			value_type;
	AttrNumber	process_attnum; /* 0 when the process is fixed */
	FmgrInfo	process_out;
	const bj_rules *rules;		/* the fixed process, if any */
	uint64		generation;		/* process catalog generation of rules */
	Oid			ext_schema;
	Oid			root;			/* the partitioned table, or the table itself */
	HistoryTarget history;		/* relid InvalidOid: none */
} GuardState;

static void
parse_args(const char *trigname, int nargs, char **argv, GuardArgs *args)
{
	memset(args, 0, sizeof(*args));
	for (int i = 0; i < nargs; i++)
	{
		const char *arg = argv[i];
		const char *eq = strchr(arg, '=');
		size_t		keylen = eq ? (size_t) (eq - arg) : 0;
		const char *value = eq ? eq + 1 : NULL;
		const char **slot = NULL;

		if (eq && keylen == 6 && strncmp(arg, "column", 6) == 0)
			slot = &args->column;
		else if (eq && keylen == 7 && strncmp(arg, "process", 7) == 0)
			slot = &args->process;
		else if (eq && keylen == 14 && strncmp(arg, "process_column", 14) == 0)
			slot = &args->process_column;
		else if (eq && keylen == 7 && strncmp(arg, "history", 7) == 0)
			slot = &args->history;
		if (slot == NULL || *value == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid argument \"%s\" for trigger \"%s\"", arg, trigname),
					 errhint("Arguments are column=<name>, process=<name>, process_column=<name> and history=<table>.")));
		if (*slot != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("argument \"%.*s\" is given twice for trigger \"%s\"", (int) keylen, arg, trigname)));
		*slot = value;
	}
	if (args->column == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trigger \"%s\" does not name the column to guard", trigname),
				 errhint("Pass column=<name>, e.g. EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex').")));
	if (args->process == NULL && args->process_column == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trigger \"%s\" names no process", trigname),
				 errhint("Pass process=<name>, process_column=<column>, or both.")));
}

/* Reject a trigger defined in a way that cannot guard a column. */
static void
check_trigger_type(const char *trigname, int16 tgtype)
{
	if (!TRIGGER_FOR_ROW(tgtype))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" must be FOR EACH ROW", trigname)));
	if (TRIGGER_FOR_INSTEAD(tgtype))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" must be BEFORE or AFTER, not INSTEAD OF", trigname)));
	if (TRIGGER_FOR_TRUNCATE(tgtype) || !(TRIGGER_FOR_INSERT(tgtype) || TRIGGER_FOR_UPDATE(tgtype)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" must fire on INSERT or UPDATE, and not on TRUNCATE", trigname)));
}

/*
 * On a partitioned table an UPDATE can move a row to another partition,
 * which fires DELETE and INSERT, not UPDATE, AFTER triggers.  To judge the
 * move against the row it was, an AFTER guard must see both halves: so it
 * fires on INSERT, UPDATE and DELETE, and has no WHEN clause that could hide
 * one half.  (A BEFORE guard sees the whole move at BEFORE UPDATE.)
 */
static void
check_partition_events(Relation rel, const Trigger *trig)
{
	if (!(rel->rd_rel->relispartition || rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE) ||
		TRIGGER_FOR_BEFORE(trig->tgtype) || !TRIGGER_FOR_UPDATE(trig->tgtype))
		return;
	if (!TRIGGER_FOR_INSERT(trig->tgtype) || !TRIGGER_FOR_DELETE(trig->tgtype) || trig->tgqual != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on partitioned table \"%s\" must fire AFTER INSERT OR UPDATE OR DELETE, without WHEN",
						trig->tgname, get_rel_name(partition_root(rel))),
				 errdetail("An UPDATE that moves a row to another partition fires DELETE and INSERT triggers; the guard needs both to judge the move."),
				 errhint("Re-create it: CREATE OR REPLACE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON ... FOR EACH ROW EXECUTE FUNCTION enforce_transitions(...).",
						 quote_identifier(trig->tgname))));
}

static const bj_rules *
lookup_process(GuardState *st, Relation rel, const char *name)
{
	const bj_rules *rules = process_lookup(st->ext_schema, name);

	if (rules == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("process \"%s\" does not exist", name),
				 errdetail("Column \"%s\" of table \"%s\" is guarded by process \"%s\".",
						   st->args.column, RelationGetRelationName(rel), name),
				 errhint("The processes are listed in table %s.process.",
						 quote_identifier(get_namespace_name(st->ext_schema)))));
	if (rules->kind != st->kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("process \"%s\" is for %s, but column \"%s\" is %s",
						name, bj_kind_type_name(rules->kind), st->args.column,
						bj_kind_type_name(st->kind))));
	return rules;
}

/*
 * Resolve the arguments against a relation; raise a clear error for every
 * way they can be wrong.  Used when the trigger fires and by the event
 * trigger that checks CREATE TRIGGER.
 */
static void
resolve_guard(GuardState *st, Relation rel, Oid ext_schema)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			type;

	st->ext_schema = ext_schema;
	st->relid = RelationGetRelid(rel);
	st->root = partition_root(rel);
	st->attnum = attnameAttNum(rel, st->args.column, false);
	if (st->attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" does not exist",
						st->args.column, RelationGetRelationName(rel)),
				 errdetail("It is the column guarded by a transition trigger.")));

	type = getBaseType(TupleDescAttr(desc, st->attnum - 1)->atttypid);
	if (type == value_type_oid(ext_schema, BJ_KIND_STAGE))
		st->kind = BJ_KIND_STAGE;
	else if (type == value_type_oid(ext_schema, BJ_KIND_PHASE))
		st->kind = BJ_KIND_PHASE;
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of table \"%s\" is of type %s, not journey_stage or lifecycle_phase",
						st->args.column, RelationGetRelationName(rel), format_type_be(type))));
	st->value_type = type;

	if (st->args.process_column)
	{
		Oid			out;
		bool		varlena;

		st->process_attnum = attnameAttNum(rel, st->args.process_column, false);
		if (st->process_attnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of table \"%s\" does not exist",
							st->args.process_column, RelationGetRelationName(rel)),
					 errdetail("It is named by process_column= of a transition trigger.")));
		getTypeOutputInfo(TupleDescAttr(desc, st->process_attnum - 1)->atttypid, &out, &varlena);
		fmgr_info_cxt(out, &st->process_out, CurrentMemoryContext);
	}
	if (st->args.process)
	{
		st->rules = lookup_process(st, rel, st->args.process);
		st->generation = process_catalog_generation();
	}
	if (st->args.history)
		history_resolve(&st->history, rel, st->args.history, st->kind, st->value_type, ext_schema);
}

/* History is exact only in an AFTER trigger (see docs/reference.md). */
static void
check_history_timing(const GuardArgs *args, const char *trigname, int16 tgtype)
{
	if (args->history && TRIGGER_FOR_BEFORE(tgtype))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" keeps a history, so it must be an AFTER trigger", trigname),
				 errdetail("A BEFORE trigger cannot know that the row is written as it sees it: a later BEFORE trigger may change or skip it, and INSERT ... ON CONFLICT DO UPDATE fires BEFORE INSERT for rows that end up updated."),
				 errhint("Use CREATE TRIGGER ... AFTER INSERT OR UPDATE ... FOR EACH ROW.")));
}

static GuardState *
guard_state(FunctionCallInfo fcinfo, TriggerData *td)
{
	GuardState *st = (GuardState *) fcinfo->flinfo->fn_extra;
	Trigger    *trig = td->tg_trigger;

	if (st != NULL && st->trigger_oid == trig->tgoid && st->relid == RelationGetRelid(td->tg_relation))
	{
		/* A process changed since: look it up again (it may be gone). */
		if (st->args.process && st->generation != process_catalog_generation())
		{
			st->rules = lookup_process(st, td->tg_relation, st->args.process);
			st->generation = process_catalog_generation();
		}
		return st;
	}

	check_trigger_type(trig->tgname, trig->tgtype);
	check_partition_events(td->tg_relation, trig);
	st = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(GuardState));
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		parse_args(trig->tgname, trig->tgnargs, trig->tgargs, &st->args);
		check_history_timing(&st->args, trig->tgname, trig->tgtype);
		resolve_guard(st, td->tg_relation, get_func_namespace(fcinfo->flinfo->fn_oid));
		MemoryContextSwitchTo(old);
	}
	st->trigger_oid = trig->tgoid;
	fcinfo->flinfo->fn_extra = st;
	return st;
}

/* "(deal_id)=(42)" when the role may see the key, else NULL. */
static char *
row_key_description(Relation rel, HeapTuple tuple)
{
	Oid			pk;
	Relation	index;
	Datum		values[INDEX_MAX_KEYS];
	bool		isnull[INDEX_MAX_KEYS];
	char	   *desc;

#if PG_VERSION_NUM >= 180000
	pk = RelationGetPrimaryKeyIndex(rel, false);
#else
	pk = RelationGetPrimaryKeyIndex(rel);
#endif
	if (!OidIsValid(pk))
		return NULL;
	index = index_open(pk, AccessShareLock);
	for (int i = 0; i < index->rd_index->indnkeyatts; i++)
		values[i] = heap_getattr(tuple, index->rd_index->indkey.values[i],
								 RelationGetDescr(rel), &isnull[i]);
	desc = BuildIndexValueDescription(index, values, isnull);
	index_close(index, AccessShareLock);
	return desc;
}

/*
 * Where a refusal happened, the start of its detail: "Row (id)=(7) of table
 * "public.deals", column "stage", trigger "guard"." (without the row when the
 * role may not see its key).  Citus forwards a worker's error without the
 * schema, table, column and constraint fields, and COPY without its SQLSTATE
 * and hint too: only the message and the detail reach the client on every
 * path.  So every refusal's detail starts with what those fields say, in this
 * one form (docs/citus.md, "What an application sees"), which applications
 * parse, and relayed_refusals.c too.
 */
static char *
refusal_place(GuardState *st, TriggerData *td, HeapTuple tuple)
{
	Relation	rel = td->tg_relation;
	char	   *key = row_key_description(rel, tuple);
	char	   *table = psprintf("%s.%s", get_namespace_name(RelationGetNamespace(rel)),
								 RelationGetRelationName(rel));

	return key
		? psprintf("Row %s of table \"%s\", column \"%s\", trigger \"%s\".", key,
				   table, st->args.column, td->tg_trigger->tgname)
		: psprintf("Table \"%s\", column \"%s\", trigger \"%s\".",
				   table, st->args.column, td->tg_trigger->tgname);
}

/* The refusal of a move or start the process does not allow. */
static void
report_forbidden(GuardState *st, TriggerData *td, HeapTuple tuple, const char *process,
				 const bj_rules *rules, int from, int to)
{
	Relation	rel = td->tg_relation;
	char		allowed[256];
	const char *type = bj_kind_type_name(st->kind);
	char	   *where = refusal_place(st, td, tuple);
	char	   *choices;

	bj_value_set_format(st->kind, bj_rules_next_values(rules, from), allowed, sizeof(allowed));
	choices = from == BJ_NO_VALUE
		? psprintf("Process \"%s\" lets a row start at: %s.", process, allowed)
		: psprintf("From \"%s\", process \"%s\" allows: %s.", bj_value_name(st->kind, from), process, allowed);

	if (from == BJ_NO_VALUE)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s may not start at \"%s\" under process \"%s\"",
						type, bj_value_name(st->kind, to), process),
				 errdetail("%s %s", where, choices),
				 errhint("%s", choices),
				 errtablecol(rel, st->attnum),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, td->tg_trigger->tgname)));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("%s may not move from \"%s\" to \"%s\" under process \"%s\"",
					type, bj_value_name(st->kind, from), bj_value_name(st->kind, to), process),
			 errdetail("%s %s", where, choices),
			 errhint("%s", choices),
			 errtablecol(rel, st->attnum),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, td->tg_trigger->tgname)));
}

/* The name in the row's process column, NULL if it has none or is NULL. */
static char *
process_column_value(GuardState *st, Relation rel, HeapTuple tuple)
{
	bool		isnull;
	Datum		d;

	if (st->process_attnum == 0)
		return NULL;
	d = heap_getattr(tuple, st->process_attnum, RelationGetDescr(rel), &isnull);
	return isnull ? NULL : OutputFunctionCall(&st->process_out, d);
}

/* The rules of a row whose process column holds column_value (NULL: the trigger's default). */
static const bj_rules *
row_process(GuardState *st, Relation rel, const char *column_value, const char **name)
{
	if (column_value != NULL)
	{
		*name = column_value;
		return lookup_process(st, rel, column_value);
	}
	if (st->args.process == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("row of table \"%s\" names no process in column \"%s\"",
						RelationGetRelationName(rel), st->args.process_column),
				 errhint("Set the column, or give the trigger a default with process=<name>."),
				 errtablecol(rel, st->process_attnum)));
	*name = st->args.process;
	return st->rules;
}

static int
stored_code(GuardState *st, Datum d)
{
	int			code = (unsigned char) DatumGetChar(d);

	if (!bj_value_valid(st->kind, code))
		elog(ERROR, "invalid %s code %d in stored value", bj_kind_type_name(st->kind), code);
	return code;
}

/* The guarded value of a row, BJ_NO_VALUE for NULL. */
static int
row_value(GuardState *st, Relation rel, HeapTuple tuple)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, st->attnum, RelationGetDescr(rel), &isnull);

	return isnull ? BJ_NO_VALUE : stored_code(st, d);
}

/* The row before the statement; tuple NULL when it was in another partition. */
typedef struct OldRow
{
	bool		exists;			/* false: an INSERT */
	MovedRow	row;
	HeapTuple	tuple;
} OldRow;

static OldRow
old_row_of(GuardState *st, Relation rel, HeapTuple tuple)
{
	OldRow		old = {.exists = true, .tuple = tuple};

	old.row.value = row_value(st, rel, tuple);
	old.row.process = process_column_value(st, rel, tuple);
	return old;
}

/*
 * Judge the change from old to newtuple and record it.  A move is judged
 * under the process the row had before the statement; a change of the row's
 * process or key is not judged, but recorded, so the history follows the
 * row.
 */
static void
judge_change(GuardState *st, TriggerData *td, const OldRow *old, HeapTuple newtuple)
{
	Relation	rel = td->tg_relation;
	int			from = old->exists ? old->row.value : BJ_NO_VALUE;
	int			to = row_value(st, rel, newtuple);
	char	   *new_process = process_column_value(st, rel, newtuple);
	bool		process_changed = old->exists && st->process_attnum != 0 &&
		!(old->row.process == NULL ? new_process == NULL
		  : new_process != NULL && strcmp(old->row.process, new_process) == 0);
	bool		history = OidIsValid(st->history.relid);
	char	   *previous_key = NULL;
	const char *process = NULL;
	const bj_rules *rules;

	if (!old->exists || from != to)
	{
		if (to == BJ_NO_VALUE)
		{
			/* A row may be without a value until it enters the process... */
			if (from == BJ_NO_VALUE || bypass_transition_checks)
				return;
			/* ...but once in, it cannot silently leave it. */
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("%s column \"%s\" may not be set back to NULL",
							bj_kind_type_name(st->kind), st->args.column),
					 errdetail("%s The row was at \"%s\".", refusal_place(st, td, newtuple),
							   bj_value_name(st->kind, from)),
					 errtablecol(rel, st->attnum),
					 err_generic_string(PG_DIAG_CONSTRAINT_NAME, td->tg_trigger->tgname)));
		}
		rules = row_process(st, rel, old->exists ? old->row.process : new_process, &process);
		if (!bypass_transition_checks && !bj_rules_allows(rules, from, to))
			report_forbidden(st, td, newtuple, process, rules, from, to);
	}
	if (!history || to == BJ_NO_VALUE)
		return;

	if (old->exists)
	{
		bool		key_changed = old->tuple
			? history_key_changed(&st->history, rel, old->tuple, newtuple)
			: strcmp(old->row.key, history_row_key(&st->history, rel, newtuple)) != 0;

		if (key_changed)
			previous_key = old->tuple ? history_row_key(&st->history, rel, old->tuple) : old->row.key;
	}
	if (from != to)
	{
		history_record(&st->history, rel, newtuple, st->args.column, process, from, to, previous_key);
		previous_key = NULL;
	}
	if (process_changed || previous_key != NULL)
	{
		/* The new process must exist even though no move is judged under it. */
		(void) row_process(st, rel, new_process, &process);
		history_record(&st->history, rel, newtuple, st->args.column, process, to, to, previous_key);
	}
}

/* AFTER DELETE of a row moving to another partition: keep what judging the move needs. */
static void
remember_moved_row(GuardState *st, TriggerData *td)
{
	OldRow		old = old_row_of(st, td->tg_relation, td->tg_trigtuple);

	if (OidIsValid(st->history.relid))
		old.row.key = history_row_key(&st->history, td->tg_relation, td->tg_trigtuple);
	partition_move_remember_deleted(st->root, td->tg_trigger->tgname, td->tg_relation,
									td->tg_trigtuple, &old.row);
}

PG_FUNCTION_INFO_V1(enforce_transitions);
Datum
enforce_transitions(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	GuardState *st;
	Relation	rel;
	bool		before;
	bool		in_partition;
	const char *trigname;
	HeapTuple	newtuple;
	OldRow		old = {.exists = false};

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("enforce_transitions() must be called as a trigger")));
	st = guard_state(fcinfo, td);
	rel = td->tg_relation;
	before = TRIGGER_FIRED_BEFORE(td->tg_event);
	in_partition = rel->rd_rel->relispartition;
	trigname = td->tg_trigger->tgname;

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		/* A delete is only of interest as the first half of a move. */
		if (!before && in_partition && partition_move_deleted(td->tg_trigtuple))
			remember_moved_row(st, td);
		return before ? PointerGetDatum(td->tg_trigtuple) : PointerGetDatum(NULL);
	}
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		newtuple = td->tg_newtuple;
		old = old_row_of(st, rel, td->tg_trigtuple);
		judge_change(st, td, &old, newtuple);
		/* BEFORE UPDATE sees all of a move to another partition: judged here. */
		if (before && in_partition)
			partition_move_remember_update(st->root, trigname, rel, newtuple);
		return before ? PointerGetDatum(newtuple) : PointerGetDatum(NULL);
	}

	newtuple = td->tg_trigtuple;
	if (in_partition && before && partition_move_claim_insert(st->root, trigname, rel, newtuple))
		return PointerGetDatum(newtuple);	/* the second half of a move judged at BEFORE UPDATE */
	if (in_partition && !before && partition_move_claim_inserted(st->root, trigname, rel, newtuple, &old.row))
		old.exists = true;		/* the second half of a move: judged against the row it was */
	judge_change(st, td, &old, newtuple);
	return before ? PointerGetDatum(newtuple) : PointerGetDatum(NULL);
}

/*
 * validate_transition_trigger(relid, trigger oid): the checks of the first
 * firing, run by the event trigger at CREATE TRIGGER time.
 */
PG_FUNCTION_INFO_V1(validate_transition_trigger);
Datum
validate_transition_trigger(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	Oid			tgoid = PG_GETARG_OID(1);
	Relation	rel;
	TriggerDesc *trigdesc;
	GuardState	st;

	/* What CREATE TRIGGER takes: a caller without it learns nothing of the table. */
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	if (pg_class_aclcheck(relid, GetUserId(), ACL_TRIGGER) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, get_relkind_objtype(get_rel_relkind(relid)), get_rel_name(relid));
	rel = table_open(relid, AccessShareLock);
	trigdesc = rel->trigdesc;

	for (int i = 0; trigdesc && i < trigdesc->numtriggers; i++)
	{
		Trigger    *trig = &trigdesc->triggers[i];

		if (trig->tgoid != tgoid)
			continue;
		check_trigger_type(trig->tgname, trig->tgtype);
		check_partition_events(rel, trig);
		memset(&st, 0, sizeof(st));
		parse_args(trig->tgname, trig->tgnargs, trig->tgargs, &st.args);
		check_history_timing(&st.args, trig->tgname, trig->tgtype);
		resolve_guard(&st, rel, get_func_namespace(fcinfo->flinfo->fn_oid));
	}
	table_close(rel, AccessShareLock);
	PG_RETURN_VOID();
}
