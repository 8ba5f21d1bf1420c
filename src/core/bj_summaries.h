/*
 * bj_summaries.h - what the one-pass aggregates over many deals' events
 * return: time in stage (stage durations) and the ordered window funnel
 * (window counts).  Both add up over disjoint sets of deals, so results of
 * groups roll up (days into months) by addition.
 *
 * Plain C.  Times are int64 microseconds (PostgreSQL's timestamptz).
 */
#ifndef BJ_SUMMARIES_H
#define BJ_SUMMARIES_H

#include <stdbool.h>
#include <stdint.h>

#include "bj_timeline.h"

/*
 * A 128-bit sum of microseconds: millions of visits of years each overflow
 * 64 bits.  Two halves, so the struct keeps 8-byte alignment.
 */
typedef struct bj_sum128
{
	uint64_t	lo;
	int64_t		hi;
} bj_sum128;

/* The compiler's 128-bit integer (GCC and Clang), for arithmetic on sums. */
__extension__ typedef __int128 bj_int128;
extern bj_int128 bj_sum128_get(const bj_sum128 *s);
extern void bj_sum128_set(bj_sum128 *s, bj_int128 v);

extern void bj_sum128_add(bj_sum128 *s, int64_t v);
extern void bj_sum128_merge(bj_sum128 *into, const bj_sum128 *from);
/* sum / count rounded to nearest; count > 0 */
extern int64_t bj_sum128_mean(const bj_sum128 *s, int64_t count);

/*
 * Time in stage over many deals, read as of one time (events at or after it
 * are not seen).  Visits are those of bj_stage_times: a visit runs from an
 * event to the next event at another stage.
 */
typedef struct bj_stage_durations
{
	int64_t		as_of;
	int64_t		deals;			/* deals with an event before as_of */
	int64_t		visits[BJ_STAGE_COUNT];		/* entries into the stage */
	int64_t		left[BJ_STAGE_COUNT];		/* visits ended by a move to another stage */
	bj_sum128	left_time[BJ_STAGE_COUNT];	/* their total length */
	int64_t		open[BJ_STAGE_COUNT];		/* visits still going at as_of: deals now there */
	bj_sum128	open_time[BJ_STAGE_COUNT];	/* their length so far */
} bj_stage_durations;

extern void bj_stage_durations_init(bj_stage_durations *d, int64_t as_of);
/* One deal's normalised events. */
extern void bj_stage_durations_add(bj_stage_durations *d, const bj_event *events, size_t n);
/* false if as_of differs (the caller reports it) */
extern bool bj_stage_durations_merge(bj_stage_durations *into, const bj_stage_durations *from);
extern bool bj_stage_durations_valid(const bj_stage_durations *d);

/* The ordered window funnel over many deals. */
typedef struct bj_window_counts
{
	int64_t		window;
	int32_t		nsteps;
	int32_t		flags;
	uint8_t		steps[BJ_MAX_STEPS];
	int64_t		deals;			/* deals with an event */
	int64_t		reached[BJ_MAX_STEPS];	/* deals whose chain reached step k (0-based) */
	bj_sum128	step_time[BJ_MAX_STEPS];	/* over those: time from step k-1 to step k */
} bj_window_counts;

/* false for bad parameters (the caller reports them) */
extern bool bj_window_counts_init(bj_window_counts *w, int64_t window, const uint8_t *steps,
								  int nsteps, int flags);
extern void bj_window_counts_add(bj_window_counts *w, const bj_event *events, size_t n);
/* false if the parameters differ */
extern bool bj_window_counts_merge(bj_window_counts *into, const bj_window_counts *from);
extern bool bj_window_counts_valid(const bj_window_counts *w);

#endif							/* BJ_SUMMARIES_H */
