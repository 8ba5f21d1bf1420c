/*
 * ltv_summary.c - the customer value summary: customer_summary(amount, at
 * [, period]) over a customer's orders, its roll-up, and its readers.
 *
 * The result type customer_summary is variable-length; its stored and
 * binary form is its versioned, big-endian wire form, its text form the hex
 * of that:
 *   version, kind, period unit, flags, first purchase (8), last purchase (8),
 *   number of periods n (4), the n distinct periods ascending (4 each),
 *   total amount and first period's amount, each a 4-byte length and the
 *   numeric's binary form (numeric_send), so sums stay exact.
 * Flags: FROM_DATES when every purchase was a date (1.2.0 wrote 0 always).
 * A date is its day at 00:00 UTC, so its periods are the same in every
 * session time zone; readers then take as_of as a civil date too.
 * The aggregate's own state is internal (appending periods is cheap there)
 * and crosses between parallel workers in the same form.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "bj_encode.h"
#include "bj_periods.h"
#include "ltv_summary.h"
#include "pipeline_args.h"
#include "state_io.h"

/* Distinct purchase periods one customer may have (about 270 years of days). */
#define MAX_PERIODS 100000

#define HEADER_SIZE 24

#define FROM_DATES 1


static Datum
numeric_zero(void)
{
	return DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
}

static Datum
numeric_plus(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_add, a, b);
}

/* Sums are rewritten for every order: free the old value at once. */
static void
replace_numeric(Datum *slot, Datum value)
{
	pfree(DatumGetPointer(*slot));
	*slot = value;
}

static bj_period_unit
parse_period(text *t)
{
	char	   *s = text_to_cstring(t);

	if (strcmp(s, "day") == 0)
		return BJ_PERIOD_DAY;
	if (strcmp(s, "week") == 0)
		return BJ_PERIOD_WEEK;
	if (strcmp(s, "month") == 0)
		return BJ_PERIOD_MONTH;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown purchase period \"%s\"", s),
			 errhint("Periods are day, week (ISO, from Monday) and month.")));
	return BJ_PERIOD_DAY;
}

static const char *
period_name(bj_period_unit u)
{
	return u == BJ_PERIOD_WEEK ? "week" : u == BJ_PERIOD_MONTH ? "month" : "day";
}

static CustomerState *
new_state(MemoryContext context, bj_period_unit unit)
{
	CustomerState *s = MemoryContextAllocZero(context, sizeof(CustomerState));
	MemoryContext old = MemoryContextSwitchTo(context);

	s->unit = unit;
	s->periods.capacity = 8;
	s->periods.items = palloc(sizeof(int32) * s->periods.capacity);
	s->periods.sorted = true;
	s->total = numeric_zero();
	s->first_amount = numeric_zero();
	MemoryContextSwitchTo(old);
	return s;
}

static void
report_too_many_periods(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("a customer summary holds at most %d distinct purchase periods", MAX_PERIODS),
			 errhint("Use a longer period (week or month).")));
}

/* One more period: when full, collapse duplicates first, then grow. */
static void
add_period(CustomerState *s, int32 p)
{
	bj_period_set *set = &s->periods;

	if (set->count == set->capacity)
	{
		bj_period_set_normalize(set);
		if (set->count > set->capacity / 2)
		{
			if (set->count >= MAX_PERIODS)
				report_too_many_periods();
			set->capacity *= 2;
			set->items = repalloc_huge(set->items, sizeof(int32) * set->capacity);
		}
	}
	if (set->count > 0)
	{
		int32		last = set->items[set->count - 1];

		if (p == last)
			return;				/* orders of one period in a row: the usual case */
		if (p < last)
			set->sorted = false;	/* also a period seen before: normalising drops it */
	}
	set->items[set->count++] = p;
}

/* One purchase: amount at time at (microseconds). */
static void
add_purchase(CustomerState *s, Numeric amount, int64 at, MemoryContext context)
{
	int32		p = bj_period_of(s->unit, at);
	MemoryContext old;

	if (numeric_is_nan(amount) || numeric_is_inf(amount))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a purchase amount must be a finite number")));
	old = MemoryContextSwitchTo(context);
	if (!s->any || p < s->first_period)
	{
		s->first_period = p;
		replace_numeric(&s->first_amount, datumCopy(NumericGetDatum(amount), false, -1));
	}
	else if (p == s->first_period)
		replace_numeric(&s->first_amount, numeric_plus(s->first_amount, NumericGetDatum(amount)));
	replace_numeric(&s->total, numeric_plus(s->total, NumericGetDatum(amount)));
	if (!s->any || at < s->first_at)
		s->first_at = at;
	if (!s->any || at > s->last_at)
		s->last_at = at;
	s->any = true;
	MemoryContextSwitchTo(old);
	add_period(s, p);
}

/* ------------------------------------------------------------ wire form */

/* numeric_recv's bound on the digits of a numeric's binary form (3,000) */
#define MAX_SUM_DIGITS (NUMERIC_MAX_PRECISION + NUMERIC_MAX_RESULT_SCALE)

/* A sum: its digits must be few enough to read back (22003 otherwise). */
static void
put_numeric(StringInfo buf, Datum n)
{
	bytea	   *b = DatumGetByteaPP(DirectFunctionCall1(numeric_send, n));
	const uint8 *p = (const uint8 *) VARDATA_ANY(b);

	if (((uint32) p[0] << 8 | p[1]) > MAX_SUM_DIGITS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("a customer summary's sum is out of range"),
				 errdetail("A sum holds at most %d base-10000 digits.", MAX_SUM_DIGITS)));

	pq_sendint32(buf, VARSIZE_ANY_EXHDR(b));
	pq_sendbytes(buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

/* The wire form of a state, as a varlena (customer_summary or bytea). */
static struct varlena *
state_form(CustomerState *s)
{
	StringInfoData buf;

	bj_period_set_normalize(&s->periods);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, BJ_FORMAT_VERSION);
	pq_sendbyte(&buf, BJ_FORM_CUSTOMER_SUMMARY);
	pq_sendbyte(&buf, (uint8) s->unit);
	pq_sendbyte(&buf, s->from_dates ? FROM_DATES : 0);
	pq_sendint64(&buf, s->first_at);
	pq_sendint64(&buf, s->last_at);
	pq_sendint32(&buf, (uint32) s->periods.count);
	for (size_t i = 0; i < s->periods.count; i++)
		pq_sendint32(&buf, (uint32) s->periods.items[i]);
	put_numeric(&buf, s->total);
	put_numeric(&buf, s->first_amount);
	return (struct varlena *) pq_endtypsend(&buf);
}

static void
read_only_buffer(StringInfo buf, const char *data, int len)
{
	buf->data = (char *) data;
	buf->len = len;
	buf->maxlen = len;
	buf->cursor = 0;
}

/* Malformed forms: 22P02 as text input, 22P03 otherwise. */
static int	bad_form_code = ERRCODE_INVALID_BINARY_REPRESENTATION;

static void
report_bad_form(const char *why)
{
	ereport(ERROR,
			(errcode(bad_form_code),
			 errmsg("invalid customer_summary value: %s", why)));
}

/*
 * A sum's field is numeric's binary form: digit count, weight, sign, display
 * scale (16 bits each), then a 16-bit word per base-10000 digit.  numeric_recv
 * would refuse a bad one too, but with its own codes (08P01 for a short
 * field, 22P03 even for text input): check it here, with ours.
 */
static void
check_numeric_form(const uint8 *p, uint32 len)
{
	uint32		ndigits;
	uint32		sign;
	uint32		dscale;

	if (len < 8)
		report_bad_form("a sum is truncated");
	ndigits = ((uint32) p[0] << 8) | p[1];
	sign = ((uint32) p[4] << 8) | p[5];
	dscale = ((uint32) p[6] << 8) | p[7];
	if (ndigits > MAX_SUM_DIGITS || len != 8 + 2 * ndigits)
		report_bad_form("a sum has the wrong length for its digits");
	/* positive or negative (not NaN or infinite); a scale within its 14 bits */
	if ((sign != 0x0000 && sign != 0x4000) || dscale > 0x3FFF)
		report_bad_form("a sum is not a finite number");
	for (uint32 i = 0; i < ndigits; i++)
		if ((((uint32) p[8 + 2 * i] << 8) | p[9 + 2 * i]) >= 10000)
			report_bad_form("a sum has an invalid digit");
}

static Datum
get_numeric(StringInfo buf)
{
	uint32		len;
	StringInfoData part;
	Datum		n;

	if (buf->len - buf->cursor < 4)
		report_bad_form("the value is truncated");
	len = pq_getmsgint(buf, 4);
	if (len > (uint32) (buf->len - buf->cursor))
		report_bad_form("the value is truncated");
	read_only_buffer(&part, pq_getmsgbytes(buf, (int) len), (int) len);
	check_numeric_form((const uint8 *) part.data, len);
	n = DirectFunctionCall3(numeric_recv, PointerGetDatum(&part), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	if (part.cursor != part.len)
		report_bad_form("a sum has trailing bytes");
	if (numeric_is_nan(DatumGetNumeric(n)) || numeric_is_inf(DatumGetNumeric(n)))
		report_bad_form("a sum is not finite");
	return n;
}

/* A state from a wire form, checked field by field. */
static CustomerState *
state_from_form(const char *data, int len, MemoryContext context)
{
	StringInfoData buf;
	CustomerState *s;
	uint32		n;
	MemoryContext old;

	read_only_buffer(&buf, data, len);
	if (len < HEADER_SIZE)
		report_bad_form("the value is truncated");
	if ((uint8) data[0] != BJ_FORMAT_VERSION)
		report_bad_form("the value has an unknown format version");
	if ((uint8) data[1] != BJ_FORM_CUSTOMER_SUMMARY || (data[3] & ~FROM_DATES) != 0 ||
		data[2] < BJ_PERIOD_DAY || data[2] > BJ_PERIOD_MONTH)
		report_bad_form("the value is not a customer summary");
	s = new_state(context, (bj_period_unit) data[2]);
	s->from_dates = (data[3] & FROM_DATES) != 0;
	buf.cursor = 4;
	s->first_at = (int64) pq_getmsgint64(&buf);
	s->last_at = (int64) pq_getmsgint64(&buf);
	n = pq_getmsgint(&buf, 4);
	if (n < 1 || n > MAX_PERIODS)
		report_bad_form("the number of periods is out of range");
	if ((uint32) (buf.len - buf.cursor) / 4 < n)
		report_bad_form("the value is truncated");
	old = MemoryContextSwitchTo(context);
	s->periods.capacity = n;
	s->periods.items = palloc(sizeof(int32) * n);
	for (uint32 i = 0; i < n; i++)
		s->periods.items[i] = (int32) pq_getmsgint(&buf, 4);
	s->periods.count = n;
	s->periods.sorted = true;
	pfree(DatumGetPointer(s->total));
	pfree(DatumGetPointer(s->first_amount));
	s->total = get_numeric(&buf);
	s->first_amount = get_numeric(&buf);
	MemoryContextSwitchTo(old);
	if (buf.cursor != buf.len)
		report_bad_form("the value has trailing bytes");
	/* periods ascending, the first and last purchase in the first and last of them */
	if (!bj_periods_valid(s->periods.items, n) || s->first_at > s->last_at ||
		bj_period_of(s->unit, s->first_at) != s->periods.items[0] ||
		bj_period_of(s->unit, s->last_at) != s->periods.items[n - 1])
		report_bad_form("the value's fields are inconsistent");
	if (!bj_time_finite(s->first_at) || !bj_time_finite(s->last_at) ||
		(s->from_dates && (s->first_at % USECS_PER_DAY != 0 || s->last_at % USECS_PER_DAY != 0)))
		report_bad_form("the value's purchase times are invalid");
	s->first_period = s->periods.items[0];
	s->any = true;
	return s;
}

/* Purchases of both, in into. */
static void
merge_states(CustomerState *into, CustomerState *from, MemoryContext context)
{
	MemoryContext old;

	if (!from->any)
		return;
	if (into->unit != from->unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge customer summaries by %s and by %s",
						period_name(into->unit), period_name(from->unit))));
	into->from_dates = from->from_dates && (into->from_dates || !into->any);
	old = MemoryContextSwitchTo(context);
	if (!into->any || from->first_period < into->first_period)
	{
		into->first_period = from->first_period;
		replace_numeric(&into->first_amount, datumCopy(from->first_amount, false, -1));
	}
	else if (from->first_period == into->first_period)
		replace_numeric(&into->first_amount, numeric_plus(into->first_amount, from->first_amount));
	replace_numeric(&into->total, numeric_plus(into->total, from->total));
	if (!into->any || from->first_at < into->first_at)
		into->first_at = from->first_at;
	if (!into->any || from->last_at > into->last_at)
		into->last_at = from->last_at;
	into->any = true;
	MemoryContextSwitchTo(old);
	for (size_t i = 0; i < from->periods.count; i++)
		add_period(into, from->periods.items[i]);
}

/* ------------------------------------------------------ the aggregates */

/* The period argument, checked on every row: it must not change within a group. */
static bj_period_unit
period_arg(FunctionCallInfo fcinfo, CustomerState *s)
{
	text	   *t;
	const char *known;

	if (PG_NARGS() <= 3)
		return BJ_PERIOD_DAY;
	if (PG_ARGISNULL(3))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the purchase period must not be NULL")));
	t = PG_GETARG_TEXT_PP(3);
	if (s == NULL)
		return parse_period(t);
	known = period_name(s->unit);
	if (VARSIZE_ANY_EXHDR(t) != strlen(known) || memcmp(VARDATA_ANY(t), known, strlen(known)) != 0)
	{
		(void) parse_period(t);		/* an unknown period says so */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the purchase period must be the same for every row of a group")));
	}
	return s->unit;
}

/*
 * The civil day of at in the named zone (customer_summary(amount, at, period,
 * zone)): the summary is then one of dates, as (at AT TIME ZONE zone)::date
 * would give, whatever the session's zone.  An unknown zone is PostgreSQL's
 * own error (22023).
 */
static DateADT
civil_day_in_zone(FunctionCallInfo fcinfo, TimestampTz at)
{
	if (PG_ARGISNULL(4))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the time zone must not be NULL")));
	(void) event_time(at);
	return DatumGetDateADT(DirectFunctionCall1(timestamp_date,
											   DirectFunctionCall2(timestamptz_zone, PG_GETARG_DATUM(4),
																   TimestampTzGetDatum(at))));
}

/*
 * customer_summary(amount, at [, period [, zone]]) and (amount, on date [,
 * period]).  With a zone, each time is taken as its civil day there.
 */
static Datum
summary_add(FunctionCallInfo fcinfo, bool is_date)
{
	CustomerState *s = PG_ARGISNULL(0) ? NULL : (CustomerState *) PG_GETARG_POINTER(0);
	bj_period_unit unit = period_arg(fcinfo, s);
	MemoryContext context = aggregate_memory(fcinfo, "customer_summary");
	int64		at;

	bool		in_zone = PG_NARGS() > 4;

	if (s == NULL)
	{
		s = new_state(context, unit);
		s->from_dates = is_date || in_zone;
	}
	/* rows with a NULL amount or time are not purchases */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);
	if (is_date || in_zone)
	{
		DateADT		d = in_zone ? civil_day_in_zone(fcinfo, PG_GETARG_TIMESTAMPTZ(2)) : PG_GETARG_DATEADT(2);

		/* a date is its day at midnight UTC, in every session time zone */
		at = event_time(DATE_IS_NOBEGIN(d) ? DT_NOBEGIN : DATE_IS_NOEND(d) ? DT_NOEND : (int64) d * USECS_PER_DAY);
	}
	else
		at = event_time(PG_GETARG_TIMESTAMPTZ(2));
	add_purchase(s, PG_GETARG_NUMERIC(1), at, context);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(customer_summary_add);
Datum
customer_summary_add(PG_FUNCTION_ARGS)
{
	return summary_add(fcinfo, false);
}

PG_FUNCTION_INFO_V1(customer_summary_add_date);
Datum
customer_summary_add_date(PG_FUNCTION_ARGS)
{
	return summary_add(fcinfo, true);
}

PG_FUNCTION_INFO_V1(customer_summary_combine);
Datum
customer_summary_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_memory(fcinfo, "customer_summary");
	CustomerState *into;
	CustomerState *from;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	from = (CustomerState *) PG_GETARG_POINTER(1);
	into = PG_ARGISNULL(0) ? new_state(context, from->unit) : (CustomerState *) PG_GETARG_POINTER(0);
	merge_states(into, from, context);
	PG_RETURN_POINTER(into);
}

/* A state without purchases crosses as an empty bytea. */
PG_FUNCTION_INFO_V1(customer_summary_serialize);
Datum
customer_summary_serialize(PG_FUNCTION_ARGS)
{
	CustomerState *s = (CustomerState *) PG_GETARG_POINTER(0);

	(void) aggregate_memory(fcinfo, "customer_summary");
	if (!s->any)
	{
		bytea	   *empty = palloc(VARHDRSZ + 1);

		SET_VARSIZE(empty, VARHDRSZ + 1);
		*(uint8 *) VARDATA(empty) = (uint8) s->unit;
		PG_RETURN_BYTEA_P(empty);
	}
	PG_RETURN_POINTER(state_form(s));
}

PG_FUNCTION_INFO_V1(customer_summary_deserialize);
Datum
customer_summary_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_memory(fcinfo, "customer_summary");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	if (VARSIZE_ANY_EXHDR(b) == 1)
	{
		uint8		unit = *(uint8 *) VARDATA_ANY(b);

		if (unit < BJ_PERIOD_DAY || unit > BJ_PERIOD_MONTH)
			report_bad_form("the value is not a customer summary");
		PG_RETURN_POINTER(new_state(context, (bj_period_unit) unit));
	}
	PG_RETURN_POINTER(state_from_form(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), context));
}

PG_FUNCTION_INFO_V1(customer_summary_final);
Datum
customer_summary_final(PG_FUNCTION_ARGS)
{
	CustomerState *s = PG_ARGISNULL(0) ? NULL : (CustomerState *) PG_GETARG_POINTER(0);

	if (s == NULL || !s->any)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state_form(s));
}

/* ------------------------------------------------------ the type's forms */

/* A stored summary, checked, as a state in the current memory context. */
CustomerState *
summary_state(struct varlena *v)
{
	struct varlena *d = pg_detoast_datum_packed(v);

	return state_from_form(VARDATA_ANY(d), VARSIZE_ANY_EXHDR(d), CurrentMemoryContext);
}

PG_FUNCTION_INFO_V1(customer_summary_in);
Datum
customer_summary_in(PG_FUNCTION_ARGS)
{
	char	   *hex = PG_GETARG_CSTRING(0);
	size_t		len = strlen(hex);
	bytea	   *b;

	if (len % 2 != 0 || len / 2 > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type customer_summary: \"%.40s\"", hex)));
	b = palloc(VARHDRSZ + len / 2);
	SET_VARSIZE(b, VARHDRSZ + len / 2);
	if (!bj_hex_decode(hex, len, (uint8_t *) VARDATA(b)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type customer_summary: \"%.40s\"", hex)));
	bad_form_code = ERRCODE_INVALID_TEXT_REPRESENTATION;
	PG_TRY();
	{
		(void) state_from_form(VARDATA(b), (int) (len / 2), CurrentMemoryContext);
	}
	PG_FINALLY();
	{
		bad_form_code = ERRCODE_INVALID_BINARY_REPRESENTATION;
	}
	PG_END_TRY();
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(customer_summary_out);
Datum
customer_summary_out(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_GETARG_VARLENA_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(v);
	char	   *out = palloc(2 * len + 1);

	bj_hex_encode((const uint8_t *) VARDATA_ANY(v), len, out);
	out[2 * len] = '\0';
	PG_RETURN_CSTRING(out);
}

PG_FUNCTION_INFO_V1(customer_summary_recv);
Datum
customer_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	bytea	   *b = palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), pq_getmsgbytes(buf, len), len);
	(void) state_from_form(VARDATA(b), len, CurrentMemoryContext);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(customer_summary_send);
Datum
customer_summary_send(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_GETARG_VARLENA_PP(0);
	bytea	   *b = palloc(VARHDRSZ + VARSIZE_ANY_EXHDR(v));

	SET_VARSIZE(b, VARHDRSZ + VARSIZE_ANY_EXHDR(v));
	memcpy(VARDATA(b), VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	PG_RETURN_BYTEA_P(b);
}

/* customer_summary_merge(s, s): summaries of one customer (partitions, months) rolled up. */
PG_FUNCTION_INFO_V1(customer_summary_merge);
Datum
customer_summary_merge(PG_FUNCTION_ARGS)
{
	CustomerState *a;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(1));
	a = summary_state(PG_GETARG_VARLENA_PP(0));
	merge_states(a, summary_state(PG_GETARG_VARLENA_PP(1)), CurrentMemoryContext);
	PG_RETURN_POINTER(state_form(a));
}

/* ------------------------------------------------------------- readers */

/*
 * The first or last purchase; of a summary of dates, that day at 00:00 in
 * the session's time zone, as PostgreSQL casts a date to timestamptz.
 */
static TimestampTz
purchase_time(const CustomerState *s, bool first)
{
	int64		at = first ? s->first_at : s->last_at;

	if (!s->from_dates)
		return at;
	return DatumGetTimestampTz(DirectFunctionCall1(date_timestamptz, DateADTGetDatum((DateADT) (at / USECS_PER_DAY))));
}

PG_FUNCTION_INFO_V1(customer_summary_first_purchase);
Datum
customer_summary_first_purchase(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(purchase_time(summary_state(PG_GETARG_VARLENA_PP(0)), true));
}

PG_FUNCTION_INFO_V1(customer_summary_last_purchase);
Datum
customer_summary_last_purchase(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(purchase_time(summary_state(PG_GETARG_VARLENA_PP(0)), false));
}

PG_FUNCTION_INFO_V1(customer_summary_periods);
Datum
customer_summary_periods(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) summary_state(PG_GETARG_VARLENA_PP(0))->periods.count);
}

PG_FUNCTION_INFO_V1(customer_summary_frequency);
Datum
customer_summary_frequency(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) summary_state(PG_GETARG_VARLENA_PP(0))->periods.count - 1);
}

PG_FUNCTION_INFO_V1(customer_summary_historical_value);
Datum
customer_summary_historical_value(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(summary_state(PG_GETARG_VARLENA_PP(0))->total);
}

Datum
summary_mean_repeat_spend(CustomerState *s)
{
	Datum		repeat;

	if (s->periods.count < 2)
		return numeric_zero();
	repeat = DirectFunctionCall2(numeric_sub, s->total, s->first_amount);
	return DirectFunctionCall2(numeric_div, repeat,
							   DirectFunctionCall1(int4_numeric, Int32GetDatum((int32) s->periods.count - 1)));
}

PG_FUNCTION_INFO_V1(customer_summary_mean_repeat_spend);
Datum
customer_summary_mean_repeat_spend(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(summary_mean_repeat_spend(summary_state(PG_GETARG_VARLENA_PP(0))));
}

/*
 * A span between two period starts, in a time unit: days for day and week
 * periods (then the unit must be a fixed length), months for month periods
 * (then the unit must be months).
 */
double
summary_span(const CustomerState *s, int32 from, int32 to, const bj_time_unit *unit)
{
	if (s->unit == BJ_PERIOD_MONTH)
	{
		if (unit->months == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a summary by month measures time in months"),
					 errhint("Give the time unit in months, such as '1 month'.")));
		return (double) (to - from) / unit->months;
	}
	if (unit->usecs == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a summary by %s measures time in days", period_name(s->unit)),
				 errhint("Give the time unit as a fixed length, such as '1 day' or '7 days'.")));
	return (double) (bj_period_first_day(s->unit, to) - bj_period_first_day(s->unit, from)) *
		(double) USECS_PER_DAY / (double) unit->usecs;
}

bj_time_unit
time_unit_arg(const Interval *i)
{
	bj_time_unit u = {0, 0, 0};

	if (i->month != 0 && (i->day != 0 || i->time != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a time unit is either months or a fixed length, not both")));
	if (i->month != 0)
		u.months = i->month;
	else
		u.usecs = (int64) i->day * USECS_PER_DAY + i->time;
	if (u.months < 0 || u.usecs < 0 || (u.months == 0 && u.usecs == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a time unit must be positive")));
	return u;
}

/* The period of as_of, which must not come before the last purchase. */
int32
summary_as_of(const CustomerState *s, TimestampTz as_of)
{
	int32		p;

	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("the as_of time must be finite")));
	if (s->from_dates)
		as_of = (int64) DatumGetDateADT(DirectFunctionCall1(timestamptz_date, TimestampTzGetDatum(as_of))) * USECS_PER_DAY;
	p = bj_period_of(s->unit, as_of);
	if (p < s->periods.items[s->periods.count - 1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of comes before the customer's last purchase period"),
				 errhint("Summarise only the orders up to as_of (WHERE at <= as_of).")));
	return p;
}

PG_FUNCTION_INFO_V1(customer_summary_recency);
Datum
customer_summary_recency(PG_FUNCTION_ARGS)
{
	CustomerState *s = summary_state(PG_GETARG_VARLENA_PP(0));
	bj_time_unit unit = time_unit_arg(PG_GETARG_INTERVAL_P(1));

	PG_RETURN_FLOAT8(summary_span(s, s->periods.items[0], s->periods.items[s->periods.count - 1], &unit));
}

PG_FUNCTION_INFO_V1(customer_summary_age);
Datum
customer_summary_age(PG_FUNCTION_ARGS)
{
	CustomerState *s = summary_state(PG_GETARG_VARLENA_PP(0));
	int32		as_of = summary_as_of(s, PG_GETARG_TIMESTAMPTZ(1));
	bj_time_unit unit = time_unit_arg(PG_GETARG_INTERVAL_P(2));

	PG_RETURN_FLOAT8(summary_span(s, s->periods.items[0], as_of, &unit));
}

PG_FUNCTION_INFO_V1(customer_summary_period);
Datum
customer_summary_period(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(period_name(summary_state(PG_GETARG_VARLENA_PP(0))->unit)));
}
