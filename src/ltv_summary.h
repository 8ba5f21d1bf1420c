/*
 * ltv_summary.h - the customer value summary as the model functions read it.
 */
#ifndef LTV_SUMMARY_H
#define LTV_SUMMARY_H

#include "postgres.h"

#include "utils/timestamp.h"

#include "bj_ltv_models.h"
#include "bj_periods.h"

typedef struct CustomerState
{
	bj_period_unit unit;
	bool		any;
	bool		from_dates;		/* every purchase a date: periods are civil days */
	int64		first_at;		/* earliest purchase */
	int64		last_at;		/* latest purchase */
	int32		first_period;
	bj_period_set periods;		/* distinct purchase periods */
	Datum		total;			/* numeric: all purchases */
	Datum		first_amount;	/* numeric: the first period's purchases */
} CustomerState;

/* A stored customer_summary, checked and decoded. */
extern CustomerState *summary_state(struct varlena *v);

/* (total - first period's amount) / repeat periods, 0 without repeats (numeric). */
extern Datum summary_mean_repeat_spend(CustomerState *s);

/* The time between two periods' starts in a unit (22023 for a unit of the wrong kind). */
extern double summary_span(const CustomerState *s, int32 from, int32 to, const bj_time_unit *unit);

/*
 * The period of as_of (22023 if not finite or before the last purchase).  A
 * summary of dates reads as_of as its civil date in the session's time zone.
 */
extern int32 summary_as_of(const CustomerState *s, TimestampTz as_of);

/* A time unit from an interval: months, or a fixed length (22023 otherwise). */
extern bj_time_unit time_unit_arg(const Interval *i);

#endif							/* LTV_SUMMARY_H */
