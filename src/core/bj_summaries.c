/*
 * bj_summaries.c - stage durations and window counts over many deals.
 */
#include "bj_summaries.h"

#include <string.h>

#include "bj_funnel.h"

typedef bj_int128 int128;

int128
bj_sum128_get(const bj_sum128 *s)
{
	return (int128) ((unsigned __int128) (uint64_t) s->hi << 64 | s->lo);
}

void
bj_sum128_set(bj_sum128 *s, int128 v)
{
	s->lo = (uint64_t) v;
	s->hi = (int64_t) (v >> 64);
}

void
bj_sum128_add(bj_sum128 *s, int64_t v)
{
	bj_sum128_set(s, bj_sum128_get(s) + v);
}

void
bj_sum128_merge(bj_sum128 *into, const bj_sum128 *from)
{
	bj_sum128_set(into, bj_sum128_get(into) + bj_sum128_get(from));
}

int64_t
bj_sum128_mean(const bj_sum128 *s, int64_t count)
{
	int128		sum = bj_sum128_get(s);
	int128		q = sum / count;
	int128		r = sum % count;

	/* round half away from zero, as numeric division does */
	if (2 * (r < 0 ? -r : r) >= count)
		q += sum < 0 ? -1 : 1;
	return (int64_t) q;
}

/* ------------------------------------------------------- stage durations */

void
bj_stage_durations_init(bj_stage_durations *d, int64_t as_of)
{
	memset(d, 0, sizeof(*d));
	d->as_of = as_of;
}

void
bj_stage_durations_add(bj_stage_durations *d, const bj_event *events, size_t n)
{
	size_t		i = 0;
	int64_t		to = d->as_of;

	if (n == 0 || events[0].at >= to)
		return;
	d->deals++;
	while (i < n && events[i].at < to)
	{
		int			stage = events[i].stage;
		int64_t		start = events[i].at;
		size_t		j = i + 1;

		/* the visit continues through events at the same stage */
		while (j < n && events[j].at < to && events[j].stage == stage)
			j++;
		d->visits[stage]++;
		if (j < n && events[j].at < to)
		{
			d->left[stage]++;
			bj_sum128_add(&d->left_time[stage], bj_span(start, events[j].at));
		}
		else
		{
			d->open[stage]++;
			bj_sum128_add(&d->open_time[stage], bj_span(start, to));
		}
		i = j;
	}
}

bool
bj_stage_durations_merge(bj_stage_durations *into, const bj_stage_durations *from)
{
	if (into->as_of != from->as_of)
		return false;
	into->deals += from->deals;
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		into->visits[s] += from->visits[s];
		into->left[s] += from->left[s];
		into->open[s] += from->open[s];
		bj_sum128_merge(&into->left_time[s], &from->left_time[s]);
		bj_sum128_merge(&into->open_time[s], &from->open_time[s]);
	}
	return true;
}

static bool
count_ok(int64_t c)
{
	return c >= 0 && c <= BJ_MAX_COUNT;
}

/*
 * A total of count spans, each from 0 to INT64_MAX: never negative, never
 * more than count of the longest.  Two valid totals add up without
 * overflowing 128 bits (counts stay below 2^49), so a merge can be checked
 * afterwards.
 */
static bool
total_ok(const bj_sum128 *s, int64_t count)
{
	int128		v = bj_sum128_get(s);

	return v >= 0 && v <= (int128) count * INT64_MAX;
}

bool
bj_stage_durations_valid(const bj_stage_durations *d)
{
	int64_t		open = 0;

	if (!count_ok(d->deals))
		return false;
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		/* every visit ended or is still going; at most one open visit per deal */
		if (!count_ok(d->visits[s]) || !count_ok(d->left[s]) || !count_ok(d->open[s]) ||
			d->left[s] + d->open[s] != d->visits[s] ||
			!total_ok(&d->left_time[s], d->left[s]) || !total_ok(&d->open_time[s], d->open[s]))
			return false;
		open += d->open[s];
	}
	return open == d->deals;
}

/* ---------------------------------------------------------- window counts */

bool
bj_window_counts_init(bj_window_counts *w, int64_t window, const uint8_t *steps, int nsteps, int flags)
{
	memset(w, 0, sizeof(*w));
	if (window < 0 || nsteps < 1 || nsteps > BJ_MAX_STEPS ||
		!bj_window_funnel_modes_valid(flags))
		return false;
	for (int k = 0; k < nsteps; k++)
		if (steps[k] >= BJ_STAGE_COUNT)
			return false;
	w->window = window;
	w->nsteps = nsteps;
	w->flags = flags;
	memcpy(w->steps, steps, (size_t) nsteps);
	return true;
}

void
bj_window_counts_add(bj_window_counts *w, const bj_event *events, size_t n)
{
	int64_t		at[BJ_MAX_STEPS];
	int			depth;

	if (n == 0)
		return;
	depth = bj_window_funnel(events, n, w->window, w->steps, w->nsteps, w->flags, at);
	w->deals++;
	for (int k = 0; k < depth; k++)
	{
		w->reached[k]++;
		if (k > 0)
			bj_sum128_add(&w->step_time[k], bj_span(at[k - 1], at[k]));
	}
}

static bool
same_parameters(const bj_window_counts *a, const bj_window_counts *b)
{
	return a->window == b->window && a->nsteps == b->nsteps && a->flags == b->flags &&
		memcmp(a->steps, b->steps, sizeof(a->steps)) == 0;
}

bool
bj_window_counts_merge(bj_window_counts *into, const bj_window_counts *from)
{
	if (!same_parameters(into, from))
		return false;
	into->deals += from->deals;
	for (int k = 0; k < BJ_MAX_STEPS; k++)
	{
		into->reached[k] += from->reached[k];
		bj_sum128_merge(&into->step_time[k], &from->step_time[k]);
	}
	return true;
}

bool
bj_window_counts_valid(const bj_window_counts *w)
{
	bj_window_counts check;

	if (!bj_window_counts_init(&check, w->window, w->steps, w->nsteps, w->flags) ||
		!count_ok(w->deals))
		return false;
	for (int k = 0; k < BJ_MAX_STEPS; k++)
	{
		/* each step reached by no more deals than the one before; none past nsteps */
		int64_t		limit = k == 0 ? w->deals : w->reached[k - 1];

		if (k >= w->nsteps ? w->reached[k] != 0 : !count_ok(w->reached[k]) || w->reached[k] > limit)
			return false;
		/* times from a step to the next: none before the first or past the last, never negative */
		if ((k == 0 || k >= w->nsteps) ? (w->step_time[k].lo != 0 || w->step_time[k].hi != 0)
			: !total_ok(&w->step_time[k], w->reached[k]))
			return false;
	}
	for (int k = w->nsteps; k < BJ_MAX_STEPS; k++)
		if (w->steps[k] != 0)
			return false;
	return true;
}
