/*
 * value_types.h - what other glue needs of the two value types.
 */
#ifndef VALUE_TYPES_H
#define VALUE_TYPES_H

#include "postgres.h"

#include "fmgr.h"

#include "bj_values.h"

/*
 * The OID of journey_stage or lifecycle_phase in the extension's schema
 * (found by schema OID, never through search_path), or InvalidOid.
 */
extern Oid	value_type_oid(Oid ext_schema, bj_kind kind);

/* Argument n, a journey_stage, as its code (checked: it came from a Datum). */
extern int	stage_code_arg(FunctionCallInfo fcinfo, int n);

#endif							/* VALUE_TYPES_H */
