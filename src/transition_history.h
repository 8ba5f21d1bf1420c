/*
 * transition_history.h - the transition history a guarded table keeps:
 * finding and checking the history table, and appending one row per change.
 */
#ifndef TRANSITION_HISTORY_H
#define TRANSITION_HISTORY_H

#include "postgres.h"

#include "access/htup.h"
#include "fmgr.h"
#include "nodes/execnodes.h"
#include "utils/relcache.h"

#include "bj_values.h"

/* The columns of a history table, in the order of history_columns[]. */
enum
{
	H_SEQ, H_TABLE_NAME, H_ROW_KEY, H_COLUMN_NAME, H_FROM_VALUE, H_TO_VALUE,
	H_PROCESS, H_CHANGED_AT, H_CHANGED_BY, H_TXID, HISTORY_NATTS
};

/* A history table, resolved once per statement. */
typedef struct HistoryTarget
{
	Oid			relid;			/* InvalidOid: no history kept */
	char	   *name;			/* quoted, schema-qualified */
	AttrNumber	attnum[HISTORY_NATTS];
	AttrNumber	previous_key_attnum;	/* 0: the table has no previous_key */
	Oid			seq;			/* the identity sequence of seq */
	TupleTableSlot *slot;
	EState	   *estate;
	char	   *table_name;		/* the guarded root table, quoted and qualified */
	Oid			pk_index;
	int			nkeys;
	AttrNumber	keyattrs[INDEX_MAX_KEYS];
	FmgrInfo	key_out[INDEX_MAX_KEYS];
} HistoryTarget;

/*
 * Resolve history= for a guarded relation: an unqualified name is looked up
 * in the relation's schema.  Raises a clear error for a missing table, a
 * wrong layout or owner, or a guarded table without a primary key.
 */
extern void history_resolve(HistoryTarget *h, Relation rel, const char *history, bj_kind kind,
							Oid value_type, Oid ext_schema);

/* A row's key as the history records it. */
extern char *history_row_key(HistoryTarget *h, Relation rel, HeapTuple tuple);

/* Whether an update changed the row's key. */
extern bool history_key_changed(HistoryTarget *h, Relation rel, HeapTuple oldtuple, HeapTuple newtuple);

/*
 * Append the row for one accepted change (from BJ_NO_VALUE: a start; from
 * equal to to: the row's process or key changed, not its value);
 * previous_key is the row's key before the change, NULL if unchanged.
 */
extern void history_record(HistoryTarget *h, Relation rel, HeapTuple tuple, const char *column,
						   const char *process, int from, int to, const char *previous_key);

#endif							/* TRANSITION_HISTORY_H */
