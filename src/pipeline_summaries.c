/*
 * pipeline_summaries.c - the result types of the one-pass time_in_stage and
 * window_funnel aggregates (stage_durations, window_counts): their forms,
 * their roll-up, and their reports.
 *
 * Both are fixed-size, pass-by-reference types whose memory image is the C
 * struct of bj_summaries.h; their binary form is the versioned, big-endian
 * wire form (bj_encode.h) and their text form the hex of it.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "bj_encode.h"
#include "bj_summaries.h"
#include "pipeline_args.h"
#include "state_io.h"

/* The SQL types declare these sizes (INTERNALLENGTH, generated in the Makefile). */
StaticAssertDecl(sizeof(bj_stage_durations) == 520, "stage_durations INTERNALLENGTH");
StaticAssertDecl(sizeof(bj_window_counts) == 424, "window_counts INTERNALLENGTH");

static void
encode_durations(const void *state, uint8_t *out)
{
	bj_stage_durations_encode(state, out);
}

static bj_decode_error
decode_durations(const uint8_t *in, size_t len, void *state)
{
	return bj_stage_durations_decode(in, len, state);
}

static void
encode_window(const void *state, uint8_t *out)
{
	bj_window_counts_encode(state, out);
}

static bj_decode_error
decode_window(const uint8_t *in, size_t len, void *state)
{
	return bj_window_counts_decode(in, len, state);
}

static const StateForm durations_form = {"stage_durations", BJ_STAGE_DURATIONS_FORM_SIZE, sizeof(bj_stage_durations), encode_durations, decode_durations};
static const StateForm window_form = {"window_counts", BJ_WINDOW_COUNTS_FORM_SIZE, sizeof(bj_window_counts), encode_window, decode_window};

STATE_IO(stage_durations, durations_form)
STATE_IO(window_counts, window_form)

/* stage_durations_merge: results of disjoint sets of deals, read as of one time, add up. */
PG_FUNCTION_INFO_V1(stage_durations_merge);
Datum
stage_durations_merge(PG_FUNCTION_ARGS)
{
	bj_stage_durations *d;
	bool		fresh = PG_ARGISNULL(0);

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1));
	d = mutable_state(fcinfo, sizeof(bj_stage_durations));
	if (fresh)
		*d = *(bj_stage_durations *) PG_GETARG_POINTER(1);
	else if (!bj_stage_durations_merge(d, (bj_stage_durations *) PG_GETARG_POINTER(1)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add up times in stage read as of different times")));
	check_produced_state("stage_durations", bj_stage_durations_valid(d));
	PG_RETURN_POINTER(d);
}

/* window_counts_merge: the same window, steps and mode over disjoint sets of deals. */
PG_FUNCTION_INFO_V1(window_counts_merge);
Datum
window_counts_merge(PG_FUNCTION_ARGS)
{
	bj_window_counts *w;
	bool		fresh = PG_ARGISNULL(0);

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1));
	w = mutable_state(fcinfo, sizeof(bj_window_counts));
	if (fresh)
		*w = *(bj_window_counts *) PG_GETARG_POINTER(1);
	else if (!bj_window_counts_merge(w, (bj_window_counts *) PG_GETARG_POINTER(1)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add up window funnels of different windows, steps or modes")));
	check_produced_state("window_counts", bj_window_counts_valid(w));
	PG_RETURN_POINTER(w);
}

static void
put_mean(Datum *value, bool *null, const bj_sum128 *sum, int64 count)
{
	*null = count == 0;
	*value = count ? interval_datum(bj_sum128_mean(sum, count)) : (Datum) 0;
}

/*
 * time_in_stage_report(stage_durations): per stage entered, visits, how many
 * moved on and their mean time to the next stage, how many are still there
 * and their mean time so far.
 */
PG_FUNCTION_INFO_V1(stage_durations_report);
Datum
stage_durations_report(PG_FUNCTION_ARGS)
{
	bj_stage_durations *d = (bj_stage_durations *) PG_GETARG_POINTER(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		Datum		values[7];
		bool		nulls[7] = {false};
		bj_sum128	total = d->left_time[s];

		if (d->visits[s] == 0)
			continue;
		bj_sum128_merge(&total, &d->open_time[s]);
		values[0] = CharGetDatum((char) s);
		values[1] = Int64GetDatum(d->visits[s]);
		values[2] = Int64GetDatum(d->left[s]);
		put_mean(&values[3], &nulls[3], &d->left_time[s], d->left[s]);
		values[4] = Int64GetDatum(d->open[s]);
		put_mean(&values[5], &nulls[5], &d->open_time[s], d->open[s]);
		put_mean(&values[6], &nulls[6], &total, d->visits[s]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * window_funnel_report(window_counts): per step, the deals whose chain got
 * that far, conversion from the step before and from the first, and the mean
 * time from the step before.
 */
PG_FUNCTION_INFO_V1(window_counts_report);
Datum
window_counts_report(PG_FUNCTION_ARGS)
{
	bj_window_counts *w = (bj_window_counts *) PG_GETARG_POINTER(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int k = 0; k < w->nsteps; k++)
	{
		Datum		values[6];
		bool		nulls[6] = {false};
		int64		before = k == 0 ? w->deals : w->reached[k - 1];

		values[0] = Int32GetDatum(k + 1);
		values[1] = CharGetDatum((char) w->steps[k]);
		values[2] = Int64GetDatum(w->reached[k]);
		values[3] = Float8GetDatum(before ? (double) w->reached[k] / before : 0);
		nulls[3] = before == 0;
		values[4] = Float8GetDatum(w->reached[0] ? (double) w->reached[k] / w->reached[0] : 0);
		nulls[4] = w->reached[0] == 0;
		if (k == 0)
			nulls[5] = true;
		else
			put_mean(&values[5], &nulls[5], &w->step_time[k], w->reached[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
