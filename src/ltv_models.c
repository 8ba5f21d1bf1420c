/*
 * ltv_models.c - fitting BG/NBD and Gamma-Gamma by maximum likelihood in an
 * aggregate, the model types, and their reports.
 *
 * The fit aggregates keep the customers' rows (internal state; parallel
 * workers hand them over in a checked big-endian form), compress equal rows
 * and fit once at the end (src/core/bj_bgnbd.c, bj_gammagamma.c).  A fit
 * that stops short of a maximum returns its last point with converged =
 * false; the prediction functions refuse such a model.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bj_encode.h"
#include "bj_ltv.h"
#include "bj_ltv_models.h"
#include "core_interrupts.h"
#include "ltv_models.h"
#include "ltv_summary.h"
#include "state_io.h"

StaticAssertDecl(sizeof(bj_bgnbd_model) == 80, "bgnbd_model INTERNALLENGTH");
StaticAssertDecl(sizeof(bj_gg_model) == 56, "gammagamma_model INTERNALLENGTH");

/* Rows one fit keeps (32 bytes each): 20 million customers, before compression. */
#define MAX_FIT_ROWS ((size_t) 20000000)

static void
encode_bgnbd(const void *m, uint8_t *out)
{
	bj_bgnbd_model_encode(m, out);
}

static bj_decode_error
decode_bgnbd(const uint8_t *in, size_t len, void *m)
{
	return bj_bgnbd_model_decode(in, len, m);
}

static void
encode_gg(const void *m, uint8_t *out)
{
	bj_gg_model_encode(m, out);
}

static bj_decode_error
decode_gg(const uint8_t *in, size_t len, void *m)
{
	return bj_gg_model_decode(in, len, m);
}

static const StateForm bgnbd_form = {"bgnbd_model", BJ_BGNBD_MODEL_FORM_SIZE, sizeof(bj_bgnbd_model), encode_bgnbd, decode_bgnbd};
static const StateForm gg_form = {"gammagamma_model", BJ_GG_MODEL_FORM_SIZE, sizeof(bj_gg_model), encode_gg, decode_gg};

STATE_IO(bgnbd_model, bgnbd_form)
STATE_IO(gammagamma_model, gg_form)

void
report_ltv_error(bj_ltv_error e, const char *what)
{
	int			code = (e == BJ_LTV_NOT_CONVERGED || e == BJ_LTV_NOT_FINITE) ? ERRCODE_DATA_EXCEPTION
		: e == BJ_LTV_NO_MEMORY ? ERRCODE_OUT_OF_MEMORY : ERRCODE_INVALID_PARAMETER_VALUE;

	core_interrupts_rethrow();

	ereport(ERROR, (errcode(code), errmsg("%s: %s", what, bj_ltv_error_message(e))));
}

/* ---------------------------------------------------------- fit states */

typedef struct FitState
{
	bool		spend;			/* Gamma-Gamma (x, m, w) rather than BG/NBD (x, t_x, T, w) */
	bj_time_unit unit;			/* BG/NBD */
	double		penalty;
	size_t		n;
	size_t		capacity;
	double	   *rows;			/* 4 doubles a row (the fourth unused for spend) */
} FitState;

static FitState *
new_fit(MemoryContext context, bool spend)
{
	FitState   *s = MemoryContextAllocZero(context, sizeof(FitState));

	s->spend = spend;
	s->capacity = 1024;
	s->rows = MemoryContextAllocHuge(context, sizeof(double) * 4 * s->capacity);
	return s;
}

static void
append_row(FitState *s, const double *row)
{
	if (s->n == s->capacity)
	{
		if (s->n >= MAX_FIT_ROWS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a fit holds at most %zu customers", MAX_FIT_ROWS),
					 errhint("Fit on a sample, or weight customers sharing a history (the weight argument).")));
		s->capacity *= 2;
		s->rows = repalloc_huge(s->rows, sizeof(double) * 4 * s->capacity);
	}
	memcpy(s->rows + 4 * s->n++, row, sizeof(double) * 4);
}

static void
bad_row(const char *what, const double *row, int n)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", what),
			 n == 3 ? errdetail("Row (frequency, recency, age) = (%g, %g, %g).", row[0], row[1], row[2])
			 : errdetail("Row (frequency, mean_spend) = (%g, %g).", row[0], row[1])));
}

/* The optional weight (argument wi) and penalty (wi + 1); false to skip the row. */
static bool
weight_and_penalty(FunctionCallInfo fcinfo, FitState *s, bool fresh, int wi, double *w)
{
	double		penalty = 0;

	*w = 1;
	if (PG_NARGS() > wi)
	{
		if (PG_ARGISNULL(wi))
			return false;
		*w = PG_GETARG_FLOAT8(wi);
		if (!isfinite(*w) || *w < 0)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("a weight must be finite and >= 0, not %g", *w)));
	}
	if (PG_NARGS() > wi + 1 && !PG_ARGISNULL(wi + 1))
	{
		penalty = PG_GETARG_FLOAT8(wi + 1);
		if (!isfinite(penalty) || penalty < 0)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("the penalty must be finite and >= 0, not %g", penalty)));
	}
	if (fresh)
		s->penalty = penalty;
	else if (penalty != s->penalty)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("the penalty must be the same for every row of a group")));
	return true;
}

/* bgnbd_fit(frequency, recency, age, time_unit [, weight [, penalty]]) */
PG_FUNCTION_INFO_V1(bgnbd_fit_add);
Datum
bgnbd_fit_add(PG_FUNCTION_ARGS)
{
	bool		fresh = PG_ARGISNULL(0);
	FitState   *s = fresh ? new_fit(aggregate_memory(fcinfo, "a fit"), false) : (FitState *) PG_GETARG_POINTER(0);
	double		row[4];
	bj_time_unit unit;

	if (PG_ARGISNULL(4))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the time unit must not be NULL")));
	unit = time_unit_arg(PG_GETARG_INTERVAL_P(4));
	if (fresh)
		s->unit = unit;
	else if (memcmp(&unit, &s->unit, sizeof(unit)) != 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("the time unit must be the same for every row of a group")));
	if (!weight_and_penalty(fcinfo, s, fresh, 5, &row[3]) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(s);
	row[0] = PG_GETARG_FLOAT8(1);
	row[1] = PG_GETARG_FLOAT8(2);
	row[2] = PG_GETARG_FLOAT8(3);
	if (!isfinite(row[0]) || row[0] < 0 || row[0] != floor(row[0]))
		bad_row("frequency must be a whole number >= 0", row, 3);
	if (!isfinite(row[1]) || !isfinite(row[2]) || row[1] < 0 || row[1] > row[2])
		bad_row("recency and age must be finite with 0 <= recency <= age", row, 3);
	append_row(s, row);
	PG_RETURN_POINTER(s);
}

/* gammagamma_fit(frequency, mean_spend [, weight [, penalty]]): repeat customers only */
PG_FUNCTION_INFO_V1(gammagamma_fit_add);
Datum
gammagamma_fit_add(PG_FUNCTION_ARGS)
{
	bool		fresh = PG_ARGISNULL(0);
	FitState   *s = fresh ? new_fit(aggregate_memory(fcinfo, "a fit"), true) : (FitState *) PG_GETARG_POINTER(0);
	double		row[4] = {0, 0, 0, 0};

	if (!weight_and_penalty(fcinfo, s, fresh, 3, &row[2]) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);
	row[0] = PG_GETARG_FLOAT8(1);
	row[1] = PG_GETARG_FLOAT8(2);
	if (!isfinite(row[0]) || row[0] < 0 || row[0] != floor(row[0]))
		bad_row("frequency must be a whole number >= 0", row, 2);
	if (row[0] == 0)
		PG_RETURN_POINTER(s);	/* no repeat purchase: no repeat spend */
	if (!isfinite(row[1]) || row[1] <= 0)
		bad_row("the mean repeat spend must be finite and > 0", row, 2);
	append_row(s, row);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(ltv_fit_combine);
Datum
ltv_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_memory(fcinfo, "a fit");
	FitState   *into;
	FitState   *from;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	from = (FitState *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		into = new_fit(context, from->spend);
		into->unit = from->unit;
		into->penalty = from->penalty;
	}
	else
		into = (FitState *) PG_GETARG_POINTER(0);
	if (memcmp(&into->unit, &from->unit, sizeof(bj_time_unit)) != 0 || into->penalty != from->penalty)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("cannot combine fits with different time units or penalties")));
	for (size_t i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		append_row(into, from->rows + 4 * i);
	}
	PG_RETURN_POINTER(into);
}

/* version, kind, spend flag, unit (8 + 4), penalty, count, then 4 doubles a row */
#define FIT_HEADER (3 + 8 + 4 + 8 + 8)

PG_FUNCTION_INFO_V1(ltv_fit_serialize);
Datum
ltv_fit_serialize(PG_FUNCTION_ARGS)
{
	FitState   *s = (FitState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	(void) aggregate_memory(fcinfo, "a fit");
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, BJ_FORMAT_VERSION);
	pq_sendbyte(&buf, BJ_FORM_FIT_ROWS);
	pq_sendbyte(&buf, s->spend);
	pq_sendint64(&buf, s->unit.usecs);
	pq_sendint32(&buf, s->unit.months);
	pq_sendfloat8(&buf, s->penalty);
	pq_sendint64(&buf, s->n);
	for (size_t i = 0; i < 4 * s->n; i++)
		pq_sendfloat8(&buf, s->rows[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(ltv_fit_deserialize);
Datum
ltv_fit_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_memory(fcinfo, "a fit");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	FitState   *s;
	uint64		n;
	size_t		len = VARSIZE_ANY_EXHDR(b);

	buf.data = VARDATA_ANY(b);
	buf.len = (int) len;
	buf.maxlen = (int) len;
	buf.cursor = 0;
	if (len < FIT_HEADER || (uint8) buf.data[0] != BJ_FORMAT_VERSION || buf.data[1] != BJ_FORM_FIT_ROWS ||
		(buf.data[2] != 0 && buf.data[2] != 1))
		report_decode_error("fit state", len < FIT_HEADER ? BJ_DECODE_TRUNCATED : BJ_DECODE_KIND);
	buf.cursor = 2;
	s = new_fit(context, pq_getmsgbyte(&buf) == 1);
	s->unit.usecs = (int64) pq_getmsgint64(&buf);
	s->unit.months = (int32) pq_getmsgint(&buf, 4);
	s->penalty = pq_getmsgfloat8(&buf);
	n = (uint64) pq_getmsgint64(&buf);
	if (n > (len - FIT_HEADER) / 32)
		report_decode_error("fit state", BJ_DECODE_TRUNCATED);
	if (len - FIT_HEADER != n * 32)
		report_decode_error("fit state", BJ_DECODE_TRAILING);
	if ((!s->spend && !bj_time_unit_valid(&s->unit)) || !isfinite(s->penalty) || s->penalty < 0)
		report_decode_error("fit state", BJ_DECODE_INCONSISTENT);
	for (uint64 i = 0; i < n; i++)
	{
		double		row[4];

		CHECK_FOR_INTERRUPTS();
		for (int k = 0; k < 4; k++)
		{
			row[k] = pq_getmsgfloat8(&buf);
			if (!isfinite(row[k]))
				report_decode_error("fit state", BJ_DECODE_INCONSISTENT);
		}
		append_row(s, row);
	}
	PG_RETURN_POINTER(s);
}

static void
report_no_maximum(const char *model)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("cannot fit %s: the likelihood has no maximum for these customers", model),
			 errhint("A fit needs customers with repeat purchases; a penalty (the last argument) keeps estimates finite.")));
}

PG_FUNCTION_INFO_V1(bgnbd_fit_final);
Datum
bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	FitState   *s;
	bj_rfm	   *rows;
	bj_fit_options opt = {0};
	bj_fit_result res;
	bj_ltv_error e;
	bj_bgnbd_model *m;
	size_t		n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (FitState *) PG_GETARG_POINTER(0);
	if (s->n == 0)
		PG_RETURN_NULL();
	rows = palloc_extended(sizeof(bj_rfm) * s->n, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < s->n; i++)
		rows[i] = (bj_rfm) {s->rows[4 * i], s->rows[4 * i + 1], s->rows[4 * i + 2], s->rows[4 * i + 3]};
	n = bj_rfm_compress(rows, s->n);
	opt.penalty = s->penalty;
	memset(&res, 0, sizeof(res));
	e = bj_bgnbd_fit(rows, n, &opt, &res);
	core_interrupts_rethrow();
	if (e == BJ_LTV_NO_DATA)
		PG_RETURN_NULL();
	if (res.iterations == 0 && e == BJ_LTV_NO_MAXIMUM)
		report_no_maximum("BG/NBD");
	if (e != BJ_LTV_OK && res.iterations == 0)
		report_ltv_error(e, "cannot fit BG/NBD");
	m = palloc0(sizeof(bj_bgnbd_model));
	m->par = (bj_bgnbd_params) {res.params[0], res.params[1], res.params[2], res.params[3]};
	m->loglik = res.loglik;
	m->customers = res.n;
	m->gnorm = res.gnorm;
	m->unit = s->unit;
	m->iterations = res.iterations;
	m->converged = e == BJ_LTV_OK && res.converged;
	if (!bj_bgnbd_model_valid(m))
		report_no_maximum("BG/NBD");
	PG_RETURN_POINTER(m);
}

PG_FUNCTION_INFO_V1(gammagamma_fit_final);
Datum
gammagamma_fit_final(PG_FUNCTION_ARGS)
{
	FitState   *s;
	bj_spend   *rows;
	bj_fit_options opt = {0};
	bj_fit_result res;
	bj_ltv_error e;
	bj_gg_model *m;
	size_t		n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (FitState *) PG_GETARG_POINTER(0);
	if (s->n == 0)
		PG_RETURN_NULL();
	rows = palloc_extended(sizeof(bj_spend) * s->n, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < s->n; i++)
		rows[i] = (bj_spend) {s->rows[4 * i], s->rows[4 * i + 1], s->rows[4 * i + 2]};
	n = bj_spend_compress(rows, s->n);
	opt.penalty = s->penalty;
	memset(&res, 0, sizeof(res));
	e = bj_gg_fit(rows, n, &opt, &res);
	core_interrupts_rethrow();
	if (e == BJ_LTV_NO_DATA)
		PG_RETURN_NULL();
	if (res.iterations == 0 && e == BJ_LTV_NO_MAXIMUM)
		report_no_maximum("Gamma-Gamma");
	if (e != BJ_LTV_OK && res.iterations == 0)
		report_ltv_error(e, "cannot fit Gamma-Gamma");
	m = palloc0(sizeof(bj_gg_model));
	m->par = (bj_gg_params) {res.params[0], res.params[1], res.params[2]};
	m->loglik = res.loglik;
	m->customers = res.n;
	m->gnorm = res.gnorm;
	m->iterations = res.iterations;
	m->converged = e == BJ_LTV_OK && res.converged;
	if (!bj_gg_model_valid(m))
		report_no_maximum("Gamma-Gamma");
	PG_RETURN_POINTER(m);
}

/* ------------------------------------------------ constructors, reports */

static Datum
interval_of_unit(const bj_time_unit *u)
{
	Interval   *i = palloc0(sizeof(Interval));

	i->month = u->months;
	/* whole days read as days ('7 days'), the rest as a time */
	i->day = (int32) (u->usecs / USECS_PER_DAY);
	i->time = u->usecs % USECS_PER_DAY;
	return IntervalPGetDatum(i);
}

PG_FUNCTION_INFO_V1(bgnbd_model_make);
Datum
bgnbd_model_make(PG_FUNCTION_ARGS)
{
	bj_bgnbd_model *m = palloc0(sizeof(bj_bgnbd_model));

	m->par = (bj_bgnbd_params) {PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)};
	m->unit = time_unit_arg(PG_GETARG_INTERVAL_P(4));
	m->converged = 1;
	if (!bj_bgnbd_model_valid(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("BG/NBD parameters r, alpha, a and b must be finite and > 0")));
	PG_RETURN_POINTER(m);
}

PG_FUNCTION_INFO_V1(gammagamma_model_make);
Datum
gammagamma_model_make(PG_FUNCTION_ARGS)
{
	bj_gg_model *m = palloc0(sizeof(bj_gg_model));

	m->par = (bj_gg_params) {PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2)};
	m->converged = 1;
	if (!bj_gg_model_valid(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Gamma-Gamma parameters p, q and v must be finite and > 0")));
	PG_RETURN_POINTER(m);
}

static Datum
report_tuple(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "a model report must return a record");
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
}

/*
 * The customers a model was fitted on, a count: the sum of the weights, each
 * weight the number of customers sharing a history.  Fractional weights (a
 * sample's) sum to no count: NULL then, rather than a rounded number.
 */
static Datum
customers_datum(double customers, bool *null)
{
	*null = !(customers == floor(customers) && customers < 9.2e18);
	return *null ? (Datum) 0 : Int64GetDatum((int64) customers);
}

PG_FUNCTION_INFO_V1(bgnbd_model_report);
Datum
bgnbd_model_report(PG_FUNCTION_ARGS)
{
	bj_bgnbd_model *m = (bj_bgnbd_model *) PG_GETARG_POINTER(0);
	Datum		values[10];
	bool		nulls[10] = {false};

	values[0] = Float8GetDatum(m->par.r);
	values[1] = Float8GetDatum(m->par.alpha);
	values[2] = Float8GetDatum(m->par.a);
	values[3] = Float8GetDatum(m->par.b);
	values[4] = interval_of_unit(&m->unit);
	values[5] = Float8GetDatum(m->loglik);
	values[6] = customers_datum(m->customers, &nulls[6]);
	values[7] = BoolGetDatum(m->converged);
	values[8] = Int32GetDatum(m->iterations);
	values[9] = Float8GetDatum(m->gnorm);
	nulls[5] = nulls[9] = m->customers == 0;	/* made from parameters, not fitted */
	PG_RETURN_DATUM(report_tuple(fcinfo, values, nulls));
}

PG_FUNCTION_INFO_V1(gammagamma_model_report);
Datum
gammagamma_model_report(PG_FUNCTION_ARGS)
{
	bj_gg_model *m = (bj_gg_model *) PG_GETARG_POINTER(0);
	Datum		values[8];
	bool		nulls[8] = {false};

	values[0] = Float8GetDatum(m->par.p);
	values[1] = Float8GetDatum(m->par.q);
	values[2] = Float8GetDatum(m->par.v);
	values[3] = Float8GetDatum(m->loglik);
	values[4] = customers_datum(m->customers, &nulls[4]);
	values[5] = BoolGetDatum(m->converged);
	values[6] = Int32GetDatum(m->iterations);
	values[7] = Float8GetDatum(m->gnorm);
	nulls[3] = nulls[7] = m->customers == 0;
	PG_RETURN_DATUM(report_tuple(fcinfo, values, nulls));
}
