/*
 * bj_unicode.h - the ICU layer: input normalisation and locale resolution.
 *
 * ICU is used here only, for parsing and labels; never for ordering or
 * hashing, so indexes stay valid across ICU upgrades.  No PostgreSQL headers.
 */
#ifndef BJ_UNICODE_H
#define BJ_UNICODE_H

#include <stddef.h>

#include "bj_values.h"

/*
 * Fold UTF-8 text with NFKC_Casefold (NFKC plus case folding, default
 * ignorables removed) and trim Unicode white space at both ends.  Writes the
 * result as UTF-8 into out (cap bytes, not NUL-terminated).  Returns its
 * length, or -1 when the input is not valid UTF-8 or does not fit: no label
 * is anywhere near the limits, so such input can never name a value.
 */
extern int	bj_unicode_fold(const char *in, size_t len, char *out, size_t cap);

/*
 * Which label language suits a locale name ("zh-TW", "zh_Hans_SG", "en"...):
 * canonicalise it and add likely subtags with ICU, then pick by script.
 * Hant gives Traditional, Hans Simplified, anything else (including an empty,
 * unknown or malformed name) English.  Not thread-safe (one-entry cache),
 * which is fine in a PostgreSQL backend.
 */
extern bj_label_lang bj_locale_lang(const char *locale);

#endif							/* BJ_UNICODE_H */
