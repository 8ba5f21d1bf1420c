// buyerjourney through node-postgres (npm "pg"): both types written and read
// in text and binary mode, named prepared statements, arrays of the types,
// aggregate results, and the error fields of a transition the trigger
// refuses.  Connects with the libpq environment over TCP 127.0.0.1:PGPORT,
// works in a database of its own that it drops, prints one line per check
// and "N passed, N failed", exits non-zero on a failure.
'use strict';
const { Client, types } = require('pg');

const STAGES = ['unaware', 'explore', 'define', 'select', 'decide', 'approve', 'realize', 'lost', 'no_decision'];
const PHASES = ['introduction', 'growth', 'maturity', 'dormancy', 'churned'];
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name}: ${JSON.stringify(detail)}`); }
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
async function expectError(name, sqlstate, fn) {
  try { await fn(); } catch (e) { check(name, e.code === sqlstate, `${e.code}: ${e.message}`); return e; }
  check(name, false, `expected ${sqlstate}, no error`);
  return null;
}
const connection = (database) => ({
  host: (process.env.PGHOST || '').startsWith('/') || !process.env.PGHOST ? '127.0.0.1' : process.env.PGHOST,
  port: Number(process.env.PGPORT || 5432), user: process.env.PGUSER || 'postgres', database,
});

async function main() {
  const db = `bj_node_${process.pid}`;
  const admin = new Client(connection('postgres'));
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db} TEMPLATE template0 ENCODING 'UTF8'`);
  const c = new Client(connection(db));
  try {
    await c.connect();
    await c.query('CREATE EXTENSION buyerjourney');
    // Arrays of the types: their OIDs looked up, parsed as arrays of strings.
    const oids = await c.query("SELECT typname, oid, typarray FROM pg_type WHERE typname IN ('journey_stage', 'lifecycle_phase')");
    const parseArray = types.getTypeParser(1009); // text[]
    for (const row of oids.rows) types.setTypeParser(row.typarray, parseArray);
    check('type OIDs found at run time', oids.rowCount === 2, oids.rows);

    // Text mode: values as strings, parameters as strings (also in Chinese).
    await c.query('CREATE TABLE t (id int PRIMARY KEY, stage journey_stage, phase lifecycle_phase, stages journey_stage[])');
    for (let i = 0; i < STAGES.length; i++) {
      await c.query('INSERT INTO t VALUES ($1, $2, $3, $4)', [i, STAGES[i], PHASES[i % PHASES.length], STAGES.slice(0, i + 1)]);
    }
    const text = await c.query('SELECT stage, phase, stages FROM t ORDER BY id');
    check('text mode: every stage reads back as its name', same(text.rows.map((r) => r.stage), STAGES), text.rows);
    check('text mode: phases read back', same(text.rows.map((r) => r.phase), STAGES.map((_, i) => PHASES[i % PHASES.length])), text.rows);
    check('journey_stage[] reads back as an array of names', same(text.rows[3].stages, STAGES.slice(0, 4)), text.rows[3]);
    const zh = await c.query('SELECT $1::journey_stage AS s, label($1::journey_stage, $2) AS l', ['定義', 'zh-Hant']);
    check('a Chinese label as a parameter, the canonical name back', zh.rows[0].s === 'define', zh.rows[0]);

    // Binary mode: each value is one byte, its ordinal.  node-postgres hands
    // over a type it does not know as the raw bytes, decoded as a string;
    // a binary parser per type maps the ordinal to the name.
    const raw = await c.query({ name: 'read-raw', text: 'SELECT stage, phase FROM t ORDER BY id', binary: true });
    check('binary mode, no parser: one byte each, the ordinal',
      same(raw.rows.map((r) => [r.stage.length, r.stage.charCodeAt(0), r.phase.charCodeAt(0)]),
        STAGES.map((_, i) => [1, i, i % PHASES.length])), raw.rows);
    const ordinal = (v) => (typeof v === 'string' ? v.charCodeAt(0) : v[0]);
    for (const row of oids.rows) {
      const names = row.typname === 'journey_stage' ? STAGES : PHASES;
      types.setTypeParser(row.oid, 'binary', (v) => names[ordinal(v)]);
    }
    const bin = await c.query({ name: 'read-binary', text: 'SELECT stage, phase FROM t ORDER BY id', binary: true });
    check('binary mode with a parser: names again', same(bin.rows.map((r) => r.stage), STAGES), bin.rows);
    check('binary mode with a parser: phases too', same(bin.rows.map((r) => r.phase), STAGES.map((_, i) => PHASES[i % PHASES.length])), bin.rows);

    // Named prepared statements, executed repeatedly.
    const moves = [];
    for (const s of ['explore', 'define', 'lost']) {
      const r = await c.query({ name: 'next-of', text: 'SELECT next_stage($1::journey_stage) AS n, is_closed($1::journey_stage) AS closed', values: [s] });
      moves.push([r.rows[0].n, r.rows[0].closed]);
    }
    check('a named prepared statement, run three times', same(moves, [['define', false], ['select', false], [null, true]]), moves);

    // Errors a driver sees for bad values.
    await expectError('a bad value: 22P02', '22P02', () => c.query('SELECT $1::journey_stage', ['nowhere']));

    // Aggregate results: the state's text form, the report's rows, a summary.
    await c.query(`CREATE TABLE ev AS SELECT (g % 4)::bigint AS deal,
                     (ARRAY['explore','define','select','lost'])[1 + g / 4]::journey_stage AS stage,
                     '2025-01-01'::timestamptz + g * interval '1 day' AS at, (10 * g)::numeric AS amount
                   FROM generate_series(0, 11) g`);
    const f = await c.query('SELECT funnel(deal, stage, at) AS f FROM ev');
    check('a funnel state reads as its text form', /^[0-9a-f]+$/.test(f.rows[0].f), f.rows[0]);
    const report = await c.query('SELECT stage, entered, bar FROM funnel_report($1::funnel, false, 4)', [f.rows[0].f]);
    check('the state sent back as a parameter: funnel_report rows with bars',
      same(report.rows.filter((r) => r.entered > 0).map((r) => [r.stage, Number(r.entered), r.bar]),
        [['explore', 4, '████'], ['define', 4, '████'], ['select', 4, '████']]), report.rows);
    const s = await c.query('SELECT frequency(s), historical_value(s)::text AS v FROM (SELECT customer_summary(amount, at) AS s FROM ev) x');
    check('a customer summary read', s.rows[0].frequency === 11 && s.rows[0].v === '660', s.rows[0]);

    // The trigger's refusal: SQLSTATE and the error fields.
    await c.query("SELECT create_history_table('deal_history')");
    await c.query('CREATE TABLE deals (id int PRIMARY KEY, stage journey_stage NOT NULL)');
    await c.query(`CREATE TRIGGER deals_stage_guard AFTER INSERT OR UPDATE ON deals FOR EACH ROW
                   EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=deal_history')`);
    await c.query("INSERT INTO deals VALUES (42, 'explore')");
    const e = await expectError('forbidden move: 23514', '23514', () => c.query('UPDATE deals SET stage = $1 WHERE id = 42', ['decide']));
    if (e) {
      check('error schema', e.schema === 'public', e.schema);
      check('error table', e.table === 'deals', e.table);
      check('error column', e.column === 'stage', e.column);
      check('error constraint is the trigger', e.constraint === 'deals_stage_guard', e.constraint);
      check('message names from, to and process',
        e.message === 'journey_stage may not move from "explore" to "decide" under process "complex"', e.message);
      check('hint lists the allowed moves', e.hint === 'From "explore", process "complex" allows: unaware, define, lost, no_decision.', e.hint);
    }
    await c.query('UPDATE deals SET stage = $1 WHERE id = 42', ['define']);
    const h = await c.query('SELECT from_value, to_value FROM deal_history ORDER BY seq');
    check('history seen through the driver', same(h.rows.map((r) => [r.from_value, r.to_value]), [[null, 'explore'], ['explore', 'define']]), h.rows);
  } finally {
    await c.end();
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.end();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
main().catch((e) => { console.log(`FAIL ${e.stack}`); process.exit(1); });
