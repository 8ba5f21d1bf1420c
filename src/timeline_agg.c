/*
 * timeline_agg.c - PostgreSQL glue for timelines: one deal's stage events in
 * time order, the aggregate that collects them, and what is read from them:
 * time in stage, the current stage, stalled deals, the ordered window funnel.
 *
 * A timeline is a varlena holding its wire form directly (bj_encode.h style:
 * version and kind bytes, a big-endian count, then 9-byte events), so its
 * binary form needs no conversion and any node reads any other's.  The
 * aggregate appends events unsorted, to an expanded state (see
 * GrowingTimeline); its final function sorts them.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bj_encode.h"
#include "bj_timeline.h"
#include "pipeline_args.h"
#include "state_io.h"
#include "value_types.h"

#define TIMELINE_HEADER 6		/* version, kind, count (u32) */
#define TIMELINE_EVENT 9		/* at (i64), stage (u8) */
/* A deal with more events than this is refused rather than grown without end. */
#define TIMELINE_MAX_EVENTS 100000

typedef struct varlena Timeline;

/* The event count in a wire form's header, big-endian. */
static uint32
get_count(const uint8 *p)
{
	return ((uint32) p[2] << 24) | ((uint32) p[3] << 16) | ((uint32) p[4] << 8) | p[5];
}

static void
put_count(uint8 *p, size_t n)
{
	p[2] = (uint8) (n >> 24);
	p[3] = (uint8) (n >> 16);
	p[4] = (uint8) (n >> 8);
	p[5] = (uint8) n;
}

static uint32
timeline_count(const Timeline *t)
{
	return get_count((const uint8 *) VARDATA_ANY(t));
}

/* Check a wire form: header, count against length, every stage. */
static void
check_timeline(const uint8 *p, size_t len, const char *origin)
{
	uint32		count;
	const char *problem = NULL;

	if (len < TIMELINE_HEADER)
		problem = "the value is truncated";
	else if (p[0] != BJ_FORMAT_VERSION)
		problem = "the value has an unknown format version";
	else if (p[1] != BJ_FORM_TIMELINE)
		problem = "the value is another kind of state";
	else
	{
		count = get_count(p);
		if (count > TIMELINE_MAX_EVENTS)
			problem = "the value has more events than a timeline may hold";
		else if (len != TIMELINE_HEADER + (size_t) count * TIMELINE_EVENT)
			problem = len < TIMELINE_HEADER + (size_t) count * TIMELINE_EVENT
				? "the value is truncated" : "the value has trailing bytes";
		else
			for (uint32 i = 0; i < count && problem == NULL; i++)
				if (p[TIMELINE_HEADER + i * TIMELINE_EVENT + 8] >= BJ_STAGE_COUNT)
					problem = "the value holds an invalid stage";
				else if (!bj_time_finite((int64) bj_get_u64(p + TIMELINE_HEADER + i * TIMELINE_EVENT)))
					problem = "the value holds an event at an infinite time";
	}
	if (problem)
		ereport(ERROR,
				(errcode(strcmp(origin, "text") == 0 ? ERRCODE_INVALID_TEXT_REPRESENTATION
						 : ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid timeline value: %s", problem)));
}

/* The events, decoded and normalised (sorted, duplicates dropped). */
static bj_event *
timeline_events(const Timeline *t, size_t *n)
{
	const uint8 *p = (const uint8 *) VARDATA_ANY(t) + TIMELINE_HEADER;
	uint32		count = timeline_count(t);
	bj_event   *events = palloc(sizeof(bj_event) * Max(count, 1));

	for (uint32 i = 0; i < count; i++, p += TIMELINE_EVENT)
	{
		uint64		at = 0;

		for (int b = 0; b < 8; b++)
			at = (at << 8) | p[b];
		events[i].at = (int64) at;
		events[i].stage = p[8];
	}
	*n = bj_events_normalize(events, count);
	return events;
}

/* A timeline made from events (already in the order wanted). */
static Timeline *
make_timeline(MemoryContext context, const bj_event *events, size_t n)
{
	size_t		size = VARHDRSZ + TIMELINE_HEADER + n * TIMELINE_EVENT;
	Timeline   *t = MemoryContextAlloc(context, size);
	uint8	   *p = (uint8 *) VARDATA(t);

	SET_VARSIZE(t, size);
	p[0] = BJ_FORMAT_VERSION;
	p[1] = BJ_FORM_TIMELINE;
	put_count(p, n);
	p += TIMELINE_HEADER;
	for (size_t i = 0; i < n; i++, p += TIMELINE_EVENT)
	{
		for (int b = 0; b < 8; b++)
			p[b] = (uint8) ((uint64) events[i].at >> (56 - 8 * b));
		p[8] = events[i].stage;
	}
	return t;
}

/* The bound, checked before a timeline grows to n events. */
static void
check_bound(size_t n)
{
	if (n > TIMELINE_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a timeline may hold at most %d events", TIMELINE_MAX_EVENTS),
				 errhint("Group the events by deal: a timeline is one deal's events.")));
}

/* Two timelines' raw events concatenated (unsorted), within the bound. */
static Timeline *
concat_timelines(const Timeline *a, const uint8 *extra, size_t extra_events)
{
	uint32		count = timeline_count(a);
	size_t		n = (size_t) count + extra_events;
	size_t		size = VARHDRSZ + TIMELINE_HEADER + n * TIMELINE_EVENT;
	Timeline   *t;
	uint8	   *p;

	check_bound(n);
	t = palloc(size);
	SET_VARSIZE(t, size);
	memcpy(VARDATA(t), VARDATA_ANY(a), TIMELINE_HEADER + (size_t) count * TIMELINE_EVENT);
	p = (uint8 *) VARDATA(t);
	put_count(p, n);
	memcpy(p + TIMELINE_HEADER + (size_t) count * TIMELINE_EVENT, extra, extra_events * TIMELINE_EVENT);
	return t;
}

/*
 * The aggregate's state.  A flat varlena would be copied whole for every row
 * added (PostgreSQL copies a by-reference transition value it did not see
 * before into the aggregate's memory): quadratic time, and memory with it.
 * So while aggregating, the state is a read-write expanded object in a child
 * context of the aggregate's memory, which PostgreSQL keeps as it is, holding
 * its events in a buffer that doubles; it is flattened into the wire form
 * only when stored, sent to another process or finalised.
 */
typedef struct GrowingTimeline
{
	ExpandedObjectHeader header;
	uint8	   *events;			/* TIMELINE_EVENT bytes each, unsorted */
	size_t		count;
	size_t		capacity;
} GrowingTimeline;

static Size
growing_flat_size(ExpandedObjectHeader *eoh)
{
	GrowingTimeline *g = (GrowingTimeline *) eoh;

	return VARHDRSZ + TIMELINE_HEADER + g->count * TIMELINE_EVENT;
}

static void
growing_flatten(ExpandedObjectHeader *eoh, void *result, Size size)
{
	GrowingTimeline *g = (GrowingTimeline *) eoh;
	uint8	   *p = (uint8 *) VARDATA(result);

	Assert(size == growing_flat_size(eoh));
	SET_VARSIZE(result, size);
	p[0] = BJ_FORMAT_VERSION;
	p[1] = BJ_FORM_TIMELINE;
	put_count(p, g->count);
	if (g->count > 0)
		memcpy(p + TIMELINE_HEADER, g->events, g->count * TIMELINE_EVENT);
}

static const ExpandedObjectMethods growing_methods = {growing_flat_size, growing_flatten};

/* Room for n events more, within the bound. */
static void
growing_reserve(GrowingTimeline *g, size_t more)
{
	size_t		need = g->count + more;

	check_bound(need);
	if (need <= g->capacity)
		return;
	g->capacity = Max(need, Max(g->capacity * 2, 8));
	g->capacity = Min(g->capacity, TIMELINE_MAX_EVENTS);
	g->events = g->events == NULL
		? MemoryContextAlloc(g->header.eoh_context, g->capacity * TIMELINE_EVENT)
		: repalloc(g->events, g->capacity * TIMELINE_EVENT);
}

static void
growing_append(GrowingTimeline *g, const uint8 *events, size_t n)
{
	growing_reserve(g, n);
	memcpy(g->events + g->count * TIMELINE_EVENT, events, n * TIMELINE_EVENT);
	g->count += n;
}

/*
 * The transition state to add to: the expanded state itself when argument 0
 * is one (the usual case), else a new one holding argument 0's events, if
 * any.  Only when called as an aggregate.
 */
static GrowingTimeline *
growing_state(FunctionCallInfo fcinfo, MemoryContext aggcontext)
{
	MemoryContext context;
	GrowingTimeline *g;

	if (!PG_ARGISNULL(0) && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(PG_GETARG_DATUM(0));

		if (eoh->eoh_methods == &growing_methods)
			return (GrowingTimeline *) eoh;
	}
	/* small blocks: with GROUP BY deal there is one state per deal */
	context = AllocSetContextCreate(aggcontext, "timeline aggregate state", ALLOCSET_SMALL_SIZES);
	g = MemoryContextAllocZero(context, sizeof(GrowingTimeline));
	EOH_init_header(&g->header, &growing_methods, context);
	if (!PG_ARGISNULL(0))
	{
		Timeline   *flat = PG_GETARG_VARLENA_PP(0);

		growing_append(g, (uint8 *) VARDATA_ANY(flat) + TIMELINE_HEADER, timeline_count(flat));
	}
	return g;
}

/* ------------------------------------------------------------- the type */

PG_FUNCTION_INFO_V1(timeline_in);
Datum
timeline_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	size_t		len = strlen(text);
	Timeline   *t;

	if (len % 2 != 0 || len / 2 > TIMELINE_HEADER + (size_t) TIMELINE_MAX_EVENTS * TIMELINE_EVENT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type timeline: \"%.40s%s\"", text, len > 40 ? "..." : "")));
	t = palloc(VARHDRSZ + len / 2);
	SET_VARSIZE(t, VARHDRSZ + len / 2);
	if (!bj_hex_decode(text, len, (uint8_t *) VARDATA(t)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type timeline: \"%.40s%s\"", text, len > 40 ? "..." : "")));
	check_timeline((uint8 *) VARDATA(t), len / 2, "text");
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(timeline_out);
Datum
timeline_out(PG_FUNCTION_ARGS)
{
	Timeline   *t = PG_GETARG_VARLENA_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	char	   *text = palloc(2 * len + 1);

	bj_hex_encode((uint8_t *) VARDATA_ANY(t), len, text);
	text[2 * len] = '\0';
	PG_RETURN_CSTRING(text);
}

PG_FUNCTION_INFO_V1(timeline_recv);
Datum
timeline_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = buf->len - buf->cursor;
	Timeline   *t;

	check_timeline((uint8 *) buf->data + buf->cursor, len, "binary");
	t = palloc(VARHDRSZ + len);
	SET_VARSIZE(t, VARHDRSZ + len);
	memcpy(VARDATA(t), buf->data + buf->cursor, len);
	buf->cursor = buf->len;
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(timeline_send);
Datum
timeline_send(PG_FUNCTION_ARGS)
{
	Timeline   *t = PG_GETARG_VARLENA_PP(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* -------------------------------------------------------- the aggregate */

PG_FUNCTION_INFO_V1(timeline_add);
Datum
timeline_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	uint8		event[TIMELINE_EVENT];
	int64		at;
	int			stage;

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1) || PG_ARGISNULL(2));
	stage = (unsigned char) PG_GETARG_CHAR(1);
	at = event_time(PG_GETARG_TIMESTAMPTZ(2));
	if (stage >= BJ_STAGE_COUNT)
		elog(ERROR, "invalid journey_stage code %d", stage);
	for (int b = 0; b < 8; b++)
		event[b] = (uint8) ((uint64) at >> (56 - 8 * b));
	event[8] = (uint8) stage;
	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		GrowingTimeline *g = growing_state(fcinfo, aggcontext);

		growing_append(g, event, 1);
		PG_RETURN_DATUM(EOHPGetRWDatum(&g->header));
	}
	if (PG_ARGISNULL(0))
	{
		bj_event	e = {at, (uint8) stage};

		PG_RETURN_POINTER(make_timeline(CurrentMemoryContext, &e, 1));
	}
	PG_RETURN_POINTER(concat_timelines(PG_GETARG_VARLENA_PP(0), event, 1));
}

PG_FUNCTION_INFO_V1(timeline_merge);
Datum
timeline_merge(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	Timeline   *b;

	RETURN_STATE_IF_NULL(PG_ARGISNULL(1));
	b = PG_GETARG_VARLENA_PP(1);
	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		GrowingTimeline *g = growing_state(fcinfo, aggcontext);

		growing_append(g, (uint8 *) VARDATA_ANY(b) + TIMELINE_HEADER, timeline_count(b));
		PG_RETURN_DATUM(EOHPGetRWDatum(&g->header));
	}
	if (PG_ARGISNULL(0))
	{
		Timeline   *copy = palloc(VARSIZE_ANY(b));

		memcpy(copy, b, VARSIZE_ANY(b));
		PG_RETURN_POINTER(copy);
	}
	PG_RETURN_POINTER(concat_timelines(PG_GETARG_VARLENA_PP(0),
									   (uint8 *) VARDATA_ANY(b) + TIMELINE_HEADER, timeline_count(b)));
}

/* Final function: the canonical form, sorted and without duplicates. */
PG_FUNCTION_INFO_V1(timeline_normalize);
Datum
timeline_normalize(PG_FUNCTION_ARGS)
{
	size_t		n;
	bj_event   *events;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	events = timeline_events(PG_GETARG_VARLENA_PP(0), &n);
	PG_RETURN_POINTER(make_timeline(CurrentMemoryContext, events, n));
}

/* ------------------------------------------------------------- readers */

/*
 * stage_times(timeline, as_of, since): per stage visited, the entries,
 * total and latest time inside [since, as_of).
 */
PG_FUNCTION_INFO_V1(timeline_stage_times);
Datum
timeline_stage_times(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	size_t		n;
	bj_event   *events;
	int64		to;
	int64		from;
	bj_stage_time times[BJ_STAGE_COUNT];

	/* not strict, for the optional since: a NULL timeline or bound gives no rows */
	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	events = timeline_events(PG_GETARG_VARLENA_PP(0), &n);
	to = as_of_bound(PG_GETARG_TIMESTAMPTZ(1));
	from = PG_ARGISNULL(2) ? PG_INT64_MIN : PG_GETARG_TIMESTAMPTZ(2);
	if (from > to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window starts after it ends")));
	bj_stage_times(events, n, from, to, times);
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		Datum		values[4];
		bool		nulls[4] = {false};

		if (times[s].visits == 0 && times[s].total == 0)
			continue;
		values[0] = CharGetDatum((char) s);
		values[1] = Int64GetDatum(times[s].visits);
		values[2] = interval_datum(times[s].total);
		values[3] = interval_datum(times[s].latest);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* current_stage(timeline, as_of): where the deal was at as_of. */
PG_FUNCTION_INFO_V1(timeline_current_stage);
Datum
timeline_current_stage(PG_FUNCTION_ARGS)
{
	size_t		n;
	bj_event   *events = timeline_events(PG_GETARG_VARLENA_PP(0), &n);
	int64		since;
	int			stage = bj_stage_at(events, n, PG_GETARG_TIMESTAMPTZ(1), &since);

	if (stage == BJ_NO_VALUE)
		PG_RETURN_NULL();
	PG_RETURN_CHAR((char) stage);
}

/* time_in_current_stage(timeline, as_of): since when, up to as_of. */
PG_FUNCTION_INFO_V1(timeline_time_in_current_stage);
Datum
timeline_time_in_current_stage(PG_FUNCTION_ARGS)
{
	size_t		n;
	bj_event   *events = timeline_events(PG_GETARG_VARLENA_PP(0), &n);
	int64		as_of = as_of_bound(PG_GETARG_TIMESTAMPTZ(1));
	int64		since;

	if (bj_stage_at(events, n, as_of, &since) == BJ_NO_VALUE)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(interval_datum(bj_span(since, as_of)));
}

/*
 * window_funnel(timeline, window, steps, mode): the deepest step reached in
 * order within the window, and the time of each matched step.
 */
PG_FUNCTION_INFO_V1(timeline_window_funnel);
Datum
timeline_window_funnel(PG_FUNCTION_ARGS)
{
	size_t		n;
	bj_event   *events = timeline_events(PG_GETARG_VARLENA_PP(0), &n);
	Interval   *window = PG_GETARG_INTERVAL_P(1);
	ArrayType  *steps_array = PG_GETARG_ARRAYTYPE_P(2);
	ArrayType  *modes = PG_GETARG_ARRAYTYPE_P(3);
	bj_window_counts params;
	int64		at[BJ_MAX_STEPS];
	int			depth;
	TupleDesc	desc;
	Datum		values[2];
	bool		rnulls[2] = {false, false};
	Datum		times[BJ_MAX_STEPS];

	window_funnel_parameters(fcinfo, window, steps_array, modes, &params);
	depth = bj_window_funnel(events, n, params.window, params.steps, params.nsteps, params.flags, at);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "window_funnel must return a record");
	desc = BlessTupleDesc(desc);
	for (int k = 0; k < depth; k++)
		times[k] = TimestampTzGetDatum(at[k]);
	values[0] = Int32GetDatum(depth);
	values[1] = PointerGetDatum(construct_array(times, depth, TIMESTAMPTZOID, 8, true, TYPALIGN_DOUBLE));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, rnulls)));
}

/*
 * stage_visits(timeline, as_of): every visit, with when it began and ended
 * (the last one ends at as_of), how long it lasted, and where it went next.
 */
PG_FUNCTION_INFO_V1(timeline_stage_visits);
Datum
timeline_stage_visits(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	size_t		n;
	bj_event   *events = timeline_events(PG_GETARG_VARLENA_PP(0), &n);
	int64		as_of = as_of_bound(PG_GETARG_TIMESTAMPTZ(1));
	size_t		i = 0;

	InitMaterializedSRF(fcinfo, 0);
	while (i < n && events[i].at < as_of)
	{
		Datum		values[5];
		bool		nulls[5] = {false};
		size_t		j = i + 1;
		bool		left;
		int64		end;

		while (j < n && events[j].at < as_of && events[j].stage == events[i].stage)
			j++;
		left = j < n && events[j].at < as_of;
		end = left ? events[j].at : as_of;
		values[0] = CharGetDatum((char) events[i].stage);
		values[1] = TimestampTzGetDatum(events[i].at);
		values[2] = TimestampTzGetDatum(end);
		nulls[2] = !left;
		values[3] = interval_datum(bj_span(events[i].at, end));
		values[4] = CharGetDatum(left ? (char) events[j].stage : 0);
		nulls[4] = !left;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		i = j;
	}
	return (Datum) 0;
}
