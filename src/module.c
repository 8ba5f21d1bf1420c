/*
 * module.c - the shared library's entry: module magic and start-up.
 */
#include "postgres.h"

#include "fmgr.h"

#include "process_catalog.h"
#include "transition_trigger.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	transition_trigger_init();
	process_catalog_init();
}
