/*
 * bj_timeline.c - time in stage over one deal's events (the ordered window
 * funnel is in bj_window_funnel.c).
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
	/* a deal has a few events: an insertion sort beats qsort's set-up */
	if (!sorted && n <= 16)
		for (size_t i = 1; i < n; i++)
		{
			bj_event	e = events[i];
			size_t		k = i;

			for (; k > 0 && event_cmp(&events[k - 1], &e) > 0; k--)
				events[k] = events[k - 1];
			events[k] = e;
		}
	else if (!sorted)
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
