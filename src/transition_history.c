/*
 * transition_history.c - appending accepted changes to a history table.
 *
 * History rows are written directly with the table AM and index AM, not
 * through SPI: an INSERT plan per row would cost more than the UPDATE it
 * records.  So no trigger, rule or RLS policy on the history table applies;
 * it must be a plain table with the layout of create_history_table() and the
 * same owner as the guarded table (checked in history_resolve).
 */
#include "postgres.h"


#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_namespace.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/regproc.h"
#include "utils/timestamp.h"
#include "utils/xid8.h"

#include "transition_history.h"

static const char *const history_columns[HISTORY_NATTS] = {
	"seq", "table_name", "row_key", "column_name", "from_value", "to_value",
	"process", "changed_at", "changed_by", "txid"
};

/* The root of a partition tree, or the table itself, as a quoted name. */
static char *
root_table_name(Relation rel)
{
	Oid			root = RelationGetRelid(rel);

	if (rel->rd_rel->relispartition)
	{
		List	   *ancestors = get_partition_ancestors(root);

		if (ancestors != NIL)
			root = llast_oid(ancestors);
	}
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(root)), get_rel_name(root));
}

/*
 * Whether Citus manages the table (distributed, reference or Citus local):
 * it is listed in Citus's catalog pg_dist_partition, whose first column is
 * the table.  Such a table is an empty shell on the node where the trigger
 * runs; rows written into it directly would be read by no query.
 */
static bool
is_citus_table(Oid relid)
{
	Oid			catalog = get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE);
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	bool		found;

	if (!OidIsValid(catalog))
		return false;			/* no Citus */
	rel = table_open(catalog, AccessShareLock);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 1, &key);
	found = HeapTupleIsValid(systable_getnext(scan));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

void
history_resolve(HistoryTarget *h, Relation rel, const char *history, bj_kind kind, Oid value_type,
				Oid ext_schema)
{
	List	   *names;
	RangeVar   *rv;
	Relation	hist;
	TupleDesc	hdesc;
	Relation	index;
	const char *ext = quote_identifier(get_namespace_name(ext_schema));

#if PG_VERSION_NUM >= 160000
	names = stringToQualifiedNameList(history, NULL);
#else
	names = stringToQualifiedNameList(history);
#endif
	rv = makeRangeVarFromNameList(names);
	if (rv->schemaname == NULL)
		rv->schemaname = get_namespace_name(RelationGetNamespace(rel));
	h->relid = RangeVarGetRelid(rv, NoLock, true);
	if (!OidIsValid(h->relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("history table \"%s.%s\" does not exist", rv->schemaname, rv->relname),
				 errhint("Create it with %s.create_history_table().", ext)));

	hist = table_open(h->relid, AccessShareLock);
	hdesc = RelationGetDescr(hist);
	if (hist->rd_rel->relkind != RELKIND_RELATION)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("history table \"%s\" must be a plain table", RelationGetRelationName(hist))));
	if (is_citus_table(h->relid))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("history table \"%s\" must be a plain table, not a Citus table",
						RelationGetRelationName(hist)),
				 errdetail("The trigger writes history rows directly into the table of that name on the node "
						   "that holds the row; of a Citus table, that is an empty shell no query reads."),
				 errhint("Keep a plain history table of that name on every node.")));
	if (hist->rd_rel->relowner != rel->rd_rel->relowner)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("history table \"%s\" must have the same owner as table \"%s\"",
						RelationGetRelationName(hist), RelationGetRelationName(rel)),
				 errdetail("The trigger writes history rows on the table owner's behalf.")));
	for (int c = 0; c < HISTORY_NATTS; c++)
	{
		Oid			want = (c == H_SEQ) ? INT8OID
			: (c == H_FROM_VALUE || c == H_TO_VALUE) ? value_type
			: (c == H_CHANGED_AT) ? TIMESTAMPTZOID
			: (c == H_TXID) ? XID8OID : TEXTOID;
		AttrNumber	att = attnameAttNum(hist, history_columns[c], false);

		if (att == InvalidAttrNumber || TupleDescAttr(hdesc, att - 1)->atttypid != want)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("table \"%s\" is not a %s history table", RelationGetRelationName(hist),
							bj_kind_type_name(kind)),
					 errdetail("Column \"%s\" of type %s is missing.", history_columns[c], format_type_be(want)),
					 errhint("Create it with %s.create_history_table().", ext)));
		h->attnum[c] = att;
	}
	/* Optional (added in 1.3.0): the key a row had before its key changed. */
	h->previous_key_attnum = attnameAttNum(hist, "previous_key", false);
	if (h->previous_key_attnum != InvalidAttrNumber &&
		TupleDescAttr(hdesc, h->previous_key_attnum - 1)->atttypid != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"previous_key\" of history table \"%s\" must be of type text",
						RelationGetRelationName(hist))));
#if PG_VERSION_NUM >= 170000
	h->seq = getIdentitySequence(hist, h->attnum[H_SEQ], true);
#else
	h->seq = getIdentitySequence(h->relid, h->attnum[H_SEQ], true);
#endif
	if (!OidIsValid(h->seq))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"seq\" of history table \"%s\" must be an identity column",
						RelationGetRelationName(hist)),
				 errhint("Create it with %s.create_history_table().", ext)));
	h->slot = MakeSingleTupleTableSlot(CreateTupleDescCopy(hdesc), &TTSOpsVirtual);
	h->estate = CreateExecutorState();
	table_close(hist, AccessShareLock);

	h->table_name = root_table_name(rel);
#if PG_VERSION_NUM >= 180000
	h->pk_index = RelationGetPrimaryKeyIndex(rel, false);
#else
	h->pk_index = RelationGetPrimaryKeyIndex(rel);
#endif
	if (!OidIsValid(h->pk_index))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" needs a primary key to keep a transition history",
						RelationGetRelationName(rel)),
				 errdetail("Each history row records the key of the row that moved.")));
	index = index_open(h->pk_index, AccessShareLock);
	h->nkeys = index->rd_index->indnkeyatts;
	for (int i = 0; i < h->nkeys; i++)
	{
		Oid			out;
		bool		varlena;

		h->keyattrs[i] = index->rd_index->indkey.values[i];
		getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), h->keyattrs[i] - 1)->atttypid,
						  &out, &varlena);
		fmgr_info_cxt(out, &h->key_out[i], CurrentMemoryContext);
	}
	index_close(index, AccessShareLock);
}

/* Append "a" or a quoted "a b" to buf, as record_out quotes a field. */
static void
append_key_field(StringInfo buf, const char *value)
{
	bool		quote = (*value == '\0');

	for (const char *p = value; *p && !quote; p++)
		quote = (*p == '"' || *p == '\\' || *p == '(' || *p == ')' || *p == ',' || isspace((unsigned char) *p));
	if (!quote)
	{
		appendStringInfoString(buf, value);
		return;
	}
	appendStringInfoChar(buf, '"');
	for (const char *p = value; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			appendStringInfoChar(buf, *p);
		appendStringInfoChar(buf, *p);
	}
	appendStringInfoChar(buf, '"');
}

/* The primary key as text: the value itself, or "(a,b)" for several columns. */
char *
history_row_key(HistoryTarget *h, Relation rel, HeapTuple tuple)
{
	StringInfoData buf;

	initStringInfo(&buf);
	if (h->nkeys > 1)
		appendStringInfoChar(&buf, '(');
	for (int i = 0; i < h->nkeys; i++)
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, h->keyattrs[i], RelationGetDescr(rel), &isnull);

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		if (isnull)
			continue;			/* a primary key has none; stay safe */
		if (h->nkeys > 1)
			append_key_field(&buf, OutputFunctionCall(&h->key_out[i], d));
		else
			appendStringInfoString(&buf, OutputFunctionCall(&h->key_out[i], d));
	}
	if (h->nkeys > 1)
		appendStringInfoChar(&buf, ')');
	return buf.data;
}

bool
history_key_changed(HistoryTarget *h, Relation rel, HeapTuple oldtuple, HeapTuple newtuple)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int i = 0; i < h->nkeys; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, h->keyattrs[i] - 1);
		bool		oldnull,
					newnull;
		Datum		oldvalue = heap_getattr(oldtuple, h->keyattrs[i], desc, &oldnull);
		Datum		newvalue = heap_getattr(newtuple, h->keyattrs[i], desc, &newnull);

		if (oldnull != newnull ||
			(!oldnull && !datum_image_eq(oldvalue, newvalue, att->attbyval, att->attlen)))
			return true;
	}
	return false;
}

void
history_record(HistoryTarget *h, Relation rel, HeapTuple tuple, const char *column, const char *process,
			   int from, int to, const char *previous_key)
{
	Relation	hist = table_open(h->relid, RowExclusiveLock);
	ResultRelInfo *rri = makeNode(ResultRelInfo);
	TupleTableSlot *slot = h->slot;
	Datum	   *values = slot->tts_values;
	bool	   *isnull = slot->tts_isnull;
	Datum		field[HISTORY_NATTS];

	field[H_SEQ] = Int64GetDatum(nextval_internal(h->seq, false));
	field[H_TABLE_NAME] = CStringGetTextDatum(h->table_name);
	field[H_ROW_KEY] = CStringGetTextDatum(history_row_key(h, rel, tuple));
	field[H_COLUMN_NAME] = CStringGetTextDatum(column);
	field[H_FROM_VALUE] = CharGetDatum((char) from);
	field[H_TO_VALUE] = CharGetDatum((char) to);
	field[H_PROCESS] = CStringGetTextDatum(process);
	/*
	 * The clock when the change is recorded, not the statement's start: the
	 * row is locked by now, so one row's changes get increasing times in the
	 * order they commit, even when a statement that started earlier waited
	 * for the lock (a funnel or journey by changed_at then agrees with seq).
	 */
	field[H_CHANGED_AT] = TimestampTzGetDatum(GetCurrentTimestamp());
	field[H_CHANGED_BY] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	field[H_TXID] = FullTransactionIdGetDatum(GetTopFullTransactionId());

	ExecClearTuple(slot);
	for (int i = 0; i < slot->tts_tupleDescriptor->natts; i++)
		isnull[i] = true;		/* columns a user added stay NULL */
	for (int c = 0; c < HISTORY_NATTS; c++)
	{
		values[h->attnum[c] - 1] = field[c];
		isnull[h->attnum[c] - 1] = (c == H_FROM_VALUE && from == BJ_NO_VALUE);
	}
	if (previous_key != NULL)
	{
		if (h->previous_key_attnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("history table \"%s\" cannot record that the key of a row changed",
							get_rel_name(h->relid)),
					 errdetail("Row %s of table %s is now %s; the history table has no column \"previous_key\".",
							   previous_key, h->table_name, history_row_key(h, rel, tuple)),
					 errhint("Add it: ALTER TABLE %s ADD COLUMN previous_key text;",
							 quote_qualified_identifier(get_namespace_name(get_rel_namespace(h->relid)),
														get_rel_name(h->relid)))));
		values[h->previous_key_attnum - 1] = CStringGetTextDatum(previous_key);
		isnull[h->previous_key_attnum - 1] = false;
	}
	ExecStoreVirtualTuple(slot);

	InitResultRelInfo(rri, hist, 1, NULL, 0);
	ExecOpenIndices(rri, false);
	table_tuple_insert(hist, slot, GetCurrentCommandId(true), 0, NULL);
#if PG_VERSION_NUM >= 160000
	ExecInsertIndexTuples(rri, slot, h->estate, false, false, NULL, NIL, false);
#else
	ExecInsertIndexTuples(rri, slot, h->estate, false, false, NULL, NIL);
#endif
	ExecCloseIndices(rri);
	ResetPerTupleExprContext(h->estate);
	table_close(hist, NoLock);	/* keep the lock to the end of the transaction */
}
