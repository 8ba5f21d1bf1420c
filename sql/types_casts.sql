--
-- Casts: text and integer both ways, other string types through I/O, arrays.
--
SELECT 'Approve'::text::journey_stage AS from_text,
       '批准'::varchar::journey_stage AS from_varchar,
       'realize'::journey_stage::text AS to_text,
       'churned'::lifecycle_phase::varchar AS to_varchar,
       pg_typeof('realize'::journey_stage::text) AS to_text_type;

-- Text and varchar values can be assigned to a stage column (drivers that
-- send typed strings); comparisons still need an explicit cast.
CREATE TEMP TABLE typed_strings (stage journey_stage, phase lifecycle_phase);
INSERT INTO typed_strings VALUES ('DECIDE'::text, '成熟期'::varchar);
UPDATE typed_strings SET stage = 'lost'::varchar(20);
SELECT * FROM typed_strings;
SELECT * FROM typed_strings WHERE stage = 'lost'::text;

-- Assignment cast to text: a stage can be stored in a text column directly.
CREATE TEMP TABLE notes (note text);
INSERT INTO notes VALUES ('lost'::journey_stage), ('dormancy'::lifecycle_phase);
SELECT * FROM notes;

-- A text value goes through the same rules as a literal.
SELECT journey_stage(s) FROM unnest(ARRAY['UNAWARE', ' 实现 ', '丟單']) AS s;
SELECT journey_stage('nonsense'::text);

-- Integer: the ordinal, both ways; out of range is an error, not a clamp.
SELECT i, journey_stage(i), i::journey_stage::integer = i AS round_trip
  FROM generate_series(0, 8) AS i;
SELECT i::lifecycle_phase FROM generate_series(0, 4) AS i;
SELECT 9::journey_stage;
SELECT (-1)::journey_stage;
SELECT 5::lifecycle_phase;
SELECT 2147483647::lifecycle_phase;
-- Each with SQLSTATE 22003.
SELECT query, try_sql(query) AS result
  FROM unnest(ARRAY['SELECT 9::journey_stage', 'SELECT (-2147483648)::journey_stage',
                    'SELECT 5::lifecycle_phase', 'SELECT lifecycle_phase(-1)']) AS query;

-- No implicit casts: comparing with an integer needs an explicit cast.
SELECT 'explore'::journey_stage = 1;
SELECT 'explore'::journey_stage = 1::journey_stage AS explicit;

-- Arrays of the types.
SELECT '{explore, 定義, "SELECT"}'::journey_stage[] AS stages,
       ARRAY['growth', '成熟期']::lifecycle_phase[] AS phases;
SELECT '{explore, nonsense}'::journey_stage[];
SELECT 'decide'::journey_stage = ANY ('{explore,decide}'::journey_stage[]) AS found;

-- Values in a row and as a key of a composite type.
SELECT ROW('approve'::journey_stage, 'growth'::lifecycle_phase)::text AS row_text;
