/*
 * transition_trigger.h - the stage-transition validation trigger.
 */
#ifndef TRANSITION_TRIGGER_H
#define TRANSITION_TRIGGER_H

/* Define the bypass setting; called once from _PG_init. */
extern void transition_trigger_init(void);

#endif							/* TRANSITION_TRIGGER_H */
