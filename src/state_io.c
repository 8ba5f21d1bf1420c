/*
 * state_io.c - text and binary forms of the fixed-size state types, and the
 * in-place update rule of their transition functions.
 */
#include "postgres.h"

#include "libpq/pqformat.h"

#include "core_interrupts.h"

#include "state_io.h"

void
report_decode_error(const char *type, bj_decode_error e)
{
	if (e == BJ_DECODE_INTERRUPTED)
		core_interrupts_stopped();	/* the cancel or timeout that stopped it */
	ereport(ERROR,
			(errcode(e == BJ_DECODE_NO_MEMORY ? ERRCODE_PROGRAM_LIMIT_EXCEEDED
					 : ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid %s value: %s", type, bj_decode_error_message(e))));
}

void
check_produced_state(const char *type, bool valid)
{
	if (!valid)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range", type),
				 errdetail("A count or a sum would pass what a %s can hold.", type)));
}

/* Text form: hex of the wire form; decode validates it. */
static void
hex_in(const char *type, const char *text, uint8_t *form, size_t size)
{
	size_t		len = strlen(text);

	if (len != 2 * size || !bj_hex_decode(text, len, form))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%.40s%s\"", type, text, len > 40 ? "..." : ""),
				 errdetail("A %s is written as the %zu hex digits of its wire form, as its output gives.",
						   type, 2 * size)));
}

static char *
hex_out(const uint8_t *form, size_t size)
{
	char	   *text = palloc(2 * size + 1);

	bj_hex_encode(form, size, text);
	text[2 * size] = '\0';
	return text;
}

Datum
state_in(const StateForm *form, const char *text)
{
	uint8_t    *wire = palloc(form->form_size);
	void	   *state = palloc(form->struct_size);
	bj_decode_error e;

	hex_in(form->type, text, wire, form->form_size);
	e = form->decode(wire, form->form_size, state);
	if (e != BJ_DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s value: %s", form->type, bj_decode_error_message(e))));
	PG_RETURN_POINTER(state);
}

Datum
state_out(const StateForm *form, const void *state)
{
	uint8_t    *wire = palloc(form->form_size);

	form->encode(state, wire);
	PG_RETURN_CSTRING(hex_out(wire, form->form_size));
}

Datum
state_recv(const StateForm *form, StringInfo buf)
{
	void	   *state = palloc(form->struct_size);
	bj_decode_error e = form->decode((uint8_t *) buf->data + buf->cursor, buf->len - buf->cursor, state);

	if (e != BJ_DECODE_OK)
		report_decode_error(form->type, e);
	buf->cursor = buf->len;
	PG_RETURN_POINTER(state);
}

Datum
state_send(const StateForm *form, const void *state)
{
	uint8_t    *wire = palloc(form->form_size);
	StringInfoData buf;

	form->encode(state, wire);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) wire, form->form_size);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The state to update: in place inside an aggregate, a copy elsewhere. */
void *
mutable_state(FunctionCallInfo fcinfo, size_t size)
{
	MemoryContext aggcontext;
	void	   *state = PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0);

	if (AggCheckCallContext(fcinfo, &aggcontext))
		return state ? state : MemoryContextAllocZero(aggcontext, size);
	return state ? memcpy(palloc(size), state, size) : palloc0(size);
}


MemoryContext
aggregate_memory(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext context;

	if (!AggCheckCallContext(fcinfo, &context))
		elog(ERROR, "%s called in non-aggregate context", name);
	return context;
}
