/*
 * onepass_concrete.h - what the one-pass aggregates and their concrete twins
 * share (onepass_concrete.c): reading a sorted deal log into a result.
 */
#ifndef ONEPASS_CONCRETE_H
#define ONEPASS_CONCRETE_H

#include "postgres.h"

#include "fmgr.h"

#include "bj_deal_log.h"
#include "bj_funnel.h"
#include "bj_summaries.h"

/*
 * The funnel of a sorted log of marks (bj_deal_log_sort), in the current
 * memory context: funnel_distributed's, and funnel(deal, stage, at)'s too.
 */
extern bj_funnel *funnel_of_marks(const bj_deal_log *log);

/*
 * Each deal's events of a sorted log of events, normalised, added to result;
 * false past the log's bound.
 */
extern bool summarise_events(const bj_deal_log *log, void (*add) (void *result, const bj_event *events, size_t n),
							 void *result);

/*
 * time_in_stage's as_of (argument 4; NULL is 22004): kept in d on a group's
 * first row, else false when this row's differs from it.
 */
extern bool take_as_of(FunctionCallInfo fcinfo, bj_stage_durations *d, bool fresh);

/* The two adders for summarise_events: result is a bj_stage_durations, or a bj_window_counts. */
extern void add_stage_durations(void *result, const bj_event *events, size_t n);
extern void add_window_counts(void *result, const bj_event *events, size_t n);

#endif							/* ONEPASS_CONCRETE_H */
