/*
 * process_catalog.h - the per-backend cache of compiled processes.
 *
 * Processes live in the extension's tables (process, process_move,
 * process_probability).  They are compiled into bj_rules once per backend and
 * kept until a change to those tables is committed anywhere: a statement
 * trigger on them sends a relcache invalidation for the process table, which
 * every backend receives before its next statement.
 */
#ifndef PROCESS_CATALOG_H
#define PROCESS_CATALOG_H

#include "postgres.h"

#include "bj_rules.h"

/* Register the invalidation callback; called once from _PG_init. */
extern void process_catalog_init(void);

/*
 * The compiled process of this name, or NULL if there is none.  ext_schema
 * is the extension's schema (the namespace of the calling function); the
 * tables are looked up there, never through search_path.  The pointer stays
 * valid until process_catalog_generation() changes.
 */
extern const bj_rules *process_lookup(Oid ext_schema, const char *name);

/* Bumped on every invalidation; callers holding pointers compare it. */
extern uint64 process_catalog_generation(void);

#endif							/* PROCESS_CATALOG_H */
