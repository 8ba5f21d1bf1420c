/*
 * relayed_refusals.c - the guard's refusal as a client should see it when
 * Citus relays it from a worker.
 *
 * Citus rebuilds a worker's error on the coordinator without the schema,
 * table, column and constraint fields and, when it sent the rows with COPY,
 * without the SQLSTATE and the hint too (so XX000).  The guard's message and
 * detail always cross, and say all of it (transition_trigger.c,
 * refusal_place).  With the library in shared_preload_libraries after citus,
 * these hooks wrap Citus's COPY and executor and give such an error back its
 * SQLSTATE, hint and fields, read from its text, before anyone sees it.  (A
 * refusal postgres_fdw relays lacks the fields too, and is mended the same.)
 * Loaded later in a session they would mend some statements and not others,
 * so they are installed only at start-up.
 */
#include "postgres.h"

#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "tcop/utility.h"
#include "utils/elog.h"

#include "relayed_refusals.h"

static ProcessUtility_hook_type prev_process_utility = NULL;
static ExecutorRun_hook_type prev_executor_run = NULL;

/* s past prefix, or NULL when s does not start with it. */
static const char *
after(const char *s, const char *prefix)
{
	size_t		n = strlen(prefix);

	return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* A copy of s up to the first end, *next past it; NULL when there is none. */
static char *
up_to(const char *s, const char *end, const char **next)
{
	const char *e = strstr(s, end);

	if (e == NULL)
		return NULL;
	*next = e + strlen(end);
	return pnstrdup(s, e - s);
}

/*
 * The guard's three messages: a move or a start, which have a hint (what the
 * process allows), or a value set back to NULL, which has none.
 */
static bool
is_refusal_message(const char *message, bool *has_hint)
{
	const char *s = after(message, "journey_stage ");
	size_t		len;
	static const char null_end[] = "\" may not be set back to NULL";

	if (s == NULL)
		s = after(message, "lifecycle_phase ");
	if (s == NULL)
		return false;
	if (after(s, "may not move from \"") || after(s, "may not start at \""))
	{
		*has_hint = true;
		return strstr(s, "\" under process \"") != NULL && message[strlen(message) - 1] == '"';
	}
	len = strlen(s);
	*has_hint = false;
	return after(s, "column \"") != NULL && len > sizeof(null_end) - 1 &&
		strcmp(s + len - (sizeof(null_end) - 1), null_end) == 0;
}

/*
 * The place at the start of a refusal's detail: "Row <key> of table
 * "<schema>.<table>", column "<column>", trigger "<trigger>"." or the same
 * from "Table" without the row; *rest is what follows it (after one space).
 */
static bool
parse_place(const char *detail, char **schema, char **table, char **column, char **trigger,
			const char **rest)
{
	static const char of_table[] = " of table \"";
	const char *row = after(detail, "Row ");
	const char *s;
	char	   *qualified;
	char	   *dot;

	if (row != NULL)
	{
		s = strstr(row, of_table);
		if (s != NULL)
			s += strlen(of_table);
	}
	else
		s = after(detail, "Table \"");
	if (s == NULL ||
		(qualified = up_to(s, "\", column \"", &s)) == NULL ||
		(*column = up_to(s, "\", trigger \"", &s)) == NULL ||
		(*trigger = up_to(s, "\".", &s)) == NULL ||
		(*s != '\0' && *s != ' ') ||
		(dot = strchr(qualified, '.')) == NULL)
		return false;
	*dot = '\0';
	*schema = qualified;
	*table = dot + 1;
	*rest = *s == ' ' ? s + 1 : s;
	return **schema && **table && **column && **trigger;
}

/*
 * Give a relayed refusal what Citus took from it; false, untouched, for any
 * other error, and for one that still has its fields.
 */
static bool
mend(ErrorData *e)
{
	bool		has_hint;
	char	   *schema;
	char	   *table;
	char	   *column;
	char	   *trigger;
	const char *rest;

	if (e->elevel != ERROR || e->schema_name || e->table_name || e->column_name || e->constraint_name ||
		(e->sqlerrcode != ERRCODE_INTERNAL_ERROR && e->sqlerrcode != ERRCODE_CHECK_VIOLATION) ||
		e->message == NULL || e->detail == NULL ||
		!is_refusal_message(e->message, &has_hint) ||
		!parse_place(e->detail, &schema, &table, &column, &trigger, &rest))
		return false;
	e->sqlerrcode = ERRCODE_CHECK_VIOLATION;
	if (has_hint && e->hint == NULL && *rest)
		e->hint = pstrdup(rest);
	e->schema_name = schema;
	e->table_name = table;
	e->column_name = column;
	e->constraint_name = trigger;
	return true;
}

/* In PG_CATCH: rethrow the error, mended if it is a relayed refusal. */
static void
rethrow_mended(MemoryContext context)
{
	ErrorData  *e;

	MemoryContextSwitchTo(context);
	e = CopyErrorData();
	if (!mend(e))
	{
		FreeErrorData(e);
		PG_RE_THROW();
	}
	FlushErrorState();
	ReThrowError(e);
}

static void
next_process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
					 ProcessUtilityContext context, ParamListInfo params,
					 QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	if (prev_process_utility)
		prev_process_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
}

/* COPY: Citus sends the rows to the shards in its utility hook, which this one wraps. */
static void
relay_process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
					  ProcessUtilityContext context, ParamListInfo params,
					  QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	MemoryContext caller = CurrentMemoryContext;

	if (!IsA(pstmt->utilityStmt, CopyStmt))
	{
		next_process_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
		return;
	}
	PG_TRY();
	{
		next_process_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	}
	PG_CATCH();
	{
		rethrow_mended(caller);
	}
	PG_END_TRY();
}

#if PG_VERSION_NUM >= 180000
#define EXECUTOR_RUN_PARAMS QueryDesc *queryDesc, ScanDirection direction, uint64 count
#define EXECUTOR_RUN_ARGS queryDesc, direction, count
#else
#define EXECUTOR_RUN_PARAMS QueryDesc *queryDesc, ScanDirection direction, uint64 count, bool execute_once
#define EXECUTOR_RUN_ARGS queryDesc, direction, count, execute_once
#endif

static void
next_executor_run(EXECUTOR_RUN_PARAMS)
{
	if (prev_executor_run)
		prev_executor_run(EXECUTOR_RUN_ARGS);
	else
		standard_ExecutorRun(EXECUTOR_RUN_ARGS);
}

/* Every statement that writes: Citus runs it on the shards in its executor. */
static void
relay_executor_run(EXECUTOR_RUN_PARAMS)
{
	MemoryContext caller = CurrentMemoryContext;

	if (queryDesc->operation == CMD_SELECT && !queryDesc->plannedstmt->hasModifyingCTE)
	{
		next_executor_run(EXECUTOR_RUN_ARGS);
		return;
	}
	PG_TRY();
	{
		next_executor_run(EXECUTOR_RUN_ARGS);
	}
	PG_CATCH();
	{
		rethrow_mended(caller);
	}
	PG_END_TRY();
}

void
relayed_refusals_init(void)
{
	if (!process_shared_preload_libraries_in_progress)
		return;
	prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = relay_process_utility;
	prev_executor_run = ExecutorRun_hook;
	ExecutorRun_hook = relay_executor_run;
}
