/*
 * value_types.c - PostgreSQL glue for the journey_stage and lifecycle_phase
 * types: text and binary I/O, casts, labels, min/max support and helpers.
 *
 * Both types are one byte, passed by value, the byte being the ordinal
 * (bj_values.h).  Comparison and hashing need no C here: the SQL script binds
 * them to the built-in "char" functions, which compare bytes unsigned.
 * Each generic function takes the kind; BJ_TYPE_FUNCTIONS below declares the
 * fmgr entry points of one type.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/syscache.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"				/* VARDATA_ANY: split out of postgres.h in 16 */
#endif

#include "bj_parse.h"
#include "bj_unicode.h"
#include "bj_values.h"
#include "value_types.h"

Oid
value_type_oid(Oid ext_schema, bj_kind kind)
{
	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						   CStringGetDatum(bj_kind_type_name(kind)), ObjectIdGetDatum(ext_schema));
}

/* Input quoted in error messages is clipped to this many bytes. */
#define QUOTE_MAX 64

static const char *
value_list_function(bj_kind kind)
{
	return kind == BJ_KIND_STAGE ? "journey_stages()" : "lifecycle_phases()";
}

/* The byte of a stored value, checked: a bad one means corruption. */
static int
datum_code(bj_kind kind, Datum d)
{
	int			code = (unsigned char) DatumGetChar(d);

	if (!bj_value_valid(kind, code))
		elog(ERROR, "invalid %s code %d in stored value", bj_kind_type_name(kind), code);
	return code;
}

static Datum
code_datum(int code)
{
	return CharGetDatum((char) code);
}

/*
 * Parse server-encoded text.  Returns the code; on bad input raises 22P02
 * (or, on PostgreSQL 16+, reports it softly through escontext).
 */
static int
parse_or_report(bj_kind kind, const char *input, size_t len, Node *escontext)
{
	const char *utf8 = input;
	int			code;
	char		list[256];
	int			clip;

	if (GetDatabaseEncoding() != PG_UTF8)
		utf8 = pg_server_to_any(input, (int) len, PG_UTF8);
	code = bj_parse_value(kind, utf8, utf8 == input ? len : strlen(utf8));
	if (code != BJ_NO_VALUE)
		return code;

	bj_value_list(kind, list, sizeof(list));
	clip = pg_mbcliplen(input, (int) len, QUOTE_MAX);
#if PG_VERSION_NUM >= 160000
	ereturn(escontext, BJ_NO_VALUE,
#else
	(void) escontext;
	ereport(ERROR,
#endif
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%.*s%s\"",
					bj_kind_type_name(kind), clip, input,
					(size_t) clip < len ? "..." : ""),
			 errdetail("Valid values are %s.", list),
			 errhint("Names are accepted in any letter case, and so are the Simplified and Traditional Chinese labels that %s lists.",
					 value_list_function(kind))));
#if PG_VERSION_NUM < 160000
	return BJ_NO_VALUE;			/* not reached */
#endif
}

static Datum
value_in(bj_kind kind, FunctionCallInfo fcinfo)
{
	const char *input = PG_GETARG_CSTRING(0);
	int			code = parse_or_report(kind, input, strlen(input), fcinfo->context);

	if (code == BJ_NO_VALUE)
		PG_RETURN_NULL();		/* soft error already reported */
	return code_datum(code);
}

static Datum
value_out(bj_kind kind, FunctionCallInfo fcinfo)
{
	PG_RETURN_CSTRING(pstrdup(bj_value_name(kind, datum_code(kind, PG_GETARG_DATUM(0)))));
}

static Datum
value_recv(bj_kind kind, FunctionCallInfo fcinfo)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			code;

	if (buf->len - buf->cursor != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: expected 1 byte, got %d",
						bj_kind_type_name(kind), buf->len - buf->cursor)));
	code = pq_getmsgbyte(buf);
	if (!bj_value_valid(kind, code))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s code %d", bj_kind_type_name(kind), code),
				 errdetail("Codes run from 0 to %d.", bj_value_count(kind) - 1)));
	return code_datum(code);
}

static Datum
value_send(bj_kind kind, FunctionCallInfo fcinfo)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, datum_code(kind, PG_GETARG_DATUM(0)));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static Datum
value_from_text(bj_kind kind, FunctionCallInfo fcinfo)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	return code_datum(parse_or_report(kind, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), NULL));
}

static Datum
value_to_text(bj_kind kind, FunctionCallInfo fcinfo)
{
	PG_RETURN_TEXT_P(cstring_to_text(bj_value_name(kind, datum_code(kind, PG_GETARG_DATUM(0)))));
}

static Datum
value_from_int4(bj_kind kind, FunctionCallInfo fcinfo)
{
	int32		ordinal = PG_GETARG_INT32(0);
	int			last = bj_value_count(kind) - 1;

	if (!bj_value_valid(kind, ordinal))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer %d is out of range for type %s", ordinal, bj_kind_type_name(kind)),
				 errdetail("Ordinals run from 0 (%s) to %d (%s).",
						   bj_value_name(kind, 0), last, bj_value_name(kind, last))));
	return code_datum(ordinal);
}

static Datum
value_label(bj_kind kind, FunctionCallInfo fcinfo)
{
	int			code = datum_code(kind, PG_GETARG_DATUM(0));
	char	   *locale = text_to_cstring(PG_GETARG_TEXT_PP(1));
	const char *label = bj_value_label(kind, code, bj_locale_lang(locale));
	char	   *server = pg_any_to_server(label, (int) strlen(label), PG_UTF8);

	PG_RETURN_TEXT_P(cstring_to_text(server));
}

static Datum
value_smaller(bj_kind kind, FunctionCallInfo fcinfo)
{
	int			a = datum_code(kind, PG_GETARG_DATUM(0));
	int			b = datum_code(kind, PG_GETARG_DATUM(1));

	return code_datum(a < b ? a : b);
}

static Datum
value_larger(bj_kind kind, FunctionCallInfo fcinfo)
{
	int			a = datum_code(kind, PG_GETARG_DATUM(0));
	int			b = datum_code(kind, PG_GETARG_DATUM(1));

	return code_datum(a > b ? a : b);
}

static Datum
value_next(bj_kind kind, FunctionCallInfo fcinfo)
{
	int			next = bj_value_next(kind, datum_code(kind, PG_GETARG_DATUM(0)));

	if (next == BJ_NO_VALUE)
		PG_RETURN_NULL();
	return code_datum(next);
}

static Datum
value_previous(bj_kind kind, FunctionCallInfo fcinfo)
{
	int			previous = bj_value_previous(kind, datum_code(kind, PG_GETARG_DATUM(0)));

	if (previous == BJ_NO_VALUE)
		PG_RETURN_NULL();
	return code_datum(previous);
}

/* One fmgr entry point per generic function and type. */
#define BJ_ENTRY(prefix, name, kind) \
	PG_FUNCTION_INFO_V1(prefix##_##name); \
	Datum prefix##_##name(PG_FUNCTION_ARGS); \
	Datum prefix##_##name(PG_FUNCTION_ARGS) { return value_##name(kind, fcinfo); }

#define BJ_TYPE_FUNCTIONS(prefix, kind) \
	BJ_ENTRY(prefix, in, kind) \
	BJ_ENTRY(prefix, out, kind) \
	BJ_ENTRY(prefix, recv, kind) \
	BJ_ENTRY(prefix, send, kind) \
	BJ_ENTRY(prefix, from_text, kind) \
	BJ_ENTRY(prefix, to_text, kind) \
	BJ_ENTRY(prefix, from_int4, kind) \
	BJ_ENTRY(prefix, label, kind) \
	BJ_ENTRY(prefix, smaller, kind) \
	BJ_ENTRY(prefix, larger, kind) \
	BJ_ENTRY(prefix, next, kind) \
	BJ_ENTRY(prefix, previous, kind)

BJ_TYPE_FUNCTIONS(journey_stage, BJ_KIND_STAGE)
BJ_TYPE_FUNCTIONS(lifecycle_phase, BJ_KIND_PHASE)

/* Predicates of one type only. */
#define BJ_PREDICATE(fname, kind, test) \
	PG_FUNCTION_INFO_V1(fname); \
	Datum fname(PG_FUNCTION_ARGS); \
	Datum fname(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(test(datum_code(kind, PG_GETARG_DATUM(0)))); }

BJ_PREDICATE(journey_stage_is_open, BJ_KIND_STAGE, bj_stage_is_open)
BJ_PREDICATE(journey_stage_is_closed, BJ_KIND_STAGE, bj_stage_is_closed)
BJ_PREDICATE(journey_stage_is_won, BJ_KIND_STAGE, bj_stage_is_won)
BJ_PREDICATE(lifecycle_phase_is_active, BJ_KIND_PHASE, bj_phase_is_active)

int
stage_code_arg(FunctionCallInfo fcinfo, int n)
{
	int			code = (unsigned char) PG_GETARG_CHAR(n);

	if (code >= BJ_STAGE_COUNT)
		elog(ERROR, "invalid journey_stage code %d", code);
	return code;
}
