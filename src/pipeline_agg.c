/*
 * pipeline_agg.c - PostgreSQL glue for the pipeline-conversion aggregates:
 * the journey and funnel types, their aggregates, and the funnel readers.
 *
 * journey and funnel are fixed-size, pass-by-reference types whose memory
 * image is the C struct of bj_journey.h / bj_funnel.h; their text form is
 * the hex of the versioned, big-endian wire form (bj_encode.h), which is what
 * Citus ships between nodes, and their binary form is the wire form itself.
 * The one-pass funnel(deal, stage, at) is in onepass_agg.c.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "bj_encode.h"
#include "bj_funnel.h"
#include "bj_journey.h"
#include "pipeline_args.h"
#include "state_io.h"
#include "value_types.h"

/* The SQL types declare these sizes (INTERNALLENGTH in schema/pipeline.sql). */
StaticAssertDecl(sizeof(bj_journey) == 24, "journey INTERNALLENGTH");
StaticAssertDecl(sizeof(bj_funnel) == 368, "funnel INTERNALLENGTH");


/* ------------------------------------------------ the types' four forms */

static void
encode_journey(const void *state, uint8_t *out)
{
	bj_journey_encode(state, out);
}

static bj_decode_error
decode_journey(const uint8_t *in, size_t len, void *state)
{
	return bj_journey_decode(in, len, state);
}

static void
encode_funnel(const void *state, uint8_t *out)
{
	bj_funnel_encode(state, out);
}

static bj_decode_error
decode_funnel(const uint8_t *in, size_t len, void *state)
{
	return bj_funnel_decode(in, len, state);
}

static const StateForm journey_form = {"journey", BJ_JOURNEY_FORM_SIZE, sizeof(bj_journey), encode_journey, decode_journey};
static const StateForm funnel_form = {"funnel", BJ_FUNNEL_FORM_SIZE, sizeof(bj_funnel), encode_funnel, decode_funnel};

STATE_IO(journey, journey_form)
STATE_IO(funnel, funnel_form)

/* ------------------------------------------------ transition and merging */

/* journey_add(journey, stage, at): NULL stage or time leaves it unchanged. */
PG_FUNCTION_INFO_V1(journey_add);
Datum
journey_add(PG_FUNCTION_ARGS)
{
	bool		fresh = PG_ARGISNULL(0);
	bj_journey *j;
	int64		at;

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1) || PG_ARGISNULL(2));
	at = event_time(PG_GETARG_TIMESTAMPTZ(2));
	j = mutable_state(fcinfo, sizeof(bj_journey));
	if (fresh)
		bj_journey_init(j, stage_code_arg(fcinfo, 1), at);
	else
		bj_journey_add(j, stage_code_arg(fcinfo, 1), at);
	PG_RETURN_POINTER(j);
}

/* journey_merge(journey, journey): both the combine and the roll-up step. */
PG_FUNCTION_INFO_V1(journey_merge);
Datum
journey_merge(PG_FUNCTION_ARGS)
{
	bj_journey *j;

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1));
	j = mutable_state(fcinfo, sizeof(bj_journey));
	if (PG_ARGISNULL(0))
		*j = *(bj_journey *) PG_GETARG_POINTER(1);
	else
		bj_journey_merge(j, (bj_journey *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(j);
}

/* funnel_add(funnel, journey): one deal more; a NULL journey is skipped. */
PG_FUNCTION_INFO_V1(funnel_add);
Datum
funnel_add(PG_FUNCTION_ARGS)
{
	bj_funnel  *f;

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1));
	f = mutable_state(fcinfo, sizeof(bj_funnel));
	bj_funnel_add(f, (bj_journey *) PG_GETARG_POINTER(1));
	check_produced_state("funnel", bj_funnel_valid(f));
	PG_RETURN_POINTER(f);
}

/* funnel_merge(funnel, funnel): funnels of disjoint sets of deals add up. */
PG_FUNCTION_INFO_V1(funnel_merge);
Datum
funnel_merge(PG_FUNCTION_ARGS)
{
	bj_funnel  *f;

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1));
	f = mutable_state(fcinfo, sizeof(bj_funnel));
	bj_funnel_merge(f, (bj_funnel *) PG_GETARG_POINTER(1));
	check_produced_state("funnel", bj_funnel_valid(f));
	PG_RETURN_POINTER(f);
}

/* --------------------------------------------------------------- readers */

/* funnel_report(funnel, count_skipped): one row per stage. */
PG_FUNCTION_INFO_V1(funnel_report);
Datum
funnel_report(PG_FUNCTION_ARGS)
{
	bj_funnel  *f = (bj_funnel *) PG_GETARG_POINTER(0);
	bool		skipped = PG_GETARG_BOOL(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const int64_t *entered = skipped ? f->passed : f->entered;
	const int64_t *moved_on = skipped ? f->moved_on_passed : f->moved_on;

	InitMaterializedSRF(fcinfo, 0);
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		Datum		values[6];
		bool		nulls[6] = {false};
		bool		forward = s < BJ_STAGE_REALIZE;

		values[0] = CharGetDatum((char) s);
		values[1] = Int64GetDatum(entered[s]);
		values[2] = Int64GetDatum(moved_on[s]);
		nulls[2] = !forward;
		/* conversion to the next stage; cumulative share of all deals */
		values[3] = Float8GetDatum(entered[s] ? (double) moved_on[s] / entered[s] : 0);
		nulls[3] = !forward || entered[s] == 0;
		values[4] = Float8GetDatum(f->deals ? (double) entered[s] / f->deals : 0);
		nulls[4] = f->deals == 0;
		values[5] = Int64GetDatum(f->current[s]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* funnel_outcomes(funnel): deals, open, won, lost, no_decision and the rates. */
PG_FUNCTION_INFO_V1(funnel_outcomes);
Datum
funnel_outcomes(PG_FUNCTION_ARGS)
{
	bj_funnel  *f = (bj_funnel *) PG_GETARG_POINTER(0);
	TupleDesc	desc;
	Datum		values[8];
	bool		nulls[8] = {false};
	int64_t		closed = bj_funnel_closed(f);

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "funnel_outcomes must return a record");
	desc = BlessTupleDesc(desc);
	values[0] = Int64GetDatum(f->deals);
	values[1] = Int64GetDatum(bj_funnel_open(f));
	values[2] = Int64GetDatum(bj_funnel_won(f));
	values[3] = Int64GetDatum(bj_funnel_lost(f));
	values[4] = Int64GetDatum(bj_funnel_no_decision(f));
	values[5] = Float8GetDatum(closed ? (double) bj_funnel_won(f) / closed : 0);
	values[6] = Float8GetDatum(closed ? (double) bj_funnel_lost(f) / closed : 0);
	values[7] = Float8GetDatum(closed ? (double) bj_funnel_no_decision(f) / closed : 0);
	nulls[5] = nulls[6] = nulls[7] = closed == 0;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* journey readers */
PG_FUNCTION_INFO_V1(journey_first_at);
Datum
journey_first_at(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(((bj_journey *) PG_GETARG_POINTER(0))->first_at);
}

PG_FUNCTION_INFO_V1(journey_last_at);
Datum
journey_last_at(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(((bj_journey *) PG_GETARG_POINTER(0))->last_at);
}

PG_FUNCTION_INFO_V1(journey_first_stage);
Datum
journey_first_stage(PG_FUNCTION_ARGS)
{
	PG_RETURN_CHAR((char) ((bj_journey *) PG_GETARG_POINTER(0))->first_stage);
}

PG_FUNCTION_INFO_V1(journey_last_stage);
Datum
journey_last_stage(PG_FUNCTION_ARGS)
{
	PG_RETURN_CHAR((char) ((bj_journey *) PG_GETARG_POINTER(0))->last_stage);
}

PG_FUNCTION_INFO_V1(journey_stages_entered);
Datum
journey_stages_entered(PG_FUNCTION_ARGS)
{
	bj_journey *j = (bj_journey *) PG_GETARG_POINTER(0);
	Datum		stages[BJ_STAGE_COUNT];
	int			n = 0;

	/* journey_stage lives in this function's schema */
	Oid			stage_type = value_type_oid(get_func_namespace(fcinfo->flinfo->fn_oid), BJ_KIND_STAGE);

	for (int s = 0; s < BJ_STAGE_COUNT; s++)
		if (j->entered & (1u << s))
			stages[n++] = CharGetDatum((char) s);

	PG_RETURN_ARRAYTYPE_P(construct_array(stages, n, stage_type, 1, true, TYPALIGN_CHAR));
}
