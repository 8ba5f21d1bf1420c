/*
 * ltv_models.h - what the prediction functions share with the fits.
 */
#ifndef LTV_MODELS_H
#define LTV_MODELS_H

#include "bj_ltv.h"

/* A core error as a PostgreSQL error: 22023, 22000 (no convergence), 53200. */
extern void report_ltv_error(bj_ltv_error e, const char *what);

#endif							/* LTV_MODELS_H */
