/*
 * bj_form.h - what every state form starts with (a format version byte and
 * a kind byte), and why a form read from outside was refused.
 */
#ifndef BJ_FORM_H
#define BJ_FORM_H

#define BJ_FORMAT_VERSION 1

typedef enum bj_form_kind
{
	BJ_FORM_JOURNEY = 1,
	BJ_FORM_FUNNEL = 2,
	/* 3: runs of journeys (1.0.0 to 1.2.0), now marks */
	BJ_FORM_VELOCITY = 4,
	BJ_FORM_TIMELINE = 5,
	BJ_FORM_STAGE_DURATIONS = 6,
	BJ_FORM_WINDOW_COUNTS = 7,
	/* 8: runs of events in LEB128 varints (1.0.0 to 1.2.0), now tagged */
	BJ_FORM_CUSTOMER_SUMMARY = 9,
	BJ_FORM_BGNBD_MODEL = 10,
	BJ_FORM_GG_MODEL = 11,
	BJ_FORM_FIT_ROWS = 12,
	BJ_FORM_MARK_RUN = 13,
	BJ_FORM_EVENT_RUN = 14,
	/* tokens naming a run instead of holding it (state_handover.h) */
	BJ_FORM_LOCAL_HANDOVER = 15,
	BJ_FORM_SHARED_HANDOVER = 16
} bj_form_kind;

typedef enum bj_decode_error
{
	BJ_DECODE_OK = 0,
	BJ_DECODE_TRUNCATED,		/* shorter than its header says */
	BJ_DECODE_TRAILING,			/* longer than its header says */
	BJ_DECODE_VERSION,			/* a format version this build cannot read */
	BJ_DECODE_KIND,				/* another kind of state */
	BJ_DECODE_INCONSISTENT,		/* fields that cannot belong together */
	BJ_DECODE_NO_MEMORY,		/* past the state's memory bound */
	BJ_DECODE_INTERRUPTED		/* stopped: the host asked (bj_interrupt.h) */
} bj_decode_error;

extern const char *bj_decode_error_message(bj_decode_error e);

#endif							/* BJ_FORM_H */
