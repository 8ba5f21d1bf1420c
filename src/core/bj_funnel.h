/*
 * bj_funnel.h - pipeline conversion counts over a set of journeys.
 *
 * Plain C.  Counts add up, so funnels of disjoint sets of deals merge by
 * addition.  Both readings of a skipped stage are kept, so the choice is made
 * when reading, not when aggregating:
 *   entered[s]  deals with an event at s;
 *   passed[s]   deals that entered s, or skipped it on the way between the
 *               first and the furthest of unaware..realize they entered
 *               (a deal that jumps from explore to decide passed define and
 *               select); for lost and no_decision the same as entered;
 *   moved_on[s] / moved_on_passed[s]: of those, deals that also reached a
 *               stage beyond s on the way to realize;
 *   current[s]  deals whose latest event is at s (the snapshot reading).
 */
#ifndef BJ_FUNNEL_H
#define BJ_FUNNEL_H

#include <stdint.h>

#include "bj_journey.h"

typedef struct bj_funnel
{
	int64_t		deals;
	int64_t		entered[BJ_STAGE_COUNT];
	int64_t		passed[BJ_STAGE_COUNT];
	int64_t		moved_on[BJ_STAGE_COUNT];
	int64_t		moved_on_passed[BJ_STAGE_COUNT];
	int64_t		current[BJ_STAGE_COUNT];
} bj_funnel;

extern void bj_funnel_init(bj_funnel *f);
extern void bj_funnel_add(bj_funnel *f, const bj_journey *j);
/* n deals of this journey's shape (stages entered, last stage) */
extern void bj_funnel_add_many(bj_funnel *f, const bj_journey *j, int64_t n);
extern void bj_funnel_merge(bj_funnel *into, const bj_funnel *from);

/* Outcomes from the snapshot: won = at realize, open = at unaware..approve. */
extern int64_t bj_funnel_won(const bj_funnel *f);
extern int64_t bj_funnel_lost(const bj_funnel *f);
extern int64_t bj_funnel_no_decision(const bj_funnel *f);
extern int64_t bj_funnel_open(const bj_funnel *f);
extern int64_t bj_funnel_closed(const bj_funnel *f);

/*
 * Counts read from outside are bounded, so that adding up even many of them
 * cannot overflow (no real set of deals comes near).
 */
#define BJ_MAX_COUNT (INT64_C(1) << 48)

/* Consistency of a funnel read from outside (counts within deals, >= 0). */
extern bool bj_funnel_valid(const bj_funnel *f);

#endif							/* BJ_FUNNEL_H */
