/*
 * bj_funnel.c - conversion counts: adding journeys, merging funnels.
 */
#include "bj_funnel.h"

#include <string.h>

#define BIT(v) ((bj_value_set) (1u << (v)))

void
bj_funnel_init(bj_funnel *f)
{
	memset(f, 0, sizeof(*f));
}

void
bj_funnel_add(bj_funnel *f, const bj_journey *j)
{
	bj_funnel_add_many(f, j, 1);
}

void
bj_funnel_add_many(bj_funnel *f, const bj_journey *j, int64_t n)
{
	int			reached = bj_journey_reached(j);
	int			lowest = bj_journey_lowest(j);

	f->deals += n;
	f->current[j->last_stage] += n;
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		bool		entered = (j->entered & BIT(s)) != 0;
		bool		passed = entered || (s <= BJ_STAGE_REALIZE && reached != BJ_NO_VALUE &&
										 lowest <= s && s <= reached);
		/* beyond s on the way to realize */
		bool		beyond = s < BJ_STAGE_REALIZE && reached > s;

		f->entered[s] += entered * n;
		f->passed[s] += passed * n;
		f->moved_on[s] += (entered && beyond) * n;
		f->moved_on_passed[s] += (passed && beyond) * n;
	}
}

void
bj_funnel_merge(bj_funnel *into, const bj_funnel *from)
{
	into->deals += from->deals;
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		into->entered[s] += from->entered[s];
		into->passed[s] += from->passed[s];
		into->moved_on[s] += from->moved_on[s];
		into->moved_on_passed[s] += from->moved_on_passed[s];
		into->current[s] += from->current[s];
	}
}

int64_t
bj_funnel_won(const bj_funnel *f)
{
	return f->current[BJ_STAGE_REALIZE];
}

int64_t
bj_funnel_lost(const bj_funnel *f)
{
	return f->current[BJ_STAGE_LOST];
}

int64_t
bj_funnel_no_decision(const bj_funnel *f)
{
	return f->current[BJ_STAGE_NO_DECISION];
}

int64_t
bj_funnel_closed(const bj_funnel *f)
{
	return bj_funnel_won(f) + bj_funnel_lost(f) + bj_funnel_no_decision(f);
}

int64_t
bj_funnel_open(const bj_funnel *f)
{
	return f->deals - bj_funnel_closed(f);
}

bool
bj_funnel_valid(const bj_funnel *f)
{
	int64_t		current = 0;

	if (f->deals < 0 || f->deals > BJ_MAX_COUNT)
		return false;
	for (int s = 0; s < BJ_STAGE_COUNT; s++)
	{
		if (f->entered[s] < 0 || f->passed[s] < f->entered[s] || f->passed[s] > f->deals ||
			f->moved_on[s] < 0 || f->moved_on[s] > f->entered[s] ||
			f->moved_on_passed[s] < f->moved_on[s] || f->moved_on_passed[s] > f->passed[s] ||
			f->current[s] < 0 || f->current[s] > f->deals - current ||
		/* a deal's latest event is at a stage it entered */
			f->current[s] > f->entered[s] ||
		/* nothing lies beyond realize on the way to it; lost and no_decision are never skipped */
			(s >= BJ_STAGE_REALIZE && (f->moved_on[s] != 0 || f->moved_on_passed[s] != 0)) ||
			(s > BJ_STAGE_REALIZE && f->passed[s] != f->entered[s]))
			return false;
		current += f->current[s];
	}
	return current == f->deals;
}
