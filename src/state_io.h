/*
 * state_io.h - the text and binary forms of the fixed-size aggregate state
 * types (journey, funnel, velocity), and helpers their transition functions
 * share.  A state's memory image is its C struct; its binary form is the
 * versioned, big-endian wire form of bj_encode.h; its text form is that in hex.
 */
#ifndef STATE_IO_H
#define STATE_IO_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "bj_encode.h"

/* Each fixed-size state type reads and writes its wire form through these. */
typedef struct StateForm
{
	const char *type;
	size_t		form_size;		/* wire form */
	size_t		struct_size;	/* memory image */
	void		(*encode) (const void *state, uint8_t *out);
	bj_decode_error (*decode) (const uint8_t *in, size_t len, void *state);
} StateForm;

extern Datum state_in(const StateForm *form, const char *text);
extern Datum state_out(const StateForm *form, const void *state);
extern Datum state_recv(const StateForm *form, StringInfo buf);
extern Datum state_send(const StateForm *form, const void *state);

/* A malformed wire form: 22P03, or 54000 past a memory bound. */
extern void report_decode_error(const char *type, bj_decode_error e);

/*
 * A state an aggregate or a merge has just produced must read back through
 * its own input function: when a count or sum has passed its bound, 22003.
 */
extern void check_produced_state(const char *type, bool valid);

/* The aggregate's memory context; an error when called outside an aggregate. */
extern MemoryContext aggregate_memory(FunctionCallInfo fcinfo, const char *name);

/* The state to update: in place inside an aggregate, a copy elsewhere. */
extern void *mutable_state(FunctionCallInfo fcinfo, size_t size);

/* A NULL input leaves the state as it is (still NULL if there is none yet). */
#define RETURN_STATE_IF_NULL(input_is_null) \
	do { \
		if (input_is_null) \
		{ \
			if (PG_ARGISNULL(0)) \
				PG_RETURN_NULL(); \
			PG_RETURN_POINTER(PG_GETARG_POINTER(0)); \
		} \
	} while (0)

/* The four fmgr entry points (in, out, recv, send) of a state type. */
#define STATE_IO(prefix, form) \
	PG_FUNCTION_INFO_V1(prefix##_in); \
	Datum prefix##_in(PG_FUNCTION_ARGS); \
	Datum prefix##_in(PG_FUNCTION_ARGS) { return state_in(&form, PG_GETARG_CSTRING(0)); } \
	PG_FUNCTION_INFO_V1(prefix##_out); \
	Datum prefix##_out(PG_FUNCTION_ARGS); \
	Datum prefix##_out(PG_FUNCTION_ARGS) { return state_out(&form, PG_GETARG_POINTER(0)); } \
	PG_FUNCTION_INFO_V1(prefix##_recv); \
	Datum prefix##_recv(PG_FUNCTION_ARGS); \
	Datum prefix##_recv(PG_FUNCTION_ARGS) { return state_recv(&form, (StringInfo) PG_GETARG_POINTER(0)); } \
	PG_FUNCTION_INFO_V1(prefix##_send); \
	Datum prefix##_send(PG_FUNCTION_ARGS); \
	Datum prefix##_send(PG_FUNCTION_ARGS) { return state_send(&form, PG_GETARG_POINTER(0)); }


#endif							/* STATE_IO_H */
