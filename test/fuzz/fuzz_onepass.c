/*
 * fuzz_onepass.c - libFuzzer target: the one-pass aggregates' core against a
 * naive reference (issue 15).
 *
 * The bytes become a small multiset of (deal, stage, time) events and the
 * parameters: the deal log's first capacity and chunk length (tiny, so that
 * every path of the log is taken), how many partial states, an as_of, a
 * window and steps.  The events go in a random order into random partial
 * logs (marks for the funnel, events for time in stage and the window
 * funnel), which are merged in a random order the ways PostgreSQL's plans
 * merge them: through the serialised form, adopted as packed runs, borrowed,
 * or packed afresh.  What the merged logs give is compared with a reference
 * written here from scratch (each deal's events in a sorted list; the window
 * funnel as ClickHouse's windowFunnel computes it, pair list and all, and
 * for strict_once every chain): each deal's funnel mark and the funnel's
 * counts, each deal's events, time in stage, and the window funnel in every
 * mode.  Any difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bj_deal_log.h"
#include "bj_encode.h"
#include "bj_funnel.h"
#include "bj_summaries.h"
#include "unit.h"				/* unit_heap: the C library's heap */

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_EVENTS 20
#define MAX_PARTS 4
#define MAX_REF_STEPS 8
#define HEADER 22

/* ------------------------------------------------------------ input */

typedef struct event
{
	int64_t		deal;
	int			stage;
	int64_t		at;
} event;

typedef struct input
{
	size_t		initial_records;
	size_t		chunk_records;
	int			nparts;
	uint64_t	seed;
	int64_t		window;
	int			nsteps;
	uint8_t		steps[MAX_REF_STEPS];
	int64_t		as_of;
	int			nevents;
	event		events[MAX_EVENTS];
} input;

static const int64_t deal_values[] = {INT64_MIN, -7, 0, 1, 2, INT64_C(1) << 40, INT64_MAX};

static bool
read_input(const uint8_t *d, size_t size, input *in)
{
	if (size < HEADER)
		return false;
	in->initial_records = 1 + d[0] % 8;
	in->chunk_records = 1 + d[1] % 12;
	in->nparts = 1 + d[2] % MAX_PARTS;
	in->seed = 0;
	for (int i = 3; i < 11; i++)
		in->seed = in->seed << 8 | d[i];
	in->window = d[11] % 24;
	in->nsteps = 1 + d[12] % MAX_REF_STEPS;
	for (int k = 0; k < in->nsteps; k++)
		in->steps[k] = d[13 + k] % BJ_STAGE_COUNT;
	in->as_of = (int64_t) (d[21] % 72) - 16;
	in->nevents = 0;
	for (size_t p = HEADER; p + 3 <= size && in->nevents < MAX_EVENTS; p += 3)
	{
		event	   *e = &in->events[in->nevents++];

		e->deal = deal_values[d[p] % (sizeof(deal_values) / sizeof(deal_values[0]))];
		e->stage = d[p + 1] % BJ_STAGE_COUNT;
		e->at = (int64_t) (d[p + 2] % 64) - 16;
	}
	return true;
}

static uint64_t
next_random(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* 0 .. n-1 in a random order. */
static void
random_order(int *order, int n, uint64_t *rng)
{
	for (int i = 0; i < n; i++)
		order[i] = i;
	for (int i = n - 1; i > 0; i--)
	{
		int			j = (int) (next_random(rng) % (uint64_t) (i + 1));
		int			t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}

/* -------------------------------------------------------- the reference */

typedef struct ref_deal
{
	int64_t		deal;
	int			n;
	event		events[MAX_EVENTS];	/* by time, then stage; no two alike */
} ref_deal;

static int
compare_events(const event *a, const event *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->stage - b->stage;
}

/* Each deal's events, sorted, without repeats; the deals in order. */
static int
reference_deals(const input *in, ref_deal *deals)
{
	int			ndeals = 0;

	for (int i = 0; i < in->nevents; i++)
	{
		const event *e = &in->events[i];
		int			d = 0;
		int			pos;

		while (d < ndeals && deals[d].deal < e->deal)
			d++;
		if (d == ndeals || deals[d].deal != e->deal)
		{
			memmove(&deals[d + 1], &deals[d], sizeof(ref_deal) * (size_t) (ndeals - d));
			deals[d].deal = e->deal;
			deals[d].n = 0;
			ndeals++;
		}
		pos = 0;
		while (pos < deals[d].n && compare_events(&deals[d].events[pos], e) < 0)
			pos++;
		if (pos < deals[d].n && compare_events(&deals[d].events[pos], e) == 0)
			continue;
		memmove(&deals[d].events[pos + 1], &deals[d].events[pos], sizeof(event) * (size_t) (deals[d].n - pos));
		deals[d].events[pos] = *e;
		deals[d].n++;
	}
	return ndeals;
}

/*
 * The funnel's counts by their definitions (bj_funnel.h): entered, passed
 * (entered, or between the lowest and the highest of unaware..realize the
 * deal entered), moved on beyond, and the stage of the latest event.
 */
static void
reference_funnel(const ref_deal *deal, bj_funnel *f)
{
	int			lowest = -1;
	int			highest = -1;
	bool		entered[BJ_STAGE_COUNT] = {false};

	for (int i = 0; i < deal->n; i++)
	{
		int			s = deal->events[i].stage;

		entered[s] = true;
		if (s <= BJ_STAGE_REALIZE && (lowest < 0 || s < lowest))
			lowest = s;
		if (s <= BJ_STAGE_REALIZE && s > highest)
			highest = s;
	}
	f->deals++;
	f->current[deal->events[deal->n - 1].stage]++;	/* sorted by time, then stage */
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		bool		passed = entered[s] || (s <= BJ_STAGE_REALIZE && lowest >= 0 && lowest <= s && s <= highest);
		bool		beyond = s < BJ_STAGE_REALIZE && highest > s;

		f->entered[s] += entered[s];
		f->passed[s] += passed;
		f->moved_on[s] += entered[s] && beyond;
		f->moved_on_passed[s] += passed && beyond;
	}
}

/* Time in stage as of in->as_of, visit by visit. */
typedef struct ref_durations
{
	int64_t		deals;
	int64_t		visits[BJ_STAGE_COUNT];
	int64_t		left[BJ_STAGE_COUNT];
	__int128	left_time[BJ_STAGE_COUNT];
	int64_t		open[BJ_STAGE_COUNT];
	__int128	open_time[BJ_STAGE_COUNT];
} ref_durations;

static void
reference_durations(const ref_deal *deal, int64_t as_of, ref_durations *r)
{
	int			seen = 0;

	while (seen < deal->n && deal->events[seen].at < as_of)
		seen++;
	if (seen == 0)
		return;
	r->deals++;
	for (int i = 0; i < seen; i++)
	{
		int			stage = deal->events[i].stage;
		int			next = i + 1;

		if (i > 0 && deal->events[i - 1].stage == stage)
			continue;			/* the same visit goes on */
		while (next < seen && deal->events[next].stage == stage)
			next++;
		r->visits[stage]++;
		if (next < seen)
		{
			r->left[stage]++;
			r->left_time[stage] += deal->events[next].at - deal->events[i].at;
		}
		else
		{
			r->open[stage]++;
			r->open_time[stage] += as_of - deal->events[i].at;
		}
	}
}

/*
 * ClickHouse's windowFunnel, as its source reads: a list of (time,
 * condition, row) pairs, one for each step an event meets (condition =
 * position + 1) and, with strict_order, one of condition 0 for an event
 * meeting none, sorted; then the scan.  Plus the times of the first chain
 * to reach the depth: when several reach it at one pair, the latest start,
 * then the latest steps counted back from the last.
 */
typedef struct pair
{
	int64_t		at;
	int			condition;
	int			row;
} pair;

typedef struct sequence
{
	int64_t		first;
	int64_t		last;
	int			rows[MAX_REF_STEPS];
	int64_t		times[MAX_REF_STEPS];
} sequence;

typedef struct sequence_list
{
	int			n;
	int			room;
	sequence   *items;
} sequence_list;

static int
compare_pairs(const void *a, const void *b)
{
	const pair *x = a;
	const pair *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->condition != y->condition)
		return x->condition - y->condition;
	return x->row - y->row;
}

static bool
later_sequence(const sequence *a, const sequence *b, int level)
{
	if (a->first != b->first)
		return a->first > b->first;
	for (int i = level; i >= 0; i--)
		if (a->times[i] != b->times[i])
			return a->times[i] > b->times[i];
	return false;
}

static int
filled_levels(const sequence_list *levels, int nsteps)
{
	int			depth = 0;

	for (int k = 0; k < nsteps; k++)
		if (levels[k].n > 0)
			depth = k + 1;
	return depth;
}

static void
append_sequence(sequence_list *list, const sequence *s)
{
	if (list->n == list->room)
	{
		list->room = list->room ? list->room * 2 : 8;
		list->items = realloc(list->items, sizeof(sequence) * (size_t) list->room);
		if (list->items == NULL)
			abort();
	}
	list->items[list->n++] = *s;
}

static int
reference_window_funnel(const ref_deal *deal, int64_t window, const uint8_t *steps, int nsteps,
						int flags, int64_t *times)
{
	pair		pairs[MAX_EVENTS * (MAX_REF_STEPS + 1)];
	int			npairs = 0;
	bool		strict_order = flags & BJ_FUNNEL_STRICT_ORDER;
	bool		dedup = flags & BJ_FUNNEL_STRICT_DEDUP;
	bool		increase = flags & BJ_FUNNEL_STRICT_INCREASE;
	bool		once = flags & BJ_FUNNEL_STRICT_ONCE;
	bool		reentry = flags & BJ_FUNNEL_ALLOW_REENTRY;
	sequence_list levels[MAX_REF_STEPS];
	bool		first_event = false;
	int			reached = 0;	/* the depth whose times are in times[] */
	int			result = -1;

	for (int row = 0; row < deal->n; row++)
	{
		bool		met = false;

		for (int k = 0; k < nsteps; k++)
			if (steps[k] == deal->events[row].stage)
			{
				pairs[npairs++] = (pair) {deal->events[row].at, k + 1, row};
				met = true;
			}
		if (strict_order && !met)
			pairs[npairs++] = (pair) {deal->events[row].at, 0, row};
	}
	qsort(pairs, (size_t) npairs, sizeof(pair), compare_pairs);
	memset(levels, 0, sizeof(levels));

	for (int i = 0; i < npairs && result < 0; i++)
	{
		int64_t		t = pairs[i].at;
		int			idx = pairs[i].condition - 1;
		int			before = filled_levels(levels, nsteps);

		if (strict_order && idx == -1)
		{
			if (first_event)
				break;
			continue;
		}
		if (idx == 0)
		{
			sequence	s = {.first = t, .last = t};

			s.rows[0] = pairs[i].row;
			s.times[0] = t;
			if (!once)
				levels[0].n = 0;	/* one chain per level: overwritten */
			append_sequence(&levels[0], &s);
			first_event = true;
		}
		else if (dedup && levels[idx].n > 0)
		{
			result = filled_levels(levels, nsteps);
			break;
		}
		else if (strict_order && first_event && levels[idx - 1].n == 0)
		{
			if (reentry)
				continue;
			result = filled_levels(levels, nsteps);
			break;
		}
		else if (levels[idx - 1].n > 0)
		{
			int			nprev = levels[idx - 1].n;

			for (int j = 0; j < nprev; j++)
			{
				sequence	s = levels[idx - 1].items[j];
				bool		ok = t <= s.first + window;

				if (increase)
					ok = ok && s.last < t;
				for (int r = 0; once && r < idx; r++)
					ok = ok && s.rows[r] != pairs[i].row;
				if (!ok)
					continue;
				s.rows[idx] = pairs[i].row;
				s.times[idx] = t;
				s.last = t;
				if (!once)
					levels[idx].n = 0;
				append_sequence(&levels[idx], &s);
			}
		}
		if (filled_levels(levels, nsteps) > before)
		{
			/* a new level: the chains made by this pair are its last items */
			int			level = filled_levels(levels, nsteps) - 1;
			sequence_list *l = &levels[level];
			int			made = 0;
			const sequence *best = NULL;

			/* this pair appended to level `level` only: which items are new? all, as it was empty */
			made = l->n;
			for (int j = 0; j < made; j++)
				if (best == NULL || later_sequence(&l->items[j], best, level))
					best = &l->items[j];
			reached = level + 1;
			memcpy(times, best->times, sizeof(int64_t) * (size_t) reached);
			if (reached == nsteps)
				result = nsteps;
		}
	}
	if (result < 0)
		result = filled_levels(levels, nsteps);
	for (int k = 0; k < MAX_REF_STEPS; k++)
		free(levels[k].items);
	if (result != reached)
		abort();				/* the reference itself: levels fill in order */
	return result;
}

/* ------------------------------------------------------- the core, merged */

typedef struct borrowed
{
	int			n;
	uint8_t    *bytes[2 * MAX_PARTS + 2];
} borrowed;

static void
must(bool ok)
{
	if (!ok)
		abort();
}

/* The log's records packed into fresh bytes; *len their length. */
static uint8_t *
packed_copy(bj_deal_log *log, size_t *len)
{
	uint8_t    *bytes = malloc(bj_deal_log_pack_max_size(log) + 1);

	must(bytes != NULL && bj_deal_log_sort(log) && bj_deal_log_pack(log, bytes, len));
	return bytes;
}

/* from's records into into, one of the ways a plan hands a state over; from is freed. */
static void
hand_over(bj_deal_log *into, bj_deal_log *from, int way, borrowed *keep)
{
	bool		marks = from->merge != NULL;
	bj_packed_run run;
	size_t		len;
	uint8_t    *bytes;

	must(bj_deal_log_sort(from));
	switch (way)
	{
		case 0:					/* serialised and deserialised */
			bytes = packed_copy(from, &len);
			must(bj_packed_run_decode(bytes, len, marks, SIZE_MAX, into->allocator, &run) == BJ_DECODE_OK);
			must(bj_deal_log_adopt(into, run));
			free(bytes);
			break;
		case 1:					/* a worker's run read where it is (shared memory) */
			bytes = packed_copy(from, &len);
			keep->bytes[keep->n++] = bytes;
			must(bj_packed_run_check(bytes, len, marks, &run.count) == BJ_DECODE_OK);
			run.bytes = bytes;
			run.len = len;
			run.marks = marks;
			run.borrowed = true;
			must(bj_deal_log_adopt(into, run));
			break;
		default:				/* combine: packed runs adopted as they are, open records packed */
			if (from->open.count > 0)
			{
				bytes = packed_copy(from, &len);
				run.bytes = into->allocator.alloc(into->allocator.context, len);
				must(run.bytes != NULL);
				memcpy(run.bytes, bytes, len);
				free(bytes);
				run.len = len;
				run.marks = marks;
				run.borrowed = false;
				must(bj_packed_run_check(run.bytes, len, marks, &run.count) == BJ_DECODE_OK);
				must(bj_deal_log_adopt(into, run));
			}
			else
			{
				for (int i = 0; i < from->nsealed; i++)
					must(bj_deal_log_adopt(into, from->sealed[i]));
				from->nsealed = 0;
			}
			break;
	}
	bj_deal_log_free(from);
}

/*
 * The events in a random order into random parts, then the parts merged in
 * a random order; the result in *merged.
 */
static void
build_merged(const input *in, bool marks, uint64_t *rng, bj_allocator heap, bj_deal_log *merged,
			 borrowed *keep)
{
	bj_deal_log parts[MAX_PARTS];
	int			order[MAX_EVENTS];
	int			part_order[MAX_PARTS];
	size_t		record_size = marks ? sizeof(bj_deal_mark) : sizeof(bj_deal_event);
	bj_record_merge merge = marks ? bj_deal_mark_merge : NULL;
	int			start;

	for (int p = 0; p < in->nparts; p++)
		must(bj_deal_log_init_sized(&parts[p], record_size, merge, SIZE_MAX, heap,
									in->initial_records, in->chunk_records));
	random_order(order, in->nevents, rng);
	for (int i = 0; i < in->nevents; i++)
	{
		const event *e = &in->events[order[i]];
		bj_deal_log *log = &parts[next_random(rng) % (uint64_t) in->nparts];

		must(marks ? bj_deal_log_add_to_marks(log, e->deal, e->stage, e->at)
			 : bj_deal_log_add_event(log, e->deal, e->stage, e->at));
		/* a final may run mid-way (window aggregates) and rows come after */
		if (next_random(rng) % 8 == 0)
			must(bj_deal_log_sort(log));
	}
	random_order(part_order, in->nparts, rng);
	/* into a fresh state, or into the first part (a state with rows of its own) */
	start = 0;
	if (next_random(rng) % 2)
		*merged = parts[part_order[start++]];
	else
		must(bj_deal_log_init_sized(merged, record_size, merge, SIZE_MAX, heap,
									in->initial_records, in->chunk_records));
	for (int p = start; p < in->nparts; p++)
		hand_over(merged, &parts[part_order[p]], (int) (next_random(rng) % 3), keep);
	/* two levels: the merged state handed over once more */
	if (next_random(rng) % 2)
	{
		bj_deal_log again;

		must(bj_deal_log_init_sized(&again, record_size, merge, SIZE_MAX, heap,
									in->initial_records, in->chunk_records));
		hand_over(&again, merged, (int) (next_random(rng) % 3), keep);
		*merged = again;
	}
}

/* ------------------------------------------------------------ compare */

static bool
same_sum(const bj_sum128 *s, __int128 v)
{
	return s->lo == (uint64_t) v && s->hi == (int64_t) (v >> 64);
}

static void
check_marks(bj_deal_log *log, const ref_deal *deals, int ndeals, bool by_group)
{
	bj_deal_cursor cursor;
	int			d = 0;
	int64_t		deal;
	bj_mark		m;
	bj_deal_group g;
	bool		failed = false;

	static int64_t shapes[1 << (BJ_STAGE_COUNT + 4)];
	bj_funnel	core,
				want;
	uint8_t		form[BJ_FUNNEL_FORM_SIZE];

	memset(shapes, 0, sizeof(shapes));
	must(bj_deal_log_sort(log));
	bj_deal_cursor_start(log, &cursor);
	for (;;)
	{
		if (by_group)
		{
			if (!bj_deal_log_next_group(log, &cursor, &g, &failed))
				break;
			deal = g.deal;
			bj_deal_group_mark(&g, &m);
		}
		else if (!bj_deal_log_next_mark(log, &cursor, &deal, &m))
			break;
		/* each deal once, in order, with the stages it entered and its latest event */
		if (d >= ndeals || deal != deals[d].deal)
			abort();
		{
			const ref_deal *r = &deals[d];
			unsigned	entered = 0;

			for (int i = 0; i < r->n; i++)
				entered |= 1u << r->events[i].stage;
			if (m.entered != entered || m.last_at != r->events[r->n - 1].at ||
				m.last_stage != r->events[r->n - 1].stage || !bj_mark_valid(&m))
				abort();
		}
		shapes[m.entered << 4 | m.last_stage]++;
		d++;
	}
	bj_deal_cursor_end(log, &cursor);
	must(!failed && d == ndeals);

	/* the funnel as funnel(deal, stage, at)'s final makes it: deals counted by shape */
	bj_funnel_init(&core);
	bj_funnel_init(&want);
	for (int shape = 0; shape < 1 << (BJ_STAGE_COUNT + 4); shape++)
		if (shapes[shape] > 0)
		{
			bj_journey	j;

			memset(&j, 0, sizeof(j));
			j.entered = (bj_value_set) (shape >> 4);
			j.last_stage = (uint8_t) (shape & 15);
			bj_funnel_add_many(&core, &j, shapes[shape]);
		}
	for (int i = 0; i < ndeals; i++)
		reference_funnel(&deals[i], &want);
	if (memcmp(&core, &want, sizeof(core)) != 0 || !bj_funnel_valid(&core))
		abort();
	bj_funnel_encode(&core, form);
	must(bj_funnel_decode(form, sizeof(form), &want) == BJ_DECODE_OK && memcmp(&core, &want, sizeof(core)) == 0);
}

typedef struct mode_result
{
	bj_window_counts core;
	int64_t		deals;
	int64_t		reached[BJ_MAX_STEPS];
	__int128	step_time[BJ_MAX_STEPS];
	bool		valid;
} mode_result;

static void
check_events(bj_deal_log *log, const input *in, const ref_deal *deals, int ndeals)
{
	bj_deal_cursor cursor;
	bj_deal_group g;
	bool		failed = false;
	int			d = 0;
	bj_stage_durations core;
	ref_durations want;
	static mode_result modes[BJ_FUNNEL_MODES + 1];

	bj_stage_durations_init(&core, in->as_of);
	memset(&want, 0, sizeof(want));
	memset(modes, 0, sizeof(modes));
	for (int flags = 0; flags <= BJ_FUNNEL_MODES; flags++)
	{
		modes[flags].valid = bj_window_counts_init(&modes[flags].core, in->window, in->steps, in->nsteps, flags);
		/* allow_reentry needs strict_order, as in ClickHouse */
		if (modes[flags].valid != (!(flags & BJ_FUNNEL_ALLOW_REENTRY) || (flags & BJ_FUNNEL_STRICT_ORDER)))
			abort();
	}

	must(bj_deal_log_sort(log));
	bj_deal_cursor_start(log, &cursor);
	while (bj_deal_log_next_group(log, &cursor, &g, &failed))
	{
		bj_event	events[MAX_EVENTS];
		size_t		n = bj_deal_group_size(&g);
		const ref_deal *r = &deals[d];

		/* each deal once, in order, with its events: none lost, none added */
		if (d >= ndeals || g.deal != r->deal || n > MAX_EVENTS)
			abort();
		bj_deal_group_events(&g, events);
		n = bj_events_normalize(events, n);
		if ((int) n != r->n)
			abort();
		for (int i = 0; i < r->n; i++)
			if (events[i].at != r->events[i].at || events[i].stage != r->events[i].stage)
				abort();

		bj_stage_durations_add(&core, events, n);
		reference_durations(r, in->as_of, &want);
		for (int flags = 0; flags <= BJ_FUNNEL_MODES; flags++)
		{
			mode_result *mr = &modes[flags];
			int64_t		times[MAX_REF_STEPS];
			int			depth;

			if (!mr->valid)
				continue;
			bj_window_counts_add(&mr->core, events, n);
			depth = reference_window_funnel(r, in->window, in->steps, in->nsteps, flags, times);
			mr->deals++;
			for (int k = 0; k < depth; k++)
			{
				mr->reached[k]++;
				if (k > 0)
					mr->step_time[k] += times[k] - times[k - 1];
			}
		}
		d++;
	}
	bj_deal_cursor_end(log, &cursor);
	must(!failed && d == ndeals);

	if (core.deals != want.deals)
		abort();
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
		if (core.visits[s] != want.visits[s] || core.left[s] != want.left[s] || core.open[s] != want.open[s] ||
			!same_sum(&core.left_time[s], want.left_time[s]) || !same_sum(&core.open_time[s], want.open_time[s]))
			abort();
	must(bj_stage_durations_valid(&core));
	for (int flags = 0; flags <= BJ_FUNNEL_MODES; flags++)
	{
		const mode_result *mr = &modes[flags];
		uint8_t		form[BJ_WINDOW_COUNTS_FORM_SIZE];
		bj_window_counts back;

		if (!mr->valid)
			continue;
		if (mr->core.deals != mr->deals)
			abort();
		for (int k = 0; k < BJ_MAX_STEPS; k++)
			if (mr->core.reached[k] != mr->reached[k] || !same_sum(&mr->core.step_time[k], mr->step_time[k]))
				abort();
		/* what the aggregate returns reads back through its own decoder */
		must(bj_window_counts_valid(&mr->core));
		bj_window_counts_encode(&mr->core, form);
		must(bj_window_counts_decode(form, sizeof(form), &back) == BJ_DECODE_OK &&
			 memcmp(&back, &mr->core, sizeof(back)) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input		in;
	static ref_deal deals[MAX_EVENTS];
	int			ndeals;
	uint64_t	rng;
	borrowed	keep = {0};

	if (!read_input(data, size, &in))
		return 0;
	ndeals = reference_deals(&in, deals);
	rng = in.seed;
	for (int kind = 0; kind < 2; kind++)
	{
		bj_allocator heap = unit_heap;
		bj_deal_log merged;

		/* with and without resize (which remaps a large block in PostgreSQL) */
		if (next_random(&rng) % 2)
			heap.resize = NULL;

		build_merged(&in, kind == 0, &rng, heap, &merged, &keep);
		if (kind == 0)
		{
			check_marks(&merged, deals, ndeals, false);
			check_marks(&merged, deals, ndeals, true);
			/* and once more after flattening into one open run */
			must(bj_deal_log_flatten(&merged));
			check_marks(&merged, deals, ndeals, false);
		}
		else
		{
			check_events(&merged, &in, deals, ndeals);
			must(bj_deal_log_flatten(&merged));
			check_events(&merged, &in, deals, ndeals);
		}
		bj_deal_log_free(&merged);
	}
	for (int i = 0; i < keep.n; i++)
		free(keep.bytes[i]);
	return 0;
}
