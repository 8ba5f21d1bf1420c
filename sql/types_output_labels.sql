--
-- Text output, localised labels through ICU, the value lists and helpers.
--

-- Output is the canonical English name, whatever the input spelling.
SELECT '  DECIDE '::journey_stage AS from_upper, '決策'::journey_stage AS from_hant,
       '成长期'::lifecycle_phase AS from_hans;

-- Every value with its labels.
SELECT * FROM journey_stages();
SELECT * FROM lifecycle_phases();

-- Labels per locale: ICU canonicalisation and likely subtags pick the script.
SELECT locale,
       label('define'::journey_stage, locale) AS define,
       label('no_decision'::journey_stage, locale) AS no_decision,
       label('growth'::lifecycle_phase, locale) AS growth
  FROM unnest(ARRAY['en', 'en_US', 'zh', 'zh-CN', 'zh_CN', 'zh_TW', 'zh-TW',
                    'zh-Hant-HK', 'zh-Hans-SG', 'zh_HK', 'zh-MO', 'zh-Hant',
                    'zh-Hans', 'zh_TW.UTF-8', 'yue', 'ja', 'fr-CA', '', 'xx-unknown',
                    '!!not a locale!!']) AS locale;

-- A NULL locale gives NULL.
SELECT label('define'::journey_stage, NULL) IS NULL AS null_locale;

-- Helpers: ordinal, next and previous along the main path, open/closed/won.
SELECT value, ordinal(value), value::integer AS as_integer,
       next_stage(value), previous_stage(value),
       is_open(value), is_closed(value), is_won(value)
  FROM journey_stages();
SELECT value, ordinal(value), next_phase(value), previous_phase(value), is_active(value)
  FROM lifecycle_phases();

-- Every public object carries a comment.
SELECT pg_describe_object(classid, objid, 0) AS object
  FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'buyerjourney')
   AND deptype = 'e'
   AND obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) IS NULL
   AND classid <> 'pg_cast'::regclass
   -- array and row types come with their element type or table (members of
   -- the extension themselves since PostgreSQL 17), commented there
   AND NOT (classid = 'pg_type'::regclass
            AND (SELECT typcategory = 'A' OR typrelid <> 0 FROM pg_type WHERE oid = objid))
 ORDER BY 1;
