/*
 * fuzz_forms.c - libFuzzer target: the decoders of every aggregate state
 * form (journey, funnel, velocity, entity table).  Whatever the bytes, a
 * decoder either refuses them or returns a state that passes its own
 * validity check and encodes back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bj_encode.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void *
heap_alloc(void *context, size_t size)
{
	(void) context;
	return calloc(1, size);
}

static void
heap_release(void *context, void *p)
{
	(void) context;
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bj_journey	j;
	bj_funnel	f;
	bj_velocity v;
	uint8_t		out[BJ_FUNNEL_FORM_SIZE];
	bj_entity_table t;
	bj_allocator heap = {heap_alloc, heap_release, NULL};

	if (bj_journey_decode(data, size, &j) == BJ_DECODE_OK)
	{
		bj_journey_encode(&j, out);
		if (!bj_journey_valid(&j) || memcmp(out, data, BJ_JOURNEY_FORM_SIZE) != 0)
			abort();
	}
	if (bj_funnel_decode(data, size, &f) == BJ_DECODE_OK)
	{
		bj_funnel_encode(&f, out);
		if (!bj_funnel_valid(&f) || memcmp(out, data, BJ_FUNNEL_FORM_SIZE) != 0)
			abort();
	}
	if (bj_velocity_decode(data, size, &v) == BJ_DECODE_OK)
	{
		bj_velocity_encode(&v, out);
		if (!bj_velocity_valid(&v) || memcmp(out, data, 2 + 8 * 5) != 0)
			abort();
	}
	/* a table, bounded so that a forged count cannot take the machine */
	if (bj_entity_table_init(&t, (size_t) 1 << 24, heap))
	{
		if (bj_entity_table_decode_into(&t, data, size) == BJ_DECODE_OK)
			for (size_t i = bj_entity_table_next(&t, 0); i < t.capacity; i = bj_entity_table_next(&t, i + 1))
				if (!bj_journey_valid(&t.slots[i].journey))
					abort();
		bj_entity_table_free(&t);
	}
	return 0;
}
