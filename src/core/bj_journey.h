/*
 * bj_journey.h - what one deal's stage events add up to, in any order.
 *
 * Plain C.  A journey keeps the set of stages entered and the first and last
 * event; adding events and merging journeys are commutative and associative,
 * so row order, parallel workers and Citus shards cannot change the result.
 * Times are int64 microseconds (PostgreSQL's timestamptz).
 */
#ifndef BJ_JOURNEY_H
#define BJ_JOURNEY_H

#include <stdbool.h>
#include <stdint.h>

#include "bj_rules.h"

typedef struct bj_journey
{
	int64_t		first_at;		/* earliest event */
	int64_t		last_at;		/* latest event */
	bj_value_set entered;		/* stages with at least one event */
	uint8_t		first_stage;	/* stage of the earliest event (ties: lowest ordinal) */
	uint8_t		last_stage;		/* stage of the latest event (ties: highest ordinal) */
} bj_journey;

/* A journey of one event. */
extern void bj_journey_init(bj_journey *j, int stage, int64_t at);
extern void bj_journey_add(bj_journey *j, int stage, int64_t at);
extern void bj_journey_merge(bj_journey *into, const bj_journey *from);

/* Highest and lowest of unaware..realize entered, or BJ_NO_VALUE. */
extern int	bj_journey_reached(const bj_journey *j);
extern int	bj_journey_lowest(const bj_journey *j);

/* A journey read from outside (a deserialiser) must satisfy this. */
extern bool bj_journey_valid(const bj_journey *j);

#endif							/* BJ_JOURNEY_H */
