/*
 * bj_mark.h - all the one-pass funnel keeps of a deal's events: the stages
 * entered and the latest event.
 *
 * Plain C.  A journey (bj_journey.h) also keeps the earliest event, which no
 * funnel count reads; leaving it out makes a mark 16 bytes instead of 24 and
 * its packed form (what parallel workers hand over) a third smaller.  Adding
 * and merging are commutative and associative, like a journey's.
 */
#ifndef BJ_MARK_H
#define BJ_MARK_H

#include <stdbool.h>
#include <stdint.h>

#include "bj_rules.h"
#include "bj_values.h"

typedef struct bj_mark
{
	int64_t		last_at;		/* latest event */
	bj_value_set entered;		/* stages with at least one event */
	uint8_t		last_stage;		/* stage of the latest event (ties: highest ordinal) */
} bj_mark;

static inline void
bj_mark_init(bj_mark *m, int stage, int64_t at)
{
	m->last_at = at;
	m->entered = (bj_value_set) (1u << stage);
	m->last_stage = (uint8_t) stage;
}

static inline void
bj_mark_add(bj_mark *m, int stage, int64_t at)
{
	m->entered |= (bj_value_set) (1u << stage);
	if (at > m->last_at || (at == m->last_at && stage > m->last_stage))
	{
		m->last_at = at;
		m->last_stage = (uint8_t) stage;
	}
}

static inline void
bj_mark_merge(bj_mark *into, const bj_mark *from)
{
	bj_mark_add(into, from->last_stage, from->last_at);
	into->entered |= from->entered;
}

/* A mark read from outside (a deserialiser) must satisfy this. */
static inline bool
bj_mark_valid(const bj_mark *m)
{
	return m->last_stage < BJ_STAGE_COUNT &&
		(m->entered & ~((bj_value_set) ((1u << BJ_STAGE_COUNT) - 1))) == 0 &&
		(m->entered & (1u << m->last_stage)) != 0;
}

#endif							/* BJ_MARK_H */
