/*
 * core_interrupts.h - cancellation for the plain-C core: the core asks
 * through bj_interrupted(), the glue rethrows what the core stopped for.
 */
#ifndef CORE_INTERRUPTS_H
#define CORE_INTERRUPTS_H

/* Install the hook; called once from _PG_init. */
extern void core_interrupts_init(void);

/*
 * After every call into the core that asks bj_interrupted(): if the core
 * stopped because of an interrupt (a cancel, a timeout), raise that error
 * now, whatever the core returned.
 */
extern void core_interrupts_rethrow(void);

/*
 * When the core has said it stopped for an interrupt: raise the error kept,
 * or, were none kept, a cancel; never returns.
 */
extern void core_interrupts_stopped(void);

#endif							/* CORE_INTERRUPTS_H */
