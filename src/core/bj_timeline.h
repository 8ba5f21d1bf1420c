/*
 * bj_timeline.h - one deal's stage events in time order, and what can be
 * read from them: time in each stage, and the ordered window funnel.
 *
 * Plain C.  Times are int64 microseconds (PostgreSQL's timestamptz).
 */
#ifndef BJ_TIMELINE_H
#define BJ_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bj_values.h"

typedef struct bj_event
{
	int64_t		at;
	uint8_t		stage;
} bj_event;

/*
 * An event time PostgreSQL can subtract: not -infinity or infinity (its
 * timestamptz codes INT64_MIN and INT64_MAX).  Events at an infinite time
 * are refused where they enter and where states are read from outside.
 */
static inline bool
bj_time_finite(int64_t at)
{
	return at != INT64_MIN && at != INT64_MAX;
}

/* b - a, saturating at the int64 limits: times read from outside may be any int64. */
extern int64_t bj_span(int64_t a, int64_t b);

/*
 * Sort by time, then by stage ordinal (so equal times have one order), and
 * drop exact duplicates.  Returns the new count.
 */
extern size_t bj_events_normalize(bj_event *events, size_t n);

/* Per stage, over [from, to): visits, total and latest time (microseconds). */
typedef struct bj_stage_time
{
	int64_t		visits;			/* entries into the stage inside the window */
	int64_t		total;			/* time spent there inside the window */
	int64_t		latest;			/* length of the latest visit inside the window */
} bj_stage_time;

/*
 * Time in stage of normalised events, counted inside [from, to).  A visit
 * runs from an event to the next event at another stage; repeated events at
 * the same stage continue the visit.  The last visit runs until `to` (the
 * as-of bound).  A visit begun before `from` counts from `from`: the stage
 * carried into the window is kept, not lost.  A visit entered before `from`
 * is not counted as an entry.  Events at or after `to` are ignored.
 * Closed outcomes (realize, lost, no_decision) are stages like the others.
 * out has BJ_STAGE_COUNT entries.
 */
extern void bj_stage_times(const bj_event *events, size_t n, int64_t from, int64_t to,
						   bj_stage_time out[BJ_STAGE_COUNT]);

/* The stage at time t (the latest event at or before t), or BJ_NO_VALUE. */
extern int	bj_stage_at(const bj_event *events, size_t n, int64_t t, int64_t *since);

/*
 * The ordered window funnel, as ClickHouse's windowFunnel computes it
 * (bj_window_funnel.c says how, and where we go beyond it).  Modes:
 */
#define BJ_FUNNEL_STRICT_ORDER 1		/* once begun, an event at no step, or a step
										 * whose step before is not reached, ends the search */
#define BJ_FUNNEL_STRICT_INCREASE 2		/* each step strictly later than the one before */
#define BJ_FUNNEL_STRICT_DEDUP 4		/* a step met again, once reached, ends the search */
#define BJ_FUNNEL_STRICT_ONCE 8			/* an event counts for one step of a chain only */
#define BJ_FUNNEL_ALLOW_REENTRY 16		/* with strict_order: a step whose step before is
										 * not reached is passed over instead */
#define BJ_FUNNEL_MODES 31

#define BJ_MAX_STEPS 16

/*
 * The deepest step reached by a chain steps[0], steps[1], ... matched in
 * time order by normalised events, all within `window` of the chain's first
 * event.  Returns the depth (0 if steps[0] never occurs) and, in at[], the
 * time of each step of the first chain that reached that depth.  false
 * modes: see bj_window_funnel_modes_valid.
 */
extern int	bj_window_funnel(const bj_event *events, size_t n, int64_t window,
							 const uint8_t *steps, int nsteps, int flags, int64_t at[BJ_MAX_STEPS]);

/* Known mode bits, and allow_reentry only with strict_order (as ClickHouse has it). */
extern bool bj_window_funnel_modes_valid(int flags);

#endif							/* BJ_TIMELINE_H */
