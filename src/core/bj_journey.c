/*
 * bj_journey.c - one deal's events, summarised order-independently.
 */
#include "bj_journey.h"

#include "bj_timeline.h"

#define BIT(v) ((bj_value_set) (1u << (v)))
#define FORWARD_STAGES ((bj_value_set) ((1u << (BJ_STAGE_REALIZE + 1)) - 1))	/* unaware..realize */

void
bj_journey_init(bj_journey *j, int stage, int64_t at)
{
	j->first_at = at;
	j->last_at = at;
	j->entered = BIT(stage);
	j->first_stage = (uint8_t) stage;
	j->last_stage = (uint8_t) stage;
}

void
bj_journey_add(bj_journey *j, int stage, int64_t at)
{
	j->entered |= BIT(stage);
	if (at < j->first_at || (at == j->first_at && stage < j->first_stage))
	{
		j->first_at = at;
		j->first_stage = (uint8_t) stage;
	}
	if (at > j->last_at || (at == j->last_at && stage > j->last_stage))
	{
		j->last_at = at;
		j->last_stage = (uint8_t) stage;
	}
}

void
bj_journey_merge(bj_journey *into, const bj_journey *from)
{
	/* The other journey's extremes are events like any other. */
	bj_journey_add(into, from->first_stage, from->first_at);
	bj_journey_add(into, from->last_stage, from->last_at);
	into->entered |= from->entered;
}

int
bj_journey_reached(const bj_journey *j)
{
	bj_value_set forward = j->entered & FORWARD_STAGES;

	for (int s = BJ_STAGE_REALIZE; s >= 0; s--)
		if (forward & BIT(s))
			return s;
	return BJ_NO_VALUE;
}

int
bj_journey_lowest(const bj_journey *j)
{
	bj_value_set forward = j->entered & FORWARD_STAGES;

	for (int s = 0; s <= BJ_STAGE_REALIZE; s++)
		if (forward & BIT(s))
			return s;
	return BJ_NO_VALUE;
}

bool
bj_journey_valid(const bj_journey *j)
{
	return j->first_stage < BJ_STAGE_COUNT && j->last_stage < BJ_STAGE_COUNT &&
		(j->entered & ~((bj_value_set) ((1u << BJ_STAGE_COUNT) - 1))) == 0 &&
		(j->entered & BIT(j->first_stage)) && (j->entered & BIT(j->last_stage)) &&
		j->first_at <= j->last_at && bj_time_finite(j->first_at) && bj_time_finite(j->last_at);
}
