/*
 * pipeline_args.h - arguments the pipeline functions share: the as-of bound,
 * the window funnel's parameters, and intervals of microseconds.
 */
#ifndef PIPELINE_ARGS_H
#define PIPELINE_ARGS_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"
#include "utils/timestamp.h"

#include "bj_summaries.h"

/* An as-of bound: durations are measured up to it, so it must be finite (22023). */
extern int64 as_of_bound(TimestampTz t);

/* An event's time: finite, as PostgreSQL's timestamp subtraction needs (22008). */
extern int64 event_time(TimestampTz t);

/* A window funnel's window, steps and modes (NULL: none), checked (22023, 22004). */
extern void window_funnel_parameters(FunctionCallInfo fcinfo, const Interval *window,
									 ArrayType *steps, ArrayType *modes, bj_window_counts *params);

extern Datum interval_datum(int64 microseconds);

#endif							/* PIPELINE_ARGS_H */
