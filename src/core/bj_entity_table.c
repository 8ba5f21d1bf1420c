/*
 * bj_entity_table.c - linear probing keyed by a mixed 64-bit entity id.
 */
#include "bj_entity_table.h"

#include <string.h>

#define INITIAL_CAPACITY 1024
/* Grow at 70% full: probes stay short. */
#define MAX_LOAD_NUM 7
#define MAX_LOAD_DEN 10

static uint64_t
mix(int64_t key)
{
	/* the splitmix64 finaliser: entity ids are often dense or sequential */
	uint64_t	x = (uint64_t) key;

	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

size_t
bj_entity_table_bytes_for(size_t capacity)
{
	return capacity * sizeof(bj_entity_slot);
}

#define USED(slot) ((slot)->journey.entered != 0)

static bool
allocate(bj_entity_table *t, size_t capacity)
{
	size_t		bytes = bj_entity_table_bytes_for(capacity);
	bj_entity_slot *slots;

	if (capacity > SIZE_MAX / sizeof(bj_entity_slot) || bytes > t->max_bytes)
		return false;
	slots = t->allocator.alloc(t->allocator.context, bytes);
	if (slots == NULL)
		return false;
	t->capacity = capacity;
	t->slots = slots;
	return true;
}

bool
bj_entity_table_init(bj_entity_table *t, size_t max_bytes, bj_allocator allocator)
{
	memset(t, 0, sizeof(*t));
	t->max_bytes = max_bytes;
	t->allocator = allocator;
	return allocate(t, INITIAL_CAPACITY);
}

void
bj_entity_table_free(bj_entity_table *t)
{
	if (t->slots != NULL)
		t->allocator.release(t->allocator.context, t->slots);
	t->slots = NULL;
	t->capacity = t->count = 0;
}

/* The slot of key, or the empty slot where it belongs. */
static size_t
find_slot(const bj_entity_table *t, int64_t key)
{
	size_t		mask = t->capacity - 1;
	size_t		i = (size_t) mix(key) & mask;

	while (USED(&t->slots[i]) && t->slots[i].entity != key)
		i = (i + 1) & mask;
	return i;
}

static bool
resize(bj_entity_table *t, size_t capacity)
{
	bj_entity_table old = *t;

	if (!allocate(t, capacity))
	{
		*t = old;
		return false;
	}
	for (size_t i = 0; i < old.capacity; i++)
		if (USED(&old.slots[i]))
			t->slots[find_slot(t, old.slots[i].entity)] = old.slots[i];
	old.allocator.release(old.allocator.context, old.slots);
	return true;
}

static bool
grow(bj_entity_table *t)
{
	return resize(t, t->capacity * 2);
}

bool
bj_entity_table_reserve(bj_entity_table *t, size_t entities)
{
	size_t		capacity = t->capacity;

	while (entities * MAX_LOAD_DEN > capacity * MAX_LOAD_NUM)
	{
		if (capacity > SIZE_MAX / 4)
			return false;
		capacity *= 2;
	}
	return capacity == t->capacity || resize(t, capacity);
}

/*
 * The entity's journey, its slot claimed if new (the caller then fills the
 * journey, which marks the slot used); NULL past the bound.
 */
static bj_journey *
upsert(bj_entity_table *t, int64_t entity, bool *found)
{
	size_t		i = find_slot(t, entity);

	*found = USED(&t->slots[i]);
	if (*found)
		return &t->slots[i].journey;
	if ((t->count + 1) * MAX_LOAD_DEN > t->capacity * MAX_LOAD_NUM)
	{
		if (!grow(t))
			return NULL;
		i = find_slot(t, entity);
	}
	t->slots[i].entity = entity;
	t->count++;
	return &t->slots[i].journey;
}

bool
bj_entity_table_add(bj_entity_table *t, int64_t entity, int stage, int64_t at)
{
	bool		found;
	bj_journey *j = upsert(t, entity, &found);

	if (j == NULL)
		return false;
	if (found)
		bj_journey_add(j, stage, at);
	else
		bj_journey_init(j, stage, at);
	return true;
}

bool
bj_entity_table_add_batch(bj_entity_table *t, const int64_t *entities, const uint8_t *stages,
						  const int64_t *ats, size_t n)
{
	if (!bj_entity_table_reserve(t, t->count + n))
		return false;
	/* no growth below: the slots prefetched are the slots used */
	for (size_t i = 0; i < n; i++)
		__builtin_prefetch(&t->slots[(size_t) mix(entities[i]) & (t->capacity - 1)], 1);
	for (size_t i = 0; i < n; i++)
		if (!bj_entity_table_add(t, entities[i], stages[i], ats[i]))
			return false;
	return true;
}

bool
bj_entity_table_merge_journey(bj_entity_table *t, int64_t entity, const bj_journey *from)
{
	bool		found;
	bj_journey *j = upsert(t, entity, &found);

	if (j == NULL)
		return false;
	if (found)
		bj_journey_merge(j, from);
	else
		*j = *from;
	return true;
}

size_t
bj_entity_table_next(const bj_entity_table *t, size_t from)
{
	while (from < t->capacity && !USED(&t->slots[from]))
		from++;
	return from;
}
