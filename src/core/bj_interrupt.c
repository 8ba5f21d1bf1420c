/*
 * bj_interrupt.c - the host's interrupt hook (see bj_interrupt.h).
 */
#include "bj_interrupt.h"

bool		(*bj_interrupt_hook) (void) = NULL;
