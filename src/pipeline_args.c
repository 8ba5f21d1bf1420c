/*
 * pipeline_args.c - arguments the pipeline functions share.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "pipeline_args.h"
#include "value_types.h"

int64
as_of_bound(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the as_of bound must be a finite time"),
				 errhint("Durations run up to as_of; use now() or a date.")));
	return t;
}

int64
event_time(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("an event time must be finite, not %s", TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
				 errhint("Durations from an infinite time have no length; leave such rows out or give them a time.")));
	return t;
}

/*
 * A duration as an interval justified into 24-hour days and the rest
 * (justify_hours): '106 days 18:00:00' rather than '2562:00:00'.  Every
 * duration reader reports this way; extract(epoch) and comparisons are the
 * same either way.
 */
Datum
interval_datum(int64 microseconds)
{
	Interval   *i = palloc0(sizeof(Interval));

	i->day = (int32) (microseconds / USECS_PER_DAY);
	i->time = microseconds % USECS_PER_DAY;
	return IntervalPGetDatum(i);
}

/* A window funnel mode's flag, by ClickHouse's name for it. */
static int
window_funnel_mode(const char *mode)
{
	static const struct
	{
		const char *name;
		int			flag;
	}			modes[] = {
		{"strict_order", BJ_FUNNEL_STRICT_ORDER},
		{"strict_increase", BJ_FUNNEL_STRICT_INCREASE},
		{"strict_deduplication", BJ_FUNNEL_STRICT_DEDUP},
		{"strict_once", BJ_FUNNEL_STRICT_ONCE},
		{"allow_reentry", BJ_FUNNEL_ALLOW_REENTRY},
	};

	for (size_t i = 0; i < lengthof(modes); i++)
		if (strcmp(mode, modes[i].name) == 0)
			return modes[i].flag;
	/* ClickHouse's old name, refused by ClickHouse the same way */
	if (strcmp(mode, "strict") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window funnel mode \"strict\" is now called strict_deduplication")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown window funnel mode \"%s\"", mode),
			 errhint("Modes are strict_order, strict_increase, strict_deduplication, strict_once and allow_reentry (with strict_order).")));
	return 0;
}

void
window_funnel_parameters(FunctionCallInfo fcinfo, const Interval *window,
						 ArrayType *steps_array, ArrayType *modes, bj_window_counts *params)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nsteps;
	int			nmodes;
	uint8		steps[BJ_MAX_STEPS];
	int			flags = 0;
	/* journey_stage lives in the calling function's schema */
	Oid			stage_type = value_type_oid(get_func_namespace(fcinfo->flinfo->fn_oid), BJ_KIND_STAGE);

	if (window->month != 0 || window->day != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window must be a fixed length, such as '30 days' written as '720 hours'"),
				 errhint("Write it in hours, minutes or seconds: months and days vary in length.")));
	if (window->time < 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("the window must not be negative")));

	deconstruct_array(steps_array, stage_type, 1, true, TYPALIGN_CHAR, &elems, &nulls, &nsteps);
	if (nsteps < 1 || nsteps > BJ_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a window funnel has 1 to %d steps, not %d", BJ_MAX_STEPS, nsteps)));
	for (int k = 0; k < nsteps; k++)
	{
		if (nulls[k])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("a window funnel step is NULL")));
		steps[k] = (uint8) DatumGetChar(elems[k]);
	}
	/* no modes array: the five-argument aggregate, the default mode */
	nmodes = 0;
	if (modes != NULL)
		deconstruct_array(modes, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nmodes);
	for (int m = 0; m < nmodes; m++)
	{
		char	   *mode;

		if (nulls[m])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a window funnel mode must not be NULL"),
					 errhint("Pass '{}' for the default mode.")));
		mode = TextDatumGetCString(elems[m]);
		flags |= window_funnel_mode(mode);
	}
	if ((flags & BJ_FUNNEL_ALLOW_REENTRY) && !(flags & BJ_FUNNEL_STRICT_ORDER))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window funnel mode allow_reentry needs strict_order"),
				 errhint("Pass '{strict_order,allow_reentry}', as ClickHouse's windowFunnel requires.")));
	if (!bj_window_counts_init(params, window->time, steps, nsteps, flags))
		elog(ERROR, "invalid journey_stage code in window funnel steps");
}
