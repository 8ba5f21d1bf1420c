/*
 * bj_ltv_models.h - fitted models as stored values: the parameters, how the
 * fit went, and (BG/NBD) the time unit the fit was made in, so that every
 * prediction converts its times into that unit and days cannot be read as
 * weeks.
 *
 * Plain C.  A time unit is a number of microseconds (a fixed length: hours,
 * days, weeks) or a number of months, never both.
 */
#ifndef BJ_LTV_MODELS_H
#define BJ_LTV_MODELS_H

#include <stdbool.h>
#include <stdint.h>

#include "bj_ltv.h"

typedef struct bj_time_unit
{
	int64_t		usecs;			/* > 0 for a fixed length, else 0 */
	int32_t		months;			/* > 0 for months, else 0 */
	int32_t		pad;
} bj_time_unit;

typedef struct bj_bgnbd_model
{
	bj_bgnbd_params par;
	double		loglik;
	double		customers;		/* sum of weights */
	double		gnorm;
	bj_time_unit unit;
	int32_t		iterations;
	int32_t		converged;		/* 0 or 1 */
} bj_bgnbd_model;				/* 80 bytes */

typedef struct bj_gg_model
{
	bj_gg_params par;
	double		loglik;
	double		customers;
	double		gnorm;
	int32_t		iterations;
	int32_t		converged;
} bj_gg_model;					/* 56 bytes */

extern bool bj_time_unit_valid(const bj_time_unit *u);
extern bool bj_bgnbd_model_valid(const bj_bgnbd_model *m);
extern bool bj_gg_model_valid(const bj_gg_model *m);

#endif							/* BJ_LTV_MODELS_H */
