/*
 * test_timeline.c - time in stage and the window funnel against brute force
 * on random small timelines (integer times, many ties).
 */
#include <string.h>

#include "bj_timeline.h"
#include "unit.h"

static uint64_t seed = 7;

static int
rnd(int n)
{
	seed = seed * UINT64_C(6364136223846793005) + 1442695040888963407ULL;
	return (int) ((seed >> 33) % (uint64_t) n);
}

/*
 * Stage times the slow way: totals by walking every time unit, entries by
 * counting events that start a visit, the latest visit by scanning the
 * visits backwards.
 */
static void
brute_stage_times(const bj_event *ev, size_t n, int64_t from, int64_t to, bj_stage_time out[BJ_STAGE_COUNT])
{
	bool		seen[BJ_STAGE_COUNT] = {false};

	memset(out, 0, sizeof(bj_stage_time) * BJ_STAGE_COUNT);
	for (size_t i = 0; i < n; i++)
		if ((i == 0 || ev[i].stage != ev[i - 1].stage) && ev[i].at >= from && ev[i].at < to)
			out[ev[i].stage].visits++;
	for (int64_t t = from; t < to; t++)
	{
		int64_t		since;
		int			s = bj_stage_at(ev, n, t, &since);

		if (s >= 0)
			out[s].total++;
	}
	for (size_t i = n; i-- > 0;)
	{
		size_t		first = i;
		int64_t		start,
					end;

		if (i + 1 < n && ev[i + 1].stage == ev[i].stage)
			continue;			/* not the last event of its visit */
		while (first > 0 && ev[first - 1].stage == ev[i].stage)
			first--;
		start = ev[first].at;
		end = i + 1 < n ? ev[i + 1].at : to;
		if (end > to)
			end = to;
		if (start >= to || seen[ev[i].stage] || !(start >= from || end > from))
			continue;
		seen[ev[i].stage] = true;
		out[ev[i].stage].latest = end - (start > from ? start : from);
	}
}

/* The longest chain by trying every start and greedy extension. */
static int
brute_window_funnel(const bj_event *ev, size_t n, int64_t window, const uint8_t *steps, int nsteps)
{
	int			best = 0;

	for (size_t i = 0; i < n; i++)
	{
		int			k = 0;

		if (ev[i].stage != steps[0])
			continue;
		k = 1;
		for (size_t j = i + 1; j < n && k < nsteps; j++)
			if (ev[j].stage == steps[k] && ev[j].at - ev[i].at <= window)
				k++;
		if (k > best)
			best = k;
	}
	return best;
}

void
test_timeline(void)
{
	bj_event	ev[40];
	int64_t		at[BJ_MAX_STEPS];

	for (int round = 0; round < 3000; round++)
	{
		size_t		n = (size_t) rnd(12);
		bj_stage_time got[BJ_STAGE_COUNT],
					want[BJ_STAGE_COUNT];
		int64_t		from = rnd(10),
					to = from + rnd(40);
		uint8_t		steps[4] = {1, 2, 3, 4};
		int64_t		window = rnd(15);

		for (size_t i = 0; i < n; i++)
		{
			ev[i].at = rnd(30);
			ev[i].stage = (uint8_t) rnd(6);
		}
		n = bj_events_normalize(ev, n);
		for (size_t i = 1; i < n; i++)
			CHECK(ev[i - 1].at < ev[i].at || (ev[i - 1].at == ev[i].at && ev[i - 1].stage < ev[i].stage));

		bj_stage_times(ev, n, from, to, got);
		brute_stage_times(ev, n, from, to, want);
		CHECK(memcmp(got, want, sizeof(got)) == 0);
		if (memcmp(got, want, sizeof(got)) != 0)
		{
			fprintf(stderr, "window [%lld, %lld):", (long long) from, (long long) to);
			for (size_t i = 0; i < n; i++)
				fprintf(stderr, " %d@%lld", ev[i].stage, (long long) ev[i].at);
			fprintf(stderr, "\n");
			for (int s = 0; s < 6; s++)
				fprintf(stderr, "  stage %d got %lld/%lld/%lld want %lld/%lld/%lld\n", s,
						(long long) got[s].visits, (long long) got[s].total, (long long) got[s].latest,
						(long long) want[s].visits, (long long) want[s].total, (long long) want[s].latest);
			break;
		}

		CHECK_INT(bj_window_funnel(ev, n, window, steps, 4, 0, at), brute_window_funnel(ev, n, window, steps, 4));
	}

	/* hand-checked: explore@0, define@5, explore@6, define@20, select@21 */
	{
		bj_event	e[] = {{0, 1}, {5, 2}, {6, 1}, {20, 2}, {21, 3}};
		uint8_t		steps[] = {1, 2, 3};
		bj_stage_time t[BJ_STAGE_COUNT];

		/* window 16: explore@6 -> define@20 -> select@21 */
		CHECK_INT(bj_window_funnel(e, 5, 16, steps, 3, 0, at), 3);
		CHECK(at[0] == 6 && at[1] == 20 && at[2] == 21);
		/* window 14: only explore -> define */
		CHECK_INT(bj_window_funnel(e, 5, 14, steps, 3, 0, at), 2);
		CHECK(at[0] == 0 && at[1] == 5);
		/*
		 * strict order (as ClickHouse): only an event at no step, or a step
		 * whose step before is not reached, ends the search; the second
		 * explore starts a later chain
		 */
		CHECK_INT(bj_window_funnel(e, 5, 100, steps, 3, BJ_FUNNEL_STRICT_ORDER, at), 3);
		CHECK(at[0] == 6 && at[1] == 20 && at[2] == 21);
		/* dedup (as ClickHouse): define met again once reached ends the search */
		CHECK_INT(bj_window_funnel(e, 5, 100, steps, 3, BJ_FUNNEL_STRICT_DEDUP, at), 2);

		/* time in stage up to 30: explore 5 + 14 (two visits), define 1 + 1, select 9 */
		bj_stage_times(e, 5, 0, 30, t);
		CHECK(t[1].visits == 2 && t[1].total == 19 && t[1].latest == 14);
		CHECK(t[2].visits == 2 && t[2].total == 2 && t[2].latest == 1);
		CHECK(t[3].visits == 1 && t[3].total == 9 && t[3].latest == 9);
		/* clipped to [10, 25): explore carried in from 6 counts from 10, no entry */
		bj_stage_times(e, 5, 10, 25, t);
		CHECK(t[1].visits == 0 && t[1].total == 10);
		CHECK(t[3].visits == 1 && t[3].total == 4);
	}
	/* dedup: define twice on one chain ends the search before select */
	{
		bj_event	e[] = {{0, 1}, {1, 2}, {2, 2}, {3, 3}};
		uint8_t		steps[] = {1, 2, 3};

		CHECK_INT(bj_window_funnel(e, 4, 10, steps, 3, 0, at), 3);
		CHECK_INT(bj_window_funnel(e, 4, 10, steps, 3, BJ_FUNNEL_STRICT_DEDUP, at), 2);
	}
	/*
	 * strict_once keeps, within one instant, a chain per level it came from:
	 * sixteen steps of one stage is the most it can hold (17 at the last
	 * level).  Each event stands for one step only; in the default mode one
	 * event stands for all sixteen.  Under ASan an overflow would show.
	 */
	{
		bj_event	e[40];
		uint8_t		steps[BJ_MAX_STEPS];

		memset(steps, BJ_STAGE_EXPLORE, sizeof(steps));
		for (int i = 0; i < 40; i++)
			e[i] = (bj_event) {i / 2, (uint8_t) (i % 2 ? BJ_STAGE_EXPLORE : BJ_STAGE_DEFINE)};
		for (int n = 1; n <= 40; n++)
		{
			int			explores = n / 2;

			CHECK_INT(bj_window_funnel(e, (size_t) n, 1000, steps, BJ_MAX_STEPS, BJ_FUNNEL_STRICT_ONCE, at),
					  explores < BJ_MAX_STEPS ? explores : BJ_MAX_STEPS);
			CHECK_INT(bj_window_funnel(e, (size_t) n, 1000, steps, BJ_MAX_STEPS, 0, at), explores ? BJ_MAX_STEPS : 0);
			/* strict_order: define, at no step, at the same instant ends the search */
			CHECK_INT(bj_window_funnel(e, (size_t) n, 1000, steps, BJ_MAX_STEPS,
									   BJ_FUNNEL_STRICT_ONCE | BJ_FUNNEL_STRICT_ORDER | BJ_FUNNEL_ALLOW_REENTRY, at),
					  explores ? 1 : 0);
		}
		/* allow_reentry alone is not a mode (ClickHouse: it needs strict_order) */
		CHECK_INT(bj_window_funnel(e, 40, 1000, steps, 2, BJ_FUNNEL_ALLOW_REENTRY, at), 0);
		CHECK(!bj_window_funnel_modes_valid(BJ_FUNNEL_ALLOW_REENTRY) && !bj_window_funnel_modes_valid(32));
	}
	/* strictly increasing times */
	{
		bj_event	e[] = {{0, 1}, {0, 2}, {3, 2}};
		uint8_t		steps[] = {1, 2};

		CHECK_INT(bj_window_funnel(e, 3, 10, steps, 2, 0, at), 2);
		CHECK(at[1] == 0);
		CHECK_INT(bj_window_funnel(e, 3, 10, steps, 2, BJ_FUNNEL_STRICT_INCREASE, at), 2);
		CHECK(at[1] == 3);
	}
}
