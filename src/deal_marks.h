/*
 * deal_marks.h - what the funnel aggregates over marks share (deal_marks.c).
 */
#ifndef DEAL_MARKS_H
#define DEAL_MARKS_H

#include "postgres.h"

#include "bj_deal_log.h"
#include "bj_funnel.h"

/*
 * The funnel of a sorted log of marks (bj_deal_log_sort), in the current
 * memory context: funnel_distributed's, and funnel(deal, stage, at)'s too.
 */
extern bj_funnel *funnel_of_marks(const bj_deal_log *log);

#endif							/* DEAL_MARKS_H */
