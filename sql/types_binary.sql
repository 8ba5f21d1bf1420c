--
-- Binary I/O: send is one byte (the ordinal); recv checks the length and code.
--
SELECT value, journey_stage_send(value) FROM journey_stages();
SELECT value, lifecycle_phase_send(value) FROM lifecycle_phases();

-- Round trip through COPY (FORMAT binary): every value, both types, NULLs.
CREATE TABLE bin_src (id int, stage journey_stage, phase lifecycle_phase);
INSERT INTO bin_src
SELECT i, journey_stage(i % 9), lifecycle_phase(i % 5) FROM generate_series(0, 44) i;
INSERT INTO bin_src VALUES (45, NULL, NULL);
COPY bin_src TO PROGRAM 'cat > /tmp/buyerjourney_regress_binary.copy' (FORMAT binary);
CREATE TABLE bin_dst (LIKE bin_src);
COPY bin_dst FROM PROGRAM 'cat /tmp/buyerjourney_regress_binary.copy' (FORMAT binary);
SELECT count(*) AS rows,
       count(*) FILTER (WHERE s.stage IS NOT DISTINCT FROM d.stage
                          AND s.phase IS NOT DISTINCT FROM d.phase) AS identical
  FROM bin_src s JOIN bin_dst d USING (id);

-- Hand-made binary COPY streams: header, one row of one field, trailer.
-- copy_one(field) feeds a field given as octal escapes for printf.
CREATE FUNCTION copy_one(tab regclass, field text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format($q$COPY %s FROM PROGRAM %L (FORMAT binary)$q$, tab,
		'printf ''PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000\000\001' || field || '\377\377''');
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE TABLE one_stage (stage journey_stage);
CREATE TABLE one_phase (phase lifecycle_phase);
SELECT copy_one('one_stage', '\000\000\000\001\007') AS code_7,
       copy_one('one_stage', '\000\000\000\001\143') AS code_99,
       copy_one('one_stage', '\000\000\000\001\377') AS code_255,
       copy_one('one_stage', '\000\000\000\002\001\001') AS two_bytes,
       copy_one('one_stage', '\000\000\000\000') AS zero_bytes;
SELECT copy_one('one_phase', '\000\000\000\001\004') AS code_4,
       copy_one('one_phase', '\000\000\000\001\005') AS code_5;
-- Only the valid rows arrived.
SELECT * FROM one_stage;
SELECT * FROM one_phase;

COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/buyerjourney_regress_binary.copy';
