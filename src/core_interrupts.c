/*
 * core_interrupts.c - the PostgreSQL side of bj_interrupt.h.
 *
 * The hook runs CHECK_FOR_INTERRUPTS() when an interrupt is pending.  If
 * that raises an error (query cancel, statement_timeout), the error is not
 * allowed to longjmp through the core, which holds malloc'd memory: it is
 * caught, kept, and the hook answers true from then on; the core frees what
 * it holds and returns, and core_interrupts_rethrow() raises the kept error.
 * Between the catch and the rethrow only plain C of the core runs.  FATAL
 * interrupts (a terminated backend) exit the process as usual.
 */
#include "postgres.h"

#include "miscadmin.h"

#include "bj_interrupt.h"
#include "core_interrupts.h"

static ErrorData *kept = NULL;

static bool
pending_interrupt(void)
{
	MemoryContext context;

	if (kept != NULL)
		return true;
	if (!INTERRUPTS_PENDING_CONDITION())
		return false;
	context = CurrentMemoryContext;
	PG_TRY();
	{
		CHECK_FOR_INTERRUPTS();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(context);
		kept = CopyErrorData();
		FlushErrorState();
	}
	PG_END_TRY();
	return kept != NULL;
}

void
core_interrupts_init(void)
{
	bj_interrupt_hook = pending_interrupt;
}

void
core_interrupts_stopped(void)
{
	core_interrupts_rethrow();
	ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("canceling statement: interrupted")));
}

void
core_interrupts_rethrow(void)
{
	ErrorData  *error = kept;

	if (error == NULL)
		return;
	kept = NULL;
	ReThrowError(error);
}
