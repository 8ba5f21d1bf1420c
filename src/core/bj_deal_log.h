/*
 * bj_deal_log.h - records keyed by deal, gathered in one pass and read back
 * grouped by deal: the state of the one-pass pipeline aggregates.
 *
 * Plain C; memory comes from the caller's allocator (palloc in PostgreSQL).
 *
 * Why a sorted log and not a hash table: appending is sequential, a run of
 * events of one deal (a table clustered by deal) collapses as it arrives,
 * and everything else is put in deal order by a radix sort whose passes
 * stream through memory.  Parallel workers each hand over one sorted run;
 * runs are merged, never re-hashed.  A hash table of two million deals took
 * a cache miss per event and a full rebuild per worker.
 *
 * Every record starts with its deal (int64).  A log of mergeable records
 * (marks) has a merge function: records of one deal in one run are then
 * collapsed into one when the run is sorted, so its memory follows the
 * number of deals.  A log without one (events) keeps every record.
 *
 * Runs handed over by workers stay packed (bj_deal_run.h) and are decoded
 * only as they are read; records arriving in deal order are packed at once,
 * and an open run that reaches chunk_records is sorted and packed, so its
 * memory is used again instead of growing (fresh memory is what costs).
 */
#ifndef BJ_DEAL_LOG_H
#define BJ_DEAL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bj_deal_run.h"
#include "bj_mark.h"
#include "bj_timeline.h"

typedef struct bj_allocator
{
	void	   *(*alloc) (void *context, size_t size);	/* memory, or NULL */
	void	   *(*resize) (void *context, void *pointer, size_t size);	/* like realloc, or NULL */
	void		(*release) (void *context, void *pointer);
	void	   *context;
} bj_allocator;

/* The two kinds of record, of one size (the radix sort moves them whole). */
typedef struct bj_deal_mark
{
	int64_t		deal;
	bj_mark		mark;
} bj_deal_mark;					/* 24 bytes */

typedef struct bj_deal_event
{
	int64_t		deal;
	bj_event	event;
} bj_deal_event;				/* 24 bytes */

typedef void (*bj_record_merge) (void *into, const void *from);

/* Merges marks of one deal (for bj_deal_log_init). */
extern void bj_deal_mark_merge(void *into, const void *from);

/* Records in an array. */
typedef struct bj_deal_run
{
	uint8_t    *records;
	size_t		count;
} bj_deal_run;

#define BJ_DEAL_LOG_MAX_RUNS 8
#define BJ_DEAL_LOG_CHUNK_RECORDS ((size_t) 1 << 18)
/* Small, and doubled as needed: with GROUP BY deal there is one log per deal. */
#define BJ_DEAL_LOG_INITIAL_RECORDS 16

typedef struct bj_deal_log
{
	size_t		record_size;	/* sizeof one of the record types above */
	bj_record_merge merge;		/* or NULL: keep every record */
	bj_deal_run open;			/* appended to */
	size_t		capacity;		/* of open, in records */
	bool		open_sorted;	/* open is in deal order (mergeable: and collapsed) */
	/*
	 * While records arrive in deal order (a table clustered by deal), they
	 * are packed as they come, the last one waiting in open (so that events
	 * of its deal can still merge into it): a third of the memory, and
	 * nothing to sort.  The first record out of order unpacks them.
	 */
	bool		packing;
	bj_run_writer writer;
	uint8_t    *packed;
	size_t		packed_room;
	int			nsealed;
	bj_packed_run sealed[BJ_DEAL_LOG_MAX_RUNS];	/* checked runs handed over */
	size_t		chunk_records;	/* a full open run this long is sorted and packed */
	size_t		bytes;			/* held in records */
	size_t		max_bytes;		/* bound on bytes; a sort briefly needs as much again */
	bj_allocator allocator;
} bj_deal_log;

/* false if the first allocation fails. */
extern bool bj_deal_log_init(bj_deal_log *log, size_t record_size, bj_record_merge merge,
							 size_t max_bytes, bj_allocator allocator);
/*
 * The same with the open run's first capacity and its chunk length (both at
 * least 1) given: tests make them tiny so that every path is taken.
 */
extern bool bj_deal_log_init_sized(bj_deal_log *log, size_t record_size, bj_record_merge merge,
								   size_t max_bytes, bj_allocator allocator,
								   size_t initial_records, size_t chunk_records);
extern void bj_deal_log_free(bj_deal_log *log);

/*
 * A new record of deal at the end of the open run, its other bytes to be
 * filled by the caller; NULL when the log would grow past max_bytes (or
 * memory runs out).
 */
extern void *bj_deal_log_push(bj_deal_log *log, int64_t deal);

/* The last record pushed, or NULL: a caller may merge an event into it. */
static inline void *
bj_deal_log_last(bj_deal_log *log)
{
	return log->open.count ? log->open.records + (log->open.count - 1) * log->record_size : NULL;
}

/*
 * One stage event into a log of marks (merged into the last record when
 * it is the same deal's) or of events; false past the bound.
 */
extern bool bj_deal_log_add_to_marks(bj_deal_log *log, int64_t deal, int stage, int64_t at);
extern bool bj_deal_log_add_event(bj_deal_log *log, int64_t deal, int stage, int64_t at);

/*
 * Add a checked packed run (bj_packed_run_check) whose bytes come from the
 * log's allocator; the log owns them from then on, unless the run is
 * borrowed (its owner keeps them until the log is gone).  false past
 * max_bytes.
 */
extern bool bj_deal_log_adopt(bj_deal_log *log, bj_packed_run run);

/* Put the open run in deal order (and collapse it); false out of memory. */
extern bool bj_deal_log_sort(bj_deal_log *log);

/* Records held in all runs. */
extern size_t bj_deal_log_records(const bj_deal_log *log);

/* Everything in the open run, in order; false past the bound or out of memory. */
extern bool bj_deal_log_flatten(bj_deal_log *log);

/*
 * Reading a sorted log one deal at a time, across its runs: the deal's
 * records of the open run in place, and those of packed runs decoded into
 * the cursor's buffer.
 */
typedef struct bj_deal_group
{
	int64_t		deal;
	int			nslices;
	const uint8_t *records[2];
	size_t		count[2];
} bj_deal_group;

typedef struct bj_deal_cursor
{
	size_t		position;		/* in the open run */
	bj_run_reader readers[BJ_DEAL_LOG_MAX_RUNS];
	uint8_t    *buffer;			/* decoded records of the current deal */
	size_t		room;			/* records the buffer holds */
} bj_deal_cursor;

/* Call bj_deal_log_sort first.  next is false at the end (or out of memory: *failed). */
extern void bj_deal_cursor_start(const bj_deal_log *log, bj_deal_cursor *cursor);
extern bool bj_deal_log_next_group(const bj_deal_log *log, bj_deal_cursor *cursor, bj_deal_group *group,
								   bool *failed);
extern void bj_deal_cursor_end(const bj_deal_log *log, bj_deal_cursor *cursor);

/* Mark logs, read faster: the next deal and its marks merged (no copies). */
extern bool bj_deal_log_next_mark(const bj_deal_log *log, bj_deal_cursor *cursor, int64_t *deal,
								  bj_mark *mark);

/*
 * Event logs, read faster: the next deal's events (its count in *n) in the
 * cursor's buffer, which the caller may reorder; NULL at the end (or out of
 * memory: *failed).
 */
extern bj_event *bj_deal_log_next_events(const bj_deal_log *log, bj_deal_cursor *cursor, int64_t *deal,
										 size_t *n, bool *failed);

/* Mark logs: the deal's marks merged into one. */
extern void bj_deal_group_mark(const bj_deal_group *group, bj_mark *out);

/* Event logs: the deal's events, copied to out (room for bj_deal_group_size). */
extern size_t bj_deal_group_size(const bj_deal_group *group);
extern void bj_deal_group_events(const bj_deal_group *group, bj_event *out);

/*
 * The log's only records, if they are one packed run and nothing else (a
 * worker fed in deal order, or a deserialised state): packing copies it as it is.
 */
static inline const bj_packed_run *
bj_deal_log_one_run(const bj_deal_log *log)
{
	return log->nsealed == 1 && log->open.count == 0 ? &log->sealed[0] : NULL;
}

/* The log as one packed run: at most max_size bytes; returns the length. */
extern size_t bj_deal_log_pack_max_size(const bj_deal_log *log);
extern bool bj_deal_log_pack(const bj_deal_log *log, uint8_t *out, size_t *len);

/* Sort records by deal (stable); scratch holds as many.  Exposed for tests. */
extern void bj_sort_by_deal(uint8_t *records, uint8_t *scratch, size_t n, size_t record_size);

static inline int64_t
bj_record_deal(const uint8_t *record)
{
	int64_t		deal;

	__builtin_memcpy(&deal, record, sizeof(deal));
	return deal;
}

#endif							/* BJ_DEAL_LOG_H */
