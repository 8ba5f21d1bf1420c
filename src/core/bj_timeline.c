/*
 * bj_timeline.c - time in stage and the ordered window funnel over one
 * deal's events.
 */
#include "bj_timeline.h"

#include <stdlib.h>
#include <string.h>

int64_t
bj_span(int64_t a, int64_t b)
{
	int64_t		d;

	if (__builtin_sub_overflow(b, a, &d))
		return b > a ? INT64_MAX : INT64_MIN;
	return d;
}

static int
event_cmp(const void *a, const void *b)
{
	const bj_event *x = a;
	const bj_event *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (int) x->stage - (int) y->stage;
}

size_t
bj_events_normalize(bj_event *events, size_t n)
{
	size_t		out = 0;
	bool		sorted = true;

	for (size_t i = 1; i < n && sorted; i++)
		sorted = event_cmp(&events[i - 1], &events[i]) <= 0;
	if (!sorted)
		qsort(events, n, sizeof(bj_event), event_cmp);
	for (size_t i = 0; i < n; i++)
		if (out == 0 || event_cmp(&events[out - 1], &events[i]) != 0)
			events[out++] = events[i];
	return out;
}

void
bj_stage_times(const bj_event *events, size_t n, int64_t from, int64_t to,
			   bj_stage_time out[BJ_STAGE_COUNT])
{
	size_t		i = 0;

	memset(out, 0, sizeof(bj_stage_time) * BJ_STAGE_COUNT);
	while (i < n && events[i].at < to)
	{
		int			stage = events[i].stage;
		int64_t		start = events[i].at;
		int64_t		end;
		size_t		j = i + 1;

		/* the visit continues through events at the same stage */
		while (j < n && events[j].at < to && events[j].stage == stage)
			j++;
		end = (j < n && events[j].at < to) ? events[j].at : to;
		/* inside the window, or carried into it (a zero-length visit counts too) */
		if (start >= from || end > from)
		{
			int64_t		clipped = bj_span(start > from ? start : from, end);

			if (start >= from)
				out[stage].visits++;
			out[stage].total += clipped;
			out[stage].latest = clipped;
		}
		i = j;
	}
}

int
bj_stage_at(const bj_event *events, size_t n, int64_t t, int64_t *since)
{
	int			stage = BJ_NO_VALUE;

	for (size_t i = 0; i < n && events[i].at <= t; i++)
	{
		if (events[i].stage != stage)
		{
			stage = events[i].stage;
			*since = events[i].at;
		}
	}
	return stage;
}

int
bj_window_funnel(const bj_event *events, size_t n, int64_t window,
				 const uint8_t *steps, int nsteps, int flags, int64_t at[BJ_MAX_STEPS])
{
	/*
	 * Level k holds the chain with the latest start that has matched steps
	 * 0..k: a later start leaves more of the window for the steps after it
	 * (ClickHouse's windowFunnel keeps the same).  chain[k] holds its times.
	 */
	int64_t		chain[BJ_MAX_STEPS][BJ_MAX_STEPS];
	bool		have[BJ_MAX_STEPS] = {false};
	int			best = 0;
	int			step_of[BJ_STAGE_COUNT];

	if (nsteps <= 0 || nsteps > BJ_MAX_STEPS)
		return 0;
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
		step_of[s] = -1;
	for (int k = nsteps - 1; k >= 0; k--)	/* a stage listed twice: first position */
	{
		if (steps[k] >= BJ_STAGE_COUNT)
			return 0;
		step_of[steps[k]] = k;
	}

	for (size_t e = 0; e < n && best < nsteps; e++)
	{
		int			k = step_of[events[e].stage];
		int64_t		t = events[e].at;

		/*
		 * Strict order: once the chain has begun, only its next step or a
		 * repeat of the step just matched may come; anything else, a stage
		 * outside the steps included, ends the search.
		 */
		if ((flags & BJ_FUNNEL_STRICT_ORDER) && best > 0 && k != best && k != best - 1)
			break;
		if (k < 0)
			continue;
		if (k == 0)
		{
			chain[0][0] = t;
			have[0] = true;
		}
		else if (have[k - 1])
		{
			/* the same chain meeting step k again ends the search */
			if ((flags & BJ_FUNNEL_STRICT_DEDUP) && have[k] && chain[k][0] == chain[k - 1][0])
				break;
			if (bj_span(chain[k - 1][0], t) <= window &&
				(!(flags & BJ_FUNNEL_STRICT_INCREASE) || t > chain[k - 1][k - 1]))
			{
				memcpy(chain[k], chain[k - 1], sizeof(int64_t) * (size_t) k);
				chain[k][k] = t;
				have[k] = true;
			}
		}
		if (have[k] && k + 1 > best)
		{
			best = k + 1;
			memcpy(at, chain[k], sizeof(int64_t) * (size_t) best);
		}
	}
	return best;
}
