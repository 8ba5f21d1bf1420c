/*
 * process_catalog.c - loading processes from the extension's tables into a
 * per-backend cache, invalidating it, and the SQL-callable helpers behind the
 * tables: the built-in rules (used by the install script) and the cache
 * invalidation trigger.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "bj_parse.h"
#include "process_catalog.h"

#define PROCESS_NAME_MAX 64

typedef struct ProcessEntry
{
	char		name[PROCESS_NAME_MAX]; /* hash key */
	bj_rules	rules;
} ProcessEntry;

static HTAB *processes = NULL;	/* valid while processes_valid */
static bool processes_valid = false;
static MemoryContext cache_context = NULL;	/* holds processes */
static Oid	process_table = InvalidOid; /* whose invalidation empties the cache */
static uint64 generation = 1;

/*
 * An invalidation only marks the cache stale: it can arrive while a lookup
 * is loading (SPI takes locks, and locking reads invalidation messages), so
 * it must not free memory in use.  The next lookup reloads.
 */
static void
relcache_callback(Datum arg, Oid relid)
{
	(void) arg;
	if (relid == InvalidOid || relid == process_table)
	{
		processes_valid = false;
		generation++;
	}
}

void
process_catalog_init(void)
{
	CacheRegisterRelcacheCallback(relcache_callback, (Datum) 0);
}

uint64
process_catalog_generation(void)
{
	return generation;
}

static bj_kind
kind_of_type_name(const char *value_type, const char *process)
{
	if (strcmp(value_type, "journey_stage") == 0)
		return BJ_KIND_STAGE;
	if (strcmp(value_type, "lifecycle_phase") == 0)
		return BJ_KIND_PHASE;
	elog(ERROR, "process \"%s\" has unknown value type \"%s\"", process, value_type);
	return BJ_KIND_STAGE;		/* not reached */
}

/* A stored value name; the tables hold validated canonical names. */
static int
stored_value(bj_kind kind, const char *name, const char *process)
{
	int			v = bj_parse_value(kind, name, strlen(name));

	if (v == BJ_NO_VALUE)
		elog(ERROR, "process \"%s\" holds invalid %s \"%s\"", process, bj_kind_type_name(kind), name);
	return v;
}

static ProcessEntry *
find_entry(HTAB *table, const char *name)
{
	char		key[PROCESS_NAME_MAX] = {0};

	if (strlen(name) >= PROCESS_NAME_MAX)
		return NULL;
	strcpy(key, name);
	return (ProcessEntry *) hash_search(table, key, HASH_FIND, NULL);
}

/*
 * Run a read-only query on the newest committed state of the tables (plus
 * this transaction's own changes), never on the transaction's snapshot: a
 * REPEATABLE READ transaction that began before a process changed would
 * otherwise load, and cache for the session, rules that no longer hold.  An
 * invalidation committed after this snapshot was taken reaches this backend
 * at its next lock or statement and makes the cache reload.
 */
static void
read_latest(const char *query, const char *schema, const char *table)
{
	SPIPlanPtr	plan = SPI_prepare(query, 0, NULL);

	if (plan == NULL ||
		SPI_execute_snapshot(plan, NULL, NULL, GetLatestSnapshot(), InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read %s.%s", schema, table);
	SPI_freeplan(plan);
}

/* Read every process into a new hash table in context. */
static HTAB *
load_processes(Oid ext_schema, MemoryContext context)
{
	const char *schema = quote_identifier(get_namespace_name(ext_schema));
	HASHCTL		ctl;
	HTAB	   *table;
	StringInfoData query;

	/* Remember which table's invalidation must empty the cache. */
	process_table = get_relname_relid("process", ext_schema);
	if (!OidIsValid(process_table))
		elog(ERROR, "buyerjourney process table is missing in schema %s", schema);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = PROCESS_NAME_MAX;
	ctl.entrysize = sizeof(ProcessEntry);
	ctl.hcxt = context;
	table = hash_create("buyerjourney processes", 16, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	initStringInfo(&query);

	appendStringInfo(&query, "SELECT name, value_type, initial FROM %s.process", schema);
	read_latest(query.data, schema, "process");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *name = SPI_getvalue(tup, desc, 1);
		char	   *value_type = SPI_getvalue(tup, desc, 2);
		bool		isnull;
		Datum		initial = SPI_getbinval(tup, desc, 3, &isnull);
		ProcessEntry *entry;
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		if (strlen(name) >= PROCESS_NAME_MAX)
			continue;			/* the table's CHECK forbids it */
		entry = (ProcessEntry *) hash_search(table, name, HASH_ENTER, NULL);
		bj_rules_init(&entry->rules, kind_of_type_name(value_type, name));
		if (isnull)
			continue;
		deconstruct_array(DatumGetArrayTypeP(initial), TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &n);
		for (int j = 0; j < n; j++)
			if (!nulls[j])
				bj_rules_add_initial(&entry->rules,
									 stored_value(entry->rules.kind, TextDatumGetCString(elems[j]), name));
	}

	resetStringInfo(&query);
	appendStringInfo(&query, "SELECT process, from_value, to_value FROM %s.process_move", schema);
	read_latest(query.data, schema, "process_move");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *name = SPI_getvalue(tup, desc, 1);
		ProcessEntry *entry = find_entry(table, name);

		if (entry == NULL)
			continue;
		bj_rules_add_move(&entry->rules,
						  stored_value(entry->rules.kind, SPI_getvalue(tup, desc, 2), name),
						  stored_value(entry->rules.kind, SPI_getvalue(tup, desc, 3), name));
	}

	resetStringInfo(&query);
	appendStringInfo(&query, "SELECT process, value, probability FROM %s.process_probability", schema);
	read_latest(query.data, schema, "process_probability");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *name = SPI_getvalue(tup, desc, 1);
		ProcessEntry *entry = find_entry(table, name);
		bool		isnull;
		Datum		p = SPI_getbinval(tup, desc, 3, &isnull);

		if (entry == NULL || isnull)
			continue;
		bj_rules_set_probability(&entry->rules,
								 stored_value(entry->rules.kind, SPI_getvalue(tup, desc, 2), name),
								 DatumGetFloat8(p));
	}
	SPI_finish();
	return table;
}

const bj_rules *
process_lookup(Oid ext_schema, const char *name)
{
	ProcessEntry *entry;

	while (!processes_valid)
	{
		uint64		before = generation;
		MemoryContext fresh = AllocSetContextCreate(CacheMemoryContext, "buyerjourney processes",
													ALLOCSET_SMALL_SIZES);
		HTAB	   *table;

		processes_valid = true; /* an invalidation during the load clears it */
		PG_TRY();
		{
			table = load_processes(ext_schema, fresh);
		}
		PG_CATCH();
		{
			processes_valid = false;
			MemoryContextDelete(fresh);
			PG_RE_THROW();
		}
		PG_END_TRY();
		if (!processes_valid || generation != before)
		{
			/* changed while we read it: read it again */
			processes_valid = false;
			MemoryContextDelete(fresh);
			continue;
		}
		/* No caller holds pointers into the old cache past a generation change. */
		if (cache_context != NULL)
			MemoryContextDelete(cache_context);
		cache_context = fresh;
		processes = table;
	}
	entry = find_entry(processes, name);
	return entry ? &entry->rules : NULL;
}

/*
 * invalidate_process_cache(): statement trigger on the process tables.  The
 * relcache invalidation reaches every backend (this one at once, others
 * before their next statement once this transaction commits).
 */
PG_FUNCTION_INFO_V1(invalidate_process_cache);
Datum
invalidate_process_cache(PG_FUNCTION_ARGS)
{
	Oid			table;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "invalidate_process_cache() must be called as a trigger");
	table = get_relname_relid("process", get_func_namespace(fcinfo->flinfo->fn_oid));
	if (OidIsValid(table))
		CacheInvalidateRelcacheByRelid(table);
	return PointerGetDatum(NULL);
}

/*
 * builtin_process_moves(name): the moves of a built-in process as rows
 * (from_value, to_value), from_value NULL for an initial value.  The install
 * script fills the process tables from it, so bj_rules.c stays the one
 * definition of the built-ins.
 */
PG_FUNCTION_INFO_V1(builtin_process_moves);
Datum
builtin_process_moves(PG_FUNCTION_ARGS)
{
	const char *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bj_rules	rules;

	if (strcmp(name, "complex") == 0)
		bj_rules_builtin_complex(&rules);
	else if (strcmp(name, "transactional") == 0)
		bj_rules_builtin_transactional(&rules);
	else if (strcmp(name, "lifecycle") == 0)
		bj_rules_builtin_lifecycle(&rules);
	else
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("there is no built-in process \"%s\"", name)));

	InitMaterializedSRF(fcinfo, 0);
	for (int from = BJ_NO_VALUE; from < bj_value_count(rules.kind); from++)
	{
		bj_value_set next = bj_rules_next_values(&rules, from);

		for (int to = 0; to < bj_value_count(rules.kind); to++)
		{
			Datum		values[2];
			bool		nulls[2] = {from == BJ_NO_VALUE, false};

			if (!(next & (1u << to)))
				continue;
			values[0] = from == BJ_NO_VALUE ? (Datum) 0 : CStringGetTextDatum(bj_value_name(rules.kind, from));
			values[1] = CStringGetTextDatum(bj_value_name(rules.kind, to));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
