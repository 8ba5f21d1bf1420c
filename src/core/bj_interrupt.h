/*
 * bj_interrupt.h - how long computations in the core learn that they must
 * stop (a cancelled statement, a statement_timeout).
 *
 * The core is plain C and owns malloc'd memory in its loops, so it cannot be
 * left by a longjmp: it asks bj_interrupted() now and then (every ~10 ms of
 * work at most) and, when told to stop, frees what it holds and returns
 * BJ_LTV_INTERRUPTED or an error of its own.  The host sets the hook; once it
 * has answered true it keeps answering true until the host resets it, so a
 * computation can never stop halfway and then be taken for finished.
 */
#ifndef BJ_INTERRUPT_H
#define BJ_INTERRUPT_H

#include <stdbool.h>
#include <stddef.h>

/* Set by the host; NULL: never interrupted (unit tests). */
extern bool (*bj_interrupt_hook)(void);

static inline bool
bj_interrupted(void)
{
	return bj_interrupt_hook != NULL && bj_interrupt_hook();
}

/* Every 2^16 iterations of a per-row loop: cheap enough to ask there. */
static inline bool
bj_interrupted_every(size_t i)
{
	return (i & 0xFFFF) == 0 && bj_interrupted();
}

#endif							/* BJ_INTERRUPT_H */
