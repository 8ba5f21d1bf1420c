--
-- A database in another encoding: ASCII names work, labels are converted
-- to the database encoding, and a label it cannot hold is a clear error.
--
SELECT current_database() AS regression_db \gset
CREATE DATABASE buyerjourney_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c buyerjourney_latin1
SET client_encoding = 'UTF8';
CREATE EXTENSION buyerjourney;
SELECT ' Explore '::journey_stage AS ascii, 'CHURNED'::lifecycle_phase AS phase;
SELECT label('explore'::journey_stage, 'en') AS en;
SELECT label('explore'::journey_stage, 'zh-CN') AS zh;
SELECT 'Éxplore'::journey_stage;
\c :regression_db
DROP DATABASE buyerjourney_latin1;
