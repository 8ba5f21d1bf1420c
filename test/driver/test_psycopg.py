#!/usr/bin/python3
"""A real driver against buyerjourney: psycopg 3 (Debian's python3-psycopg).

Writes and reads journey_stage and lifecycle_phase in text and binary mode,
COPY (FORMAT binary) out and back in, and checks the SQLSTATEs and error
fields an application sees: 22P02 for a bad value, 22P03 for a bad binary
code, 23514 with table/column/constraint for a forbidden move.

Connects with the libpq environment (PGHOST, PGPORT, PGUSER), works in a
database of its own, and prints 'N passed, N failed'.
"""
import os
import sys
import uuid

import psycopg
from psycopg import sql
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.types import TypeInfo

STAGES = ["unaware", "explore", "define", "select", "decide", "approve", "realize", "lost", "no_decision"]
PHASES = ["introduction", "growth", "maturity", "dormancy", "churned"]

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def expect_error(name, sqlstate, fn):
    """Run fn; check it raises a psycopg error with this SQLSTATE; return the error."""
    try:
        fn()
    except psycopg.Error as e:
        check(name, e.diag.sqlstate == sqlstate, f"got {e.diag.sqlstate}: {e}")
        return e
    check(name, False, "no error raised")
    return None


def make_ordinal_dumper(oid):
    class OrdinalDumper(Dumper):
        """Sends a value as its binary form: one byte, the ordinal."""
        format = Format.BINARY

        def dump(self, obj):
            return bytes([obj])

    OrdinalDumper.oid = oid
    return OrdinalDumper


def main():
    admin_dsn = ""  # the libpq environment
    db = "bj_driver_" + uuid.uuid4().hex[:8]
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
    try:
        with psycopg.connect(dbname=db, autocommit=True) as conn:
            run(conn)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db)))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def run(conn):
    conn.execute("CREATE EXTENSION buyerjourney")
    conn.execute("CREATE TABLE t (id int PRIMARY KEY, stage journey_stage, phase lifecycle_phase)")
    stage_info = TypeInfo.fetch(conn, "journey_stage")
    phase_info = TypeInfo.fetch(conn, "lifecycle_phase")
    check("type oids found", stage_info is not None and phase_info is not None)
    # Registering the types lets psycopg load their arrays as lists.
    stage_info.register(conn)
    phase_info.register(conn)

    # Text mode: strings in, canonical names out.
    with conn.cursor() as cur:
        for i, name in enumerate(STAGES):
            cur.execute("INSERT INTO t VALUES (%s, %s, %s)", (i, name.upper(), PHASES[i % 5]))
        cur.execute("SELECT stage, phase FROM t ORDER BY id")
        rows = cur.fetchall()
    check("text: every stage round-trips", [r[0] for r in rows] == STAGES, rows)
    check("text: every phase round-trips", [r[1] for r in rows] == [PHASES[i % 5] for i in range(9)], rows)
    with conn.cursor() as cur:
        cur.execute("SELECT %s::journey_stage, %s::lifecycle_phase", ("定義", "成長期"))
        check("text: Chinese labels as parameters", cur.fetchone() == ("define", "growth"))
        cur.execute("SELECT stage FROM t WHERE stage > %s::journey_stage ORDER BY stage", ("approve",))
        check("text: ordering with a parameter", [r[0] for r in cur.fetchall()] == ["realize", "lost", "no_decision"])
        cur.execute("SELECT array_agg(stage ORDER BY id) FROM t")
        got = cur.fetchone()[0]
        check("text: journey_stage[] comes back as a list of names", got == STAGES, got)

    # Binary mode: one byte, the ordinal.
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT stage, phase FROM t ORDER BY id")
        rows = cur.fetchall()
    check("binary: stages are their ordinals", [bytes(r[0]) for r in rows] == [bytes([i]) for i in range(9)], rows[:3])
    check("binary: phases are their ordinals", [bytes(r[1]) for r in rows] == [bytes([i % 5]) for i in range(9)])

    # Binary parameters: a dumper sending the ordinal byte, read back as text.
    conn.execute("CREATE TABLE b (id int PRIMARY KEY, stage journey_stage, phase lifecycle_phase)")
    with conn.cursor() as cur:
        stage_dumper = make_ordinal_dumper(stage_info.oid)
        phase_dumper = make_ordinal_dumper(phase_info.oid)
        cur.adapters.register_dumper(StageOrdinal, stage_dumper)
        cur.adapters.register_dumper(PhaseOrdinal, phase_dumper)
        for i in range(9):
            cur.execute("INSERT INTO b VALUES (%s, %b, %b)", (i, StageOrdinal(i), PhaseOrdinal(i % 5)))
        cur.execute("SELECT stage::text, phase::text FROM b ORDER BY id")
        rows = cur.fetchall()
    check("binary parameters: written as ordinals, read as names",
          rows == [(STAGES[i], PHASES[i % 5]) for i in range(9)], rows)
    with conn.cursor() as cur:
        cur.adapters.register_dumper(StageOrdinal, make_ordinal_dumper(stage_info.oid))
        e = expect_error("binary parameter with an unknown code: 22P03", "22P03",
                         lambda: cur.execute("SELECT %b", (StageOrdinal(99),)))
        check("binary error names the code", e is not None and "99" in str(e), str(e))

    # Prepared statements, both formats.
    with conn.cursor() as cur:
        for binary in (False, True):
            cur.execute("SELECT stage FROM t WHERE id = %s", (4,), prepare=True, binary=binary)
            got = cur.fetchone()[0]
            check(f"prepared statement ({'binary' if binary else 'text'})",
                  got == ("decide" if not binary else b"\x04"), got)

    # COPY (FORMAT binary) out and back in.
    with conn.cursor() as cur:
        data = bytearray()
        with cur.copy("COPY t TO STDOUT (FORMAT binary)") as copy:
            for chunk in copy:
                data += chunk
        cur.execute("CREATE TABLE t2 (LIKE t)")
        with cur.copy("COPY t2 FROM STDIN (FORMAT binary)") as copy:
            copy.write(bytes(data))
        cur.execute("SELECT count(*) FROM t JOIN t2 USING (id) WHERE t.stage = t2.stage AND t.phase = t2.phase")
        check("COPY binary round trip", cur.fetchone()[0] == 9)

    # A binary COPY stream with an invalid code is refused and writes nothing.
    header = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"

    def row(*fields):
        out = len(fields).to_bytes(2, "big")
        for f in fields:
            out += len(f).to_bytes(4, "big", signed=True) + f
        return out

    stream = header + row((100).to_bytes(4, "big"), b"\x01", b"\x00") \
        + row((101).to_bytes(4, "big"), b"\x63", b"\x00") + b"\xff\xff"

    def bad_copy():
        with conn.cursor() as cur:
            with cur.copy("COPY t2 FROM STDIN (FORMAT binary)") as copy:
                copy.write(stream)

    expect_error("COPY binary with code 99: 22P03", "22P03", bad_copy)
    n = conn.execute("SELECT count(*) FROM t2 WHERE id >= 100").fetchone()[0]
    check("COPY binary failure leaves the table unchanged", n == 0, n)

    # Bad text values: 22P02, the message quotes the input.
    for bad in ("nonsense", "探索探索", ""):
        e = expect_error(f"text value {bad!r}: 22P02", "22P02",
                         lambda: conn.execute("SELECT %s::journey_stage", (bad,)))
        check(f"message quotes {bad!r}", e is not None and f'"{bad}"' in e.diag.message_primary, e)
    e = expect_error("bad text value in COPY: 22P02", "22P02",
                     lambda: copy_text(conn, "t2", "200\tqualify\tgrowth\n"))

    # The trigger's errors as a driver sees them.
    conn.execute("SELECT create_history_table('deal_history')")
    conn.execute("CREATE TABLE deals (id int PRIMARY KEY, stage journey_stage NOT NULL)")
    conn.execute("CREATE TRIGGER deals_stage_guard AFTER INSERT OR UPDATE ON deals FOR EACH ROW "
                 "EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=deal_history')")
    conn.execute("INSERT INTO deals VALUES (42, 'explore')")
    e = expect_error("forbidden move: 23514", "23514",
                     lambda: conn.execute("UPDATE deals SET stage = %s WHERE id = 42", ("decide",)))
    if e is not None:
        d = e.diag
        check("diag.schema_name", d.schema_name == "public", d.schema_name)
        check("diag.table_name", d.table_name == "deals", d.table_name)
        check("diag.column_name", d.column_name == "stage", d.column_name)
        check("diag.constraint_name is the trigger", d.constraint_name == "deals_stage_guard", d.constraint_name)
        check("message names from, to and process",
              d.message_primary == 'journey_stage may not move from "explore" to "decide" under process "complex"',
              d.message_primary)
        check("detail names the row", d.message_detail == 'Row (id)=(42) of table "deals", column "stage".',
              d.message_detail)
        check("hint lists the allowed moves",
              d.message_hint == 'From "explore", process "complex" allows: unaware, define, lost, no_decision.',
              d.message_hint)
    e = expect_error("forbidden start: 23514", "23514",
                     lambda: conn.execute("INSERT INTO deals VALUES (43, 'approve')"))
    conn.execute("UPDATE deals SET stage = 'define' WHERE id = 42")
    with conn.cursor() as cur:
        cur.execute("SELECT from_value, to_value FROM deal_history ORDER BY seq")
        check("history seen through the driver", cur.fetchall() == [(None, "explore"), ("explore", "define")])


class StageOrdinal(int):
    pass


class PhaseOrdinal(int):
    pass


def copy_text(conn, table, text):
    with conn.cursor() as cur:
        with cur.copy(f"COPY {table} FROM STDIN") as copy:
            copy.write(text)


if __name__ == "__main__":
    sys.exit(main())
