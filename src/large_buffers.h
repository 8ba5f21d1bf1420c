/*
 * large_buffers.h - allocations of several megabytes (the one-pass states'
 * records and packed runs) that ask the kernel for transparent huge pages.
 */
#ifndef LARGE_BUFFERS_H
#define LARGE_BUFFERS_H

#include "postgres.h"

#include "utils/memutils.h"

#include "bj_deal_log.h"

/* Like MemoryContextAllocExtended(HUGE | NO_OOM) and repalloc: NULL out of memory. */
extern void *large_alloc(MemoryContext context, size_t size);
extern void *large_resize(void *pointer, size_t size);

/* A deal log's allocator (bj_deal_log.h): large_alloc and large_resize in context. */
extern bj_allocator large_allocator(MemoryContext context);

/* Advise huge pages for the whole pages around [pointer, pointer + size), from 4 MB on. */
extern void advise_huge_pages(void *pointer, size_t size);

#endif							/* LARGE_BUFFERS_H */
