/*
 * bj_deal_log.c - an append-only log of per-deal records, put in deal order
 * by an LSD radix sort and merged run by run.
 */
#include "bj_deal_log.h"

#include <string.h>

/* The packed buffer's first size, doubled as needed: room for a few records. */
#define INITIAL_PACKED_BYTES 256

void
bj_deal_mark_merge(void *into, const void *from)
{
	bj_mark_merge(&((bj_deal_mark *) into)->mark, &((const bj_deal_mark *) from)->mark);
}

/* Deals as unsigned keys that sort like the signed values. */
static inline uint64_t
sort_key(const uint8_t *record)
{
	return (uint64_t) bj_record_deal(record) ^ (UINT64_C(1) << 63);
}

static uint8_t *
allocate(bj_deal_log *log, size_t records)
{
	if (records > SIZE_MAX / log->record_size)
		return NULL;
	return log->allocator.alloc(log->allocator.context, records * log->record_size);
}

bool
bj_deal_log_init(bj_deal_log *log, size_t record_size, bj_record_merge merge,
				 size_t max_bytes, bj_allocator allocator)
{
	return bj_deal_log_init_sized(log, record_size, merge, max_bytes, allocator,
								  BJ_DEAL_LOG_INITIAL_RECORDS, BJ_DEAL_LOG_CHUNK_RECORDS);
}

bool
bj_deal_log_init_sized(bj_deal_log *log, size_t record_size, bj_record_merge merge,
					   size_t max_bytes, bj_allocator allocator,
					   size_t initial_records, size_t chunk_records)
{
	memset(log, 0, sizeof(*log));
	if (initial_records < 1 || chunk_records < 1)
		return false;
	log->record_size = record_size;
	log->merge = merge;
	log->max_bytes = max_bytes;
	log->allocator = allocator;
	log->open_sorted = true;
	log->packing = true;
	log->chunk_records = chunk_records;
	log->capacity = initial_records;
	log->bytes = initial_records * record_size;
	log->open.records = allocate(log, initial_records);
	return log->open.records != NULL && log->bytes <= max_bytes;
}

static void
release_run(bj_deal_log *log, const bj_packed_run *run)
{
	if (!run->borrowed)
		log->allocator.release(log->allocator.context, run->bytes);
}

void
bj_deal_log_free(bj_deal_log *log)
{
	if (log->open.records != NULL)
		log->allocator.release(log->allocator.context, log->open.records);
	for (int i = 0; i < log->nsealed; i++)
		release_run(log, &log->sealed[i]);
	if (log->packed != NULL)
		log->allocator.release(log->allocator.context, log->packed);
	log->packed = NULL;
	log->open.records = NULL;
	log->nsealed = 0;
	log->bytes = 0;
}

/*
 * One scatter pass of the radix sort.  Inlined with a constant record size,
 * so each copy is a few moves.
 */
static inline void
scatter(uint8_t *restrict dst, const uint8_t *restrict src, size_t n, size_t size,
		int shift, uint64_t mask, size_t *offsets)
{
	for (size_t i = 0; i < n; i++)
	{
		const uint8_t *r = src + i * size;
		size_t		o = offsets[(sort_key(r) >> shift) & mask]++;

		memcpy(dst + o * size, r, size);
	}
}

/* One pass per digit, from the lowest; returns where the records ended up. */
static uint8_t *
radix_passes(uint8_t *src, uint8_t *dst, size_t n, size_t record_size, int digit_bits, int ndigits,
			 size_t *counts, const bool *skip)
{
	size_t		radix = (size_t) 1 << digit_bits;

	for (int d = 0; d < ndigits; d++)
	{
		size_t		offsets[1 << 11];
		size_t		sum = 0;
		uint8_t    *t;

		if (skip[d])
			continue;
		for (size_t v = 0; v < radix; v++)
		{
			offsets[v] = sum;
			sum += counts[d * radix + v];
		}
		if (record_size == sizeof(bj_deal_event))
			scatter(dst, src, n, sizeof(bj_deal_event), d * digit_bits, radix - 1, offsets);
		else
			scatter(dst, src, n, record_size, d * digit_bits, radix - 1, offsets);
		t = src;
		src = dst;
		dst = t;
	}
	return src;
}

/*
 * An LSD radix sort on the bits in which the keys differ: deals of one
 * table usually differ in their low 20 to 30 bits only, which two or three
 * passes of 11-bit digits sort (a pass streams the records through memory
 * once, so fewer passes are what makes it fast); anything wider is sorted
 * byte by byte, skipping bytes that are the same in every key.
 */
void
bj_sort_by_deal(uint8_t *records, uint8_t *scratch, size_t n, size_t record_size)
{
	size_t		counts[3 * 2048];	/* 48 kB: three 11-bit digits, or eight bytes */
	bool		skip[8] = {false};
	uint64_t	first;
	uint64_t	varying = 0;
	int			bits;
	uint8_t    *sorted;

	if (n < 2)
		return;
	first = sort_key(records);
	memset(counts, 0, 3 * 2048 * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
	{
		uint64_t	k = sort_key(records + i * record_size);

		varying |= k ^ first;
		counts[k & 2047]++;
		counts[2048 + ((k >> 11) & 2047)]++;
		counts[4096 + ((k >> 22) & 2047)]++;
	}
	if (varying == 0)
		return;
	bits = 64 - __builtin_clzll(varying);
	if (bits <= 33)
		sorted = radix_passes(records, scratch, n, record_size, 11, (bits + 10) / 11, counts, skip);
	else
	{
		memset(counts, 0, 8 * 256 * sizeof(size_t));
		for (size_t i = 0; i < n; i++)
		{
			uint64_t	k = sort_key(records + i * record_size);

			for (int b = 0; b < 8; b++)
				counts[b * 256 + ((k >> (8 * b)) & 255)]++;
		}
		for (int b = 0; b < 8; b++)
			skip[b] = ((varying >> (8 * b)) & 255) == 0;
		sorted = radix_passes(records, scratch, n, record_size, 8, 8, counts, skip);
	}
	if (sorted != records)
		memcpy(records, sorted, n * record_size);
}

/* Records of one deal next to each other become one (mergeable logs). */
static size_t
collapse(uint8_t *records, size_t n, size_t size, bj_record_merge merge)
{
	size_t		out = 0;

	for (size_t i = 0; i < n; i++)
	{
		uint8_t    *r = records + i * size;

		if (out > 0 && bj_record_deal(records + (out - 1) * size) == bj_record_deal(r))
			merge(records + (out - 1) * size, r);
		else
		{
			if (out != i)
				memcpy(records + out * size, r, size);
			out++;
		}
	}
	return out;
}

static bool resize_open(bj_deal_log *log, size_t capacity);

/* The waiting record into the packed buffer; false past the bound. */
static bool
pack_waiting(bj_deal_log *log)
{
	const uint8_t *r = log->open.records;
	size_t		used;

	if (log->open.count == 0)
		return true;
	used = log->packed ? (size_t) (log->writer.p - log->packed) : 0;
	if (log->packed == NULL || used + BJ_PACKED_MAX_RECORD > log->packed_room)
	{
		size_t		room = log->packed_room ? log->packed_room * 2 : INITIAL_PACKED_BYTES;
		uint8_t    *b;

		if (log->bytes + room - log->packed_room > log->max_bytes)
			return false;
		if (log->packed != NULL && log->allocator.resize != NULL)
			b = log->allocator.resize(log->allocator.context, log->packed, room);
		else
		{
			b = log->allocator.alloc(log->allocator.context, room);
			if (b != NULL && log->packed != NULL)
			{
				memcpy(b, log->packed, used);
				log->allocator.release(log->allocator.context, log->packed);
			}
		}
		if (b == NULL)
			return false;
		if (log->packed == NULL)
			bj_run_writer_start(&log->writer, b, log->merge != NULL);
		else
		{
			log->writer.start = b;
			log->writer.p = b + used;
		}
		log->bytes += room - log->packed_room;
		log->packed = b;
		log->packed_room = room;
	}
	if (log->merge)
		bj_run_write_mark(&log->writer, bj_record_deal(r), &((const bj_deal_mark *) r)->mark);
	else
		bj_run_write_event(&log->writer, bj_record_deal(r), &((const bj_deal_event *) r)->event);
	log->open.count = 0;
	return true;
}

/* What was packed so far becomes a run of its own; the log takes no more packing. */
static bool
seal_packed(bj_deal_log *log)
{
	bj_packed_run run;

	if (!log->packing)
		return true;
	if (!pack_waiting(log))
		return false;
	log->packing = false;
	if (log->packed == NULL)
		return true;
	run.bytes = log->packed;
	run.len = bj_run_writer_finish(&log->writer);
	run.count = log->writer.count;
	run.marks = log->merge != NULL;
	run.borrowed = false;
	log->packed = NULL;
	log->bytes -= log->packed_room;
	log->packed_room = 0;
	return bj_deal_log_adopt(log, run);
}

/* A record out of order: back to plain records, the packed ones decoded. */
static bool
unpack(bj_deal_log *log)
{
	bj_packed_run run;
	bj_run_reader reader;
	size_t		n;
	uint8_t		waiting[sizeof(bj_deal_mark)];
	size_t		size = log->record_size;

	log->packing = false;
	if (log->packed == NULL)
		return true;
	memcpy(waiting, log->open.records, size);
	run.bytes = log->packed;
	run.len = bj_run_writer_finish(&log->writer);
	run.count = log->writer.count;
	run.marks = log->merge != NULL;
	run.borrowed = false;
	n = (size_t) run.count + 1;
	if (n > log->capacity && !resize_open(log, n * 2))
		return false;
	log->open.count = 0;
	for (bj_run_reader_start(&reader, &run); reader.valid; bj_run_reader_next(&reader))
	{
		uint8_t    *r = log->open.records + log->open.count++ * size;

		memcpy(r, &reader.deal, sizeof(int64_t));
		if (run.marks)
			((bj_deal_mark *) r)->mark = reader.mark;
		else
			((bj_deal_event *) r)->event = reader.event;
	}
	memcpy(log->open.records + log->open.count++ * size, waiting, size);
	log->allocator.release(log->allocator.context, log->packed);
	log->packed = NULL;
	log->bytes -= log->packed_room;
	log->packed_room = 0;
	return true;
}

bool
bj_deal_log_sort(bj_deal_log *log)
{
	if (!seal_packed(log))
		return false;
	if (!log->open_sorted)
	{
		uint8_t    *scratch = allocate(log, log->open.count);

		if (scratch == NULL)
			return false;
		bj_sort_by_deal(log->open.records, scratch, log->open.count, log->record_size);
		log->allocator.release(log->allocator.context, scratch);
		log->open_sorted = true;
		if (log->merge)
			log->open.count = collapse(log->open.records, log->open.count, log->record_size, log->merge);
	}
	return true;
}

static bool
resize_open(bj_deal_log *log, size_t capacity)
{
	size_t		old_bytes = log->capacity * log->record_size;
	uint8_t    *records;

	if (capacity > SIZE_MAX / log->record_size ||
		log->bytes - old_bytes + capacity * log->record_size > log->max_bytes)
		return false;
	/* a resize of a large block remaps its pages instead of copying them */
	if (log->allocator.resize != NULL)
		records = log->allocator.resize(log->allocator.context, log->open.records, capacity * log->record_size);
	else
	{
		records = allocate(log, capacity);
		if (records != NULL)
		{
			memcpy(records, log->open.records, log->open.count * log->record_size);
			log->allocator.release(log->allocator.context, log->open.records);
		}
	}
	if (records == NULL)
		return false;
	log->open.records = records;
	log->bytes += (capacity - log->capacity) * log->record_size;
	log->capacity = capacity;
	return true;
}

/*
 * A part of the log (view: a copy of it with some records left out), packed
 * into one new run in the log's memory; NULL bytes out of memory.
 */
static bj_packed_run
pack_part(bj_deal_log *log, const bj_deal_log *view)
{
	bj_packed_run run = {NULL, 0, 0, log->merge != NULL, false};
	size_t		max = bj_deal_log_pack_max_size(view);

	run.bytes = log->allocator.alloc(log->allocator.context, max);
	if (run.bytes == NULL || !bj_deal_log_pack(view, run.bytes, &run.len))
	{
		if (run.bytes != NULL)
			log->allocator.release(log->allocator.context, run.bytes);
		run.bytes = NULL;
		return run;
	}
	/* give back what the worst case reserved */
	if (log->allocator.resize != NULL && run.len < max)
	{
		uint8_t    *b = log->allocator.resize(log->allocator.context, run.bytes, run.len);

		if (b != NULL)
			run.bytes = b;
	}
	run.count = bj_packed_run_count(run.bytes);
	return run;
}

/* A full open run: sorted, packed into a run of its own, and emptied for reuse. */
static bool
seal_chunk(bj_deal_log *log)
{
	bj_packed_run run;

	bj_deal_log view;

	if (!bj_deal_log_sort(log))
		return false;
	/* the open run alone */
	view = *log;
	view.nsealed = 0;
	run = pack_part(log, &view);
	if (run.bytes == NULL)
		return false;
	log->open.count = 0;
	log->open_sorted = true;
	return bj_deal_log_adopt(log, run);
}

/*
 * Too many runs: the newest ones become one, going back while a run is at
 * most twice the size of those taken so far (at least two).  Merging all of
 * them each time repacked everything adopted so far every few runs, which is
 * quadratic in the runs (a coordinator merging many shards' states, a long
 * serial scan in time order); merging runs of like size repacks each record
 * about log(runs) times.
 */
static bool
merge_sealed(bj_deal_log *log)
{
	bj_deal_log view;
	int			first = log->nsealed - 1;
	size_t		taken = log->sealed[first].len;
	bj_packed_run run;

	while (first > 0 && (first == log->nsealed - 1 || log->sealed[first - 1].len <= 2 * taken))
		taken += log->sealed[--first].len;
	/* the runs from first on, alone */
	view = *log;
	view.open.count = 0;
	view.nsealed = log->nsealed - first;
	memcpy(view.sealed, &log->sealed[first], view.nsealed * sizeof(bj_packed_run));
	run = pack_part(log, &view);
	if (run.bytes == NULL)
		return false;
	for (int i = first; i < log->nsealed; i++)
	{
		log->bytes -= log->sealed[i].len;
		release_run(log, &log->sealed[i]);
	}
	log->nsealed = first + 1;
	log->sealed[first] = run;
	log->bytes += run.len;
	return true;
}

void *
bj_deal_log_push(bj_deal_log *log, int64_t deal)
{
	uint8_t    *r;

	if (log->packing && log->open.count > 0)
	{
		if (deal >= bj_record_deal(log->open.records))
		{
			if (!pack_waiting(log))
				return NULL;
		}
		else if (!unpack(log))
			return NULL;
	}
	if (log->open.count >= log->capacity || log->open.count >= log->chunk_records)
	{
		size_t		limit = log->capacity < log->chunk_records ? log->capacity : log->chunk_records;

		/* a mergeable log first collapses what it has: it may not need more room */
		if (log->merge && !log->open_sorted && !bj_deal_log_sort(log))
			return NULL;
		if (log->open.count > limit / 2 &&
			!(log->capacity >= log->chunk_records ? seal_chunk(log) : resize_open(log, log->capacity * 2)))
			return NULL;
	}
	/*
	 * A sorted open run of a mergeable log is also collapsed (one record per
	 * deal: bj_deal_log_next_mark relies on it), so a record of the last
	 * record's deal leaves it unsorted too.  That happens when the sort and
	 * collapse just above has made a record of this deal the last one.
	 */
	if (log->open_sorted && log->open.count > 0)
	{
		int64_t		last = bj_record_deal(log->open.records + (log->open.count - 1) * log->record_size);

		if (deal < last || (log->merge != NULL && deal == last))
			log->open_sorted = false;
	}
	r = log->open.records + log->open.count++ * log->record_size;
	memcpy(r, &deal, sizeof(deal));
	return r;
}

bool
bj_deal_log_add_to_marks(bj_deal_log *log, int64_t deal, int stage, int64_t at)
{
	bj_deal_mark *r = bj_deal_log_last(log);

	/* consecutive events of one deal (a table clustered by deal) collapse at once */
	if (r != NULL && r->deal == deal)
	{
		bj_mark_add(&r->mark, stage, at);
		return true;
	}
	r = bj_deal_log_push(log, deal);
	if (r == NULL)
		return false;
	bj_mark_init(&r->mark, stage, at);
	return true;
}

bool
bj_deal_log_add_event(bj_deal_log *log, int64_t deal, int stage, int64_t at)
{
	bj_deal_event *r = bj_deal_log_push(log, deal);

	if (r == NULL)
		return false;
	r->event.at = at;
	r->event.stage = (uint8_t) stage;
	return true;
}

size_t
bj_deal_log_records(const bj_deal_log *log)
{
	size_t		n = log->open.count + (log->packing && log->packed ? (size_t) log->writer.count : 0);

	for (int i = 0; i < log->nsealed; i++)
		n += (size_t) log->sealed[i].count;
	return n;
}

bool
bj_deal_log_flatten(bj_deal_log *log)
{
	bj_deal_cursor cursor;
	bj_deal_group g;
	bj_deal_run merged;
	size_t		size = log->record_size;
	size_t		total;
	bool		failed = false;

	if (!bj_deal_log_sort(log))
		return false;
	if (log->nsealed == 0)
		return true;
	total = bj_deal_log_records(log);
	if (total > log->max_bytes / size)
		return false;
	merged.records = allocate(log, total > 0 ? total : 1);
	merged.count = 0;
	if (merged.records == NULL)
		return false;
	bj_deal_cursor_start(log, &cursor);
	while (bj_deal_log_next_group(log, &cursor, &g, &failed))
	{
		if (log->merge)
		{
			uint8_t    *r = merged.records + merged.count++ * size;

			memcpy(r, g.records[0], size);
			for (int i = 0; i < g.nslices; i++)
				for (size_t k = i == 0 ? 1 : 0; k < g.count[i]; k++)
					log->merge(r, g.records[i] + k * size);
		}
		else
			for (int i = 0; i < g.nslices; i++)
			{
				memcpy(merged.records + merged.count * size, g.records[i], g.count[i] * size);
				merged.count += g.count[i];
			}
	}
	bj_deal_cursor_end(log, &cursor);
	if (failed)
	{
		log->allocator.release(log->allocator.context, merged.records);
		return false;
	}
	for (int i = 0; i < log->nsealed; i++)
		release_run(log, &log->sealed[i]);
	log->allocator.release(log->allocator.context, log->open.records);
	log->nsealed = 0;
	log->open = merged;
	log->capacity = total > 0 ? total : 1;
	log->bytes = log->capacity * size;
	return true;
}

bool
bj_deal_log_adopt(bj_deal_log *log, bj_packed_run run)
{
	if (log->nsealed == BJ_DEAL_LOG_MAX_RUNS && !merge_sealed(log))
		return false;
	if (log->bytes + run.len > log->max_bytes)
		return false;
	log->sealed[log->nsealed++] = run;
	log->bytes += run.len;
	return true;
}

/* The least deal not yet read, of the open run and the packed runs; false when all are read. */
static inline bool
least_deal(const bj_deal_log *log, const bj_deal_cursor *cursor, int64_t *least)
{
	bool		any = cursor->position < log->open.count;

	*least = any ? bj_record_deal(log->open.records + cursor->position * log->record_size) : 0;
	for (int i = 0; i < log->nsealed; i++)
		if (cursor->readers[i].valid && (!any || cursor->readers[i].deal < *least))
		{
			*least = cursor->readers[i].deal;
			any = true;
		}
	return any;
}

void
bj_deal_cursor_start(const bj_deal_log *log, bj_deal_cursor *cursor)
{
	memset(cursor, 0, sizeof(*cursor));
	for (int i = 0; i < log->nsealed; i++)
		bj_run_reader_start(&cursor->readers[i], &log->sealed[i]);
}

void
bj_deal_cursor_end(const bj_deal_log *log, bj_deal_cursor *cursor)
{
	if (cursor->buffer != NULL)
		log->allocator.release(log->allocator.context, cursor->buffer);
	cursor->buffer = NULL;
}

/* The buffer's next record, grown as needed; NULL out of memory. */
static uint8_t *
buffer_slot(const bj_deal_log *log, bj_deal_cursor *cursor, size_t used)
{
	if (used == cursor->room)
	{
		size_t		room = cursor->room ? cursor->room * 2 : 64;
		uint8_t    *b = log->allocator.alloc(log->allocator.context, room * log->record_size);

		if (b == NULL)
			return NULL;
		if (used > 0)
			memcpy(b, cursor->buffer, used * log->record_size);
		if (cursor->buffer != NULL)
			log->allocator.release(log->allocator.context, cursor->buffer);
		cursor->buffer = b;
		cursor->room = room;
	}
	return cursor->buffer + used * log->record_size;
}

bool
bj_deal_log_next_group(const bj_deal_log *log, bj_deal_cursor *cursor, bj_deal_group *group, bool *failed)
{
	size_t		size = log->record_size;
	size_t		used = 0;
	int64_t		least;

	if (!least_deal(log, cursor, &least))
		return false;
	group->deal = least;
	group->nslices = 0;
	if (cursor->position < log->open.count)
	{
		size_t		start = cursor->position;
		size_t		end = start;

		while (end < log->open.count && bj_record_deal(log->open.records + end * size) == least)
			end++;
		if (end > start)
		{
			group->records[0] = log->open.records + start * size;
			group->count[0] = end - start;
			group->nslices = 1;
			cursor->position = end;
		}
	}
	for (int i = 0; i < log->nsealed; i++)
	{
		bj_run_reader *r = &cursor->readers[i];

		for (; r->valid && r->deal == group->deal; bj_run_reader_next(r))
		{
			uint8_t    *slot = buffer_slot(log, cursor, used);

			if (slot == NULL)
			{
				*failed = true;
				return false;
			}
			if (r->marks)
			{
				bj_deal_mark *m = (bj_deal_mark *) slot;

				m->deal = r->deal;
				m->mark = r->mark;
			}
			else
			{
				bj_deal_event *e = (bj_deal_event *) slot;

				e->deal = r->deal;
				e->event = r->event;
			}
			used++;
		}
	}
	if (used > 0)
	{
		group->records[group->nslices] = cursor->buffer;
		group->count[group->nslices++] = used;
	}
	return true;
}

/*
 * Event logs, read faster: the next deal's events from every run, decoded
 * once, straight into the cursor's buffer (which the caller may reorder).
 */
bj_event *
bj_deal_log_next_events(const bj_deal_log *log, bj_deal_cursor *cursor, int64_t *deal, size_t *n,
						bool *failed)
{
	const bj_deal_event *open = (const bj_deal_event *) log->open.records;
	bj_event   *out = (bj_event *) cursor->buffer;
	size_t		used = 0;
	int64_t		least;

	if (!least_deal(log, cursor, &least))
		return NULL;
	for (int i = -1; i < log->nsealed; i++)
	{
		bj_run_reader *r = i >= 0 ? &cursor->readers[i] : NULL;

		for (;;)
		{
			const bj_event *e;

			if (r == NULL)
			{
				if (cursor->position >= log->open.count || open[cursor->position].deal != least)
					break;
				e = &open[cursor->position++].event;
			}
			else
			{
				if (!r->valid || r->deal != least)
					break;
				e = &r->event;
			}
			/* the buffer holds events of bj_deal_event's size: room for as many bj_events */
			if (used == cursor->room)
			{
				if (buffer_slot(log, cursor, used) == NULL)
				{
					*failed = true;
					return NULL;
				}
				out = (bj_event *) cursor->buffer;
			}
			out[used++] = *e;
			if (r != NULL)
				bj_run_reader_next(r);
		}
	}
	*deal = least;
	*n = used;
	return out;
}

bool
bj_deal_log_next_mark(const bj_deal_log *log, bj_deal_cursor *cursor, int64_t *deal, bj_mark *mark)
{
	const bj_deal_mark *open = (const bj_deal_mark *) log->open.records;
	bool		found = false;
	int64_t		least;

	if (!least_deal(log, cursor, &least))
		return false;
	/* one record per deal in each run: a sorted open run of marks is collapsed */
	if (cursor->position < log->open.count && open[cursor->position].deal == least)
	{
		*mark = open[cursor->position++].mark;
		found = true;
	}
	for (int i = 0; i < log->nsealed; i++)
	{
		bj_run_reader *r = &cursor->readers[i];

		if (r->valid && r->deal == least)
		{
			if (found)
				bj_mark_merge(mark, &r->mark);
			else
				*mark = r->mark;
			found = true;
			bj_run_reader_next(r);
		}
	}
	*deal = least;
	return true;
}

void
bj_deal_group_mark(const bj_deal_group *group, bj_mark *out)
{
	*out = ((const bj_deal_mark *) group->records[0])->mark;
	for (int i = 0; i < group->nslices; i++)
		for (size_t k = i == 0 ? 1 : 0; k < group->count[i]; k++)
			bj_mark_merge(out, &((const bj_deal_mark *) group->records[i])[k].mark);
}

size_t
bj_deal_group_size(const bj_deal_group *group)
{
	size_t		n = 0;

	for (int i = 0; i < group->nslices; i++)
		n += group->count[i];
	return n;
}

void
bj_deal_group_events(const bj_deal_group *group, bj_event *out)
{
	for (int i = 0; i < group->nslices; i++)
		for (size_t k = 0; k < group->count[i]; k++)
			*out++ = ((const bj_deal_event *) group->records[i])[k].event;
}

size_t
bj_deal_log_pack_max_size(const bj_deal_log *log)
{
	const bj_packed_run *one = bj_deal_log_one_run(log);

	if (one != NULL)
		return one->len;
	return BJ_PACKED_HEADER_SIZE + bj_deal_log_records(log) * BJ_PACKED_MAX_RECORD;
}

/*
 * The events of one deal from every run, in run order, straight into the
 * writer (no copies); false at the end.
 */
static bool
pack_next_events(const bj_deal_log *log, bj_deal_cursor *cursor, bj_run_writer *w)
{
	const bj_deal_event *open = (const bj_deal_event *) log->open.records;
	int64_t		least;

	if (!least_deal(log, cursor, &least))
		return false;
	for (; cursor->position < log->open.count && open[cursor->position].deal == least; cursor->position++)
		bj_run_write_event(w, least, &open[cursor->position].event);
	for (int i = 0; i < log->nsealed; i++)
		for (bj_run_reader *r = &cursor->readers[i]; r->valid && r->deal == least; bj_run_reader_next(r))
			bj_run_write_event(w, least, &r->event);
	return true;
}

bool
bj_deal_log_pack(const bj_deal_log *log, uint8_t *out, size_t *len)
{
	bj_deal_cursor cursor;
	bj_run_writer w;
	bool		marks = log->merge != NULL;
	const bj_packed_run *one = bj_deal_log_one_run(log);

	if (one != NULL)
	{
		memcpy(out, one->bytes, one->len);
		*len = one->len;
		return true;
	}
	/* the sorted open run and the packed runs side by side, each record read once */
	bj_run_writer_start(&w, out, marks);
	bj_deal_cursor_start(log, &cursor);
	if (marks)
	{
		int64_t		deal;
		bj_mark		m;

		while (bj_deal_log_next_mark(log, &cursor, &deal, &m))
			bj_run_write_mark(&w, deal, &m);
	}
	else
		while (pack_next_events(log, &cursor, &w))
			;
	bj_deal_cursor_end(log, &cursor);
	*len = bj_run_writer_finish(&w);
	return true;
}
