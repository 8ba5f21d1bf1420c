/*
 * large_buffers.c - big buffers backed by transparent huge pages.
 *
 * Why: the first touch of fresh memory costs one page fault per 4 kB page,
 * and a state of several megabytes is written once and read once, so the
 * faults are most of its cost.  On the project's machine (a virtual machine)
 * first touching 64 MB took 217 ms with 4 kB pages and 12 ms with 2 MB pages.
 * Most kernels (Debian's too) give huge pages only where a program asks for
 * them with madvise; PostgreSQL's large chunks come straight from mmap, so
 * the advice covers our buffers and nothing else.  Where the kernel or libc
 * has no such advice, this is plain palloc.
 */
#include "large_buffers.h"

#include <stdint.h>
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

#define HUGE_PAGE_SIZE ((size_t) 2 * 1024 * 1024)
/* Below two huge pages the advice could cover at most one: not worth a call. */
#define ADVICE_THRESHOLD (2 * HUGE_PAGE_SIZE)

void
advise_huge_pages(void *pointer, size_t size)
{
#ifdef MADV_HUGEPAGE
	/*
	 * The advice covers the whole pages around the buffer, not just its
	 * huge-page-aligned middle: a large chunk is a mapping of its own, and
	 * advice on part of a mapping splits it in two, after which the kernel
	 * refuses to grow it in place (mremap fails with EFAULT) and every
	 * resize copies into fresh, unadvised memory.
	 */
	uintptr_t	page = (uintptr_t) sysconf(_SC_PAGESIZE);
	uintptr_t	start = (uintptr_t) pointer & ~(page - 1);
	uintptr_t	end = ((uintptr_t) pointer + size + page - 1) & ~(page - 1);

	/* only advice: a kernel that refuses it leaves the memory as it was */
	if (size >= ADVICE_THRESHOLD)
		(void) madvise((void *) start, end - start, MADV_HUGEPAGE);
#else
	(void) pointer;
	(void) size;
#endif
}

void *
large_alloc(MemoryContext context, size_t size)
{
	void	   *p = MemoryContextAllocExtended(context, size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);

	if (p != NULL)
		advise_huge_pages(p, size);
	return p;
}

void *
large_resize(void *pointer, size_t size)
{
	void	   *p = repalloc_extended(pointer, size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);

	if (p != NULL)
		advise_huge_pages(p, size);
	return p;
}

static void *
allocator_alloc(void *context, size_t size)
{
	return large_alloc((MemoryContext) context, size);
}

static void *
allocator_resize(void *context, void *pointer, size_t size)
{
	(void) context;
	return large_resize(pointer, size);
}

static void
allocator_release(void *context, void *pointer)
{
	(void) context;
	pfree(pointer);
}

bj_allocator
large_allocator(MemoryContext context)
{
	bj_allocator allocator = {allocator_alloc, allocator_resize, allocator_release, context};

	return allocator;
}
