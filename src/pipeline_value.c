/*
 * pipeline_value.c - what the pipeline is worth: a stage's win probability
 * under a process, an amount weighted by it, and pipeline velocity.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

#include "bj_rules.h"
#include "bj_velocity.h"
#include "process_catalog.h"
#include "state_io.h"

/* The SQL type declares this size (INTERNALLENGTH in schema/pipeline.sql). */
StaticAssertDecl(BJ_VELOCITY_IMAGE_SIZE == 56, "velocity INTERNALLENGTH");

/* The probability of a stage under a process, or -1 if it has none. */
static double
probability_of(FunctionCallInfo fcinfo, text *process_text, int stage)
{
	char	   *process = text_to_cstring(process_text);
	const bj_rules *rules = process_lookup(get_func_namespace(fcinfo->flinfo->fn_oid), process);

	if (rules == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("process \"%s\" does not exist", process)));
	if (rules->kind != BJ_KIND_STAGE)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("process \"%s\" is for lifecycle_phase, not journey_stage", process)));
	if (!(rules->has_probability & (1u << stage)))
		return -1;
	return rules->probability[stage];
}

/* stage_probability(process, stage): NULL when the process sets none. */
PG_FUNCTION_INFO_V1(stage_probability);
Datum
stage_probability(PG_FUNCTION_ARGS)
{
	double		p = probability_of(fcinfo, PG_GETARG_TEXT_PP(0), (unsigned char) PG_GETARG_CHAR(1));

	if (p < 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p);
}

/*
 * weighted_amount(amount, stage, process, probability): amount times the
 * deal's own probability when given, else its stage's probability under the
 * process.  NULL when neither is known (nothing is guessed).
 */
PG_FUNCTION_INFO_V1(weighted_amount);
Datum
weighted_amount(PG_FUNCTION_ARGS)
{
	double		p;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (!PG_ARGISNULL(3))
	{
		p = PG_GETARG_FLOAT8(3);
		if (!(p >= 0.0 && p <= 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("probability %g is outside [0, 1]", p)));
	}
	else
	{
		if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
			PG_RETURN_NULL();
		p = probability_of(fcinfo, PG_GETARG_TEXT_PP(2), (unsigned char) PG_GETARG_CHAR(1));
		if (p < 0)
			PG_RETURN_NULL();
	}
	/* numeric times the probability as numeric: exact for the probabilities people write */
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_mul, PG_GETARG_DATUM(0),
										DirectFunctionCall1(float8_numeric, Float8GetDatum(p))));
}

/* ---------------------------------------------------------------- velocity */

/*
 * A velocity datum is its packed image (bj_velocity_pack): 1.3.0's, or a
 * stored 1.2.0 one, which bj_velocity_unpack reads too.
 */
static void
velocity_unpack(const void *image, bj_velocity *v)
{
	if (!bj_velocity_unpack(image, v))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid velocity value in memory or on disk")));
}

static void
encode_velocity(const void *state, uint8_t *out)
{
	bj_velocity v;

	velocity_unpack(state, &v);
	bj_velocity_encode(&v, out);
}

static bj_decode_error
decode_velocity(const uint8_t *in, size_t len, void *state)
{
	bj_velocity v;
	bj_decode_error e = bj_velocity_decode(in, len, &v);

	if (e == BJ_DECODE_OK)
		bj_velocity_pack(&v, state);
	return e;
}

static const StateForm velocity_form = {"velocity", BJ_VELOCITY_FORM_SIZE, BJ_VELOCITY_IMAGE_SIZE,
encode_velocity, decode_velocity};

STATE_IO(velocity, velocity_form)

/* An amount as an exact decimal: finite, at most 38 decimals and 128 bits (22003). */
static bj_decimal
amount_arg(Datum amount)
{
	bj_decimal	d;

	if (numeric_is_nan(DatumGetNumeric(amount)) || numeric_is_inf(DatumGetNumeric(amount)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a deal amount must be a finite number")));
	if (!bj_decimal_parse(DatumGetCString(DirectFunctionCall1(numeric_out, amount)), &d))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("deal amount out of range for pipeline velocity"),
				 errdetail("Amounts are summed exactly in 128 bits with at most %d decimals.",
						   BJ_DECIMAL_MAX_SCALE)));
	return d;
}

/* velocity_add(velocity, journey, amount): one deal more. */
PG_FUNCTION_INFO_V1(velocity_add);
Datum
velocity_add(PG_FUNCTION_ARGS)
{
	uint8	   *image;
	bj_velocity v;
	bj_decimal	amount;

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1));
	if (!PG_ARGISNULL(2))
		amount = amount_arg(PG_GETARG_DATUM(2));
	image = mutable_state(fcinfo, BJ_VELOCITY_IMAGE_SIZE);
	velocity_unpack(image, &v);
	check_produced_state("velocity", bj_velocity_add(&v, (bj_journey *) PG_GETARG_POINTER(1),
													 PG_ARGISNULL(2) ? NULL : &amount));
	bj_velocity_pack(&v, image);
	PG_RETURN_POINTER(image);
}

/* velocity_merge(velocity, velocity): disjoint sets of deals add up. */
PG_FUNCTION_INFO_V1(velocity_merge);
Datum
velocity_merge(PG_FUNCTION_ARGS)
{
	uint8	   *image;
	bj_velocity v,
				from;

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1));
	image = mutable_state(fcinfo, BJ_VELOCITY_IMAGE_SIZE);
	velocity_unpack(image, &v);
	velocity_unpack(PG_GETARG_POINTER(1), &from);
	check_produced_state("velocity", bj_velocity_merge(&v, &from));
	bj_velocity_pack(&v, image);
	PG_RETURN_POINTER(image);
}

/* velocity_report(velocity): the figures; NULL where a denominator is zero. */
PG_FUNCTION_INFO_V1(velocity_report);
Datum
velocity_report(PG_FUNCTION_ARGS)
{
	bj_velocity v;
	TupleDesc	desc;
	Datum		values[7];
	bool		nulls[7] = {false};
	double		x;

	velocity_unpack(PG_GETARG_POINTER(0), &v);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "velocity_report must return a record");
	desc = BlessTupleDesc(desc);
	values[0] = Int64GetDatum(v.deals);
	values[1] = Int64GetDatum(v.open);
	values[2] = Int64GetDatum(v.won);
	nulls[3] = !bj_velocity_win_rate(&v, &x);
	values[3] = Float8GetDatum(nulls[3] ? 0 : x);
	nulls[4] = !bj_velocity_average_won_size(&v, &x);
	values[4] = Float8GetDatum(nulls[4] ? 0 : x);
	nulls[5] = !bj_velocity_average_cycle_days(&v, &x);
	values[5] = Float8GetDatum(nulls[5] ? 0 : x);
	nulls[6] = !bj_velocity_per_day(&v, &x);
	values[6] = Float8GetDatum(nulls[6] ? 0 : x);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
