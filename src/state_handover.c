/*
 * state_handover.c - large partial states named by tokens instead of copied
 * through tuples (see state_handover.h for why).
 */
#include "state_handover.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "common/pg_prng.h"
#include "executor/execParallel.h"
#include "nodes/execnodes.h"
#include "nodes/nodeFuncs.h"
#include "postmaster/bgworker.h"
#include "storage/dsm.h"
#include "storage/dsm_impl.h"
#include "utils/guc.h"
#include "utils/hsearch.h"

#ifdef __linux__
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>
#endif

#include "bj_encode.h"
#include "state_io.h"

/* In kB; below it a state is cheap to copy and travels inline; -1: always. */
static int	handover_min_kb = 1024;

void
state_handover_init(void)
{
	DefineCustomIntVariable("buyerjourney.state_handover_min_size",
							"Partial aggregate states at least this large are handed to the finalize by reference.",
							"In the same process, or through the parallel query's shared memory, instead of copied "
							"through the tuple queue; -1 copies every state.",
							&handover_min_kb,
							1024, -1, INT_MAX,
							PGC_USERSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);
}

static bool
large_enough(size_t size)
{
	return handover_min_kb >= 0 && size >= (size_t) handover_min_kb * 1024;
}

#define LOCAL_TOKEN_SIZE (2 + 8)
#define SHARED_TOKEN_SIZE (2 + 4 + 8 + 8 + 8)
/* A shared chunk starts with its token's nonce, then the run. */
#define CHUNK_HEADER 8

StaticAssertDecl(SHARED_TOKEN_SIZE <= HANDOVER_TOKEN_MAX, "token room");

/* The plan's Agg node calling this function, or NULL. */
static AggState *
agg_node(FunctionCallInfo fcinfo)
{
	return fcinfo->context != NULL && IsA(fcinfo->context, AggState) ? (AggState *) fcinfo->context : NULL;
}

/*
 * Is this serialize function called by a plan's partial Agg node?  Only then
 * is the reader known: the finalize of the same plan.  (An extension that
 * calls the function itself, Citus say, may send the bytes anywhere.)
 */
static AggState *
partial_agg(FunctionCallInfo fcinfo)
{
	AggState   *agg = agg_node(fcinfo);

	return agg != NULL && DO_AGGSPLIT_SERIALIZE(agg->aggsplit) ? agg : NULL;
}

/* A token naming what is gone (a macro: ereport(ERROR) is known not to return on every version). */
#define report_missing(what) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
			 errmsg("invalid one-pass aggregate state value: it names %s that no longer exists", (what))))

/* ------------------------------------------------------------ in process */

/* States named by a local token, by nonce, until their memory is reset. */
typedef struct LocalHandover
{
	uint64		nonce;			/* the key */
	void	   *state;
} LocalHandover;

typedef struct LocalForget
{
	uint64		nonce;
	MemoryContextCallback callback;
} LocalForget;

static HTAB *local_handovers = NULL;

static void
forget_local(void *arg)
{
	LocalForget *forget = (LocalForget *) arg;

	(void) hash_search(local_handovers, &forget->nonce, HASH_REMOVE, NULL);
}

/*
 * Do the partial aggregate's states stay until it is rescanned or ends?  A
 * plain one's and an in-memory hashed one's do.  A sorted one frees each
 * group's state once the group is out, and a hashed one that spilled frees
 * each batch's: a node between the Gather and the finalize (a Sort, or the
 * finalize's own spill files) may hold their tokens longer than that.
 */
static bool
states_stay(const AggState *agg)
{
	return agg->aggstrategy == AGG_PLAIN || (agg->aggstrategy == AGG_HASHED && !agg->hash_ever_spilled);
}

size_t
handover_local_token(FunctionCallInfo fcinfo, void *state, MemoryContext state_context, size_t run_size,
					 uint64 *nonce, uint8 *token)
{
	AggState   *agg = partial_agg(fcinfo);

	/* a worker's finalize is in the leader */
	if (!large_enough(run_size) || IsParallelWorker() || agg == NULL || !states_stay(agg))
		return 0;
	if (local_handovers == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(LocalHandover);
		local_handovers = hash_create("buyerjourney handovers", 16, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	if (*nonce == 0)
	{
		LocalHandover *h;
		LocalForget *forget;
		bool		found;

		do
			*nonce = pg_prng_uint64(&pg_global_prng_state);
		while (*nonce == 0 || hash_search(local_handovers, nonce, HASH_FIND, NULL) != NULL);
		h = hash_search(local_handovers, nonce, HASH_ENTER, &found);
		h->state = state;
		/* in the state's own memory: the name goes when the state goes */
		forget = MemoryContextAlloc(state_context, sizeof(LocalForget));
		forget->nonce = *nonce;
		forget->callback.func = forget_local;
		forget->callback.arg = forget;
		MemoryContextRegisterResetCallback(state_context, &forget->callback);
		elog(DEBUG2, "buyerjourney: partial state %016llx named in process", (unsigned long long) *nonce);
	}
	token[0] = BJ_FORMAT_VERSION;
	token[1] = BJ_FORM_LOCAL_HANDOVER;
	bj_put_u64(token + 2, *nonce);
	return LOCAL_TOKEN_SIZE;
}

void *
handover_local_state(const uint8 *token, size_t len)
{
	uint64		nonce;
	LocalHandover *h = NULL;

	if (len != LOCAL_TOKEN_SIZE)
		report_decode_error("one-pass aggregate state", len < LOCAL_TOKEN_SIZE ? BJ_DECODE_TRUNCATED : BJ_DECODE_TRAILING);
	if (token[0] != BJ_FORMAT_VERSION)
		report_decode_error("one-pass aggregate state", BJ_DECODE_VERSION);
	nonce = bj_get_u64(token + 2);
	if (local_handovers != NULL)
		h = hash_search(local_handovers, &nonce, HASH_FIND, NULL);
	if (h == NULL)
		report_missing("a partial state");
	return h->state;
}

/* ------------------------------------------------------------ shared */

/*
 * Fault a chunk's pages in with one call instead of one fault per 4 kB page
 * (shared memory gets no huge pages).  Only advice: without it, the pages
 * fault in as they are touched.
 */
static void
populate(void *pointer, size_t size, bool for_writing)
{
#if defined(MADV_POPULATE_READ) && defined(MADV_POPULATE_WRITE)
	uintptr_t	page = (uintptr_t) sysconf(_SC_PAGESIZE);
	uintptr_t	start = ((uintptr_t) pointer + page - 1) & ~(page - 1);
	uintptr_t	end = ((uintptr_t) pointer + size) & ~(page - 1);

	if (end > start)
		(void) madvise((void *) start, end - start, for_writing ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
#else
	(void) pointer;
	(void) size;
	(void) for_writing;
#endif
}

/*
 * Room for size more bytes of POSIX shared memory, with as much again to
 * spare?  Running /dev/shm out would fail the query (containers often give
 * it only 64 MB) where the inline way would not.
 */
static bool
shared_memory_has_room(size_t size)
{
#ifdef __linux__
	struct statvfs fs;

	if (dynamic_shared_memory_type != DSM_IMPL_POSIX || statvfs("/dev/shm", &fs) != 0)
		return false;
	return (uint64) fs.f_bavail * fs.f_frsize / 2 >= (uint64) size;
#else
	(void) size;
	return false;
#endif
}

/* This worker's parallel context, named by its segment. */
static dsm_handle
own_parallel_segment(void)
{
	return DatumGetUInt32(MyBgworkerEntry->bgw_main_arg);
}

uint8 *
handover_shared_alloc(FunctionCallInfo fcinfo, size_t size, SharedChunk *chunk)
{
	AggState   *agg = partial_agg(fcinfo);
	uint8	   *base;

	if (!large_enough(size) || !IsParallelWorker() || agg == NULL ||
		agg->ss.ps.state->es_query_dsa == NULL || !shared_memory_has_room(size))
		return NULL;
	chunk->area = agg->ss.ps.state->es_query_dsa;
	chunk->pointer = dsa_allocate_extended(chunk->area, CHUNK_HEADER + size, DSA_ALLOC_HUGE | DSA_ALLOC_NO_OOM);
	if (!DsaPointerIsValid(chunk->pointer))
		return NULL;
	base = dsa_get_address(chunk->area, chunk->pointer);
	populate(base, CHUNK_HEADER + size, true);
	chunk->nonce = pg_prng_uint64(&pg_global_prng_state);
	bj_put_u64(base, chunk->nonce);
	chunk->run = base + CHUNK_HEADER;
	chunk->size = size;
	chunk->gather = NULL;
	elog(DEBUG2, "buyerjourney: shared state %016llx handed over", (unsigned long long) chunk->nonce);
	return chunk->run;
}

size_t
handover_shared_token(const SharedChunk *chunk, size_t len, uint8 *token)
{
	Assert(len <= chunk->size);
	token[0] = BJ_FORMAT_VERSION;
	token[1] = BJ_FORM_SHARED_HANDOVER;
	bj_put_u32(token + 2, own_parallel_segment());
	bj_put_u64(token + 6, (uint64) chunk->pointer);
	bj_put_u64(token + 14, (uint64) len);
	bj_put_u64(token + 22, chunk->nonce);
	return SHARED_TOKEN_SIZE;
}

typedef struct AreaSearch
{
	dsm_handle	segment;
	PlanState  *gather;			/* found: the Gather (Merge) of that segment */
	dsa_area   *area;
} AreaSearch;

static bool
find_area(PlanState *node, void *arg)
{
	AreaSearch *search = (AreaSearch *) arg;
	ParallelExecutorInfo *pei = NULL;

	if (node == NULL)
		return false;
	if (IsA(node, GatherState))
		pei = ((GatherState *) node)->pei;
	else if (IsA(node, GatherMergeState))
		pei = ((GatherMergeState *) node)->pei;
	if (pei != NULL && pei->area != NULL && pei->pcxt->seg != NULL &&
		dsm_segment_handle(pei->pcxt->seg) == search->segment)
	{
		search->gather = node;
		search->area = pei->area;
		return true;
	}
	return planstate_tree_walker(node, find_area, arg);
}

/* The parallel executor state of a Gather (Merge), or NULL once it is shut down. */
static ParallelExecutorInfo *
gather_executor(PlanState *gather)
{
	return IsA(gather, GatherState) ? ((GatherState *) gather)->pei : ((GatherMergeState *) gather)->pei;
}

/*
 * A chunk is freed before its query ends only where the plan proves that
 * nothing can name it again once the state read from it is gone: a Gather
 * (Merge) right under a plain or sorted finalize of one grouping set.  There
 * each row of the Gather reaches the finalize once, is deserialised once,
 * and the state holding the run goes when its group's memory is reset.
 * Everywhere else the token may be read again after that: a hashed finalize
 * deserialises a row whose group has spilled, discards the result and reads
 * the row again from its spill file; grouping sets sort the rows again for
 * the next phase; a node in between (Sort, Material) keeps rows and replays
 * them on a rescan.  There the chunk stays until the Gather's parallel
 * context, and the query's area in it, is destroyed (ExecParallelCleanup,
 * when the Gather shuts down or the query ends or fails): bounded by what
 * the workers of that Gather handed over, never beyond the query.  Decided
 * from the plan alone, the same on every run.
 */
static bool
reader_frees_chunk(AggState *agg, PlanState *gather)
{
	Agg		   *plan = (Agg *) agg->ss.ps.plan;

	return gather == outerPlanState(agg) &&
		(plan->aggstrategy == AGG_PLAIN || plan->aggstrategy == AGG_SORTED) &&
		plan->groupingSets == NIL && plan->chain == NIL;
}

/*
 * A chunk lent to its reader is freed with the reader's memory, if the
 * Gather's parallel context that holds the area is still the one the chunk
 * came from: not once the Gather has shut down (the area went with it), nor
 * while a transaction aborts (its parallel contexts are gone before its
 * memory).
 */
typedef struct SharedLoan
{
	SharedChunk chunk;
	dsm_handle	segment;		/* of the parallel context holding the area */
	MemoryContextCallback release;
} SharedLoan;

static void
release_loan(void *arg)
{
	SharedLoan *loan = (SharedLoan *) arg;
	ParallelExecutorInfo *pei = gather_executor(loan->chunk.gather);

	if (IsTransactionState() && pei != NULL && pei->area == loan->chunk.area &&
		pei->pcxt->seg != NULL && dsm_segment_handle(pei->pcxt->seg) == loan->segment)
		dsa_free(loan->chunk.area, loan->chunk.pointer);
}

const uint8 *
handover_shared_run(FunctionCallInfo fcinfo, const uint8 *token, size_t len, MemoryContext context,
					size_t *run_len)
{
	AggState   *agg = agg_node(fcinfo);
	AreaSearch	search = {0};
	SharedChunk chunk;
	uint8	   *base;

	if (len != SHARED_TOKEN_SIZE)
		report_decode_error("one-pass aggregate state", len < SHARED_TOKEN_SIZE ? BJ_DECODE_TRUNCATED : BJ_DECODE_TRAILING);
	if (token[0] != BJ_FORMAT_VERSION)
		report_decode_error("one-pass aggregate state", BJ_DECODE_VERSION);
	search.segment = bj_get_u32(token + 2);
	if (agg != NULL && IsParallelWorker())
	{
		/* partial and finalize both in this worker */
		if (search.segment == own_parallel_segment())
			search.area = agg->ss.ps.state->es_query_dsa;
	}
	else if (agg != NULL)
		(void) find_area(outerPlanState(agg), &search);
	if (search.area == NULL)
		report_missing("parallel query memory");
	chunk.area = search.area;
	chunk.pointer = (dsa_pointer) bj_get_u64(token + 6);
	chunk.size = (size_t) bj_get_u64(token + 14);
	chunk.nonce = bj_get_u64(token + 22);
	base = dsa_get_address(chunk.area, chunk.pointer);
	if (bj_get_u64(base) != chunk.nonce)
		report_missing("a shared partial state");
	chunk.run = base + CHUNK_HEADER;
	populate(chunk.run, chunk.size, false);

	if (search.gather != NULL && reader_frees_chunk(agg, search.gather))
	{
		SharedLoan *loan = MemoryContextAlloc(context, sizeof(SharedLoan));

		loan->chunk = chunk;
		loan->chunk.gather = search.gather;
		loan->segment = search.segment;
		loan->release.func = release_loan;
		loan->release.arg = loan;
		MemoryContextRegisterResetCallback(context, &loan->release);
		elog(DEBUG2, "buyerjourney: shared state %016llx lent until its group ends", (unsigned long long) chunk.nonce);
	}
	else
		elog(DEBUG2, "buyerjourney: shared state %016llx kept until the query ends", (unsigned long long) chunk.nonce);
	*run_len = chunk.size;
	return chunk.run;
}
