/*
 * state_handover.h - how a partial aggregate's large state reaches its
 * finalize without PostgreSQL's tuple copies.
 *
 * A serialised state travels as a bytea inside a tuple.  For a state of
 * several megabytes that costs more than the aggregation itself: a parallel
 * worker forms the tuple (zeroed, then copied), the tuple queue moves it
 * through a 64 kB ring into a fresh buffer of the leader, the leader copies
 * it into a tuple, and copies it twice more when it is the aggregate's first
 * input row; every fresh buffer is paid again in page faults.  So a large
 * state is named instead, by a token of a few bytes:
 *
 *  - in process: a partial aggregate whose finalize runs in the same process
 *    (the leader's own share of a parallel scan, partition-wise aggregation)
 *    names its state, registered until its memory is reset, if its states
 *    live that long (not a sorted one's, nor a hashed one's that spilled);
 *  - shared: a parallel worker packs its state into the query's dynamic
 *    shared memory area (the one Parallel Hash uses, freed with the query)
 *    and names the chunk; the leader finds the area under its own plan and
 *    reads the run where it is.  The chunk is freed with the state read from
 *    it only where the plan proves no row can name it again; else with the
 *    area (docs/internals.md).
 *
 * Anything else travels inline as before: states smaller than
 * buyerjourney.state_handover_min_size (1 MB; -1 turns tokens off),
 * aggregates called outside a plan's Agg node, dynamic shared memory that is
 * not POSIX or has no room.  A token is refused (22P03) when what it names
 * cannot be found.
 */
#ifndef STATE_HANDOVER_H
#define STATE_HANDOVER_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/execnodes.h"
#include "utils/dsa.h"

/* Defines buyerjourney.state_handover_min_size (from _PG_init). */
extern void state_handover_init(void);

/* Room for the longest token. */
#define HANDOVER_TOKEN_MAX 30

/*
 * In a serialize function: a token naming state (of run_size bytes when
 * packed, living in state_context) for a finalize in this same process, or
 * 0 when the state must travel some other way.  *nonce, kept in the state
 * and 0 at first, is its name once it has one.
 */
extern size_t handover_local_token(FunctionCallInfo fcinfo, void *state, MemoryContext state_context,
								   size_t run_size, uint64 *nonce, uint8 *token);

/* In a deserialize function: the state a local token names (or an error). */
extern void *handover_local_state(const uint8 *token, size_t len);

/* A chunk of the parallel query's shared memory holding a packed run. */
typedef struct SharedChunk
{
	dsa_area   *area;
	dsa_pointer pointer;
	uint64		nonce;
	uint8	   *run;			/* where the run goes, or is */
	size_t		size;			/* room for it, or its length */
	PlanState  *gather;			/* reader: the Gather (Merge) right under it, if so */
} SharedChunk;

/*
 * In a serialize function of a parallel worker: room in shared memory for a
 * packed run of at most size bytes, or NULL when it must travel inline.
 */
extern uint8 *handover_shared_alloc(FunctionCallInfo fcinfo, size_t size, SharedChunk *chunk);
/* The token naming a chunk whose run is len bytes long. */
extern size_t handover_shared_token(const SharedChunk *chunk, size_t len, uint8 *token);

/*
 * In a deserialize function: the run a shared token names (or an error).
 * The reader reads it in place, for as long as context lives: the chunk
 * goes with context where the plan proves nothing can name it again, else
 * with the query's area.
 */
extern const uint8 *handover_shared_run(FunctionCallInfo fcinfo, const uint8 *token, size_t len,
										MemoryContext context, size_t *run_len);

#endif							/* STATE_HANDOVER_H */
