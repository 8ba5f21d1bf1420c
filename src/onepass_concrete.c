/*
 * onepass_concrete.c - the concrete twins of the one-pass aggregates, for
 * Citus (docs/citus.md): funnel_distributed(deal, stage, at),
 * time_in_stage_distributed(deal, stage, at, as_of) and
 * window_funnel_distributed(deal, stage, at, window, steps[, mode]), with the
 * same answers as funnel(deal, …), time_in_stage(deal, …) and
 * window_funnel(deal, …), and state types Citus can ship, so that it
 * aggregates on the workers instead of pulling every event to the
 * coordinator.
 *
 * Their states, deal_mark_run (each deal's mark, bj_mark.h) and deal_event_run
 * (each deal's events, with the parameters), are deal logs (bj_deal_log.h).
 * The binary form is that of a one-pass state between parallel workers: the
 * parameters as the form of an empty result (none for the funnel), then a
 * packed run (bj_deal_run.h: about 10 bytes a mark).  The text form, which is
 * what Citus ships (worker_partial_agg writes the state with the type's
 * output function, the coordinator reads it with the input function), is the
 * binary form in base64.
 *
 * funnel_colocated, time_in_stage_colocated and window_funnel_colocated take
 * the same rows and state types, for tables where each deal's events are all
 * on one shard (distributed by the deal, or by a column that keeps a deal's events
 * together).  Their state leaves the aggregate summarised: the result of its
 * deals (the counts in the head) and the set of those deals (bj_deal_set.h),
 * a byte or so a deal, instead of the events or marks.  Merging such states checks
 * that no deal was summarised twice (22023), so a table where a deal's
 * events are on two shards gets an error, never a deal counted twice.  A
 * state is summarised where it leaves its aggregate (flattened, or written as
 * text or binary: how Citus ships it), not where a merge in the same process
 * reads it, and not in PostgreSQL's own partial aggregation (parallel
 * workers, partitionwise aggregation), whose parts split deals: there it
 * keeps its marks or events.
 *
 * During aggregation a state is an expanded object (utils/expandeddatum.h):
 * the transition function returns the same read-write pointer, which
 * PostgreSQL's Agg, WindowAgg and Citus's worker_partial_agg keep as it is,
 * so a row costs what it costs the one-pass aggregate.  The state is packed
 * once, when it leaves the aggregate (a tuple to a parallel leader, the text
 * to the coordinator).
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/array.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bj_base64.h"
#include "bj_deal_set.h"
#include "bj_encode.h"
#include "bj_summaries.h"
#include "core_interrupts.h"
#include "large_buffers.h"
#include "onepass_concrete.h"
#include "pipeline_args.h"
#include "state_io.h"
#include "value_types.h"

/* As the one-pass aggregates': some 50 million deals' marks packed. */
#define LOG_MAX_BYTES ((size_t) 512 * 1024 * 1024)

/*
 * Deals summarised that a state may name: checking them takes a copy and a
 * sort's scratch besides the list, so all three stay within LOG_MAX_BYTES
 * (some 22 million deals).
 */
#define MAX_SUMMARISED_DEALS (LOG_MAX_BYTES / (3 * sizeof(int64)))

typedef enum TwinKind
{
	TWIN_FUNNEL,
	TWIN_DURATIONS,
	TWIN_WINDOW
} TwinKind;

typedef struct TwinState
{
	ExpandedObjectHeader hdr;
	TwinKind	kind;
	bj_deal_log log;
	/* empty results holding the parameters (as_of; window, steps, mode) */
	bj_stage_durations durations;
	bj_window_counts window;
	bj_funnel	funnel;			/* the funnel of the deals summarised (merged states), if any */
	/* the window funnel's parameters as last given, to parse them only when they change */
	Interval	last_window;
	struct varlena *last_steps;
	struct varlena *last_modes;	/* or NULL: no mode given */
	uint8	   *form;			/* the binary form, once asked for; NULL when stale */
	size_t		form_len;
	uint8	   *shipped;		/* the same summarised (whole), once asked for; NULL when stale */
	size_t		shipped_len;
	/* the _colocated aggregates: written summarised */
	bool		whole;
	/* deals summarised in the counts of durations or window (merged states), in no order */
	int64	   *summarised;
	size_t		nsummarised;
	size_t		summarised_room;
} TwinState;

static Size twin_flat_size(ExpandedObjectHeader *eohptr);
static void twin_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods twin_methods = {twin_flat_size, twin_flatten};

static const char *
type_name(TwinKind kind)
{
	return kind == TWIN_FUNNEL ? "deal_mark_run" : "deal_event_run";
}

static void
report_bound(TwinKind kind)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s state exceeds its memory bound of %zu MB", type_name(kind), LOG_MAX_BYTES / (1024 * 1024)),
			 errhint(kind == TWIN_FUNNEL
					 ? "Split the deals into groups (GROUP BY), or aggregate per deal with journey() and then funnel(journey)."
					 : "Split the deals into groups (GROUP BY), or build a timeline() per deal with GROUP BY deal.")));
}

static void
report_changed_parameter(TwinKind kind)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be the same for every row of a group",
					kind == TWIN_DURATIONS ? "as_of" : "the window, steps and mode")));
}

/* An empty state in a memory context of its own under parent. */
static TwinState *
new_state(MemoryContext parent, TwinKind kind)
{
	MemoryContext context = AllocSetContextCreate(parent, "one-pass twin state", ALLOCSET_SMALL_SIZES);
	TwinState  *s = MemoryContextAllocZero(context, sizeof(TwinState));
	bool		marks = kind == TWIN_FUNNEL;

	EOH_init_header(&s->hdr, &twin_methods, context);
	s->kind = kind;
	bj_funnel_init(&s->funnel);
	if (!bj_deal_log_init(&s->log, marks ? sizeof(bj_deal_mark) : sizeof(bj_deal_event),
						  marks ? bj_deal_mark_merge : NULL, LOG_MAX_BYTES, large_allocator(context)))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory for a %s state", type_name(kind))));
	return s;
}

/* ------------------------------------------------------- the binary form */

/*
 * A form starts with a head, the form of a result (its kind byte says
 * which): the parameters and the counts of the deals summarised.  A
 * deal_mark_run of no deals summarised has none: it starts with its run.
 */
static size_t
head_size(uint8 form_kind_byte)
{
	return form_kind_byte == BJ_FORM_STAGE_DURATIONS ? BJ_STAGE_DURATIONS_FORM_SIZE
		: form_kind_byte == BJ_FORM_WINDOW_COUNTS ? BJ_WINDOW_COUNTS_FORM_SIZE
		: form_kind_byte == BJ_FORM_FUNNEL ? BJ_FUNNEL_FORM_SIZE : 0;
}

/* Which kind a form is, from its first kind byte; false for a form no twin has. */
static bool
form_kind(const uint8 *data, size_t len, TwinKind *kind)
{
	if (len < 2)
		return false;
	*kind = data[1] == BJ_FORM_STAGE_DURATIONS ? TWIN_DURATIONS
		: data[1] == BJ_FORM_WINDOW_COUNTS ? TWIN_WINDOW : TWIN_FUNNEL;
	return data[1] == BJ_FORM_STAGE_DURATIONS || data[1] == BJ_FORM_WINDOW_COUNTS ||
		data[1] == BJ_FORM_MARK_RUN || data[1] == BJ_FORM_FUNNEL;
}

/* A result of no deals: what a twin's head may hold besides the parameters. */
static bool
durations_empty(const bj_stage_durations *d)
{
	bj_stage_durations empty;

	bj_stage_durations_init(&empty, d->as_of);
	return memcmp(&empty, d, sizeof(empty)) == 0;
}

static bool
window_empty(const bj_window_counts *w)
{
	bool		empty = w->deals == 0;

	for (int k = 0; k < BJ_MAX_STEPS; k++)
		empty = empty && w->reached[k] == 0 && w->step_time[k].lo == 0 && w->step_time[k].hi == 0;
	return empty;
}

/*
 * Checks a form of a twin of type 'funnel' (deal_mark_run) or not (deal_event_run)
 * completely, decoding its parameters and counts into params (may be NULL).
 * A form: the head (head_size), then, after a head, the set of the deals
 * summarised in it, then the run of events or marks.  *head_len and
 * *set_len: the lengths of the head and of the set (either may be NULL).
 */
static bj_decode_error
check_form(const uint8 *data, size_t len, bool funnel, TwinState *params, size_t *head_len, size_t *set_len)
{
	TwinKind	kind;
	size_t		head;
	size_t		set = 0;
	uint64		summarised = 0;
	uint64		count;
	bj_stage_durations durations;
	bj_window_counts window;
	bj_funnel	f;
	bj_decode_error e = BJ_DECODE_OK;

	if (len < 2)
		return BJ_DECODE_TRUNCATED;
	if (!form_kind(data, len, &kind) || (kind == TWIN_FUNNEL) != funnel)
		return BJ_DECODE_KIND;
	head = head_size(data[1]);
	if (len < head)
		return BJ_DECODE_TRUNCATED;
	if (kind == TWIN_DURATIONS)
		e = bj_stage_durations_decode(data, head, &durations);
	else if (kind == TWIN_WINDOW)
		e = bj_window_counts_decode(data, head, &window);
	else if (head > 0)
		e = bj_funnel_decode(data, head, &f);
	else
		bj_funnel_init(&f);
	if (e == BJ_DECODE_OK && head > 0)
		e = bj_deal_set_check(data + head, len - head, &set, &summarised);
	/*
	 * Counts in the head are those of the deals in the set, no more (without
	 * a set they would be added to every answer).
	 */
	if (e == BJ_DECODE_OK && summarised == 0 &&
		((kind == TWIN_DURATIONS && !durations_empty(&durations)) || (kind == TWIN_WINDOW && !window_empty(&window))))
		e = BJ_DECODE_INCONSISTENT;
	if (e == BJ_DECODE_OK &&
		((kind == TWIN_DURATIONS && (uint64) durations.deals > summarised) ||
		 (kind == TWIN_WINDOW && (uint64) window.deals != summarised) ||
		 (kind == TWIN_FUNNEL && (uint64) f.deals != summarised)))
		e = BJ_DECODE_INCONSISTENT;
	if (e == BJ_DECODE_OK)
		e = bj_packed_run_check(data + head + set, len - head - set, funnel, &count);
	if (e == BJ_DECODE_OK && params != NULL)
	{
		if (kind == TWIN_DURATIONS)
			params->durations = durations;
		else if (kind == TWIN_WINDOW)
			params->window = window;
		else
			params->funnel = f;
	}
	if (head_len != NULL)
		*head_len = head;
	if (set_len != NULL)
		*set_len = set;
	return e;
}

static void
report_summarised_twice(int64 deal)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("deal " INT64_FORMAT " has events in more than one partial state of a colocated aggregate", deal),
			 errdetail("funnel_colocated, time_in_stage_colocated and window_funnel_colocated summarise each deal "
					   "where its events are, so all of a deal's events must be in one place: one shard of a table "
					   "distributed by the deal, or by a column that keeps each deal's events together."),
			 errhint("Use funnel_distributed, time_in_stage_distributed or window_funnel_distributed, "
					 "which ship each deal's events or marks.")));
}

/*
 * The deals summarised in s's counts and, if log_too, those of its sorted
 * log, in order (*n of them, in the current memory context); each must be
 * there once (22023 if not): a deal summarised in two partial states, or
 * summarised in one and still in events in another, would count twice.
 */
static int64 *
distinct_deals(TwinState *s, bool log_too, size_t *n)
{
	size_t		room = s->nsummarised + (log_too ? Min(bj_deal_log_records(&s->log), (size_t) 1024) : 0);
	int64	   *deals;
	int64	   *scratch;
	int64		repeated;

	room = Max(room, 1);
	deals = palloc_extended(room * sizeof(int64), MCXT_ALLOC_HUGE);
	*n = s->nsummarised;
	if (s->nsummarised > 0)
		memcpy(deals, s->summarised, s->nsummarised * sizeof(int64));
	if (log_too)
	{
		bj_deal_cursor cursor;
		int64		deal;
		size_t		count;
		bool		failed = false;
		bj_mark		mark;

		bj_deal_cursor_start(&s->log, &cursor);
		while (s->kind == TWIN_FUNNEL ? bj_deal_log_next_mark(&s->log, &cursor, &deal, &mark)
			   : bj_deal_log_next_events(&s->log, &cursor, &deal, &count, &failed) != NULL)
		{
			CHECK_FOR_INTERRUPTS();
			if (*n == room)
			{
				if (room >= MAX_SUMMARISED_DEALS)
					report_bound(s->kind);
				room = Min(room * 2, MAX_SUMMARISED_DEALS);
				deals = repalloc_huge(deals, room * sizeof(int64));
			}
			deals[(*n)++] = deal;
		}
		bj_deal_cursor_end(&s->log, &cursor);
		if (failed)
			report_bound(s->kind);
	}
	scratch = palloc_extended(Max(*n, 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	switch (bj_deals_distinct(deals, scratch, *n, &repeated))
	{
		case BJ_DEALS_DISTINCT:
			break;
		case BJ_DEALS_REPEATED:
			report_summarised_twice(repeated);
			break;
		case BJ_DEALS_INTERRUPTED:
			core_interrupts_stopped();
	}
	pfree(scratch);
	return deals;
}

/* The counts of a twin's head within what its result type holds (22003 if not). */
static void
check_counts(TwinKind kind, const bj_stage_durations *durations, const bj_window_counts *window, const bj_funnel *funnel)
{
	if (kind == TWIN_DURATIONS)
		check_produced_state("stage_durations", bj_stage_durations_valid(durations));
	else if (kind == TWIN_WINDOW)
		check_produced_state("window_counts", bj_window_counts_valid(window));
	else
		check_produced_state("funnel", bj_funnel_valid(funnel));
}

/*
 * s's result, in the one of durations, window and funnel its kind has (the
 * other two keep the summarised counts of theirs): the counts of the deals
 * summarised in merged states, with the parameters, and each deal of its
 * sorted log summarised alone; within its type's range (22003).
 */
static void
summarise_state(TwinState *s, bj_stage_durations *durations, bj_window_counts *window, bj_funnel *funnel)
{
	*durations = s->durations;
	*window = s->window;
	*funnel = s->funnel;
	if (s->kind == TWIN_FUNNEL)
	{
		bj_funnel  *of_marks = funnel_of_marks(&s->log);

		bj_funnel_merge(funnel, of_marks);
		pfree(of_marks);
	}
	else if (!summarise_events(&s->log, s->kind == TWIN_DURATIONS ? add_stage_durations : add_window_counts,
							   s->kind == TWIN_DURATIONS ? (void *) durations : (void *) window))
		report_bound(s->kind);
	check_counts(s->kind, durations, window, funnel);
}

/*
 * A binary form of the state, in memory from context: with its events or
 * marks, or, if summarise, with its deals' result in the head, the set of
 * the deals, and no events or marks.
 */
static uint8 *
build_form(TwinState *s, bool summarise, MemoryContext context, size_t *len)
{
	bool		marks = s->kind == TWIN_FUNNEL;
	/* a funnel twin's form has a head (and a set) only for deals summarised */
	bool		has_head = !marks || summarise || s->nsummarised > 0;
	size_t		head = !has_head ? 0 : head_size(s->kind == TWIN_DURATIONS ? BJ_FORM_STAGE_DURATIONS
											   : s->kind == TWIN_WINDOW ? BJ_FORM_WINDOW_COUNTS : BJ_FORM_FUNNEL);
	bj_stage_durations durations = s->durations;
	bj_window_counts window = s->window;
	bj_funnel	funnel = s->funnel;
	bj_deal_log empty;
	size_t		ndeals = 0;
	int64	   *deals = NULL;
	size_t		set = 0;
	size_t		packed;
	uint8	   *form;

	if (!bj_deal_log_sort(&s->log))
		report_bound(s->kind);
	/* the deals' result added to those of merged states, checked: a form that reads back */
	if (summarise)
		summarise_state(s, &durations, &window, &funnel);
	if (has_head)
		deals = distinct_deals(s, summarise, &ndeals);
	if (summarise && !bj_deal_log_init(&empty, marks ? sizeof(bj_deal_mark) : sizeof(bj_deal_event),
									   marks ? bj_deal_mark_merge : NULL, LOG_MAX_BYTES, s->log.allocator))
		report_bound(s->kind);
	form = large_alloc(context, head + (deals != NULL ? bj_deal_set_max_size(ndeals) : 0) +
					   bj_deal_log_pack_max_size(summarise ? &empty : &s->log));
	if (form == NULL)
		report_bound(s->kind);
	if (s->kind == TWIN_DURATIONS)
		bj_stage_durations_encode(&durations, form);
	else if (s->kind == TWIN_WINDOW)
		bj_window_counts_encode(&window, form);
	else if (has_head)
		bj_funnel_encode(&funnel, form);
	if (deals != NULL)
	{
		set = bj_deal_set_encode(deals, ndeals, form + head);
		pfree(deals);
	}
	if (!bj_deal_log_pack(summarise ? &empty : &s->log, form + head + set, &packed))
		report_bound(s->kind);
	if (summarise)
		bj_deal_log_free(&empty);
	*len = head + set + packed;
	return form;
}

/*
 * The state's binary form with its events or marks, made once per change:
 * what a merge in this process reads.
 */
static const uint8 *
state_form(TwinState *s, size_t *len)
{
	if (s->form == NULL)
		s->form = build_form(s, false, s->hdr.eoh_context, &s->form_len);
	*len = s->form_len;
	return s->form;
}

/*
 * The form in which the state leaves this process or its aggregate
 * (flattened into a tuple or a stored value, written as text or binary):
 * summarised if it is a state of whole deals, made once per change.
 */
static const uint8 *
leaving_form(TwinState *s, size_t *len)
{
	if (!s->whole)
		return state_form(s, len);
	if (s->shipped == NULL)
		s->shipped = build_form(s, true, s->hdr.eoh_context, &s->shipped_len);
	*len = s->shipped_len;
	return s->shipped;
}

/* The state's contents changed: its binary form no longer says it. */
static void
forget_form(TwinState *s)
{
	if (s->form != NULL)
		pfree(s->form);
	if (s->shipped != NULL)
		pfree(s->shipped);
	s->form = NULL;
	s->shipped = NULL;
}

static Size
twin_flat_size(ExpandedObjectHeader *eohptr)
{
	TwinState  *s = (TwinState *) eohptr;
	size_t		len;

	(void) leaving_form(s, &len);
	if (len > MaxAllocSize - VARHDRSZ)
		report_bound(s->kind);
	return VARHDRSZ + len;
}

static void
twin_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	TwinState  *s = (TwinState *) eohptr;
	size_t		len;
	const uint8 *form = leaving_form(s, &len);

	Assert(allocated_size == VARHDRSZ + len);
	memcpy(VARDATA(result), form, len);
	SET_VARSIZE(result, allocated_size);
}

/* The expanded state a datum points to, if it is one of ours; else NULL. */
static TwinState *
expanded_state(Datum d)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	eoh = DatumGetEOHP(d);
	return eoh->eoh_methods == &twin_methods ? (TwinState *) eoh : NULL;
}

/*
 * The binary form of a state datum, expanded or flat.  leaving: for its text
 * or binary output, where a state of whole deals leaves summarised (as it
 * does flattened); a merge in this process reads its marks or events.
 */
static const uint8 *
form_of(Datum d, bool leaving, size_t *len)
{
	TwinState  *s = expanded_state(d);
	struct varlena *flat;

	if (s != NULL)
		return leaving ? leaving_form(s, len) : state_form(s, len);
	flat = PG_DETOAST_DATUM_PACKED(d);
	*len = VARSIZE_ANY_EXHDR(flat);
	return (const uint8 *) VARDATA_ANY(flat);
}

/* The deals a merged state summarised (its checked set), kept to be checked at the end. */
static void
add_summarised(TwinState *s, const uint8 *set)
{
	uint64		n = bj_deal_set_count(set);

	if (n == 0)
		return;
	if (n > MAX_SUMMARISED_DEALS - s->nsummarised)
		report_bound(s->kind);
	if (s->nsummarised + n > s->summarised_room)
	{
		size_t		room = Max(s->summarised_room * 2, s->nsummarised + n);

		room = Min(room, MAX_SUMMARISED_DEALS);
		s->summarised = s->summarised == NULL
			? MemoryContextAllocExtended(s->hdr.eoh_context, room * sizeof(int64), MCXT_ALLOC_HUGE)
			: repalloc_huge(s->summarised, room * sizeof(int64));
		s->summarised_room = room;
	}
	if (!bj_deal_set_decode(set, s->summarised + s->nsummarised))
		core_interrupts_stopped();
	s->nsummarised += n;
}

/*
 * Adds a state datum (expanded or flat, left as it is) to s: its parameters
 * must be s's (unless s is fresh) and its counts are added, its deals
 * summarised are kept, its records are adopted as a packed run.
 */
static void
add_state(TwinState *s, Datum d, bool fresh)
{
	size_t		len;
	const uint8 *form = form_of(d, false, &len);
	TwinState	from;
	size_t		head;
	size_t		set;
	bj_packed_run run;
	bj_decode_error e;

	from.kind = s->kind;
	e = check_form(form, len, s->kind == TWIN_FUNNEL, &from, &head, &set);
	if (e == BJ_DECODE_OK && !form_kind(form, len, &from.kind))
		e = BJ_DECODE_KIND;
	if (e == BJ_DECODE_OK && from.kind != s->kind)
		e = BJ_DECODE_KIND;
	if (e != BJ_DECODE_OK)
		report_decode_error(type_name(s->kind), e);
	if (fresh)
	{
		s->durations = from.durations;
		s->window = from.window;
	}
	else if ((s->kind == TWIN_DURATIONS && !bj_stage_durations_merge(&s->durations, &from.durations)) ||
			 (s->kind == TWIN_WINDOW && !bj_window_counts_merge(&s->window, &from.window)))
		report_changed_parameter(s->kind);
	if (s->kind == TWIN_FUNNEL)
		bj_funnel_merge(&s->funnel, &from.funnel);
	/*
	 * Counts of deals summarised, added up: each within BJ_MAX_COUNT, so one
	 * sum cannot wrap, and past that range is 22003 before the next.
	 */
	check_counts(s->kind, &s->durations, &s->window, &s->funnel);
	if (set > 0)
		add_summarised(s, form + head);
	e = bj_packed_run_decode(form + head + set, len - head - set, s->kind == TWIN_FUNNEL, LOG_MAX_BYTES,
							 s->log.allocator, &run);
	if (e == BJ_DECODE_OK && !bj_deal_log_adopt(&s->log, run))
		e = BJ_DECODE_NO_MEMORY;
	if (e != BJ_DECODE_OK)
		report_decode_error(type_name(s->kind), e);
	forget_form(s);
}

/*
 * The state argument 0 names, to be changed: in place when it is our
 * read-write state living in this aggregate's memory, else a new one (a copy
 * of argument 0 if there is one).  *fresh: it holds no parameters yet.
 * Called as a plain function (a merge of two stored states), never in place.
 */
static TwinState *
state_to_update(FunctionCallInfo fcinfo, TwinKind kind, bool *fresh)
{
	MemoryContext aggcontext;
	bool		in_aggregate = AggCheckCallContext(fcinfo, &aggcontext) != 0;
	TwinState  *s;

	if (!in_aggregate)
		aggcontext = CurrentMemoryContext;
	*fresh = PG_ARGISNULL(0);
	if (!*fresh && in_aggregate)
	{
		Datum		d = PG_GETARG_DATUM(0);

		s = expanded_state(d);
		if (s != NULL && s->kind == kind && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
			MemoryContextGetParent(s->hdr.eoh_context) == aggcontext)
			return s;
	}
	s = new_state(aggcontext, kind);
	if (!*fresh)
		add_state(s, PG_GETARG_DATUM(0), true);
	return s;
}

/* A state to read (a final function's argument): as it is, or expanded from its form. */
static TwinState *
state_to_read(Datum d, TwinKind kind)
{
	TwinState  *s = expanded_state(d);

	if (s == NULL)
	{
		s = new_state(CurrentMemoryContext, kind);
		add_state(s, d, true);
	}
	else if (s->kind != kind)
		report_decode_error(type_name(kind), BJ_DECODE_KIND);
	if (!bj_deal_log_sort(&s->log))
		report_bound(kind);
	return s;
}

/* ------------------------------------------------------- text and binary */

static Datum
twin_in(const char *text, bool funnel)
{
	size_t		text_len = strlen(text);
	struct varlena *out = palloc(VARHDRSZ + text_len / 4 * 3);
	size_t		len;
	bj_decode_error e;
	const char *type = funnel ? "deal_mark_run" : "deal_event_run";

	if (!bj_base64_decode(text, text_len, (uint8_t *) VARDATA(out), &len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%.*s%s\"", type,
						pg_mbcliplen(text, (int) text_len, 40), text, text_len > 40 ? "..." : ""),
				 errdetail("A %s is written as the base64 of its binary form, as its output gives.", type)));
	e = check_form((const uint8 *) VARDATA(out), len, funnel, NULL, NULL, NULL);
	if (e == BJ_DECODE_INTERRUPTED)
		core_interrupts_stopped();
	if (e != BJ_DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s value: %s", type, bj_decode_error_message(e))));
	SET_VARSIZE(out, VARHDRSZ + len);
	PG_RETURN_POINTER(out);
}

static Datum
twin_out(Datum d)
{
	size_t		len;
	const uint8 *form = form_of(d, true, &len);
	size_t		text_len = bj_base64_encoded_size(len);
	char	   *text;

	if (text_len >= MaxAllocHugeSize)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("state too large for its text form")));
	text = palloc_extended(text_len + 1, MCXT_ALLOC_HUGE);
	bj_base64_encode(form, len, text);
	text[text_len] = '\0';
	PG_RETURN_CSTRING(text);
}

static Datum
twin_recv(StringInfo buf, bool funnel)
{
	size_t		len = buf->len - buf->cursor;
	bj_decode_error e = check_form((const uint8 *) buf->data + buf->cursor, len, funnel, NULL, NULL, NULL);
	struct varlena *out;

	if (e != BJ_DECODE_OK)
		report_decode_error(funnel ? "deal_mark_run" : "deal_event_run", e);
	out = palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	memcpy(VARDATA(out), buf->data + buf->cursor, len);
	buf->cursor = buf->len;
	PG_RETURN_POINTER(out);
}

static Datum
twin_send(Datum d)
{
	size_t		len;
	const uint8 *form = form_of(d, true, &len);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) form, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(deal_mark_run_in);
Datum
deal_mark_run_in(PG_FUNCTION_ARGS)
{
	return twin_in(PG_GETARG_CSTRING(0), true);
}

PG_FUNCTION_INFO_V1(deal_event_run_in);
Datum
deal_event_run_in(PG_FUNCTION_ARGS)
{
	return twin_in(PG_GETARG_CSTRING(0), false);
}

PG_FUNCTION_INFO_V1(deal_mark_run_out);
Datum
deal_mark_run_out(PG_FUNCTION_ARGS)
{
	return twin_out(PG_GETARG_DATUM(0));
}

PG_FUNCTION_INFO_V1(deal_event_run_out);
Datum
deal_event_run_out(PG_FUNCTION_ARGS)
{
	return twin_out(PG_GETARG_DATUM(0));
}

PG_FUNCTION_INFO_V1(deal_mark_run_recv);
Datum
deal_mark_run_recv(PG_FUNCTION_ARGS)
{
	return twin_recv((StringInfo) PG_GETARG_POINTER(0), true);
}

PG_FUNCTION_INFO_V1(deal_event_run_recv);
Datum
deal_event_run_recv(PG_FUNCTION_ARGS)
{
	return twin_recv((StringInfo) PG_GETARG_POINTER(0), false);
}

PG_FUNCTION_INFO_V1(deal_mark_run_send);
Datum
deal_mark_run_send(PG_FUNCTION_ARGS)
{
	return twin_send(PG_GETARG_DATUM(0));
}

PG_FUNCTION_INFO_V1(deal_event_run_send);
Datum
deal_event_run_send(PG_FUNCTION_ARGS)
{
	return twin_send(PG_GETARG_DATUM(0));
}

/* ------------------------------------------------------------ transitions */

static bool
row_is_event(FunctionCallInfo fcinfo)
{
	return !PG_ARGISNULL(1) && !PG_ARGISNULL(2) && !PG_ARGISNULL(3);
}

/* A row with a NULL deal, stage or time is not an event. */
static Datum
add_row(FunctionCallInfo fcinfo, TwinState *s)
{
	if (row_is_event(fcinfo))
	{
		int64		deal = PG_GETARG_INT64(1);
		int			stage = stage_code_arg(fcinfo, 2);
		int64		at = event_time(PG_GETARG_TIMESTAMPTZ(3));

		forget_form(s);
		if (!(s->kind == TWIN_FUNNEL ? bj_deal_log_add_to_marks(&s->log, deal, stage, at)
			  : bj_deal_log_add_event(&s->log, deal, stage, at)))
			report_bound(s->kind);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}

/*
 * A _colocated aggregate's state leaves summarised only from an aggregate that
 * PostgreSQL runs whole: on Citus, worker_partial_agg on one shard, which
 * writes the state with its output function.  In PostgreSQL's own partial
 * aggregation (parallel workers, partitionwise aggregation) the parts of a
 * table split deals, so there it keeps each deal's marks or events, as a
 * _distributed state does, and the answer stays exact.  This reads
 * AggState->aggsplit (nodes/execnodes.h) of the Agg node calling, as nodeAgg.c
 * sets it for a partial aggregate; sql/citus_twins.sql's parallel and
 * partitionwise plans fail with 22023 if it stops telling.
 */
static bool
summarised_where_it_leaves(FunctionCallInfo fcinfo)
{
	return !(fcinfo->context != NULL && IsA(fcinfo->context, AggState) &&
			 DO_AGGSPLIT_SKIPFINAL(((AggState *) fcinfo->context)->aggsplit));
}

/* funnel_distributed(deal, stage, at) */
PG_FUNCTION_INFO_V1(deal_mark_run_add);
Datum
deal_mark_run_add(PG_FUNCTION_ARGS)
{
	bool		fresh;

	return add_row(fcinfo, state_to_update(fcinfo, TWIN_FUNNEL, &fresh));
}

/* funnel_colocated(deal, stage, at) */
PG_FUNCTION_INFO_V1(deal_mark_run_add_whole);
Datum
deal_mark_run_add_whole(PG_FUNCTION_ARGS)
{
	bool		fresh;
	TwinState  *s = state_to_update(fcinfo, TWIN_FUNNEL, &fresh);

	s->whole = summarised_where_it_leaves(fcinfo);
	return add_row(fcinfo, s);
}

bool
take_as_of(FunctionCallInfo fcinfo, bj_stage_durations *d, bool fresh)
{
	int64		as_of;

	if (PG_ARGISNULL(4))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the as_of bound must not be NULL")));
	as_of = as_of_bound(PG_GETARG_TIMESTAMPTZ(4));
	if (fresh)
		bj_stage_durations_init(d, as_of);
	return fresh || as_of == d->as_of;
}

static Datum
add_durations(FunctionCallInfo fcinfo, bool whole)
{
	bool		fresh;
	TwinState  *s = state_to_update(fcinfo, TWIN_DURATIONS, &fresh);

	if (!take_as_of(fcinfo, &s->durations, fresh))
		report_changed_parameter(s->kind);
	s->whole = whole && summarised_where_it_leaves(fcinfo);
	return add_row(fcinfo, s);
}

/* time_in_stage_distributed(deal, stage, at, as_of) */
PG_FUNCTION_INFO_V1(deal_event_run_add_durations);
Datum
deal_event_run_add_durations(PG_FUNCTION_ARGS)
{
	return add_durations(fcinfo, false);
}

/* time_in_stage_colocated(deal, stage, at, as_of) */
PG_FUNCTION_INFO_V1(deal_event_run_add_durations_whole);
Datum
deal_event_run_add_durations_whole(PG_FUNCTION_ARGS)
{
	return add_durations(fcinfo, true);
}

static bool
same_varlena(const struct varlena *a, const struct varlena *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

/*
 * The window funnel's parameters are those of the row before (byte for byte):
 * under Citus's worker_partial_agg they arrive with every row, not as
 * constants of the aggregate, so this is what spares parsing them each time.
 */
static bool
same_window_parameters(const TwinState *s, const Interval *window, const ArrayType *steps, const ArrayType *modes)
{
	return s->last_steps != NULL && memcmp(&s->last_window, window, sizeof(Interval)) == 0 &&
		same_varlena(s->last_steps, (const struct varlena *) steps) &&
		same_varlena(s->last_modes, (const struct varlena *) modes);
}

static struct varlena *
copy_varlena(MemoryContext context, const struct varlena *v)
{
	struct varlena *copy;

	if (v == NULL)
		return NULL;
	copy = MemoryContextAlloc(context, VARSIZE(v));
	memcpy(copy, v, VARSIZE(v));
	return copy;
}

/* window_funnel_distributed and _colocated(deal, stage, at, window, steps[, mode]): without mode, '{}' */
static Datum
add_window(FunctionCallInfo fcinfo, bool whole)
{
	bool		fresh;
	TwinState  *s = state_to_update(fcinfo, TWIN_WINDOW, &fresh);
	bool		has_mode = PG_NARGS() > 6;
	Interval   *window;
	ArrayType  *steps;
	ArrayType  *modes;

	if (PG_ARGISNULL(4) || PG_ARGISNULL(5) || (has_mode && PG_ARGISNULL(6)))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("the window, steps and mode of a window funnel must not be NULL")));
	window = PG_GETARG_INTERVAL_P(4);
	steps = PG_GETARG_ARRAYTYPE_P(5);
	modes = has_mode ? PG_GETARG_ARRAYTYPE_P(6) : NULL;
	if (fresh || !same_window_parameters(s, window, steps, modes))
	{
		bj_window_counts params;

		window_funnel_parameters(fcinfo, window, steps, modes, &params);
		if (fresh)
			s->window = params;
		else if (!bj_window_counts_merge(&params, &s->window))
			report_changed_parameter(s->kind);
		s->last_window = *window;
		if (s->last_steps != NULL)
			pfree(s->last_steps);
		if (s->last_modes != NULL)
			pfree(s->last_modes);
		s->last_steps = copy_varlena(s->hdr.eoh_context, (struct varlena *) steps);
		s->last_modes = copy_varlena(s->hdr.eoh_context, (struct varlena *) modes);
	}
	s->whole = whole && summarised_where_it_leaves(fcinfo);
	return add_row(fcinfo, s);
}

PG_FUNCTION_INFO_V1(deal_event_run_add_window);
Datum
deal_event_run_add_window(PG_FUNCTION_ARGS)
{
	return add_window(fcinfo, false);
}

PG_FUNCTION_INFO_V1(deal_event_run_add_window_whole);
Datum
deal_event_run_add_window_whole(PG_FUNCTION_ARGS)
{
	return add_window(fcinfo, true);
}

/* Combine: the states of two sets of events (of the same deals or not). */
static Datum
merge(FunctionCallInfo fcinfo, TwinKind kind)
{
	bool		fresh;
	TwinState  *s;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	s = state_to_update(fcinfo, kind, &fresh);
	add_state(s, PG_GETARG_DATUM(1), fresh);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}

PG_FUNCTION_INFO_V1(deal_mark_run_merge);
Datum
deal_mark_run_merge(PG_FUNCTION_ARGS)
{
	return merge(fcinfo, TWIN_FUNNEL);
}

PG_FUNCTION_INFO_V1(deal_event_run_merge);
Datum
deal_event_run_merge(PG_FUNCTION_ARGS)
{
	TwinState  *from;
	TwinKind	kind = TWIN_DURATIONS;

	/* the kind of the state to merge says which aggregate this is */
	if (!PG_ARGISNULL(1))
	{
		from = expanded_state(PG_GETARG_DATUM(1));
		if (from != NULL)
			kind = from->kind;
		else
		{
			struct varlena *flat = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));

			if (!form_kind((const uint8 *) VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat), &kind))
				kind = TWIN_FUNNEL;
		}
		if (kind == TWIN_FUNNEL)
			report_decode_error("deal_event_run", BJ_DECODE_KIND);
	}
	return merge(fcinfo, kind);
}

/* ---------------------------------------------------------------- finals */

bj_funnel *
funnel_of_marks(const bj_deal_log *log)
{
	bj_funnel  *f = palloc(sizeof(bj_funnel));
	bj_deal_cursor cursor;
	int64		deal;
	bj_mark		mark;
	bj_journey	j;
	int64	   *shapes = NULL;

	/*
	 * Many deals are counted by shape (stages entered, last stage: all a
	 * funnel reads) and each shape added once; a few (a funnel per deal, a
	 * window frame) are added one by one, not worth a 64 kB table.
	 */
	bj_funnel_init(f);
	memset(&j, 0, sizeof(j));
	if (bj_deal_log_records(log) > 256)
		shapes = palloc0(sizeof(int64) << (BJ_STAGE_COUNT + 4));
	bj_deal_cursor_start(log, &cursor);
	while (bj_deal_log_next_mark(log, &cursor, &deal, &mark))
	{
		CHECK_FOR_INTERRUPTS();
		if (shapes != NULL)
			shapes[mark.entered << 4 | mark.last_stage]++;
		else
		{
			j.entered = mark.entered;
			j.last_stage = mark.last_stage;
			bj_funnel_add(f, &j);
		}
	}
	bj_deal_cursor_end(log, &cursor);
	if (shapes == NULL)
		return f;
	for (int shape = 0; shape < 1 << (BJ_STAGE_COUNT + 4); shape++)
		if (shapes[shape] > 0)
		{
			j.entered = (bj_value_set) (shape >> 4);
			j.last_stage = (uint8) (shape & 15);
			bj_funnel_add_many(f, &j, shapes[shape]);
		}
	pfree(shapes);
	return f;
}

bool
summarise_events(const bj_deal_log *log, void (*add) (void *result, const bj_event *events, size_t n), void *result)
{
	bj_deal_cursor cursor;
	bj_event   *events;
	int64		deal;
	size_t		n;
	bool		failed = false;

	bj_deal_cursor_start(log, &cursor);
	while ((events = bj_deal_log_next_events(log, &cursor, &deal, &n, &failed)) != NULL)
	{
		/* millions of deals, each read through in full (a window funnel per deal) */
		CHECK_FOR_INTERRUPTS();
		add(result, events, bj_events_normalize(events, n));
	}
	bj_deal_cursor_end(log, &cursor);
	return !failed;
}

void
add_stage_durations(void *result, const bj_event *events, size_t n)
{
	bj_stage_durations_add(result, events, n);
}

void
add_window_counts(void *result, const bj_event *events, size_t n)
{
	bj_window_counts_add(result, events, n);
}

/* Deals summarised in merged states are each there once, and not in the events or marks too. */
static void
check_whole_deals(TwinState *s)
{
	size_t		n;

	if (s->nsummarised > 0)
		pfree(distinct_deals(s, true, &n));
}

/*
 * A final: the state read (expanded from its form if flat), its deals
 * checked, its result, of the kind's type, in new memory.  Only puts the log
 * in order, which changes no answer: the state may still take rows (window
 * aggregates).
 */
static void *
twin_final(Datum d, TwinKind kind)
{
	TwinState  *s = state_to_read(d, kind);
	bj_stage_durations durations;
	bj_window_counts window;
	bj_funnel	funnel;
	const void *result = kind == TWIN_DURATIONS ? (const void *) &durations
		: kind == TWIN_WINDOW ? (const void *) &window : (const void *) &funnel;
	size_t		size = kind == TWIN_DURATIONS ? sizeof(durations) : kind == TWIN_WINDOW ? sizeof(window) : sizeof(funnel);

	check_whole_deals(s);
	summarise_state(s, &durations, &window, &funnel);
	return memcpy(palloc(size), result, size);
}

PG_FUNCTION_INFO_V1(deal_mark_run_funnel);
Datum
deal_mark_run_funnel(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(twin_final(PG_GETARG_DATUM(0), TWIN_FUNNEL));
}

PG_FUNCTION_INFO_V1(deal_event_run_durations);
Datum
deal_event_run_durations(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(twin_final(PG_GETARG_DATUM(0), TWIN_DURATIONS));
}

PG_FUNCTION_INFO_V1(deal_event_run_window);
Datum
deal_event_run_window(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(twin_final(PG_GETARG_DATUM(0), TWIN_WINDOW));
}
