/*
 * fuzz_parse.c - libFuzzer target: text input of both types and locale
 * resolution.  The first byte picks the kind; whatever the bytes, parsing
 * must not crash, read out of bounds, or return a code out of range, and a
 * value it accepts must parse again from its canonical name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bj_parse.h"
#include "bj_unicode.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bj_kind		kind;
	int			code;
	char	   *locale;

	if (size == 0)
		return 0;
	kind = (data[0] & 1) ? BJ_KIND_PHASE : BJ_KIND_STAGE;
	code = bj_parse_value(kind, (const char *) data + 1, size - 1);
	if (code != BJ_NO_VALUE)
	{
		const char *name = bj_value_name(kind, code);

		if (!bj_value_valid(kind, code) || bj_parse_value(kind, name, strlen(name)) != code)
			abort();
	}
	/* the same bytes as a locale name (NUL-terminated copy) */
	locale = malloc(size);
	memcpy(locale, data + 1, size - 1);
	locale[size - 1] = '\0';
	if (bj_locale_lang(locale) >= BJ_LANG_COUNT)
		abort();
	free(locale);
	return 0;
}
