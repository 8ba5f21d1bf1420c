/*
 * deal_marks.c - the type deal_marks and funnel_distributed(deal, stage, at),
 * the twin of funnel(deal, stage, at) whose state is a concrete type, so that
 * Citus runs it partially on the workers instead of pulling every event to
 * the coordinator (docs/citus.md).
 *
 * A deal_marks is each deal's mark (bj_mark.h): stages entered, latest
 * event.  Its binary form is a packed run of marks (bj_deal_run.h: about 10
 * bytes a deal); its text form, which is what Citus ships between nodes
 * (worker_partial_agg writes the state with the type's output function, the
 * coordinator reads it with the input function), is that in base64.
 *
 * During aggregation the state is an expanded object (utils/expandeddatum.h)
 * holding a deal log (bj_deal_log.h): the transition function returns the
 * same read-write pointer, which PostgreSQL's Agg, WindowAgg and Citus's
 * worker_partial_agg keep as it is, so a row costs what it costs
 * funnel(deal, stage, at).  The state is packed once, when it leaves the
 * aggregate (a tuple to a parallel leader, the text to the coordinator).
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bj_base64.h"
#include "bj_encode.h"
#include "deal_marks.h"
#include "large_buffers.h"
#include "pipeline_args.h"
#include "state_io.h"
#include "value_types.h"

/* As funnel(deal, stage, at)'s: some 50 million deals packed. */
#define DEAL_MARKS_MAX_BYTES ((size_t) 512 * 1024 * 1024)

typedef struct DealMarks
{
	ExpandedObjectHeader hdr;
	bj_deal_log log;
	uint8	   *packed;			/* the packed run, once asked for; NULL when stale */
	size_t		packed_len;
} DealMarks;

static Size marks_flat_size(ExpandedObjectHeader *eohptr);
static void marks_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods marks_methods = {marks_flat_size, marks_flatten};

static void
report_bound(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("deal_marks state exceeds its memory bound of %zu MB", DEAL_MARKS_MAX_BYTES / (1024 * 1024)),
			 errhint("Split the deals into groups (GROUP BY), or aggregate per deal with journey() and then funnel(journey).")));
}

/* An empty state in a memory context of its own under parent. */
static DealMarks *
new_marks(MemoryContext parent)
{
	MemoryContext context = AllocSetContextCreate(parent, "deal_marks", ALLOCSET_SMALL_SIZES);
	DealMarks  *m = MemoryContextAllocZero(context, sizeof(DealMarks));

	EOH_init_header(&m->hdr, &marks_methods, context);
	if (!bj_deal_log_init(&m->log, sizeof(bj_deal_mark), bj_deal_mark_merge, DEAL_MARKS_MAX_BYTES,
						  large_allocator(context)))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory for a deal_marks state")));
	return m;
}

/* The state's contents changed: the packed run no longer says it. */
static void
forget_packed(DealMarks *m)
{
	if (m->packed != NULL)
		pfree(m->packed);
	m->packed = NULL;
}

/* The state's packed run, made once per change. */
static const uint8 *
packed_run(DealMarks *m, size_t *len)
{
	if (m->packed == NULL)
	{
		size_t		size;

		if (!bj_deal_log_sort(&m->log))
			report_bound();
		size = bj_deal_log_pack_max_size(&m->log);
		m->packed = large_alloc(m->hdr.eoh_context, size);
		if (m->packed == NULL || !bj_deal_log_pack(&m->log, m->packed, &m->packed_len))
			report_bound();
	}
	*len = m->packed_len;
	return m->packed;
}

static Size
marks_flat_size(ExpandedObjectHeader *eohptr)
{
	size_t		len;

	(void) packed_run((DealMarks *) eohptr, &len);
	if (len > MaxAllocSize - VARHDRSZ)
		report_bound();
	return VARHDRSZ + len;
}

static void
marks_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	DealMarks  *m = (DealMarks *) eohptr;

	Assert(m->packed != NULL && allocated_size == VARHDRSZ + m->packed_len);
	memcpy(VARDATA(result), m->packed, m->packed_len);
	SET_VARSIZE(result, allocated_size);
}

/* The expanded state a datum points to, if it is one of ours; else NULL. */
static DealMarks *
expanded_marks(Datum d)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	eoh = DatumGetEOHP(d);
	return eoh->eoh_methods == &marks_methods ? (DealMarks *) eoh : NULL;
}

/* Adds the marks of a flat value (checked first) to m. */
static void
add_packed(DealMarks *m, const uint8 *data, size_t len)
{
	bj_packed_run run;
	bj_decode_error e = bj_packed_run_decode(data, len, true, DEAL_MARKS_MAX_BYTES, m->log.allocator, &run);

	if (e == BJ_DECODE_OK && !bj_deal_log_adopt(&m->log, run))
		e = BJ_DECODE_NO_MEMORY;
	if (e != BJ_DECODE_OK)
		report_decode_error("deal_marks", e);
	forget_packed(m);
}

/* Adds the marks of a datum (expanded or flat), left as it is, to m. */
static void
add_marks_of(DealMarks *m, Datum d)
{
	DealMarks  *from = expanded_marks(d);
	struct varlena *flat;
	size_t		len;
	const uint8 *run;

	if (from != NULL)
	{
		run = packed_run(from, &len);
		add_packed(m, run, len);
		return;
	}
	flat = PG_DETOAST_DATUM_PACKED(d);
	add_packed(m, (const uint8 *) VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat));
}

/*
 * The state argument 0 names, to be changed: in place when it is our
 * read-write state living in this aggregate's memory, else a new one.
 */
static DealMarks *
state_to_update(FunctionCallInfo fcinfo, MemoryContext aggcontext)
{
	DealMarks  *m;

	if (!PG_ARGISNULL(0))
	{
		Datum		d = PG_GETARG_DATUM(0);

		m = expanded_marks(d);
		if (m != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
			MemoryContextGetParent(m->hdr.eoh_context) == aggcontext)
			return m;
	}
	m = new_marks(aggcontext);
	if (!PG_ARGISNULL(0))
		add_marks_of(m, PG_GETARG_DATUM(0));
	return m;
}

/* ------------------------------------------------------- text and binary */

PG_FUNCTION_INFO_V1(deal_marks_in);
Datum
deal_marks_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	size_t		text_len = strlen(text);
	struct varlena *out = palloc(VARHDRSZ + text_len / 4 * 3);
	size_t		len;
	uint64		count;
	bj_decode_error e;

	if (!bj_base64_decode(text, text_len, (uint8_t *) VARDATA(out), &len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type deal_marks: \"%.40s%s\"", text, text_len > 40 ? "..." : ""),
				 errdetail("A deal_marks is written as the base64 of its binary form, as its output gives.")));
	e = bj_packed_run_check((const uint8_t *) VARDATA(out), len, true, &count);
	if (e != BJ_DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid deal_marks value: %s", bj_decode_error_message(e))));
	SET_VARSIZE(out, VARHDRSZ + len);
	PG_RETURN_POINTER(out);
}

/* The binary form of a deal_marks datum, expanded or flat. */
static const uint8 *
form_of(Datum d, size_t *len)
{
	DealMarks  *m = expanded_marks(d);
	struct varlena *flat;

	if (m != NULL)
		return packed_run(m, len);
	flat = PG_DETOAST_DATUM_PACKED(d);
	*len = VARSIZE_ANY_EXHDR(flat);
	return (const uint8 *) VARDATA_ANY(flat);
}

PG_FUNCTION_INFO_V1(deal_marks_out);
Datum
deal_marks_out(PG_FUNCTION_ARGS)
{
	size_t		len;
	const uint8 *form = form_of(PG_GETARG_DATUM(0), &len);
	size_t		text_len = bj_base64_encoded_size(len);
	char	   *text;

	if (text_len >= MaxAllocHugeSize)
		report_bound();
	text = palloc_extended(text_len + 1, MCXT_ALLOC_HUGE);
	bj_base64_encode(form, len, text);
	text[text_len] = '\0';
	PG_RETURN_CSTRING(text);
}

PG_FUNCTION_INFO_V1(deal_marks_recv);
Datum
deal_marks_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = buf->len - buf->cursor;
	uint64		count;
	bj_decode_error e = bj_packed_run_check((const uint8_t *) buf->data + buf->cursor, len, true, &count);
	struct varlena *out;

	if (e != BJ_DECODE_OK)
		report_decode_error("deal_marks", e);
	out = palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	memcpy(VARDATA(out), buf->data + buf->cursor, len);
	buf->cursor = buf->len;
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(deal_marks_send);
Datum
deal_marks_send(PG_FUNCTION_ARGS)
{
	size_t		len;
	const uint8 *form = form_of(PG_GETARG_DATUM(0), &len);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) form, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------ aggregate */

/* funnel_distributed(deal, stage, at): a row with a NULL deal, stage or time is ignored. */
PG_FUNCTION_INFO_V1(deal_marks_add);
Datum
deal_marks_add(PG_FUNCTION_ARGS)
{
	DealMarks  *m = state_to_update(fcinfo, aggregate_memory(fcinfo, "deal_marks_add"));

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2) && !PG_ARGISNULL(3))
	{
		forget_packed(m);
		if (!bj_deal_log_add_to_marks(&m->log, PG_GETARG_INT64(1), stage_code_arg(fcinfo, 2),
									  event_time(PG_GETARG_TIMESTAMPTZ(3))))
			report_bound();
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&m->hdr));
}

/* Combine: the marks of two sets of events (of the same deals or not). */
PG_FUNCTION_INFO_V1(deal_marks_merge);
Datum
deal_marks_merge(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_memory(fcinfo, "deal_marks_merge");
	DealMarks  *m;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	m = state_to_update(fcinfo, aggcontext);
	add_marks_of(m, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&m->hdr));
}

bj_funnel *
funnel_of_marks(const bj_deal_log *log)
{
	bj_funnel  *f;
	bj_deal_cursor cursor;
	int64		deal;
	bj_mark		mark;
	bj_journey	j;
	/* deals counted by shape (stages entered, last stage): all a funnel reads */
	int64	   *shapes = palloc0(sizeof(int64) << (BJ_STAGE_COUNT + 4));

	bj_deal_cursor_start(log, &cursor);
	while (bj_deal_log_next_mark(log, &cursor, &deal, &mark))
	{
		CHECK_FOR_INTERRUPTS();
		shapes[mark.entered << 4 | mark.last_stage]++;
	}
	bj_deal_cursor_end(log, &cursor);
	f = palloc(sizeof(bj_funnel));
	bj_funnel_init(f);
	for (int shape = 0; shape < 1 << (BJ_STAGE_COUNT + 4); shape++)
		if (shapes[shape] > 0)
		{
			memset(&j, 0, sizeof(j));
			j.entered = (bj_value_set) (shape >> 4);
			j.last_stage = (uint8) (shape & 15);
			bj_funnel_add_many(f, &j, shapes[shape]);
		}
	pfree(shapes);
	return f;
}

/*
 * The funnel of the deals' marks.  It only puts the log in order, which
 * changes no answer: the state may still take rows (window aggregates).
 */
PG_FUNCTION_INFO_V1(deal_marks_funnel);
Datum
deal_marks_funnel(PG_FUNCTION_ARGS)
{
	DealMarks  *m;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	m = expanded_marks(PG_GETARG_DATUM(0));
	if (m == NULL)
	{
		m = new_marks(CurrentMemoryContext);
		add_marks_of(m, PG_GETARG_DATUM(0));
	}
	if (!bj_deal_log_sort(&m->log))
		report_bound();
	PG_RETURN_POINTER(funnel_of_marks(&m->log));
}
