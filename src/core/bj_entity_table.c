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
	return capacity * (sizeof(int64_t) + sizeof(bj_journey) + sizeof(uint8_t));
}

static bool
allocate(bj_entity_table *t, size_t capacity)
{
	size_t		bytes = bj_entity_table_bytes_for(capacity);
	char	   *block;

	if (bytes > t->max_bytes)
		return false;
	block = t->allocator.alloc(t->allocator.context, bytes);
	if (block == NULL)
		return false;
	t->capacity = capacity;
	t->journeys = (bj_journey *) block;
	t->keys = (int64_t *) (block + capacity * sizeof(bj_journey));
	t->used = (uint8_t *) (block + capacity * (sizeof(bj_journey) + sizeof(int64_t)));
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
	if (t->journeys != NULL)
		t->allocator.release(t->allocator.context, t->journeys);
	t->journeys = NULL;
	t->keys = NULL;
	t->used = NULL;
	t->capacity = t->count = 0;
}

/* The slot of key, or the empty slot where it belongs. */
static size_t
find_slot(const bj_entity_table *t, int64_t key)
{
	size_t		mask = t->capacity - 1;
	size_t		i = (size_t) mix(key) & mask;

	while (t->used[i] && t->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static bool
grow(bj_entity_table *t)
{
	bj_entity_table old = *t;

	if (!allocate(t, old.capacity * 2))
	{
		*t = old;
		return false;
	}
	for (size_t i = 0; i < old.capacity; i++)
		if (old.used[i])
		{
			size_t		j = find_slot(t, old.keys[i]);

			t->used[j] = 1;
			t->keys[j] = old.keys[i];
			t->journeys[j] = old.journeys[i];
		}
	old.allocator.release(old.allocator.context, old.journeys);
	return true;
}

/* The entity's slot, inserting it (unused journey) if new; NULL past the bound. */
static bj_journey *
upsert(bj_entity_table *t, int64_t entity, bool *found)
{
	size_t		i = find_slot(t, entity);

	*found = t->used[i];
	if (*found)
		return &t->journeys[i];
	if ((t->count + 1) * MAX_LOAD_DEN > t->capacity * MAX_LOAD_NUM)
	{
		if (!grow(t))
			return NULL;
		i = find_slot(t, entity);
	}
	t->used[i] = 1;
	t->keys[i] = entity;
	t->count++;
	return &t->journeys[i];
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
	while (from < t->capacity && !t->used[from])
		from++;
	return from;
}
