/*
 * partition_moves.h - recognising an UPDATE that moves a row to another
 * partition, so that the guard judges it as the move it is.
 *
 * PostgreSQL runs such an UPDATE as a DELETE from the old partition and an
 * INSERT into the new one, and fires the row triggers of the partitions, not
 * an UPDATE trigger of the partitioned table:
 *   BEFORE: BEFORE UPDATE (old partition, old and new row), BEFORE DELETE
 *           (old), BEFORE INSERT (new partition);
 *   AFTER:  AFTER DELETE (old partition), AFTER INSERT (new partition),
 *           one row after the other, in the order they were written.
 * The guard remembers the first half here and claims it at the INSERT half,
 * which then is judged as a move from the old row instead of as a start.
 */
#ifndef PARTITION_MOVES_H
#define PARTITION_MOVES_H

#include "postgres.h"

#include "access/htup.h"
#include "utils/relcache.h"

/* What the guard needs of the row as it was before the move. */
typedef struct MovedRow
{
	int			value;			/* guarded value, BJ_NO_VALUE for NULL */
	char	   *process;		/* its process_column, NULL if NULL or none */
	char	   *key;			/* its key as history text, NULL if no history */
} MovedRow;

/* The root of the partition tree of a partition (the table itself if none). */
extern Oid	partition_root(Relation rel);

/* Whether an AFTER DELETE saw the old half of a row moved to another partition. */
extern bool partition_move_deleted(HeapTuple deleted);

/*
 * AFTER triggers: remember the old row of a move (from AFTER DELETE), and
 * claim it at the AFTER INSERT of the same trigger on another partition,
 * written by the same command.  Returns false when the insert is no move.
 */
extern void partition_move_remember_deleted(Oid root, const char *trigger, Relation rel,
											HeapTuple deleted, const MovedRow *row);
extern bool partition_move_claim_inserted(Oid root, const char *trigger, Relation rel,
										  HeapTuple inserted, MovedRow *row);

/*
 * BEFORE triggers: BEFORE UPDATE judged the whole move; remember the new
 * row, and let the BEFORE INSERT of exactly that row into another partition
 * in the same command pass as the move already judged.
 */
extern void partition_move_remember_update(Oid root, const char *trigger, Relation rel,
										   HeapTuple newtuple);
extern bool partition_move_claim_insert(Oid root, const char *trigger, Relation rel,
										HeapTuple newtuple);

#endif							/* PARTITION_MOVES_H */
