/*
 * unit_heap.c - the C library's heap as a core allocator, for the tests.
 */
#include <stdlib.h>

#include "bj_deal_log.h"
#include "unit.h"

static void *
heap_alloc(void *context, size_t size)
{
	(void) context;
	return malloc(size);
}

static void *
heap_resize(void *context, void *p, size_t size)
{
	(void) context;
	return realloc(p, size);
}

static void
heap_release(void *context, void *p)
{
	(void) context;
	free(p);
}

const bj_allocator unit_heap = {heap_alloc, heap_resize, heap_release, NULL};
