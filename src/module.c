/*
 * module.c - the shared library's entry: module magic and start-up.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "core_interrupts.h"
#include "process_catalog.h"
#include "relayed_refusals.h"
#include "state_handover.h"
#include "transition_trigger.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	transition_trigger_init();
	state_handover_init();
	process_catalog_init();
	core_interrupts_init();
	relayed_refusals_init();
	/* every buyerjourney.* parameter is defined by now: refuse misspelt ones */
	MarkGUCPrefixReserved("buyerjourney");
}
