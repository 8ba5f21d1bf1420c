/*
 * test_locale.c - locale names to label languages through ICU likely subtags.
 */
#include <string.h>

#include "bj_unicode.h"
#include "unit.h"

void
test_locale(void)
{
	static const struct
	{
		const char *locale;
		bj_label_lang lang;
	}			cases[] = {
		{"en", BJ_LANG_EN}, {"en_US", BJ_LANG_EN}, {"", BJ_LANG_EN}, {"C", BJ_LANG_EN},
		{"xx-nonsense", BJ_LANG_EN}, {"!!!", BJ_LANG_EN}, {"ja", BJ_LANG_EN},
		{"zh", BJ_LANG_ZH_HANS}, {"zh-CN", BJ_LANG_ZH_HANS}, {"zh_CN", BJ_LANG_ZH_HANS},
		{"zh-Hans-SG", BJ_LANG_ZH_HANS}, {"zh_SG", BJ_LANG_ZH_HANS}, {"zh-Hans", BJ_LANG_ZH_HANS},
		{"zh_TW", BJ_LANG_ZH_HANT}, {"zh-TW", BJ_LANG_ZH_HANT}, {"zh-Hant-HK", BJ_LANG_ZH_HANT},
		{"zh_HK", BJ_LANG_ZH_HANT}, {"zh-MO", BJ_LANG_ZH_HANT}, {"zh-Hant", BJ_LANG_ZH_HANT},
		{"zh_Hans_HK", BJ_LANG_ZH_HANS}, {"zh-Hant-CN", BJ_LANG_ZH_HANT},
		{"zh_TW.UTF-8", BJ_LANG_ZH_HANT}, {"zh_CN.UTF-8", BJ_LANG_ZH_HANS},
		{"yue", BJ_LANG_ZH_HANT},
	};
	char		longname[200];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		bj_label_lang got = bj_locale_lang(cases[i].locale);

		if (got != cases[i].lang)
			fprintf(stderr, "locale \"%s\"\n", cases[i].locale);
		CHECK_INT(got, cases[i].lang);
	}
	/* the one-entry cache answers a repeat the same way */
	CHECK_INT(bj_locale_lang("zh_TW"), BJ_LANG_ZH_HANT);
	CHECK_INT(bj_locale_lang("zh_TW"), BJ_LANG_ZH_HANT);
	memset(longname, 'z', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_INT(bj_locale_lang(longname), BJ_LANG_EN);
}
