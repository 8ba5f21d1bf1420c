/*
 * bj_window_funnel.c - the ordered window funnel over one deal's events, as
 * ClickHouse's windowFunnel computes it, mode for mode.
 *
 * ClickHouse reads a list of (time, condition) pairs, one for each condition
 * an event meets, sorted by time and then by condition number; with
 * strict_order an event meeting none is a pair of its own that sorts first
 * among its time's.  Here the conditions are the steps: an event meets
 * every position of steps that names its stage (a stage may be listed more
 * than once).  So the events of one time are read as one group: first "an
 * event at no step" (strict_order), then each step position whose stage is
 * among the group's, in position order.
 *
 * Level k holds the chains that have matched steps 0..k.  Without
 * strict_once each level keeps one chain, overwritten by each new match (the
 * latest start: it leaves the most of the window); an event may then stand
 * for several steps of one chain, as in ClickHouse.  With strict_once a
 * chain may not use one event twice, and ClickHouse keeps every chain; here
 * a level keeps, between groups, only the chain with the latest start (no
 * event of a later group is in it, and every one ended earlier, so it
 * extends wherever another does), and within a group the chains made in it
 * (at most one per level they came from).  The answers are the same.
 *
 * Beyond ClickHouse: the time of each step of the first chain to reach the
 * deal's depth (when several reach it at the same event: the latest start,
 * then the latest steps counted back from the last), and ties broken by
 * time alone: identical events (same stage, same time) are one event.
 */
#include "bj_timeline.h"

#include <string.h>

typedef struct wf_chain
{
	int64_t		first;			/* time of step 0 */
	int64_t		last;			/* time of the last step matched */
	uint32_t	used;			/* stages of its events at the current group's time */
	int64_t		times[BJ_MAX_STEPS];
} wf_chain;

/* A level's chains: the latest-start one from before the group, and one per level below. */
#define MAX_CHAINS (BJ_MAX_STEPS + 1)

typedef struct wf_level
{
	int			n;
	wf_chain	chains[MAX_CHAINS];
} wf_level;

bool
bj_window_funnel_modes_valid(int flags)
{
	return (flags & ~BJ_FUNNEL_MODES) == 0 &&
		(!(flags & BJ_FUNNEL_ALLOW_REENTRY) || (flags & BJ_FUNNEL_STRICT_ORDER));
}

/* Is a (a chain at level k) preferred to b: the later start, then the later steps from the last back. */
static bool
preferred(const wf_chain *a, const wf_chain *b, int k)
{
	if (a->first != b->first)
		return a->first > b->first;
	for (int i = k; i >= 0; i--)
		if (a->times[i] != b->times[i])
			return a->times[i] > b->times[i];
	return false;
}

/* Index of the preferred chain of level k. */
static int
best_chain(const wf_level *level, int k)
{
	int			best = 0;

	for (int i = 1; i < level->n; i++)
		if (preferred(&level->chains[i], &level->chains[best], k))
			best = i;
	return best;
}

int
bj_window_funnel(const bj_event *events, size_t n, int64_t window,
				 const uint8_t *steps, int nsteps, int flags, int64_t at[BJ_MAX_STEPS])
{
	wf_level	levels[BJ_MAX_STEPS];
	uint32_t	step_stages = 0;
	bool		strict_order = (flags & BJ_FUNNEL_STRICT_ORDER) != 0;
	bool		once = (flags & BJ_FUNNEL_STRICT_ONCE) != 0;
	bool		begun = false;	/* step 0 was met (strict_order's "first event") */
	int			depth = 0;		/* levels 0..depth-1 hold a chain */
	size_t		i = 0;

	if (nsteps <= 0 || nsteps > BJ_MAX_STEPS || !bj_window_funnel_modes_valid(flags))
		return 0;
	for (int k = 0; k < nsteps; k++)
	{
		if (steps[k] >= BJ_STAGE_COUNT)
			return 0;
		step_stages |= UINT32_C(1) << steps[k];
		levels[k].n = 0;
	}

	while (i < n)
	{
		int64_t		t = events[i].at;
		uint32_t	present = 0;

		for (; i < n && events[i].at == t; i++)
			present |= UINT32_C(1) << events[i].stage;
		/* an event at no step sorts first among its time's */
		if (strict_order && begun && (present & ~step_stages) != 0)
			return depth;
		/* between groups a level needs only its preferred chain (see above) */
		for (int k = 0; k < depth; k++)
			if (levels[k].n > 1)
			{
				levels[k].chains[0] = levels[k].chains[best_chain(&levels[k], k)];
				levels[k].n = 1;
			}
		for (int k = 0; k < nsteps; k++)
		{
			uint32_t	stage_bit = UINT32_C(1) << steps[k];
			wf_level   *level = &levels[k];

			if (!(present & stage_bit))
				continue;
			if (k == 0)
			{
				wf_chain   *c = &level->chains[once ? level->n++ : 0];

				c->first = c->last = c->times[0] = t;
				c->used = stage_bit;
				level->n = once ? level->n : 1;
				begun = true;
			}
			else if ((flags & BJ_FUNNEL_STRICT_DEDUP) && level->n > 0)
				return depth;
			else if (strict_order && begun && levels[k - 1].n == 0)
			{
				if (flags & BJ_FUNNEL_ALLOW_REENTRY)
					continue;
				return depth;
			}
			else
			{
				const wf_level *below = &levels[k - 1];

				for (int j = 0; j < below->n; j++)
				{
					const wf_chain *from = &below->chains[j];
					wf_chain   *c;

					if (bj_span(from->first, t) > window ||
						((flags & BJ_FUNNEL_STRICT_INCREASE) && from->last >= t) ||
						(once && from->last == t && (from->used & stage_bit)))
						continue;
					c = &level->chains[once ? level->n++ : 0];
					memcpy(c->times, from->times, sizeof(int64_t) * (size_t) k);
					c->times[k] = t;
					c->first = from->first;
					c->last = t;
					c->used = (from->last == t ? from->used : 0) | stage_bit;
					if (!once)
						level->n = 1;
				}
			}
			/* the first chain to reach this depth (the level was empty) gives the steps' times */
			if (k == depth && level->n > 0)
			{
				const wf_chain *c = &level->chains[best_chain(level, k)];

				depth = k + 1;
				memcpy(at, c->times, sizeof(int64_t) * (size_t) depth);
				if (depth == nsteps)
					return depth;
			}
		}
	}
	return depth;
}
