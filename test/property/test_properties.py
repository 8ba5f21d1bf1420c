#!/usr/bin/python3
"""SQL property tests: every aggregate of buyerjourney against plain SQL, and
against itself under every plan and order.

Thousands of small random cases (4-20 events, up to 7 deals, ties, exact
repeats, NULL rows, events after as_of) are loaded into one table, keyed by
case, and every property compares all cases in one statement (GROUP BY case):

  reference/<agg>/<order>  the aggregate fed with ORDER BY <key> (random,
                           clustered by deal, time-ordered, reverse time) and
                           read through its report = plain SQL written from
                           the README's definitions (the window funnel's
                           reference is a separate Python state machine,
                           ClickHouse's windowFunnel read from its docs)
  plans/<agg>              the result's text form is the same under every
                           order above, a forced parallel plan (zero
                           parallel costs, minimum sizes 0, rows of each case
                           spread over every block) and the two-level form
  tlp/<agg>                ternary logic partitioning (SQLancer): the merge
                           form over agg(p), agg(NOT p), agg(p IS NULL) = agg
                           over all rows, for a random predicate p
  roundtrip/<type>         every value produced reads back through its own
                           text input, to the same text
  reference/customer_summary(<form>)/<zone>, and the "in <zone>" variants of plans/:
                           customer summaries read the same in four time zones
  infinite/<agg>           an event at -infinity or infinity is refused (class 22), with one
                           SQLSTATE for every aggregate
  roundtrip/<type>[extreme]  amounts near the edges still read back (or are refused with 22003)

A failing property prints its smallest failing case, shrunk event by event,
as a self-contained SQL reproducer.  The seed is printed; rerun with --seed.
Connects with the libpq environment, works in a database of its own that it
drops afterwards, ends with 'N passed, N failed' and exits non-zero on a
failure.  Run with /usr/bin/python3 (the standard library and psycopg only).
"""
import argparse
from collections import Counter
import datetime as dt
import os
import random
import sys
import time
import uuid

import psycopg

STAGES = ["unaware", "explore", "define", "select", "decide", "approve", "realize", "lost", "no_decision"]
MODES = [[], ["strict_order"], ["strict_increase"], ["strict_deduplication"], ["strict_once"],
         ["strict_order", "allow_reentry"], ["strict_order", "strict_increase"],
         ["strict_deduplication", "strict_increase"], ["strict_order", "strict_deduplication"],
         ["strict_once", "strict_order"], ["strict_once", "strict_increase"],
         ["strict_once", "strict_deduplication"], ["strict_once", "strict_order", "allow_reentry"]]
ZONES = ["UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Chatham"]
BASE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
US = dt.timedelta(microseconds=1)
SHRINK_SECONDS = 1.5    # at least, per family of failing properties
SHRINK_TOTAL = 45       # in all

passed = 0
failed = 0
failures = []   # (property, reproducer)


# ---------------------------------------------------------------- cases

class Case:
    """One random set of events with its parameters."""

    serial = 0

    def __init__(self, rng, cid):
        self.cid = cid
        Case.serial += 1
        self.uid = Case.serial
        pool = rng.sample(STAGES, rng.randint(2, 9))
        ndeals = rng.randint(1, 7)
        idpool = [1, 2, 3, 4, 5, 6, 7, -3, 0, 1 << 40, (1 << 62) + 5, -(1 << 50)]
        deals = rng.sample(idpool, ndeals)
        hours = rng.choice([6, 24, 72])
        self.steps = [rng.choice(pool) for _ in range(rng.randint(1, 4))]
        # half the deals walk the steps (with steps back and skipped), so that chains get deep
        walkers = {d: 0 for d in deals if rng.random() < 0.5}
        clock = {d: rng.randint(0, hours // 2) for d in deals}
        self.events = []        # (deal, stage, at, x)
        for _ in range(rng.randint(4, 20)):
            if self.events and rng.random() < 0.15:     # an exact repeat
                d, s, a, _x = rng.choice(self.events)
            else:
                d = rng.choice(deals)
                if d in walkers and rng.random() < 0.8:
                    walkers[d] = max(0, min(len(self.steps) - 1, walkers[d] + rng.choice([-1, 0, 1, 1, 1, 2])))
                    s = self.steps[walkers[d]]
                    clock[d] += rng.choice([0, 1, 1, 2, 3])
                    a = BASE + dt.timedelta(hours=clock[d])
                else:
                    s = rng.choice(pool)
                    a = BASE + dt.timedelta(hours=rng.randint(0, hours))
                if rng.random() < 0.2:
                    a += dt.timedelta(minutes=rng.randint(1, 59), seconds=rng.randint(0, 59))
            r = rng.random()
            if r < 0.03:
                d = None
            elif r < 0.06:
                s = None
            elif r < 0.09:
                a = None
            x = rng.choice([0, 1, 2, None])
            self.events.append((d, s, a, x))
        self.rk = [rng.random() for _ in self.events]   # the random order key, kept for reproducers
        self.deals = {}         # deal -> (amount, dx)
        for d in deals:
            amount = None if rng.random() < 0.2 else round(rng.uniform(0, 10000), 2)
            if amount is not None and rng.random() < 0.1:
                amount = -amount
            self.deals[d] = (amount, rng.choice([0, 1, 2, None]))
        self.as_of = BASE + dt.timedelta(hours=rng.randint(0, hours + 4), minutes=rng.choice([0, 30]))
        self.window = rng.randint(1, max(2, hours // 2))     # hours
        self.mode = rng.choice(MODES)
        self.period = rng.choice(["day", "week", "month"])
        self.as_of_days = rng.randint(0, 2)     # a summary's as_of: days after its last purchase

    def without(self, i):
        """The same case without event i (for shrinking)."""
        c = object.__new__(Case)
        c.__dict__.update(self.__dict__)
        c.events = self.events[:i] + self.events[i + 1:]
        c.rk = self.rk[:i] + self.rk[i + 1:]
        Case.serial += 1
        c.uid = Case.serial
        return c

    def reproducer(self):
        def lit(v, cast=""):
            if v is None:
                return "NULL" + cast
            if isinstance(v, dt.datetime):
                return f"'{v.isoformat()}'::timestamptz"
            if isinstance(v, str):
                return f"'{v}'{cast}"
            return str(v) + cast
        in_order = sorted(range(len(self.events)), key=lambda i: self.rk[i])
        rows = ",\n    ".join(
            f"({lit(d, '::bigint')}, {lit(s, '::journey_stage')}, {lit(a, '::timestamptz')}, {lit(x, '::int')}, "
            f"{lit(self.deals.get(d, (None, None))[0], '::numeric')}, {k + 1})"
            for k, (d, s, a, x) in enumerate(self.events[i] for i in in_order))
        return (f"-- as_of {self.as_of.isoformat()}, window '{self.window} hours', steps '{{{','.join(self.steps)}}}', "
                f"mode '{{{','.join(self.mode)}}}', period '{self.period}'\n"
                f"-- the random order is ORDER BY k\n"
                f"CREATE TEMP TABLE ev (deal bigint, stage journey_stage, at timestamptz, x int, amount numeric, k int);\n"
                f"INSERT INTO ev VALUES\n    {rows};")


SCHEMA_IN_USE = ["cases"]     # "cases" holds every case; "probe" the one a failure is shrunk on
LOADS = [0]


def load(conn, cases, rng):
    """Load the cases into ev, dl and cp; rows in a random physical order."""
    with conn.cursor() as cur:
        cur.execute(f"SET search_path = {SCHEMA_IN_USE[0]}, public")
        cur.execute("TRUNCATE ev, dl, cp")
        LOADS[0] += 1
        rows = []
        for c in cases:
            for i, (d, s, a, x) in enumerate(c.events):
                rows.append((c.cid, i, d, s, a, c.rk[i], x))
        rng.shuffle(rows)
        with cur.copy("COPY ev (c, i, deal, stage, at, rk, x) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
        with cur.copy("COPY dl (c, deal, amount, dx) FROM STDIN") as cp:
            for c in cases:
                for d, (amount, dx) in c.deals.items():
                    cp.write_row((c.cid, d, amount, dx))
        with cur.copy("COPY cp (c, as_of, win, steps, mode, period, as_of_day) FROM STDIN") as cp:
            for c in cases:
                days = [a.date() for _d, _s, a, x in c.events if a is not None and x is not None]
                cp.write_row((c.cid, c.as_of, f"{c.window} hours",
                              "{" + ",".join(c.steps) + "}", "{" + ",".join(c.mode) + "}", c.period,
                              max(days, default=BASE.date()) + dt.timedelta(days=c.as_of_days)))
        cur.execute("ANALYZE ev, dl, cp")


SCHEMA = """
CREATE TABLE ev (c int, i int, deal bigint, stage journey_stage, at timestamptz, rk float8, x int)
    WITH (fillfactor = 10, parallel_workers = 2, autovacuum_enabled = off);
CREATE TABLE dl (c int, deal bigint, amount numeric, dx int) WITH (fillfactor = 10, parallel_workers = 2);
CREATE TABLE cp (c int PRIMARY KEY, as_of timestamptz, win interval, steps journey_stage[], mode text[], period text,
                 as_of_day date);
-- the events a one-pass aggregate sees: nothing NULL
CREATE VIEW ok AS SELECT * FROM ev WHERE deal IS NOT NULL AND stage IS NOT NULL AND at IS NOT NULL;
"""

PARALLEL = ["SET parallel_setup_cost = 0", "SET parallel_tuple_cost = 0", "SET min_parallel_table_scan_size = 0",
            "SET min_parallel_index_scan_size = 0", "SET max_parallel_workers_per_gather = 2",
            "SET enable_indexscan = off", "SET enable_bitmapscan = off"]
SERIAL = ["SET max_parallel_workers_per_gather = 0"]

ORDERS = {"random": "rk", "by_deal": "deal, rk", "by_time": "at, rk", "by_time_desc": "at DESC, rk"}


# ---------------------------------------------------------------- checking

def check(name, ncases, bad, reproducer=""):
    """Record one property: ncases compared, bad = {cid: detail}; the reproducer is shrunk from another case."""
    global passed, failed
    if not bad:
        passed += 1
        print(f"ok   {name} ({ncases} cases)")
        return
    failed += 1
    cid = min(bad)
    print(f"FAIL {name}: {len(bad)} of {ncases} cases differ; case {cid}: {bad[cid]}")
    if reproducer:
        print("     shrunk reproducer: " + reproducer.replace("\n", "\n       "))
    failures.append(name)


def session(cur, settings):
    """A clean session with these settings, reading the schema in use."""
    cur.execute("RESET ALL")
    cur.execute(f"SET search_path = {SCHEMA_IN_USE[0]}, public")
    for s in settings:
        cur.execute(s)


REFERENCE_CACHE = {}    # the reference's rows, computed once per load


def rows_by_case(conn, sql, settings=(), cache=False):
    """Run sql (first column: the case) and group the other columns by case."""
    key = (SCHEMA_IN_USE[0], LOADS[0], sql, tuple(settings))
    if cache and key in REFERENCE_CACHE:
        return REFERENCE_CACHE[key]
    out = {}
    with conn.cursor() as cur:
        session(cur, settings)
        cur.execute(sql)
        for r in cur.fetchall():
            out.setdefault(r[0], []).append(tuple(r[1:]))
    if cache:
        REFERENCE_CACHE[key] = out
    return out


def same(a, b, rel):
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        if len(ra) != len(rb):
            return False
        for x, y in zip(ra, rb):
            if x == y:
                continue
            if rel and isinstance(x, (float, int)) and isinstance(y, (float, int)) and not isinstance(x, bool):
                if abs(x - y) <= rel * max(abs(x), abs(y)):
                    continue
            if rel and x is not None and y is not None and hasattr(x, "as_tuple"):     # Decimal
                if abs(float(x) - float(y)) <= rel * max(abs(float(x)), abs(float(y))):
                    continue
            return False
    return True


def diff(conn, cases, sql_a, sql_b, settings_a=(), settings_b=(), rel=0.0, ref_b=None):
    """{cid: detail} for every case where the two queries' rows differ."""
    a = rows_by_case(conn, sql_a, settings_a)
    b = ref_b if ref_b is not None else rows_by_case(conn, sql_b, settings_b, cache=True)
    bad = {}
    for c in (k.cid for k in cases):
        ra, rb = a.get(c, []), b.get(c, [])
        if not same(ra, rb, rel):
            bad[c] = f"got {ra[:9]!r}, expected {rb[:9]!r}"
    return bad


class Suite:
    """Runs properties over the cases; a property is run(cases) -> (compared, {cid: detail})."""

    def __init__(self, conn, cases, rng, only=""):
        self.conn, self.cases, self.rng, self.only = conn, cases, rng, only
        self.loaded = {}
        self.seconds = {}
        self.shrunk = {}        # one shrunk reproducer per family of properties
        self.shrink_until = time.time() + SHRINK_TOTAL

    def run_on(self, run, cases, probe=False):
        """(compared, bad) of run over these cases alone; an error is a failure of every case."""
        SCHEMA_IN_USE[0] = "probe" if probe else "cases"
        for k, c in enumerate(cases):
            c.cid = k
        if self.loaded.get(SCHEMA_IN_USE[0]) != [c.uid for c in cases]:
            load(self.conn, cases, self.rng)
            self.loaded[SCHEMA_IN_USE[0]] = [c.uid for c in cases]
        try:
            return run(cases)
        except psycopg.Error as e:
            self.conn.rollback()
            return len(cases), {k: f"ERROR {e.sqlstate}: {str(e).strip().splitlines()[0]}" for k in range(len(cases))}

    def prop(self, name, run, cases=None):
        if self.only not in name:
            return
        cases = self.cases if cases is None else cases
        t = time.time()
        n, bad = self.run_on(run, cases)
        repro = ""
        if bad:
            if len(bad) == len(cases) and len(cases) > 1:      # an error: find one case that raises it
                sub = cases
                while len(sub) > 1:
                    half = sub[:len(sub) // 2]
                    sub = half if self.run_on(run, half, True)[1] else sub[len(sub) // 2:]
                one = sub[0]
            else:
                one = min((cases[c] for c in bad), key=lambda c: (len(c.events), c.cid))
            family = name.rsplit("/", 1)[0] if name.rsplit("/", 1)[-1] in ORDERS else name   # the orders of one reading
            if family in self.shrunk:
                repro = f"(as in {self.shrunk[family]})"
            else:
                repro = self.shrink(run, one)
                self.shrunk[family] = name
        check(name, n, bad, repro)
        self.seconds[name] = time.time() - t

    def shrink(self, run, case):
        """Remove events one at a time while the case alone still fails; its reproducer."""
        detail = self.run_on(run, [case], True)[1]
        if not detail:
            return "(the case passes alone: " + case.reproducer() + ")"
        if time.time() > self.shrink_until:
            return "(not shrunk: the shrinking budget is spent)\n" + case.reproducer()
        # a family gets a quarter of what is left of the budget, and at least SHRINK_SECONDS
        until = min(self.shrink_until, time.time() + max(SHRINK_SECONDS, (self.shrink_until - time.time()) / 4))
        progress = True
        while progress and time.time() < until:
            progress = False
            for i in range(len(case.events)):
                cand = case.without(i)
                got = self.run_on(run, [cand], True)[1]
                if got:
                    case, detail, progress = cand, got, True
                    break
        return f"{detail[0]}\n" + case.reproducer()


# ---------------------------------------------------------------- references in plain SQL

# Per deal of each case: the stages entered, where it is now (the latest event;
# at equal times the higher stage), the lowest and highest of unaware..realize.
DEALS_REF = """
deals AS (
    SELECT c, deal, array_agg(DISTINCT stage) AS stages,
           (array_agg(stage ORDER BY at DESC, stage DESC))[1] AS now_at,
           min(stage) FILTER (WHERE stage <= 'realize') AS lo,
           max(stage) FILTER (WHERE stage <= 'realize') AS hi,
           min(at) AS first_at, max(at) AS last_at
      FROM ok GROUP BY c, deal)"""

# funnel_report(f, count_skipped) for both readings; "the first and the
# furthest of unaware ... realize they entered" is read as the lowest and the
# highest of those stages (not the stage of the earliest event).
FUNNEL_REPORT_REF = """
WITH """ + DEALS_REF + """,
marks AS (
    SELECT d.c, s.stage, k.skipped,
           s.stage = ANY (stages) OR (k.skipped AND s.stage <= 'realize' AND s.stage BETWEEN lo AND hi) AS entered,
           CASE WHEN s.stage < 'realize' THEN hi > s.stage END AS beyond,
           now_at = s.stage AS here
      FROM deals d, (SELECT value AS stage FROM journey_stages()) s, (VALUES (false), (true)) k(skipped))
SELECT c, skipped, stage, count(*) FILTER (WHERE entered) AS entered,
       CASE WHEN stage < 'realize' THEN count(*) FILTER (WHERE entered AND beyond) END AS moved_on,
       (CASE WHEN stage < 'realize' THEN count(*) FILTER (WHERE entered AND beyond) END)::float8
           / nullif(count(*) FILTER (WHERE entered), 0) AS conversion,
       count(*) FILTER (WHERE entered)::float8 / count(*) AS cumulative,
       count(*) FILTER (WHERE here AND NOT skipped) + count(*) FILTER (WHERE here AND skipped) AS current
  FROM marks GROUP BY c, skipped, stage ORDER BY c, skipped, stage"""

FUNNEL_OUTCOMES_REF = """
WITH """ + DEALS_REF + """,
n AS (SELECT c, count(*) AS deals, count(*) FILTER (WHERE now_at <= 'approve') AS open,
             count(*) FILTER (WHERE now_at = 'realize') AS won, count(*) FILTER (WHERE now_at = 'lost') AS lost,
             count(*) FILTER (WHERE now_at = 'no_decision') AS no_decision
        FROM deals GROUP BY c)
SELECT c, deals, open, won, lost, no_decision, won::float8 / nullif(won + lost + no_decision, 0),
       lost::float8 / nullif(won + lost + no_decision, 0), no_decision::float8 / nullif(won + lost + no_decision, 0)
  FROM n ORDER BY c"""


def funnel_report_of(state_sql):
    """state_sql yields (c, f funnel): its report in both readings, as the reference's rows.  A
    group whose rows all have a NULL gives an empty funnel (0 deals) where the reference has none:
    both mean "no deals"."""
    return f"""
SELECT s.c, k.skipped, r.stage, r.entered, r.moved_on, r.conversion, r.cumulative, r.current
  FROM ({state_sql}) s(c, f), (VALUES (false), (true)) k(skipped), funnel_report(s.f, k.skipped) r
 WHERE (funnel_outcomes(s.f)).deals > 0 ORDER BY 1, 2, 3"""


def funnel_outcomes_of(state_sql):
    return f"""SELECT s.c, (funnel_outcomes(s.f)).* FROM ({state_sql}) s(c, f)
                WHERE (funnel_outcomes(s.f)).deals > 0 ORDER BY 1"""


# time_in_stage(deal, stage, at, as_of): visits before as_of.  A visit starts
# at an event whose stage differs from the deal's event before it (events in
# (at, stage) order) and ends at the next visit's start; means exact, rounded
# half away from zero to the microsecond.
VISITS_REF = """
seen AS (SELECT DISTINCT ok.c, deal, stage, at, cp.as_of FROM ok JOIN cp USING (c) WHERE at < cp.as_of),
starts AS (SELECT *, lag(stage) OVER (PARTITION BY c, deal ORDER BY at, stage) AS before FROM seen),
visits AS (SELECT c, deal, stage, at AS entered_at, as_of,
                  lead(at) OVER (PARTITION BY c, deal ORDER BY at, stage) AS left_at
             FROM starts WHERE before IS DISTINCT FROM stage)"""

US_OF = "(extract(epoch FROM {}) * 1000000)"

TIME_IN_STAGE_REF = """
WITH """ + VISITS_REF + """,
per AS (SELECT c, stage, count(*) AS visits, count(left_at) AS moved_on,
               sum(""" + US_OF.format("left_at - entered_at") + """) AS to_next,
               count(*) FILTER (WHERE left_at IS NULL) AS still_there,
               sum(""" + US_OF.format("as_of - entered_at") + """) FILTER (WHERE left_at IS NULL) AS so_far
          FROM visits GROUP BY c, stage)
SELECT c, stage, visits, moved_on, round(to_next / nullif(moved_on, 0)), still_there,
       round(so_far / nullif(still_there, 0)), round((coalesce(to_next, 0) + coalesce(so_far, 0)) / visits)
  FROM per ORDER BY c, stage"""


def time_in_stage_report_of(state_sql):
    return f"""
SELECT s.c, r.stage, r.visits, r.moved_on, {US_OF.format('r.avg_to_next')}, r.still_there,
       {US_OF.format('r.avg_so_far')}, {US_OF.format('r.avg_visit')}
  FROM ({state_sql}) s(c, d), time_in_stage_report(s.d) r WHERE s.d IS NOT NULL ORDER BY 1, 2"""


# pipeline_velocity over one journey per deal, amounts per deal.
VELOCITY_REF = """
WITH """ + DEALS_REF + """,
n AS (SELECT d.c, count(*) AS deals, count(*) FILTER (WHERE now_at <= 'approve') AS open_deals,
             count(*) FILTER (WHERE now_at = 'realize') AS won,
             count(*) FILTER (WHERE now_at >= 'realize') AS closed,
             avg(amount) FILTER (WHERE now_at = 'realize') AS size,
             avg(extract(epoch FROM last_at - first_at) / 86400) FILTER (WHERE now_at = 'realize') AS cycle
        FROM deals d JOIN dl USING (c, deal) GROUP BY d.c)
SELECT c, deals, open_deals, won, won::float8 / nullif(closed, 0), size::float8, cycle::float8,
       (open_deals * size * won / nullif(closed, 0) / nullif(cycle, 0))::float8
  FROM n ORDER BY c"""

VELOCITY_OF = """SELECT s.c, (velocity_report(s.v)).* FROM ({}) s(c, v) WHERE s.v IS NOT NULL ORDER BY 1"""

# journeys and timelines, one per (case, deal)
JOURNEY_REF = """
WITH """ + DEALS_REF + """,
firsts AS (SELECT DISTINCT ON (c, deal) c, deal, stage FROM ok ORDER BY c, deal, at, stage)
SELECT d.c, d.deal, f.stage, d.first_at, d.now_at, d.last_at,
       (SELECT array_agg(s ORDER BY s) FROM unnest(d.stages) s)
  FROM deals d JOIN firsts f USING (c, deal) ORDER BY 1, 2"""

JOURNEY_OF = """SELECT s.c, s.deal, first_stage(s.j), first_at(s.j), last_stage(s.j), last_at(s.j), stages_entered(s.j)
  FROM ({}) s(c, deal, j) ORDER BY 1, 2"""

# stage_visits(timeline, as_of) with as_of after every event of the case
TL_AS_OF = "'2026-02-01'::timestamptz"
STAGE_VISITS_REF = """
WITH seen AS (SELECT DISTINCT c, deal, stage, at FROM ok),
starts AS (SELECT *, lag(stage) OVER (PARTITION BY c, deal ORDER BY at, stage) AS before FROM seen),
visits AS (SELECT c, deal, stage, at AS entered_at,
                  lead(at) OVER (PARTITION BY c, deal ORDER BY at, stage) AS left_at,
                  lead(stage) OVER (PARTITION BY c, deal ORDER BY at, stage) AS next_stage
             FROM starts WHERE before IS DISTINCT FROM stage)
SELECT c, deal, stage, entered_at, left_at, coalesce(left_at, """ + TL_AS_OF + """) - entered_at, next_stage
  FROM visits ORDER BY c, deal, entered_at, stage"""

STAGE_VISITS_OF = """SELECT s.c, s.deal, v.stage, v.entered_at, v.left_at, v.duration, v.next_stage
  FROM ({}) s(c, deal, t), stage_visits(s.t, """ + TL_AS_OF + """) v ORDER BY 1, 2, 4, 3"""

# customer_summary(amount, at [, period [, zone]]) with each case one customer
SUMMARY_PERIOD = {"day": "{}", "week": "date_trunc('week', {})::date", "month": "date_trunc('month', {})::date"}
SUMMARY_AMOUNT = "(ev.x * 1000 + ev.i * 7.25 - 20)::numeric"
SUMMARY_UNIT = {"day": "'1 day'::interval", "week": "'1 week'::interval", "month": "'1 month'::interval"}


def summary_ref(day_sql, as_of_day="cp.as_of_day"):
    """The readers of a customer's summary; day_sql is the civil day of a purchase."""
    per = " ".join(f"WHEN '{p}' THEN {SUMMARY_PERIOD[p].format('day')}" for p in SUMMARY_PERIOD)
    per_as_of = " ".join(f"WHEN '{p}' THEN {SUMMARY_PERIOD[p].format('as_of_day')}" for p in SUMMARY_PERIOD)
    return f"""
WITH buys AS (SELECT ev.c, cp.period, {SUMMARY_AMOUNT} AS amount, {day_sql} AS day, {as_of_day} AS as_of_day
                FROM ev JOIN cp USING (c) WHERE ev.x IS NOT NULL AND ev.at IS NOT NULL),
p AS (SELECT c, period, CASE period {per} END AS pd, CASE period {per_as_of} END AS as_of_pd, amount FROM buys),
per AS (SELECT c, period, pd, as_of_pd, sum(amount) AS amount FROM p GROUP BY c, period, pd, as_of_pd),
s AS (SELECT c, period, count(*) AS periods, sum(amount) AS total, min(pd) AS first_pd, max(pd) AS last_pd,
             max(as_of_pd) AS as_of_pd, (array_agg(amount ORDER BY pd))[1] AS first_amount
        FROM per GROUP BY c, period)
SELECT c, periods, periods - 1, total,
       CASE WHEN periods > 1 THEN (total - first_amount) / (periods - 1) ELSE 0 END,
       CASE period WHEN 'day' THEN (last_pd - first_pd)::float8 WHEN 'week' THEN (last_pd - first_pd) / 7.0
            ELSE ((extract(year FROM last_pd) - extract(year FROM first_pd)) * 12
                  + extract(month FROM last_pd) - extract(month FROM first_pd))::float8 END,
       CASE period WHEN 'day' THEN (as_of_pd - first_pd)::float8 WHEN 'week' THEN (as_of_pd - first_pd) / 7.0
            ELSE ((extract(year FROM as_of_pd) - extract(year FROM first_pd)) * 12
                  + extract(month FROM as_of_pd) - extract(month FROM first_pd))::float8 END
  FROM s ORDER BY c"""




def summary_of(state_sql, as_of_sql):
    """Readers of summaries (c, s, period) from state_sql; as_of_sql reads its as_of."""
    units = " ".join(f"WHEN '{p}' THEN {SUMMARY_UNIT[p]}" for p in SUMMARY_UNIT)
    return f"""
SELECT q.c, purchase_periods(q.s), frequency(q.s), historical_value(q.s), mean_repeat_spend(q.s),
       recency(q.s, CASE q.period {units} END), customer_age(q.s, {as_of_sql}, CASE q.period {units} END)
  FROM ({state_sql}) q(c, s, period) JOIN cp USING (c) WHERE q.s IS NOT NULL ORDER BY 1"""


# ---------------------------------------------------------------- the window funnel's reference

def window_funnel_ref(events, window, steps, mode):
    """ClickHouse's windowFunnel (AggregateFunctionWindowFunnel), over one deal's
    events [(at, stage)] (exact duplicates once), returning (depth, step times).
    ClickHouse makes one (time, condition number) pair for each step an event
    meets (with strict_order, condition 0 for an event at no step) and sorts the
    pairs by time, then condition: events at one instant are read in step order.
    Without strict_once each level keeps one chain, replaced by each new match;
    with strict_once an event is used at most once in a chain and every chain is
    kept.  The step times (ours, not ClickHouse's) are those of the first chain
    to reach the deepest level: when several reach it at one pair, the latest
    start, then the latest steps counted back from the last."""
    order, increase = "strict_order" in mode, "strict_increase" in mode
    dedup, reentry, once = "strict_deduplication" in mode, "allow_reentry" in mode, "strict_once" in mode
    n = len(steps)
    flat = []   # (at, step index or -1, event id)
    for k, (at, stage) in enumerate(sorted(set(events), key=lambda e: (e[0], STAGES.index(e[1])))):
        idx = [i for i, s in enumerate(steps) if s == stage]
        if not idx and order:
            flat.append((at, -1, k))
        flat.extend((at, i, k) for i in idx)
    flat.sort(key=lambda p: (p[0], p[1]))
    if not flat:
        return 0, []
    if not order and n == 1:
        return 1, [flat[0][0]]
    levels = [[] for _ in range(n)]      # per level: chains, each a list of (at, event id)
    first_times = [None] * n             # per level: the times of the first chain to reach it

    def deepest():
        for lv in range(n, 0, -1):
            if levels[lv - 1]:
                return lv, first_times[lv - 1]
        return 0, []

    def reached(i, new_chains):
        if first_times[i] is None and new_chains:
            best = max(new_chains, key=lambda c: (c[0][0], [a for a, _k in reversed(c)]))
            first_times[i] = [a for a, _k in best]

    started = False
    for at, i, k in flat:
        if i == -1:
            if started:
                break
            continue
        if i == 0:
            levels[0] = (levels[0] if once else []) + [[(at, k)]]
            reached(0, [[(at, k)]])
            started = True
        elif dedup and levels[i]:
            return deepest()
        elif order and started and not levels[i - 1]:
            if reentry:
                continue
            return deepest()
        elif levels[i - 1]:
            made = []
            for chain in list(levels[i - 1]) if once else levels[i - 1][-1:]:
                ok = at <= chain[0][0] + window
                if once:
                    ok = ok and all(ek != k for _a, ek in chain)
                if increase:
                    ok = ok and chain[-1][0] < at
                if ok:
                    made.append(chain + [(at, k)])
            if made:
                levels[i] = (levels[i] if once else []) + made
            reached(i, made)
            if made and i + 1 == n:
                return deepest()
    return deepest()


def window_funnel_expected(case):
    """window_funnel_report's rows for a case, from window_funnel_ref per deal."""
    per_deal = {}
    for d, s, a, _x in case.events:
        if d is not None and s is not None and a is not None:
            per_deal.setdefault(d, []).append((a, s))
    if not per_deal:
        return []
    window = dt.timedelta(hours=case.window)
    chains = [window_funnel_ref(evs, window, case.steps, case.mode) for evs in per_deal.values()]
    rows = []
    before = len(per_deal)
    first = None
    for k, stage in enumerate(case.steps):
        reached = [times for depth, times in chains if depth > k]
        n = len(reached)
        first = n if k == 0 else first
        total = sum(((t[k] - t[k - 1]) // US for t in reached), 0) if k > 0 else None
        avg = None if k == 0 or n == 0 else str((abs(total) * 2 + n) // (2 * n) * (1 if total >= 0 else -1))
        rows.append((k + 1, stage, n, n / before if before else None, n / first if first else None, avg))
        before = n
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=3000, help="random cases per property (default 3000)")
    ap.add_argument("--seed", type=int, default=None, help="the seed (default: from the clock, printed)")
    ap.add_argument("--only", default="", help="run only the properties whose name contains this")
    ap.add_argument("--shrink-seconds", type=float, default=SHRINK_TOTAL, help="time to shrink failures in (default 45)")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int(time.time() * 1000) % 1000000007
    print(f"seed {seed}, {args.cases} cases (rerun: test/property/test_properties.py --seed {seed} --cases {args.cases})")
    rng = random.Random(seed)
    cases = [Case(rng, k) for k in range(args.cases)]
    started = time.time()

    dbname = "bj_property_" + uuid.uuid4().hex[:8]
    with psycopg.connect(dbname=os.environ.get("PGDATABASE", "postgres"), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {dbname}")
    try:
        with psycopg.connect(dbname=dbname, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION buyerjourney")
            # funnel_distributed's state itself (no final function), to merge states by hand
            conn.execute("CREATE AGGREGATE public.funnel_state(bigint, journey_stage, timestamptz) "
                         "(SFUNC = deal_mark_run_add, STYPE = deal_mark_run)")
            # the _colocated aggregates' states (summarised as they leave), and a merge of states
            conn.execute("CREATE AGGREGATE public.whole_durations_state(bigint, journey_stage, timestamptz, timestamptz) "
                         "(SFUNC = deal_event_run_add_durations_whole, STYPE = deal_event_run)")
            conn.execute("CREATE AGGREGATE public.whole_window_state(bigint, journey_stage, timestamptz, interval, "
                         "journey_stage[], text[]) (SFUNC = deal_event_run_add_window_whole, STYPE = deal_event_run)")
            conn.execute("CREATE AGGREGATE public.event_runs_merged(deal_event_run) "
                         "(SFUNC = deal_event_run_merge, STYPE = deal_event_run)")
            conn.execute("CREATE AGGREGATE public.whole_funnel_state(bigint, journey_stage, timestamptz) "
                         "(SFUNC = deal_mark_run_add_whole, STYPE = deal_mark_run)")
            conn.execute("CREATE AGGREGATE public.mark_runs_merged(deal_mark_run) "
                         "(SFUNC = deal_mark_run_merge, STYPE = deal_mark_run)")
            for schema in ("cases", "probe"):
                conn.execute(f"CREATE SCHEMA {schema}")
                conn.execute(f"SET search_path = {schema}, public")
                conn.execute(SCHEMA)
            suite = Suite(conn, cases, rng, args.only)
            suite.shrink_until = time.time() + args.shrink_seconds
            run_properties(suite, rng)
            slow = sorted(suite.seconds.items(), key=lambda kv: -kv[1])[:5]
            print("slowest: " + ", ".join(f"{k} {v:.1f} s" for k, v in slow))
    finally:
        with psycopg.connect(dbname=os.environ.get("PGDATABASE", "postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
    print(f"({time.time() - started:.0f} s, seed {seed})")
    if failures:
        print("failed properties: " + " ".join(failures))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def plans(suite, name, variants, single=False):
    """plans/<name>: every variant (label -> (sql, settings)) gives the same rows as the first;
    single: one group over every case (its rows are keyed 0)."""
    conn = suite.conn

    def run(cases):
        if single:
            cases = cases[:1]
        labels = list(variants)
        base = rows_by_case(conn, variants[labels[0]][0], variants[labels[0]][1])
        bad = {}
        for label in labels[1:]:
            sql, settings = variants[label]
            if settings is PARALLEL:
                with conn.cursor() as cur:
                    session(cur, settings)
                    cur.execute("EXPLAIN " + sql)
                    plan = "\n".join(r[0] for r in cur.fetchall())
                if "Partial" not in plan and (single or len(cases) >= 100):   # (a case alone may be planned serial)
                    return len(cases), {c.cid: f"{label}: no partial aggregate in\n{plan}" for c in cases}
            for c, d in diff(conn, cases, sql, None, settings, ref_b=base).items():
                bad.setdefault(c, f"{label} vs {labels[0]}: {d}")
        return len(cases), bad
    suite.prop(f"plans/{name}", run)


def reference(suite, name, of_state, state_by_order, ref_sql, rel=0.0, cases=None):
    """reference/<name>/<order>: the report of the state fed in each order = plain SQL."""
    for order, key in ORDERS.items():
        sql = of_state(state_by_order(f" ORDER BY {key}"))
        suite.prop(f"reference/{name}/{order}",
                   lambda cs, sql=sql: (len(cs), diff(suite.conn, cs, sql, ref_sql, rel=rel)), cases)


def roundtrip(suite, typename, state_sql, label=""):
    """roundtrip/<type>: x::text::type::text = x::text for every value produced."""
    sql = f"""SELECT c, v::text FROM ({state_sql}) s(c, v)
               WHERE v IS NOT NULL AND v::text IS DISTINCT FROM v::text::{typename}::text"""
    suite.prop(f"roundtrip/{typename}{label}", lambda cs: (len(cs), {c: f"{v[0][0]} reads back differently" for c, v in
                                                              rows_by_case(suite.conn, sql).items()}))


def colocated_split_refused(conn, cases):
    """Per case with a deal of two events or more: its events split by row over two states, shipped
    summarised as text (a table whose deals are not whole on each shard), must not merge: 22023."""
    split = [c for c in cases if any(n > 1 for n in Counter(d for d, s, a, _x in c.events
                                                             if d is not None and s is not None and a is not None).values())]
    bad = {}
    for c in split[:200]:
        try:
            with conn.transaction():
                conn.execute(
                    "SELECT deal_event_run_durations(event_runs_merged(s::text::deal_event_run)) FROM (SELECT whole_durations_state("
                    "deal, stage, at, as_of) AS s FROM (SELECT ok.*, cp.as_of, row_number() OVER (PARTITION BY "
                    "ok.deal ORDER BY ok.i) %% 2 AS half FROM ok JOIN cp USING (c) WHERE c = %s) e GROUP BY half) x",
                    (c.cid,))
            bad[c.cid] = "merged, not refused"
        except psycopg.errors.InvalidParameterValue:
            pass
    return min(len(split), 200), bad


def tlp(suite, name, whole_sql, parts_sql):
    """tlp/<name>: merge(agg(p), agg(NOT p), agg(p IS NULL)) = agg(all), as text."""
    suite.prop(f"tlp/{name}", lambda cs: (len(cs), diff(suite.conn, cs, parts_sql, whole_sql)))


def one_deal(suite, agg, p_row, parts):
    """plans/, tlp/ and roundtrip/ of an aggregate of one deal's events, agg(stage, at), whose merge
    form agg(agg) rolls parts of one deal up: per (case, deal), the parts split by an event column."""
    by = lambda o: f"SELECT c, deal, {agg}(stage, at{o}) FROM ok GROUP BY c, deal"
    text = lambda sql: f"SELECT c, deal::text || ' ' || v::text FROM ({sql}) s(c, deal, v) ORDER BY 1, 2"
    plans(suite, agg, {
        "serial": (text(by("")), SERIAL),
        **{o: (text(by(f" ORDER BY {key}")), SERIAL) for o, key in ORDERS.items()},
        "parallel": (text(by("")), PARALLEL),
        f"two-level {agg}({agg})": (text(f"SELECT c, deal, {agg}(v) FROM (SELECT c, deal, x, {agg}(stage, at) v "
                                         f"FROM ok GROUP BY c, deal, x) q GROUP BY c, deal"), SERIAL),
    })
    tlp(suite, f"{agg}({agg})", text(by("")),
        parts(f"{agg}(ev.stage, ev.at)", agg, p_row, "ok ev", "ev.c, ev.deal").replace(
            "SELECT c, (SELECT", "SELECT c, deal::text || ' ' || (SELECT").replace("ORDER BY 1", "ORDER BY 1, 2"))
    roundtrip(suite, agg, f"SELECT c, {agg}(stage, at) FROM ok GROUP BY c, deal")


def run_properties(suite, rng):
    conn = suite.conn
    op, k = rng.choice(["<", "<=", "=", "<>", ">"]), rng.randint(0, 2)
    p_deal = f"dl.dx {op} {k}"
    p_row = f"ev.x {op} {k}"
    print(f"predicates: deal-level p = ({p_deal}), event-level p = ({p_row})")

    def parts(agg, merge, pred, frm, group):
        return f"""SELECT c, (SELECT {merge}(v) FROM (VALUES (a), (b), (n)) t(v))::text FROM (
                     SELECT {group}, {agg} FILTER (WHERE {pred}) AS a, {agg} FILTER (WHERE NOT ({pred})) AS b,
                            {agg} FILTER (WHERE ({pred}) IS NULL) AS n
                       FROM {frm} GROUP BY {group}) q ORDER BY 1"""

    # ---- funnel(deal, stage, at), funnel(journey), funnel(funnel)
    f_events = "funnel(ev.deal, ev.stage, ev.at{})"
    by_order = lambda o: f"SELECT c, {f_events.format(o)} FROM ev GROUP BY c"
    reference(suite, "funnel_report", funnel_report_of, by_order, FUNNEL_REPORT_REF)
    reference(suite, "funnel_outcomes", funnel_outcomes_of, by_order, FUNNEL_OUTCOMES_REF)
    per_deal_funnels = "SELECT c, deal, funnel(ev.deal, ev.stage, ev.at) AS f FROM ev GROUP BY c, deal"
    journeys = "SELECT c, deal, journey(stage, at) AS j FROM ok GROUP BY c, deal"
    suite.prop("reference/funnel_report/funnel(journey)",
               lambda cs: (len(cs), diff(conn, cs, funnel_report_of(f"SELECT c, funnel(j) FROM ({journeys}) x GROUP BY c"),
                                         FUNNEL_REPORT_REF)))
    text = lambda sql: f"SELECT c, v::text FROM ({sql}) s(c, v) ORDER BY 1"
    # an empty funnel (every row ignored) and no funnel (two-level: no journey) both mean no deals
    funnel_text = lambda sql: (f"SELECT c, v::text FROM ({sql}) s(c, v) "
                               f"WHERE v IS NOT NULL AND (funnel_outcomes(v)).deals > 0 ORDER BY 1")
    plans(suite, "funnel(deal,stage,at)", {
        "serial": (funnel_text(by_order("")), SERIAL),
        **{o: (funnel_text(by_order(f" ORDER BY {key}")), SERIAL) for o, key in ORDERS.items()},
        "parallel": (funnel_text(by_order("")), PARALLEL),
        "two-level funnel(funnel)": (funnel_text(f"SELECT c, funnel(f) FROM ({per_deal_funnels}) x GROUP BY c"), SERIAL),
        "two-level funnel(journey)": (funnel_text(f"SELECT c, funnel(j) FROM ({journeys}) x GROUP BY c"), SERIAL),
        "two-level parallel": (funnel_text(f"SELECT c, funnel(f) FROM ({per_deal_funnels}) x GROUP BY c"), PARALLEL),
        # the concrete twin (for Citus): the same funnel, its state through text and merges
        **{f"twin funnel_distributed {o}": (funnel_text(
            f"SELECT c, funnel_distributed(ev.deal, ev.stage, ev.at ORDER BY {key}) FROM ev GROUP BY c"), SERIAL)
           for o, key in list(ORDERS.items())[::2]},
        "twin funnel_distributed parallel": (funnel_text(
            "SELECT c, funnel_distributed(ev.deal, ev.stage, ev.at) FROM ev GROUP BY c"), PARALLEL),
        "twin funnel_distributed through text": (funnel_text(
            "SELECT c, deal_mark_run_funnel(m::text::deal_mark_run) FROM (SELECT c, "
            "deal_mark_run_merge(a, b) AS m FROM (SELECT c, "
            "funnel_state(ev.deal, ev.stage, ev.at) FILTER (WHERE ev.deal % 2 = 0) AS a, "
            "funnel_state(ev.deal, ev.stage, ev.at) FILTER (WHERE ev.deal % 2 <> 0) AS b "
            "FROM ev GROUP BY c) x) y"), SERIAL),
        **{f"funnel_colocated {o}": (funnel_text(
            f"SELECT c, funnel_colocated(ev.deal, ev.stage, ev.at ORDER BY {key}) FROM ev GROUP BY c"), SERIAL)
           for o, key in list(ORDERS.items())[1::2]},
        "funnel_colocated parallel": (funnel_text(
            "SELECT c, funnel_colocated(ev.deal, ev.stage, ev.at) FROM ev GROUP BY c"), PARALLEL),
        "funnel_colocated, shards merged through text": (funnel_text(
            "SELECT c, deal_mark_run_funnel(mark_runs_merged(s::text::deal_mark_run ORDER BY shard DESC)) "
            "FROM (SELECT c, hashint8(ev.deal) & 3 AS shard, whole_funnel_state(ev.deal, ev.stage, ev.at) AS s "
            "FROM ev GROUP BY c, 2) x GROUP BY c"), SERIAL),
    })
    tlp(suite, "funnel(funnel)", text(by_order("")),
        parts(f_events.format(""), "funnel", p_deal, "ev LEFT JOIN dl USING (c, deal)", "ev.c"))
    roundtrip(suite, "funnel", by_order(""))

    # ---- journey(stage, at), journey(journey)
    suite.prop("reference/journey", lambda cs: (len(cs), diff(conn, cs, JOURNEY_OF.format(journeys), JOURNEY_REF)))
    one_deal(suite, "journey", p_row, parts)

    # ---- pipeline_velocity(journey, amount), pipeline_velocity(velocity)
    vj = f"SELECT j.c, j.deal, j.j, dl.amount, dl.dx FROM ({journeys}) j JOIN dl USING (c, deal)"
    v_by = lambda o: f"SELECT c, pipeline_velocity(j, amount{o}) FROM ({vj}) q GROUP BY c"
    for order, key in {"random": "random()", "by_deal": "deal", "by_deal_desc": "deal DESC"}.items():
        suite.prop(f"reference/velocity_report/{order}",
                   lambda cs, key=key: (len(cs), diff(conn, cs, VELOCITY_OF.format(v_by(f" ORDER BY {key}")),
                                                      VELOCITY_REF, rel=1e-12)))
    plans(suite, "pipeline_velocity", {
        "serial": (text(v_by("")), SERIAL),
        "by_deal": (text(v_by(" ORDER BY deal")), SERIAL),
        "by_deal_desc": (text(v_by(" ORDER BY deal DESC")), SERIAL),
        "by_amount": (text(v_by(" ORDER BY amount, deal")), SERIAL),
        "parallel": (text(v_by("")), PARALLEL),
        "two-level pipeline_velocity(velocity)": (
            text(f"SELECT c, pipeline_velocity(v ORDER BY deal DESC) FROM (SELECT c, deal, pipeline_velocity(j, amount) v "
                 f"FROM ({vj}) q GROUP BY c, deal) x GROUP BY c"), SERIAL),
    })
    tlp(suite, "pipeline_velocity(velocity)", text(v_by("")),
        parts("pipeline_velocity(j, amount)", "pipeline_velocity", p_deal.replace("dl.", "q."), f"({vj}) q", "c"))
    roundtrip(suite, "velocity", v_by(""))

    # ---- time_in_stage(deal, stage, at, as_of), time_in_stage(stage_durations)
    t_events = "time_in_stage(ev.deal, ev.stage, ev.at, cp.as_of{})"
    t_by = lambda o: f"SELECT c, {t_events.format(o)} FROM ev JOIN cp USING (c) GROUP BY c"
    reference(suite, "time_in_stage_report", time_in_stage_report_of, t_by, TIME_IN_STAGE_REF)
    per_deal_t = f"SELECT c, deal, {t_events.format('')} AS d FROM ev JOIN cp USING (c) GROUP BY c, deal"
    plans(suite, "time_in_stage", {
        "serial": (text(t_by("")), SERIAL),
        **{o: (text(t_by(f" ORDER BY {key}")), SERIAL) for o, key in ORDERS.items()},
        "parallel": (text(t_by("")), PARALLEL),
        "two-level time_in_stage(stage_durations)": (text(f"SELECT c, time_in_stage(d) FROM ({per_deal_t}) x GROUP BY c"),
                                                     SERIAL),
        **{f"twin time_in_stage_distributed {o}": (text(
            f"SELECT c, time_in_stage_distributed(ev.deal, ev.stage, ev.at, cp.as_of ORDER BY {key}) "
            f"FROM ev JOIN cp USING (c) GROUP BY c"), SERIAL) for o, key in list(ORDERS.items())[::2]},
        "twin time_in_stage_distributed parallel": (text(
            "SELECT c, time_in_stage_distributed(ev.deal, ev.stage, ev.at, cp.as_of) FROM ev JOIN cp USING (c) GROUP BY c"),
            PARALLEL),
        # for tables whose deals are whole on each shard: serial, and the shards' summarised states merged
        **{f"time_in_stage_colocated {o}": (text(
            f"SELECT c, time_in_stage_colocated(ev.deal, ev.stage, ev.at, cp.as_of ORDER BY {key}) "
            f"FROM ev JOIN cp USING (c) GROUP BY c"), SERIAL) for o, key in list(ORDERS.items())[1::2]},
        "time_in_stage_colocated parallel (marks and events kept in PostgreSQL's partial aggregation)": (text(
            "SELECT c, time_in_stage_colocated(ev.deal, ev.stage, ev.at, cp.as_of) FROM ev JOIN cp USING (c) GROUP BY c"),
            PARALLEL),
        "time_in_stage_colocated, shards merged through text": (text(
            "SELECT c, deal_event_run_durations(event_runs_merged(s::text::deal_event_run ORDER BY shard DESC)) "
            "FROM (SELECT c, hashint8(ev.deal) & 3 AS shard, whole_durations_state(ev.deal, ev.stage, ev.at, cp.as_of) AS s "
            "FROM ev JOIN cp USING (c) GROUP BY c, 2) x GROUP BY c"), SERIAL),
    })
    # ... and a deal split over two of those states is refused (22023), never counted twice
    suite.prop("refused/time_in_stage_colocated, a deal split",
               lambda cs: colocated_split_refused(suite.conn, cs))
    tlp(suite, "time_in_stage(stage_durations)", text(t_by("")),
        parts(t_events.format(""), "time_in_stage", p_deal, "ev JOIN cp USING (c) LEFT JOIN dl USING (c, deal)", "ev.c"))
    roundtrip(suite, "stage_durations", t_by(""))

    # ---- window_funnel(deal, ...), window_funnel(window_counts), window_funnel(timeline, ...): per mode
    w_events = "window_funnel(ev.deal, ev.stage, ev.at, cp.win, cp.steps, cp.mode{})"
    w_by = lambda o: f"SELECT c, {w_events.format(o)} FROM ev JOIN cp USING (c) GROUP BY c"
    w_report = lambda sql: f"""SELECT s.c, r.step, r.stage, r.deals, r.conversion, r.cumulative,
                                      {US_OF.format('r.avg_from_previous')}::bigint::text
                                 FROM ({sql}) s(c, w) JOIN cp USING (c), window_funnel_report(s.w) r
                                WHERE (SELECT f.conversion FROM window_funnel_report(s.w) f WHERE f.step = 1) IS NOT NULL
                                ORDER BY 1, 2"""      # (an empty window_counts, of no deal, is no deal)

    def w_expected(cs):
        return {c.cid: window_funnel_expected(c) for c in cs if window_funnel_expected(c)}
    per_deal_w = f"SELECT c, deal, {w_events.format('')} AS w FROM ev JOIN cp USING (c) GROUP BY c, deal"
    timelines = "SELECT c, deal, timeline(stage, at) AS t FROM ok GROUP BY c, deal"
    def wt_run(cs, reading):
        """window_funnel(timeline) per deal: its depth, or the time of each step."""
        got = rows_by_case(conn, f"""SELECT q.c, q.deal, (window_funnel(q.t, cp.win, cp.steps, cp.mode)).*
                                       FROM ({timelines}) q JOIN cp USING (c) ORDER BY 1, 2""")
        bad = {}
        for c in cs:
            per_deal = {}
            for d, s, a, _x in c.events:
                if d is not None and s is not None and a is not None:
                    per_deal.setdefault(d, []).append((a, s))
            want = []
            for d in sorted(per_deal):
                depth, times = window_funnel_ref(per_deal[d], dt.timedelta(hours=c.window), c.steps, c.mode)
                want.append((d, depth) if reading == "depth" else (d, times))
            have = [(d, depth) if reading == "depth" else (d, list(times or []))
                    for d, depth, times in got.get(c.cid, [])]
            if have != want:
                bad[c.cid] = f"got {have!r}, expected {want!r}"
        return len(cs), bad

    for mode in MODES:
        label = "{" + ",".join(mode) + "}"
        mcases = [c for c in suite.cases if c.mode == mode]
        for kind in ("distinct steps", "repeated steps"):
            kcases = [c for c in mcases if (len(set(c.steps)) == len(c.steps)) == (kind == "distinct steps")]
            for order, key in list(ORDERS.items())[::3]:       # plans/ compares the other orders
                suite.prop(f"reference/window_funnel_report{label}[{kind}]/{order}",
                           lambda cs, key=key: (len(cs), diff(conn, cs, w_report(w_by(f" ORDER BY {key}")), None,
                                                              ref_b=w_expected(cs))), kcases)
            for reading in ("depth", "step_at"):
                suite.prop(f"reference/window_funnel(timeline){label}[{kind}]/{reading}",
                           lambda cs, reading=reading: wt_run(cs, reading), kcases)
        plans_cases = suite.cases
        suite.cases = mcases
        plans(suite, f"window_funnel{label}", {
            "serial": (text(w_by("")), SERIAL),
            **{o: (text(w_by(f" ORDER BY {key}")), SERIAL) for o, key in ORDERS.items()},
            "parallel": (text(w_by("")), PARALLEL),
            "two-level window_funnel(window_counts)": (
                text(f"SELECT c, window_funnel(w) FROM ({per_deal_w}) x GROUP BY c"), SERIAL),
            **{f"twin window_funnel_distributed {o}": (text(
                f"SELECT c, window_funnel_distributed(ev.deal, ev.stage, ev.at, cp.win, cp.steps, cp.mode ORDER BY {key}) "
                f"FROM ev JOIN cp USING (c) GROUP BY c"), SERIAL) for o, key in list(ORDERS.items())[::2]},
            "twin window_funnel_distributed parallel": (text(
                "SELECT c, window_funnel_distributed(ev.deal, ev.stage, ev.at, cp.win, cp.steps, cp.mode) "
                "FROM ev JOIN cp USING (c) GROUP BY c"), PARALLEL),
            **{f"window_funnel_colocated {o}": (text(
                f"SELECT c, window_funnel_colocated(ev.deal, ev.stage, ev.at, cp.win, cp.steps, cp.mode ORDER BY {key}) "
                f"FROM ev JOIN cp USING (c) GROUP BY c"), SERIAL) for o, key in list(ORDERS.items())[1::2]},
            "window_funnel_colocated parallel": (text(
                "SELECT c, window_funnel_colocated(ev.deal, ev.stage, ev.at, cp.win, cp.steps, cp.mode) "
                "FROM ev JOIN cp USING (c) GROUP BY c"), PARALLEL),
            "window_funnel_colocated, shards merged through text": (text(
                "SELECT c, deal_event_run_window(event_runs_merged(s::text::deal_event_run ORDER BY shard DESC)) "
                "FROM (SELECT c, hashint8(ev.deal) & 3 AS shard, "
                "whole_window_state(ev.deal, ev.stage, ev.at, cp.win, cp.steps, cp.mode) AS s "
                "FROM ev JOIN cp USING (c) GROUP BY c, 2) x GROUP BY c"), SERIAL),
        })
        tlp(suite, f"window_funnel(window_counts){label}", text(w_by("")),
            parts(w_events.format(""), "window_funnel", p_deal,
                  "ev JOIN cp USING (c) LEFT JOIN dl USING (c, deal)", "ev.c"))
        roundtrip(suite, "window_counts", w_by(""), label)
        suite.cases = plans_cases

    # ---- timeline(stage, at), timeline(timeline)
    suite.prop("reference/stage_visits", lambda cs: (len(cs), diff(conn, cs, STAGE_VISITS_OF.format(timelines),
                                                                   STAGE_VISITS_REF)))
    one_deal(suite, "timeline", p_row, parts)

    # ---- customer_summary(amount, at | on [, period]), customer_summary(customer_summary); each case one customer
    s_ts = f"customer_summary({SUMMARY_AMOUNT}, ev.at, cp.period{{}})"
    s_date = f"customer_summary({SUMMARY_AMOUNT}, (ev.at AT TIME ZONE 'UTC')::date, cp.period{{}})"
    # with a zone named: each time's civil day there, a summary of dates
    s_zone = f"customer_summary({SUMMARY_AMOUNT}, ev.at, cp.period, 'Asia/Shanghai'{{}})"
    as_of_ts = "(cp.as_of_day::timestamp + interval '23 hours 30 minutes') AT TIME ZONE 'UTC'"
    utc_day, shanghai_day = "(ev.at AT TIME ZONE 'UTC')::date", "(ev.at AT TIME ZONE 'Asia/Shanghai')::date"
    # (a civil day in Shanghai is at most one later than in UTC: as_of one day later)
    for form, agg, as_of, day in (("timestamptz", s_ts, as_of_ts, utc_day), ("date", s_date, "cp.as_of_day", utc_day),
                                  ("timestamptz, zone", s_zone, "cp.as_of_day + 1", shanghai_day)):
        s_by = lambda o, agg=agg: f"SELECT c, {agg.format(o)}, cp.period FROM ev JOIN cp USING (c) GROUP BY c, cp.period"
        ref = summary_ref(day, "cp.as_of_day + 1" if form == "timestamptz, zone" else "cp.as_of_day")
        for zone in ZONES:
            tz = [f"SET TimeZone = '{zone}'"]
            suite.prop(f"reference/customer_summary({form})/{zone}",
                       lambda cs, tz=tz, s_by=s_by, as_of=as_of: (
                           len(cs), diff(conn, cs, summary_of(s_by(" ORDER BY rk"), as_of), ref, tz, tz, rel=1e-12)))
        s_text = lambda sql: f"SELECT c, v::text FROM ({sql}) s(c, v, period) ORDER BY 1"
        plans(suite, f"customer_summary({form})", {
            "serial": (s_text(s_by("")), SERIAL),
            **{o: (s_text(s_by(f" ORDER BY {key}")), SERIAL) for o, key in ORDERS.items()},
            "parallel": (s_text(s_by("")), PARALLEL),
            **{f"in {zone}": (s_text(s_by("")), [f"SET TimeZone = '{zone}'"]) for zone in ZONES[1:]},
            "two-level customer_summary(customer_summary)": (s_text(
                f"SELECT c, customer_summary(s), period FROM (SELECT c, ev.deal, {agg.format('')} s, cp.period "
                f"FROM ev JOIN cp USING (c) GROUP BY c, ev.deal, cp.period) q GROUP BY c, period"), SERIAL),
        })
        tlp(suite, f"customer_summary(customer_summary)[{form}]", s_text(s_by("")),
            parts(agg.format(""), "customer_summary", "ev.deal % 3 = 1", "ev JOIN cp USING (c)", "ev.c"))
        roundtrip(suite, "customer_summary", s_by("").replace(", cp.period FROM", " FROM").replace(
            "GROUP BY c, cp.period", "GROUP BY c"), f"[{form}]")


    # ---- bgnbd_fit, gammagamma_fit: one fit over every deal of every case, as one customer each
    rfm = """SELECT ok.c, ok.deal, count(DISTINCT ok.at) - 1 AS x,
                    extract(epoch FROM max(ok.at) - min(ok.at)) / 86400 AS t_x,
                    extract(epoch FROM max(ok.at) - min(ok.at)) / 86400 + 1 + abs(ok.deal % 5) AS t,
                    1 + abs(coalesce(max(dl.amount), 10)) / 100 AS spend, min(ok.rk) AS rk
               FROM ok LEFT JOIN dl USING (c, deal) GROUP BY ok.c, ok.deal"""
    if any(suite.only in f"plans/{fit}" for fit in ("bgnbd_fit", "gammagamma_fit")):
        suite.run_on(lambda cs: (0, {}), suite.cases)      # every case loaded
        conn.execute(f"""DROP TABLE IF EXISTS cases.rfm; SET search_path = cases, public;
                         CREATE TABLE cases.rfm WITH (parallel_workers = 2) AS {rfm}; ANALYZE cases.rfm""")
    for fit, args, report in (("bgnbd_fit", "x, t_x, t, '1 day'", "bgnbd_report"),
                              ("gammagamma_fit", "x, spend", "gammagamma_report")):
        one = lambda o, fit=fit, args=args, report=report: (
            f"SELECT 0, ({report}({fit}({args}{o}))).* FROM cases.rfm q")
        plans(suite, fit + "[one fit over every deal]", {
            "serial": (one(""), SERIAL),
            "random": (one(" ORDER BY rk"), SERIAL),
            "by_case_desc": (one(" ORDER BY c DESC, deal"), SERIAL),
            "parallel": (one(""), PARALLEL),
        }, single=True)


    extremes(suite, rng)


def extremes(suite, rng):
    """Values at the edges, where the random cases do not go.

    infinite/<agg>: an event at -infinity or infinity is refused (a data exception, class 22) by
    every aggregate of event times, with one SQLSTATE everywhere;
    roundtrip/<type>[extreme]: what an aggregate makes of amounts near the edge of float8 or of
    numeric's text form still reads back through its own input (or is refused, with 22003)."""
    conn = suite.conn
    events = ("(1, 'explore', '2026-01-01'), (1, 'define', '2026-01-03'), (2, 'explore', '2026-01-02'), "
              "(2, 'realize', '2026-01-05'), (3, 'explore', {inf})")
    aggs = {
        "funnel(deal,stage,at)": "SELECT (funnel_outcomes(funnel(deal, stage, at))).deals FROM e",
        "journey": "SELECT last_at(journey(stage, at)) FROM e GROUP BY deal",
        "pipeline_velocity": """SELECT (velocity_report(pipeline_velocity(j, 100))).average_cycle_days
                                  FROM (SELECT journey(stage, at) j FROM e GROUP BY deal) d""",
        "timeline": "SELECT s.* FROM (SELECT timeline(stage, at) t FROM e GROUP BY deal) d, stage_visits(d.t, '2026-02-01') s",
        "time_in_stage": "SELECT r.* FROM time_in_stage_report((SELECT time_in_stage(deal, stage, at, '2026-02-01') FROM e)) r",
        "window_funnel": """SELECT r.* FROM window_funnel_report((SELECT window_funnel(deal, stage, at, '720 hours',
                              '{explore,define}', '{}') FROM e)) r""",
        "customer_summary": "SELECT frequency(customer_summary(1, at)) FROM e",
    }
    codes = {}
    for name, sql in aggs.items():
        for inf in ("'-infinity'", "'infinity'"):
            full = (f"WITH e(deal, stage, at) AS (VALUES {events.format(inf=inf)}) SELECT q::text FROM (" +
                    sql.replace("FROM e", "FROM (SELECT deal, stage::journey_stage, at::timestamptz FROM e) e") + ") q")
            try:
                with conn.cursor() as cur:
                    session(cur, [])
                    cur.execute(full)
                    got = cur.fetchall()
                codes.setdefault(name, []).append(f"accepted ({got[:2]!r})")
            except psycopg.Error as e:
                codes.setdefault(name, []).append(e.sqlstate or f"(no SQLSTATE: {e})")
    for name, got in codes.items():
        bad = {} if all(c[:2] == "22" for c in got) else {0: f"-infinity: {got[0]}; infinity: {got[1]}"}
        if suite.only in f"infinite/{name}":
            check(f"infinite/{name}", 2, bad, "" if not bad else aggs[name].split(" FROM")[0] + " ... with an event at "
                  "'-infinity' or 'infinity'")
    seen = sorted({c for got in codes.values() for c in got if c[:2] == "22"})
    if suite.only in "infinite/same_sqlstate":
        check("infinite/same_sqlstate", len(codes), {} if len(seen) <= 1 else {0: f"SQLSTATEs {seen}: {codes}"})

    # amounts near float8's largest, and a sum wider than numeric's 1,000-digit text form
    huge = {"velocity": ("SELECT c, pipeline_velocity(j, 1e308) FROM (SELECT c, deal, journey(stage, at) j FROM ok "
                         "GROUP BY c, deal) q GROUP BY c"),
            # (numeric_send digits are base 10000: more than 4,000 of them; on 40 cases, the values are big)
            "customer_summary": ("SELECT c, customer_summary(10::numeric ^ 16004 + ev.i + 1, ev.at) FROM ev "
                                 "WHERE ev.at IS NOT NULL AND c < 40 GROUP BY c")}
    for typename, sql in huge.items():
        roundtrip_or_22003(suite, typename, sql)


def roundtrip_or_22003(suite, typename, state_sql):
    """roundtrip/<type>[extreme]: like roundtrip/, but the aggregate may refuse with 22003 instead
    (the reproducer shows the case's events; the amounts are the extreme ones of the query)."""
    sql = f"""SELECT c, v::text FROM ({state_sql}) s(c, v)
               WHERE v IS NOT NULL AND v::text IS DISTINCT FROM v::text::{typename}::text"""

    def run(cs):
        try:
            return len(cs), {c: f"{v[0][0][:60]}... reads back differently" for c, v in
                             rows_by_case(suite.conn, sql).items()}
        except psycopg.Error as e:
            if e.sqlstate == "22003":
                return len(cs), {}
            raise
    suite.prop(f"roundtrip/{typename}[extreme]", run)


if __name__ == "__main__":
    sys.exit(main())
