/*
 * relayed_refusals.h - the guard's refusal given back what Citus drops when
 * it relays it from a worker (with the library preloaded).
 */
#ifndef RELAYED_REFUSALS_H
#define RELAYED_REFUSALS_H

/* Install the hooks when loaded by shared_preload_libraries; called once from _PG_init. */
extern void relayed_refusals_init(void);

#endif							/* RELAYED_REFUSALS_H */
