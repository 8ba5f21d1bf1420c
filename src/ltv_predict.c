/*
 * ltv_predict.c - predictions from fitted models, and lifetime value.
 *
 * Every time is an interval (or comes from a customer summary and an as_of
 * time) and is converted into the unit the model was fitted in, so a model
 * fitted in weeks cannot be fed days.  A model whose fit did not converge is
 * refused (22023).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "bj_ltv.h"
#include "bj_ltv_models.h"
#include "core_interrupts.h"
#include "ltv_models.h"
#include "ltv_summary.h"

static const bj_bgnbd_model *
usable_bgnbd(FunctionCallInfo fcinfo, int n)
{
	const bj_bgnbd_model *m = (const bj_bgnbd_model *) PG_GETARG_POINTER(n);

	if (!m->converged)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the BG/NBD model did not converge"),
				 errhint("See bgnbd_report(model); refit with a penalty or more data.")));
	return m;
}

static const bj_gg_model *
usable_gg(FunctionCallInfo fcinfo, int n)
{
	const bj_gg_model *m = (const bj_gg_model *) PG_GETARG_POINTER(n);

	if (!m->converged)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the Gamma-Gamma model did not converge"),
				 errhint("See gammagamma_report(model); refit with a penalty or more data.")));
	return m;
}

/* An interval in the model's unit. */
static double
in_model_unit(const bj_bgnbd_model *m, const Interval *i, const char *what)
{
	if (m->unit.months > 0)
	{
		if (i->day != 0 || i->time != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be in months: the model was fitted in months", what)));
		return (double) i->month / m->unit.months;
	}
	if (i->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a fixed length (days, hours), not months", what),
				 errhint("Months vary in length; write '30 days' or '4 weeks'.")));
	return ((double) i->day * USECS_PER_DAY + (double) i->time) / (double) m->unit.usecs;
}

/*
 * The result of a core call, read only after the call: check_result(f(..,
 * &out), &out, ..) may evaluate its arguments in any order.
 */
/* How many of the model's units one given unit is (22023 across months and fixed lengths). */
static double
unit_factor(const bj_bgnbd_model *m, const Interval *unit_arg)
{
	bj_time_unit u = time_unit_arg(unit_arg);

	if ((u.months > 0) != (m->unit.months > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the time unit must be %s: the model was fitted in %s",
						m->unit.months > 0 ? "months" : "a fixed length", m->unit.months > 0 ? "months" : "a fixed length")));
	return u.months > 0 ? (double) u.months / m->unit.months : (double) u.usecs / (double) m->unit.usecs;
}

static double
check_result(bj_ltv_error e, const double *out, const char *what)
{
	core_interrupts_rethrow();
	if (e != BJ_LTV_OK)
		report_ltv_error(e, what);
	return *out;
}

/* (x, t_x, T) of a summary read as of a time, in the model's unit. */
static void
summary_rfm(const bj_bgnbd_model *m, struct varlena *v, TimestampTz as_of, double *x, double *t_x, double *T,
			CustomerState **state)
{
	CustomerState *s = summary_state(v);
	int32		now = summary_as_of(s, as_of);

	*x = (double) s->periods.count - 1;
	*t_x = summary_span(s, s->periods.items[0], s->periods.items[s->periods.count - 1], &m->unit);
	*T = summary_span(s, s->periods.items[0], now, &m->unit);
	if (state)
		*state = s;
}

/* expected_purchases(model, horizon): a new customer's purchases in (0, horizon]. */
PG_FUNCTION_INFO_V1(bgnbd_expected_new);
Datum
bgnbd_expected_new(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		out = 0;

	PG_RETURN_FLOAT8(check_result(bj_bgnbd_expected(&m->par, in_model_unit(m, PG_GETARG_INTERVAL_P(1), "the horizon"), &out),
								  &out, "expected_purchases"));
}

/* expected_purchases(model, frequency, recency, age, horizon): given the history. */
PG_FUNCTION_INFO_V1(bgnbd_expected_given);
Datum
bgnbd_expected_given(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		out = 0;

	PG_RETURN_FLOAT8(check_result(bj_bgnbd_conditional(&m->par, PG_GETARG_FLOAT8(1),
													   in_model_unit(m, PG_GETARG_INTERVAL_P(2), "recency"),
													   in_model_unit(m, PG_GETARG_INTERVAL_P(3), "age"),
													   in_model_unit(m, PG_GETARG_INTERVAL_P(4), "the horizon"), &out),
								  &out, "expected_purchases"));
}

/* expected_purchases(model, frequency, recency, age, horizon, time_unit): numbers in an explicit unit */
PG_FUNCTION_INFO_V1(bgnbd_expected_numbers);
Datum
bgnbd_expected_numbers(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		k = unit_factor(m, PG_GETARG_INTERVAL_P(5));
	double		out = 0;

	PG_RETURN_FLOAT8(check_result(bj_bgnbd_conditional(&m->par, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2) * k,
													   PG_GETARG_FLOAT8(3) * k, PG_GETARG_FLOAT8(4) * k, &out),
								  &out, "expected_purchases"));
}

/* probability_alive(model, frequency, recency, age, time_unit) */
PG_FUNCTION_INFO_V1(bgnbd_p_alive_numbers);
Datum
bgnbd_p_alive_numbers(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		k = unit_factor(m, PG_GETARG_INTERVAL_P(4));
	double		out = 0;

	PG_RETURN_FLOAT8(check_result(bj_bgnbd_p_alive(&m->par, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2) * k,
												   PG_GETARG_FLOAT8(3) * k, &out),
								  &out, "probability_alive"));
}

/* expected_purchases(model, summary, as_of, horizon) */
PG_FUNCTION_INFO_V1(bgnbd_expected_summary);
Datum
bgnbd_expected_summary(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		x,
				t_x,
				T,
				out = 0;

	summary_rfm(m, PG_GETARG_VARLENA_PP(1), PG_GETARG_TIMESTAMPTZ(2), &x, &t_x, &T, NULL);
	PG_RETURN_FLOAT8(check_result(bj_bgnbd_conditional(&m->par, x, t_x, T,
													   in_model_unit(m, PG_GETARG_INTERVAL_P(3), "the horizon"), &out),
								  &out, "expected_purchases"));
}

/* probability_alive(model, frequency, recency, age) */
PG_FUNCTION_INFO_V1(bgnbd_p_alive_given);
Datum
bgnbd_p_alive_given(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		out = 0;

	PG_RETURN_FLOAT8(check_result(bj_bgnbd_p_alive(&m->par, PG_GETARG_FLOAT8(1),
												   in_model_unit(m, PG_GETARG_INTERVAL_P(2), "recency"),
												   in_model_unit(m, PG_GETARG_INTERVAL_P(3), "age"), &out),
								  &out, "probability_alive"));
}

/* probability_alive(model, summary, as_of) */
PG_FUNCTION_INFO_V1(bgnbd_p_alive_summary);
Datum
bgnbd_p_alive_summary(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		x,
				t_x,
				T,
				out = 0;

	summary_rfm(m, PG_GETARG_VARLENA_PP(1), PG_GETARG_TIMESTAMPTZ(2), &x, &t_x, &T, NULL);
	PG_RETURN_FLOAT8(check_result(bj_bgnbd_p_alive(&m->par, x, t_x, T, &out), &out, "probability_alive"));
}

/* expected_spend(model, frequency, mean_spend): the spend per purchase to expect */
PG_FUNCTION_INFO_V1(gg_expected_spend);
Datum
gg_expected_spend(PG_FUNCTION_ARGS)
{
	const bj_gg_model *g = usable_gg(fcinfo, 0);
	double		out = 0;

	PG_RETURN_FLOAT8(check_result(bj_gg_mean_spend(&g->par, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), &out),
								  &out, "expected_spend"));
}

/*
 * The spend per purchase to expect of a customer.  Refunds may make the
 * repeat periods net to zero or less; Gamma-Gamma knows only spends of 0 or
 * more, and no model predicts refunds, so such a customer is read as having
 * spent 0 in their repeat periods: the estimate is the model's mean pulled
 * toward 0 the more repeat periods there were, never negative, and a report
 * over all customers keeps every row.
 */
static double
summary_spend(const bj_gg_model *g, CustomerState *s)
{
	double		x = (double) s->periods.count - 1;
	double		m = DatumGetFloat8(DirectFunctionCall1(numeric_float8, summary_mean_repeat_spend(s)));
	double		out = 0;

	return check_result(bj_gg_mean_spend(&g->par, x, x > 0 && m > 0 ? m : 0, &out), &out, "expected_spend");
}

/* expected_spend(model, summary) */
PG_FUNCTION_INFO_V1(gg_expected_spend_summary);
Datum
gg_expected_spend_summary(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(summary_spend(usable_gg(fcinfo, 0), summary_state(PG_GETARG_VARLENA_PP(1))));
}

static int
periods_arg(int32 n)
{
	if (n < 1 || n > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the number of periods must be between 1 and 100000, not %d", n)));
	return n;
}

/*
 * discounted_value(model, frequency, recency, age, spend, period, periods,
 * discount_rate): the purchases of the next periods, each discounted.
 */
PG_FUNCTION_INFO_V1(bgnbd_discounted_value);
Datum
bgnbd_discounted_value(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		out = 0;

	PG_RETURN_FLOAT8(check_result(bj_bgnbd_discounted_value(&m->par, PG_GETARG_FLOAT8(1),
															in_model_unit(m, PG_GETARG_INTERVAL_P(2), "recency"),
															in_model_unit(m, PG_GETARG_INTERVAL_P(3), "age"),
															PG_GETARG_FLOAT8(4),
															in_model_unit(m, PG_GETARG_INTERVAL_P(5), "the period"),
															periods_arg(PG_GETARG_INT32(6)), PG_GETARG_FLOAT8(7), &out),
								  &out, "discounted_value"));
}

/*
 * discounted_value(model, frequency, recency, age, spend, period, periods,
 * discount_rate, time_unit): the same with the times numbers in time_unit.
 */
PG_FUNCTION_INFO_V1(bgnbd_discounted_value_numbers);
Datum
bgnbd_discounted_value_numbers(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 0);
	double		k = unit_factor(m, PG_GETARG_INTERVAL_P(8));
	double		out = 0;

	PG_RETURN_FLOAT8(check_result(bj_bgnbd_discounted_value(&m->par, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2) * k,
															PG_GETARG_FLOAT8(3) * k, PG_GETARG_FLOAT8(4),
															PG_GETARG_FLOAT8(5) * k, periods_arg(PG_GETARG_INT32(6)),
															PG_GETARG_FLOAT8(7), &out),
								  &out, "discounted_value"));
}

/* retention_value(margin, retention, discount_rate [, periods]) */
PG_FUNCTION_INFO_V1(ltv_retention_value);
Datum
ltv_retention_value(PG_FUNCTION_ARGS)
{
	double		out = 0;
	bj_ltv_error e = PG_NARGS() > 3
		? bj_retention_value_n(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
							   periods_arg(PG_GETARG_INT32(3)), &out)
		: bj_retention_value(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), &out);

	PG_RETURN_FLOAT8(check_result(e, &out, "retention_value"));
}

/* A float as numeric rounded to cents' precision is the caller's business: keep it exact. */
static Datum
float_numeric(double v)
{
	return DirectFunctionCall1(float8_numeric, Float8GetDatum(v));
}

static Datum
ltv_tuple(FunctionCallInfo fcinfo, Datum historical, Datum current, Datum potential)
{
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "ltv must return a record");
	values[0] = historical;
	values[1] = current;
	values[2] = potential;
	values[3] = DirectFunctionCall2(numeric_add, DirectFunctionCall2(numeric_add, historical, current), potential);
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
}

/*
 * ltv(summary, as_of, bgnbd, gammagamma, period, periods, discount_rate,
 * potential): historical value, the discounted value of the expected
 * purchases of the next periods at the expected spend, and the potential
 * value given (referrals), each apart and their total.
 */
PG_FUNCTION_INFO_V1(ltv_models);
Datum
ltv_models(PG_FUNCTION_ARGS)
{
	const bj_bgnbd_model *m = usable_bgnbd(fcinfo, 2);
	const bj_gg_model *g = usable_gg(fcinfo, 3);
	CustomerState *s;
	double		x,
				t_x,
				T,
				current = 0;

	summary_rfm(m, PG_GETARG_VARLENA_PP(0), PG_GETARG_TIMESTAMPTZ(1), &x, &t_x, &T, &s);
	check_result(bj_bgnbd_discounted_value(&m->par, x, t_x, T, summary_spend(g, s),
										   in_model_unit(m, PG_GETARG_INTERVAL_P(4), "the period"),
										   periods_arg(PG_GETARG_INT32(5)), PG_GETARG_FLOAT8(6), &current),
				 &current, "ltv");
	PG_RETURN_DATUM(ltv_tuple(fcinfo, s->total, float_numeric(current), PG_GETARG_DATUM(7)));
}

/*
 * ltv(summary, margin, retention, discount_rate, periods, potential): the
 * current value by the constant-retention formula, m r / (1 + d - r), or its
 * finite sum over periods when periods is given.
 */
PG_FUNCTION_INFO_V1(ltv_retention);
Datum
ltv_retention(PG_FUNCTION_ARGS)
{
	CustomerState *s;
	double		margin;
	double		current = 0;
	bj_ltv_error e;

	/* not strict, for the optional periods: any other NULL gives NULL */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(5))
		PG_RETURN_NULL();
	s = summary_state(PG_GETARG_VARLENA_PP(0));
	margin = DatumGetFloat8(DirectFunctionCall1(numeric_float8, PG_GETARG_DATUM(1)));
	e = PG_ARGISNULL(4)
		? bj_retention_value(margin, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), &current)
		: bj_retention_value_n(margin, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), periods_arg(PG_GETARG_INT32(4)), &current);

	check_result(e, &current, "ltv");
	PG_RETURN_DATUM(ltv_tuple(fcinfo, s->total, float_numeric(current), PG_GETARG_DATUM(5)));
}
