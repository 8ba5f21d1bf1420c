/*
 * bj_entity_table.h - an open-addressing hash table from entity id (int64)
 * to its journey: the per-deal state of the one-pass aggregates, a few dozen
 * bytes per deal, no allocation per event.
 *
 * Plain C; memory comes from the caller's allocator (palloc in PostgreSQL).
 */
#ifndef BJ_ENTITY_TABLE_H
#define BJ_ENTITY_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bj_journey.h"

typedef struct bj_allocator
{
	void	   *(*alloc) (void *context, size_t size);	/* zeroed memory, or NULL */
	void		(*release) (void *context, void *pointer);
	void	   *context;
} bj_allocator;

/* One slot: 32 bytes, one cache line holds two.  Empty while entered == 0. */
typedef struct bj_entity_slot
{
	int64_t		entity;
	bj_journey	journey;
} bj_entity_slot;

typedef struct bj_entity_table
{
	size_t		capacity;		/* slots, a power of two */
	size_t		count;			/* entities */
	size_t		max_bytes;		/* growing past this fails */
	bj_entity_slot *slots;
	bj_allocator allocator;
} bj_entity_table;

/* Bytes needed for a table of this many slots. */
extern size_t bj_entity_table_bytes_for(size_t capacity);

/* false if the first allocation fails or exceeds max_bytes. */
extern bool bj_entity_table_init(bj_entity_table *t, size_t max_bytes, bj_allocator allocator);
extern void bj_entity_table_free(bj_entity_table *t);

/*
 * Add an event of an entity; false when the table would have to grow past
 * max_bytes (or memory runs out): the caller reports the bound.
 */
extern bool bj_entity_table_add(bj_entity_table *t, int64_t entity, int stage, int64_t at);

/*
 * Add a batch of events: the slots are prefetched first, so the cache misses
 * of a large table overlap instead of following one another.  Same failure
 * rule (nothing of the batch is added when the table cannot grow).
 */
extern bool bj_entity_table_add_batch(bj_entity_table *t, const int64_t *entities, const uint8_t *stages,
									  const int64_t *ats, size_t n);

/* Merge one entity's journey; same failure rule. */
extern bool bj_entity_table_merge_journey(bj_entity_table *t, int64_t entity, const bj_journey *j);

/*
 * Make room for this many entities without further growth; false past
 * max_bytes.  Merging a table into a smaller one in slot order would pile
 * keys into long probe runs, so merges reserve first.
 */
extern bool bj_entity_table_reserve(bj_entity_table *t, size_t entities);

/* Iterate: returns the next used slot index >= from, or capacity at the end. */
extern size_t bj_entity_table_next(const bj_entity_table *t, size_t from);

#endif							/* BJ_ENTITY_TABLE_H */
