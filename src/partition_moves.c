/*
 * partition_moves.c - pairing the two halves of a row moved to another
 * partition (see partition_moves.h).
 *
 * The halves are paired strictly, so that no other insert can pass for the
 * second half of a move:
 *   AFTER:  the deleted tuple is marked by the heap as moved to another
 *           partition (its t_ctid), and the inserted tuple was written by the
 *           command that deleted it (its cmin is the deleted tuple's cmax);
 *   BEFORE: the insert comes in the command of the BEFORE UPDATE, into
 *           another partition, with exactly the row BEFORE UPDATE returned
 *           (a row that stays would be inserted into its own partition).
 * Both halves must come from the same trigger of the same partition tree.
 * Pending halves live until they are claimed or the transaction ends.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/partition.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "partition_moves.h"

typedef struct PendingMove
{
	Oid			root;
	NameData	trigger;
	Oid			source;			/* the partition the row leaves */
	CommandId	cid;			/* the command that moves it */
	bool		before;			/* a BEFORE UPDATE half, else an AFTER DELETE half */
	MovedRow	row;			/* AFTER: the old row */
	TupleDesc	desc;			/* BEFORE: the new row, as BEFORE UPDATE returned it */
	HeapTuple	tuple;
} PendingMove;

static MemoryContext moves_context = NULL;
static List *pending = NIL;

static void
forget_pending(XactEvent event, void *arg)
{
	(void) event;
	(void) arg;
	pending = NIL;
	if (moves_context != NULL)
		MemoryContextReset(moves_context);
}

Oid
partition_root(Relation rel)
{
	List	   *ancestors;

	if (!rel->rd_rel->relispartition)
		return RelationGetRelid(rel);
	ancestors = get_partition_ancestors(RelationGetRelid(rel));
	return ancestors != NIL ? llast_oid(ancestors) : RelationGetRelid(rel);
}

bool
partition_move_deleted(HeapTuple deleted)
{
	return deleted->t_data != NULL && HeapTupleHeaderIndicatesMovedPartitions(deleted->t_data);
}

/* Free a pending half once it is claimed or replaced: a bulk move makes one a row. */
static void
release(PendingMove *p)
{
	if (p->row.process)
		pfree(p->row.process);
	if (p->row.key)
		pfree(p->row.key);
	if (p->tuple)
		heap_freetuple(p->tuple);
	if (p->desc)
		FreeTupleDesc(p->desc);
	pfree(p);
}

/* Take the pending half of this trigger out of the list, or NULL. */
static PendingMove *
take(Oid root, const char *trigger, bool before)
{
	ListCell   *lc;

	foreach(lc, pending)
	{
		PendingMove *p = lfirst(lc);

		if (p->root == root && p->before == before && strcmp(NameStr(p->trigger), trigger) == 0)
		{
			pending = foreach_delete_current(pending, lc);
			return p;
		}
	}
	return NULL;
}

/* A new pending half: an older one of the same trigger can never be claimed. */
static PendingMove *
remember(Oid root, const char *trigger, Relation rel, CommandId cid, bool before)
{
	PendingMove *p;

	if (moves_context == NULL)
	{
		moves_context = AllocSetContextCreate(TopMemoryContext, "buyerjourney partition moves",
											  ALLOCSET_SMALL_SIZES);
		RegisterXactCallback(forget_pending, NULL);
	}
	if ((p = take(root, trigger, before)) != NULL)
		release(p);
	p = MemoryContextAllocZero(moves_context, sizeof(PendingMove));
	p->root = root;
	namestrcpy(&p->trigger, trigger);
	p->source = RelationGetRelid(rel);
	p->cid = cid;
	p->before = before;
	{
		MemoryContext old = MemoryContextSwitchTo(moves_context);

		pending = lappend(pending, p);
		MemoryContextSwitchTo(old);
	}
	return p;
}

void
partition_move_remember_deleted(Oid root, const char *trigger, Relation rel, HeapTuple deleted,
								const MovedRow *row)
{
	PendingMove *p = remember(root, trigger, rel, HeapTupleHeaderGetCmax(deleted->t_data), false);

	p->row.value = row->value;
	p->row.process = row->process ? MemoryContextStrdup(moves_context, row->process) : NULL;
	p->row.key = row->key ? MemoryContextStrdup(moves_context, row->key) : NULL;
}

bool
partition_move_claim_inserted(Oid root, const char *trigger, Relation rel, HeapTuple inserted,
							  MovedRow *row)
{
	PendingMove *p = take(root, trigger, false);
	bool		claimed;

	if (p == NULL)
		return false;
	claimed = p->source != RelationGetRelid(rel) &&
		TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(inserted->t_data)) &&
		HeapTupleHeaderGetCmin(inserted->t_data) == p->cid;
	if (claimed)
	{
		row->value = p->row.value;
		row->process = p->row.process ? pstrdup(p->row.process) : NULL;
		row->key = p->row.key ? pstrdup(p->row.key) : NULL;
	}
	release(p);
	return claimed;
}

void
partition_move_remember_update(Oid root, const char *trigger, Relation rel, HeapTuple newtuple)
{
	PendingMove *p = remember(root, trigger, rel, GetCurrentCommandId(false), true);
	MemoryContext old = MemoryContextSwitchTo(moves_context);

	p->desc = CreateTupleDescCopy(RelationGetDescr(rel));
	p->tuple = heap_copytuple(newtuple);
	MemoryContextSwitchTo(old);
}

/* Whether two rows of partitions of one table hold the same values, column by column name. */
static bool
same_row(TupleDesc desc1, HeapTuple tuple1, TupleDesc desc2, HeapTuple tuple2)
{
	int			columns1 = 0;
	int			columns2 = 0;

	for (int i = 0; i < desc1->natts; i++)
		columns1 += !TupleDescAttr(desc1, i)->attisdropped;
	for (int j = 0; j < desc2->natts; j++)
	{
		Form_pg_attribute att2 = TupleDescAttr(desc2, j);
		int			i;
		bool		null1,
					null2;
		Datum		value1,
					value2;

		if (att2->attisdropped)
			continue;
		columns2++;
		for (i = 0; i < desc1->natts; i++)
			if (!TupleDescAttr(desc1, i)->attisdropped &&
				strcmp(NameStr(TupleDescAttr(desc1, i)->attname), NameStr(att2->attname)) == 0)
				break;
		if (i == desc1->natts)
			return false;
		value1 = heap_getattr(tuple1, i + 1, desc1, &null1);
		value2 = heap_getattr(tuple2, j + 1, desc2, &null2);
		if (null1 != null2 ||
			(!null1 && !datum_image_eq(value1, value2, att2->attbyval, att2->attlen)))
			return false;
	}
	return columns1 == columns2;
}

bool
partition_move_claim_insert(Oid root, const char *trigger, Relation rel, HeapTuple newtuple)
{
	PendingMove *p = take(root, trigger, true);
	bool		claimed;

	if (p == NULL)
		return false;
	claimed = p->source != RelationGetRelid(rel) &&
		p->cid == GetCurrentCommandId(false) &&
		same_row(p->desc, p->tuple, RelationGetDescr(rel), newtuple);
	release(p);
	return claimed;
}
