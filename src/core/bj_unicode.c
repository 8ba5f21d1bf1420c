/*
 * bj_unicode.c - ICU normalisation of text input and locale resolution.
 *
 * Everything works in fixed stack buffers: nothing to free, so nothing can
 * leak when the caller raises an error afterwards.  The normaliser is an ICU
 * singleton fetched once per process.
 */
#include "bj_unicode.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* UTF-16 code units; generous for any label, small enough for the stack. */
#define FOLD_UNITS 256

static const UNormalizer2 *
nfkc_casefold(void)
{
	static const UNormalizer2 *normalizer = NULL;

	if (normalizer == NULL)
	{
		UErrorCode	status = U_ZERO_ERROR;
		const UNormalizer2 *n = unorm2_getNFKCCasefoldInstance(&status);

		if (U_FAILURE(status))
			return NULL;
		normalizer = n;
	}
	return normalizer;
}

int
bj_unicode_fold(const char *in, size_t len, char *out, size_t cap)
{
	UChar		utf16[FOLD_UNITS];
	UChar		folded[FOLD_UNITS];
	int32_t		n16 = 0;
	int32_t		nfolded;
	int32_t		start = 0;
	int32_t		end;
	int32_t		nout = 0;
	UErrorCode	status = U_ZERO_ERROR;
	const UNormalizer2 *normalizer = nfkc_casefold();

	if (normalizer == NULL || len > (size_t) FOLD_UNITS * 4)
		return -1;

	u_strFromUTF8(utf16, FOLD_UNITS, &n16, in, (int32_t) len, &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
		return -1;

	status = U_ZERO_ERROR;
	nfolded = unorm2_normalize(normalizer, utf16, n16, folded, FOLD_UNITS, &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
		return -1;

	/* Trim Unicode white space; NFKC already mapped U+3000 etc. to spaces. */
	end = nfolded;
	while (start < end && u_isUWhiteSpace(folded[start]))
		start++;
	while (end > start && u_isUWhiteSpace(folded[end - 1]))
		end--;

	status = U_ZERO_ERROR;
	u_strToUTF8(out, (int32_t) cap, &nout, folded + start, end - start, &status);
	if (U_FAILURE(status))
		return -1;
	return nout;
}

/* Longest locale name worth resolving; longer ones fall back to English. */
#define LOCALE_MAX 96

static bj_label_lang
resolve_locale(const char *locale)
{
	char		canonical[ULOC_FULLNAME_CAPACITY];
	char		likely[ULOC_FULLNAME_CAPACITY];
	char		script[ULOC_SCRIPT_CAPACITY];
	UErrorCode	status = U_ZERO_ERROR;

	uloc_canonicalize(locale, canonical, sizeof(canonical), &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
		return BJ_LANG_EN;

	uloc_addLikelySubtags(canonical, likely, sizeof(likely), &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
		return BJ_LANG_EN;

	uloc_getScript(likely, script, sizeof(script), &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
		return BJ_LANG_EN;

	if (strcmp(script, "Hant") == 0)
		return BJ_LANG_ZH_HANT;
	if (strcmp(script, "Hans") == 0)
		return BJ_LANG_ZH_HANS;
	return BJ_LANG_EN;
}

bj_label_lang
bj_locale_lang(const char *locale)
{
	/* Labels are usually asked for one locale many times in a row. */
	static char last_locale[LOCALE_MAX + 1];
	static bj_label_lang last_lang = BJ_LANG_EN;
	static int	have_last = 0;
	size_t		len = strlen(locale);

	if (len == 0 || len > LOCALE_MAX)
		return BJ_LANG_EN;
	if (have_last && strcmp(locale, last_locale) == 0)
		return last_lang;

	last_lang = resolve_locale(locale);
	memcpy(last_locale, locale, len + 1);
	have_last = 1;
	return last_lang;
}
