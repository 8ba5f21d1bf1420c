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

#include "bj_values.h"
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

/* The last occurrence of needle in s, or NULL. */
static const char *
last_of(const char *s, const char *needle)
{
	const char *found = NULL;

	for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
		found = p;
	return found;
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
 * One of the guard's three messages, for either kind's type name: a move or
 * a start, whose detail ends with what the process allows (the hint), or a
 * value set back to NULL, whose detail ends with the value the row was at.
 * *ending is how that end of the detail starts: the process is read from
 * the message's end, so a detail whose end does not match it is not taken.
 */
static bool
is_refusal_message(const char *message, char **ending, bool *has_hint)
{
	const char *s = NULL;
	const char *process;
	size_t		len = strlen(message);
	static const char null_end[] = "\" may not be set back to NULL";

	for (int kind = 0; kind < BJ_KIND_COUNT && s == NULL; kind++)
	{
		s = after(message, bj_kind_type_name((bj_kind) kind));
		s = s ? after(s, " ") : NULL;
	}
	if (s == NULL || len == 0)
		return false;
	if (after(s, "may not move from \"") || after(s, "may not start at \""))
	{
		process = last_of(s, "\" under process \"");
		if (process == NULL || message[len - 1] != '"')
			return false;
		process += strlen("\" under process \"");
		*ending = after(s, "may not move from \"")
			? psprintf("From \"%s\", process \"%.*s\" allows: ",
					   pnstrdup(s + strlen("may not move from \""),
								strcspn(s + strlen("may not move from \""), "\"")),
					   (int) (message + len - 1 - process), process)
			: psprintf("Process \"%.*s\" lets a row start at: ", (int) (message + len - 1 - process), process);
		*has_hint = true;
		return true;
	}
	*has_hint = false;
	*ending = pstrdup("The row was at \"");
	return after(s, "column \"") != NULL && strlen(s) > sizeof(null_end) - 1 &&
		strcmp(s + strlen(s) - (sizeof(null_end) - 1), null_end) == 0;
}

/*
 * The place at the start of a refusal's detail: "Row <key> of table
 * "<schema>.<table>", column "<column>", trigger "<trigger>". " or the same
 * from "Table" without the row, then the ending is_refusal_message expects;
 * *rest is that ending and what follows.  The key is the row's values,
 * written by anyone who may write the table, so the table is found after
 * its last " of table \"": only the owner's names and fixed words follow it.
 * *names is false when the names cannot be read back for sure: one of them
 * holds a quote (the separators' quotes are all there are, otherwise) or
 * the schema or table a dot.
 */
static bool
parse_place(const char *detail, const char *ending, char **schema, char **table, char **column,
			char **trigger, const char **rest, bool *names)
{
	static const char of_table[] = " of table \"";
	const char *s;
	const char *end;
	char	   *place;
	char	   *qualified;
	char	   *dot;

	if (after(detail, "Row ") != NULL)
	{
		s = last_of(detail, of_table);
		if (s != NULL)
			s += strlen(of_table);
	}
	else
		s = after(detail, "Table \"");
	if (s == NULL)
		return false;
	/* the place ends where its ending starts: "\". " then the ending */
	end = strstr(s, psprintf("\". %s", ending));
	if (end == NULL)
		return false;
	*rest = end + 3;
	place = psprintf("%.*s\".", (int) (end - s), s);
	*names = false;
	if ((qualified = up_to(place, "\", column \"", &s)) == NULL ||
		(*column = up_to(s, "\", trigger \"", &s)) == NULL ||
		(*trigger = up_to(s, "\".", &s)) == NULL || *s != '\0')
		return true;
	dot = strchr(qualified, '.');
	if (dot == NULL || strchr(dot + 1, '.') != NULL ||
		strchr(qualified, '"') || strchr(*column, '"') || strchr(*trigger, '"'))
		return true;
	*dot = '\0';
	*schema = qualified;
	*table = dot + 1;
	*names = **schema && **table && **column && **trigger;
	return true;
}

/*
 * Give a relayed refusal what Citus took from it; false, untouched, for any
 * other error, and for one that still has its fields.
 */
static bool
mend(ErrorData *e)
{
	bool		has_hint;
	bool		names;
	char	   *ending;
	char	   *schema;
	char	   *table;
	char	   *column;
	char	   *trigger;
	const char *rest;

	if (e->elevel != ERROR || e->schema_name || e->table_name || e->column_name || e->constraint_name ||
		(e->sqlerrcode != ERRCODE_INTERNAL_ERROR && e->sqlerrcode != ERRCODE_CHECK_VIOLATION) ||
		e->message == NULL || e->detail == NULL ||
		!is_refusal_message(e->message, &ending, &has_hint) ||
		!parse_place(e->detail, ending, &schema, &table, &column, &trigger, &rest, &names))
		return false;
	e->sqlerrcode = ERRCODE_CHECK_VIOLATION;
	if (has_hint && e->hint == NULL)
		e->hint = pstrdup(rest);
	if (names)
	{
		e->schema_name = schema;
		e->table_name = table;
		e->column_name = column;
		e->constraint_name = trigger;
	}
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

/*
 * COPY: Citus sends the rows to the shards in its utility hook, which this
 * one wraps; CALL and DO run statements Citus may relay (a procedure it
 * delegates to a worker).  Other utility statements write no rows.
 */
static void
relay_process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
					  ProcessUtilityContext context, ParamListInfo params,
					  QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	MemoryContext caller = CurrentMemoryContext;

	if (!IsA(pstmt->utilityStmt, CopyStmt) && !IsA(pstmt->utilityStmt, CallStmt) &&
		!IsA(pstmt->utilityStmt, DoStmt))
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

/*
 * Every statement: Citus runs writes on the shards in its executor, and a
 * SELECT may write too (a function Citus delegates to a worker,
 * create_distributed_table copying rows into shards).  One sigsetjmp a run.
 */
static void
relay_executor_run(EXECUTOR_RUN_PARAMS)
{
	MemoryContext caller = CurrentMemoryContext;

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
