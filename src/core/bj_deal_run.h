/*
 * bj_deal_run.h - a deal log's records packed for handing over between
 * parallel workers: in deal order, deal and time as deltas from the record
 * before in as few bytes as they need, so a run takes about a third of the
 * memory of the records (what a worker sends, the leader receives and keeps).
 *
 * Plain C.  The packed form is versioned and byte-order independent, and is
 * checked completely when read (bj_packed_run_check): a reader of a checked
 * run cannot go wrong.
 *
 * Form: version byte, kind byte (marks or events), record count (8 bytes,
 * big-endian), then per record
 *   a tag byte: bits 0-3 the stage (marks: the last stage), bits 4-6 the
 *     byte length of the time delta less one, bit 7 the deal flag;
 *   marks:    the other stages entered (1 byte: the last stage's bit left
 *             out, the bits above it moved down), the deal delta as a uvarint
 *             unless the flag says it is 1, the last_at delta;
 *   events:   the deal delta as a uvarint unless the flag says it is 0 (the
 *             same deal), the at delta;
 *   the time delta last: zigzag, little-endian, in the fewest bytes (1-8).
 * The first record's deltas are from deal INT64_MIN and time 0.  Fixed
 * fields and one length for the time (the one field that is always large)
 * make a record quick to write, read and check, and a mark about 8 bytes.
 */
#ifndef BJ_DEAL_RUN_H
#define BJ_DEAL_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bj_form.h"
#include "bj_mark.h"
#include "bj_timeline.h"

typedef struct bj_packed_run
{
	uint8_t    *bytes;			/* the whole form, header included */
	size_t		len;
	uint64_t	count;			/* records */
	bool		marks;			/* else events */
	bool		borrowed;		/* bytes someone else frees: never released */
} bj_packed_run;

#define BJ_PACKED_HEADER_SIZE 10
/*
 * Room a writer needs for one record: tag, entered, a 10-byte varint and
 * 8 bytes of time, and 7 bytes more for writing the time as one word.
 */
#define BJ_PACKED_MAX_RECORD (1 + 1 + 10 + 8 + 7)

/* Writing: header first, then records in deal order, then finish. */
typedef struct bj_run_writer
{
	uint8_t    *start;
	uint8_t    *p;
	uint64_t	count;
	int64_t		deal;
	int64_t		at;
	bool		marks;
} bj_run_writer;

extern void bj_run_writer_start(bj_run_writer *w, uint8_t *out, bool marks);
extern void bj_run_write_mark(bj_run_writer *w, int64_t deal, const bj_mark *m);
extern void bj_run_write_event(bj_run_writer *w, int64_t deal, const bj_event *e);
/* Fills in the count; returns the form's length. */
extern size_t bj_run_writer_finish(bj_run_writer *w);

/* Reading a checked run, record by record. */
typedef struct bj_run_reader
{
	const uint8_t *p;
	const uint8_t *end;			/* of the run */
	uint64_t	remaining;
	int64_t		deal;			/* of the current record */
	int64_t		at;				/* the previous record's time */
	bj_mark		mark;			/* the current record, if marks */
	bj_event	event;			/* the current record, if events */
	bool		marks;
	bool		valid;			/* a current record is there */
} bj_run_reader;

extern void bj_run_reader_start(bj_run_reader *r, const bj_packed_run *run);
/* Move to the next record; false (and !valid) at the end. */
extern bool bj_run_reader_next(bj_run_reader *r);

/* The record count in a run's header (of a run this process packed, or checked). */
extern uint64_t bj_packed_run_count(const uint8_t *bytes);

/* Everything a reader will rely on: lengths, canonical varints, order, values. */
extern bj_decode_error bj_packed_run_check(const uint8_t *bytes, size_t len, bool marks, uint64_t *count);

#endif							/* BJ_DEAL_RUN_H */
