/*
 * onepass_agg.c - the one-pass aggregates over stage events of many deals,
 * no GROUP BY deal needed: funnel(deal, stage, at), time_in_stage(deal,
 * stage, at, as_of) and window_funnel(deal, stage, at, window, steps, mode).
 *
 * Their internal state is a deal log (bj_deal_log.h): marks for the
 * funnel, events for the other two.  A parallel worker hands over its log as
 * one packed, sorted run (serialize), the leader adopts the runs as they are
 * (combine) and reads them side by side once (final).  A large run is named
 * by a token rather than copied through tuples (state_handover.h).  The
 * parameters (as_of, window, steps, mode) travel with the state as the form
 * of an empty result, so a worker's state is whole.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bj_deal_log.h"
#include "bj_encode.h"
#include "bj_funnel.h"
#include "bj_summaries.h"
#include "large_buffers.h"
#include "onepass_concrete.h"
#include "pipeline_args.h"
#include "state_handover.h"
#include "state_io.h"
#include "value_types.h"

/*
 * Memory bound of one state's records; a sort briefly needs as much again.
 * About 22 million events or marks as open records (24 bytes each); packed,
 * some 50 million deals for the funnel.
 */
#define DEAL_LOG_MAX_BYTES ((size_t) 512 * 1024 * 1024)

typedef enum OnePassKind
{
	ONEPASS_FUNNEL,
	ONEPASS_DURATIONS,
	ONEPASS_WINDOW
} OnePassKind;

typedef struct OnePassState
{
	OnePassKind kind;
	bj_deal_log log;
	/* empty results holding the parameters (as_of; window, steps, mode) */
	bj_stage_durations durations;
	bj_window_counts window;
	bool		params_stable;	/* the window funnel's parameters are constants */
	uint64		handover_name;	/* named for a finalize in this process, or 0 */
} OnePassState;

static const char *
kind_name(OnePassKind kind)
{
	return kind == ONEPASS_FUNNEL ? "funnel" : kind == ONEPASS_DURATIONS ? "time_in_stage" : "window_funnel";
}

static void
report_bound(OnePassKind kind)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s state exceeds its memory bound of %zu MB", kind_name(kind),
					DEAL_LOG_MAX_BYTES / (1024 * 1024)),
			 errhint(kind == ONEPASS_FUNNEL
					 ? "Split the deals into groups (GROUP BY), or aggregate per deal with journey() and then funnel(journey)."
					 : "Split the deals into groups (GROUP BY), or build a timeline() per deal with GROUP BY deal.")));
}

static OnePassState *
new_state(MemoryContext context, OnePassKind kind)
{
	OnePassState *s = MemoryContextAllocZero(context, sizeof(OnePassState));
	bj_allocator allocator = large_allocator(context);
	bool		marks = kind == ONEPASS_FUNNEL;

	s->kind = kind;
	if (!bj_deal_log_init(&s->log, marks ? sizeof(bj_deal_mark) : sizeof(bj_deal_event),
						  marks ? bj_deal_mark_merge : NULL, DEAL_LOG_MAX_BYTES, allocator))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory for a %s state", kind_name(kind))));
	return s;
}

/* In deal order, ready to be read (sorting needs as much memory again). */
static void
sort_log(OnePassState *s)
{
	if (!bj_deal_log_sort(&s->log))
		report_bound(s->kind);
}

/* The state to add a row to, or NULL for a row to ignore (NULL deal, stage or time). */
static OnePassState *
state_for_row(FunctionCallInfo fcinfo, OnePassKind kind, bool *fresh)
{
	*fresh = PG_ARGISNULL(0);
	if (!*fresh)
		return (OnePassState *) PG_GETARG_POINTER(0);
	return new_state(aggregate_memory(fcinfo, kind_name(kind)), kind);
}

static bool
row_is_event(FunctionCallInfo fcinfo)
{
	return !PG_ARGISNULL(1) && !PG_ARGISNULL(2) && !PG_ARGISNULL(3);
}

static void
add_event(OnePassState *s, FunctionCallInfo fcinfo)
{
	int64		deal = PG_GETARG_INT64(1);
	int			stage = stage_code_arg(fcinfo, 2);
	int64		at = event_time(PG_GETARG_TIMESTAMPTZ(3));
	bool		ok = s->kind == ONEPASS_FUNNEL
		? bj_deal_log_add_to_marks(&s->log, deal, stage, at)
		: bj_deal_log_add_event(&s->log, deal, stage, at);

	if (!ok)
		report_bound(s->kind);
}

static void
report_changed_parameter(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be the same for every row of a group", what)));
}

/* funnel(deal, stage, at) */
PG_FUNCTION_INFO_V1(funnel_events_add);
Datum
funnel_events_add(PG_FUNCTION_ARGS)
{
	bool		fresh;
	OnePassState *s = state_for_row(fcinfo, ONEPASS_FUNNEL, &fresh);

	if (row_is_event(fcinfo))
		add_event(s, fcinfo);
	PG_RETURN_POINTER(s);
}

/* time_in_stage(deal, stage, at, as_of) */
PG_FUNCTION_INFO_V1(time_in_stage_add);
Datum
time_in_stage_add(PG_FUNCTION_ARGS)
{
	bool		fresh;
	OnePassState *s = state_for_row(fcinfo, ONEPASS_DURATIONS, &fresh);

	if (!take_as_of(fcinfo, &s->durations, fresh))
		report_changed_parameter("as_of");
	if (row_is_event(fcinfo))
		add_event(s, fcinfo);
	PG_RETURN_POINTER(s);
}

/* Is the aggregate's argument (0-based) a constant or a query parameter? */
static bool
aggregate_arg_is_fixed(FunctionCallInfo fcinfo, int argno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	Expr	   *arg;

	if (aggref == NULL || argno >= list_length(aggref->args))
		return false;
	arg = ((TargetEntry *) list_nth(aggref->args, argno))->expr;
	return IsA(arg, Const) || (IsA(arg, Param) && ((Param *) arg)->paramkind == PARAM_EXTERN);
}

/* window_funnel(deal, stage, at, window, steps[, mode]): without mode, the default '{}' */
PG_FUNCTION_INFO_V1(window_funnel_add);
Datum
window_funnel_add(PG_FUNCTION_ARGS)
{
	bool		fresh;
	OnePassState *s = state_for_row(fcinfo, ONEPASS_WINDOW, &fresh);
	bool		has_mode = PG_NARGS() > 6;

	if (PG_ARGISNULL(4) || PG_ARGISNULL(5) || (has_mode && PG_ARGISNULL(6)))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("the window, steps and mode of a window funnel must not be NULL")));
	/* constants (or parameters) cannot change within a query: parse them once */
	if (fresh || !s->params_stable)
	{
		bj_window_counts params;

		window_funnel_parameters(fcinfo, PG_GETARG_INTERVAL_P(4), PG_GETARG_ARRAYTYPE_P(5),
								 has_mode ? PG_GETARG_ARRAYTYPE_P(6) : NULL, &params);
		if (fresh)
		{
			s->window = params;
			s->params_stable = aggregate_arg_is_fixed(fcinfo, 3) &&
				aggregate_arg_is_fixed(fcinfo, 4) && (!has_mode || aggregate_arg_is_fixed(fcinfo, 5));
		}
		else if (!bj_window_counts_merge(&params, &s->window))
			report_changed_parameter("the window, steps and mode");
	}
	if (row_is_event(fcinfo))
		add_event(s, fcinfo);
	PG_RETURN_POINTER(s);
}

/* ------------------------------------------------- parallel: the state's form */

/* Parameters first (the form of an empty result), then the run. */
static size_t
parameters_size(OnePassKind kind)
{
	return kind == ONEPASS_DURATIONS ? BJ_STAGE_DURATIONS_FORM_SIZE
		: kind == ONEPASS_WINDOW ? BJ_WINDOW_COUNTS_FORM_SIZE : 0;
}

/* The parameters' form, head bytes at out. */
static void
encode_parameters(const OnePassState *s, uint8_t *out)
{
	if (s->kind == ONEPASS_DURATIONS)
		bj_stage_durations_encode(&s->durations, out);
	else if (s->kind == ONEPASS_WINDOW)
		bj_window_counts_encode(&s->window, out);
}

/* The parameters, then a token naming the run (state_handover.h). */
static bytea *
token_form(const OnePassState *s, const uint8 *token, size_t token_len)
{
	size_t		head = parameters_size(s->kind);
	bytea	   *out = palloc(VARHDRSZ + head + token_len);

	encode_parameters(s, (uint8_t *) VARDATA(out));
	memcpy((uint8_t *) VARDATA(out) + head, token, token_len);
	SET_VARSIZE(out, VARHDRSZ + head + token_len);
	return out;
}

PG_FUNCTION_INFO_V1(onepass_serialize);
Datum
onepass_serialize(PG_FUNCTION_ARGS)
{
	OnePassState *s = (OnePassState *) PG_GETARG_POINTER(0);
	size_t		head = parameters_size(s->kind);
	size_t		run_size;
	size_t		packed;
	uint8		token[HANDOVER_TOKEN_MAX];
	size_t		token_len;
	SharedChunk chunk;
	uint8	   *shared;
	bytea	   *out;

	(void) aggregate_memory(fcinfo, "onepass_serialize");
	sort_log(s);
	run_size = bj_deal_log_pack_max_size(&s->log);
	/* a finalize in this process reads the state where it is */
	token_len = handover_local_token(fcinfo, s, s->log.allocator.context, run_size, &s->handover_name, token);
	if (token_len > 0)
		PG_RETURN_BYTEA_P(token_form(s, token, token_len));
	/* a parallel worker's goes through the query's shared memory */
	shared = handover_shared_alloc(fcinfo, run_size, &chunk);
	if (shared != NULL)
	{
		if (!bj_deal_log_pack(&s->log, shared, &packed))
			report_bound(s->kind);
		token_len = handover_shared_token(&chunk, packed, token);
		PG_RETURN_BYTEA_P(token_form(s, token, token_len));
	}
	if (head + run_size > MaxAllocHugeSize - VARHDRSZ)
		report_bound(s->kind);
	out = palloc_extended(VARHDRSZ + head + run_size, MCXT_ALLOC_HUGE);
	advise_huge_pages(out, VARHDRSZ + head + run_size);
	encode_parameters(s, (uint8_t *) VARDATA(out));
	if (!bj_deal_log_pack(&s->log, (uint8_t *) VARDATA(out) + head, &packed))
		report_bound(s->kind);
	/* a bytea holds at most 1 GB */
	if (head + packed > MaxAllocSize - VARHDRSZ)
		report_bound(s->kind);
	SET_VARSIZE(out, VARHDRSZ + head + packed);
	PG_RETURN_BYTEA_P(out);
}

/* A copy of from's records as one packed run, adopted by into. */
static void
adopt_copy(OnePassState *into, const OnePassState *from)
{
	const bj_deal_log *log = &from->log;
	bj_packed_run run;
	size_t		size = bj_deal_log_pack_max_size(log);

	run.bytes = into->log.allocator.alloc(into->log.allocator.context, size);
	run.marks = from->kind == ONEPASS_FUNNEL;
	run.borrowed = false;
	if (run.bytes == NULL || !bj_deal_log_pack(log, run.bytes, &run.len))
		report_bound(into->kind);
	/* our own packing: its header counts the records (marks of one deal in several runs are one) */
	run.count = bj_packed_run_count(run.bytes);
	if (!bj_deal_log_adopt(&into->log, run))
		report_bound(into->kind);
}

/* The run of a state's form: inline, or named by a token. */
static bj_decode_error
decode_run(FunctionCallInfo fcinfo, OnePassState *s, const uint8_t *data, size_t len)
{
	bj_decode_error e;
	bj_packed_run run;
	bool		marks = s->kind == ONEPASS_FUNNEL;

	if (len >= 2 && data[1] == BJ_FORM_LOCAL_HANDOVER)
	{
		const OnePassState *from = handover_local_state(data, len);

		if (from->kind != s->kind)
			return BJ_DECODE_KIND;
		adopt_copy(s, from);
		return BJ_DECODE_OK;
	}
	if (len >= 2 && data[1] == BJ_FORM_SHARED_HANDOVER)
	{
		/* checked like any run, then read where it is */
		run.bytes = (uint8_t *) handover_shared_run(fcinfo, data, len, s->log.allocator.context, &run.len);
		run.marks = marks;
		run.borrowed = true;
		e = bj_packed_run_check(run.bytes, run.len, marks, &run.count);
	}
	else
		e = bj_packed_run_decode(data, len, marks, DEAL_LOG_MAX_BYTES, s->log.allocator, &run);
	if (e == BJ_DECODE_OK && !bj_deal_log_adopt(&s->log, run))
		e = BJ_DECODE_NO_MEMORY;
	return e;
}

PG_FUNCTION_INFO_V1(onepass_deserialize);
Datum
onepass_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_memory(fcinfo, "onepass_deserialize");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const uint8_t *data = (const uint8_t *) VARDATA_ANY(in);
	size_t		len = VARSIZE_ANY_EXHDR(in);
	OnePassKind kind;
	OnePassState *s;
	size_t		head;
	bj_decode_error e = BJ_DECODE_OK;

	/* the kind byte of the first form says which aggregate it is */
	if (len < 2)
		report_decode_error("one-pass aggregate state", BJ_DECODE_TRUNCATED);
	kind = data[1] == BJ_FORM_STAGE_DURATIONS ? ONEPASS_DURATIONS
		: data[1] == BJ_FORM_WINDOW_COUNTS ? ONEPASS_WINDOW : ONEPASS_FUNNEL;
	head = parameters_size(kind);
	s = new_state(context, kind);
	if (len < head)
		e = BJ_DECODE_TRUNCATED;
	else if (kind == ONEPASS_DURATIONS)
		e = bj_stage_durations_decode(data, head, &s->durations);
	else if (kind == ONEPASS_WINDOW)
		e = bj_window_counts_decode(data, head, &s->window);
	if (e == BJ_DECODE_OK)
		e = decode_run(fcinfo, s, data + head, len - head);
	if (e != BJ_DECODE_OK)
		report_decode_error("one-pass aggregate state", e);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(onepass_combine);
Datum
onepass_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_memory(fcinfo, "onepass_combine");
	OnePassState *into;
	OnePassState *from;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	from = (OnePassState *) PG_GETARG_POINTER(1);
	/* a state our deserialiser made in this aggregate's memory is adopted as is */
	if (PG_ARGISNULL(0) && from->log.allocator.context == context)
		PG_RETURN_POINTER(from);
	into = PG_ARGISNULL(0) ? new_state(context, from->kind) : (OnePassState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(0))
	{
		into->durations = from->durations;
		into->window = from->window;
	}
	else if (!bj_stage_durations_merge(&into->durations, &from->durations) ||
			 !bj_window_counts_merge(&into->window, &from->window))
		report_changed_parameter(into->kind == ONEPASS_DURATIONS ? "as_of" : "the window, steps and mode");
	/* a deserialised state holds packed runs only: they are handed over as they are */
	sort_log(from);
	if (from->log.open.count > 0 || from->log.allocator.context != context)
	{
		/* anything else (not seen in PostgreSQL's own plans) is packed into a new run */
		adopt_copy(into, from);
	}
	else
	{
		for (int i = 0; i < from->log.nsealed; i++)
			if (!bj_deal_log_adopt(&into->log, from->log.sealed[i]))
				report_bound(into->kind);
		from->log.nsealed = 0;
	}
	PG_RETURN_POINTER(into);
}

/* ---------------------------------------------------------------- finals */

/* Each deal's events, normalised, added to a result. */
static void
summarise_log(OnePassState *s, void (*add) (void *result, const bj_event *events, size_t n), void *result)
{
	sort_log(s);
	if (!summarise_events(&s->log, add, result))
		report_bound(s->kind);
}

/*
 * The finals only put the log in order, which changes no answer:
 * the state may still take rows or be finalised again (window aggregates).
 */
PG_FUNCTION_INFO_V1(funnel_events_final);
Datum
funnel_events_final(PG_FUNCTION_ARGS)
{
	OnePassState *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (OnePassState *) PG_GETARG_POINTER(0);
	sort_log(s);
	PG_RETURN_POINTER(funnel_of_marks(&s->log));
}

PG_FUNCTION_INFO_V1(time_in_stage_final);
Datum
time_in_stage_final(PG_FUNCTION_ARGS)
{
	OnePassState *s;
	bj_stage_durations *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (OnePassState *) PG_GETARG_POINTER(0);
	result = palloc(sizeof(bj_stage_durations));
	*result = s->durations;		/* the parameters, no counts yet */
	summarise_log(s, add_stage_durations, result);
	check_produced_state("stage_durations", bj_stage_durations_valid(result));
	PG_RETURN_POINTER(result);
}

PG_FUNCTION_INFO_V1(window_funnel_final);
Datum
window_funnel_final(PG_FUNCTION_ARGS)
{
	OnePassState *s;
	bj_window_counts *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (OnePassState *) PG_GETARG_POINTER(0);
	result = palloc(sizeof(bj_window_counts));
	*result = s->window;		/* the parameters, no counts yet */
	summarise_log(s, add_window_counts, result);
	check_produced_state("window_counts", bj_window_counts_valid(result));
	PG_RETURN_POINTER(result);
}

/*
 * The support functions of funnel(deal, stage, at) under their 1.0.0 names,
 * so that a database still at 1.0.0 keeps working with this library.
 */
PG_FUNCTION_INFO_V1(funnel_events_combine);
Datum
funnel_events_combine(PG_FUNCTION_ARGS)
{
	return onepass_combine(fcinfo);
}

PG_FUNCTION_INFO_V1(funnel_events_serialize);
Datum
funnel_events_serialize(PG_FUNCTION_ARGS)
{
	return onepass_serialize(fcinfo);
}

PG_FUNCTION_INFO_V1(funnel_events_deserialize);
Datum
funnel_events_deserialize(PG_FUNCTION_ARGS)
{
	return onepass_deserialize(fcinfo);
}
