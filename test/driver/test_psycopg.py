#!/usr/bin/python3
"""A real driver against buyerjourney: psycopg 3 (Debian's python3-psycopg).

Writes and reads every journey_stage and lifecycle_phase value in text and
binary mode (parameters as str and through a binary dumper, results as names
and as one ordinal byte, arrays both ways), COPY (FORMAT binary) out and back
in, and checks the SQLSTATEs and error fields an application sees: 22P02 for
a bad value, 22P03 for a bad binary code or length, 23514 with
table/column/constraint for a forbidden move.

Run with /usr/bin/python3 (the standard library and psycopg only).  Connects
with the libpq environment (PGHOST, PGPORT, PGUSER), works in a database of
its own that it drops afterwards, prints one line per check and
'N passed, N failed', and exits non-zero if any check failed.
"""
import sys
import traceback
import uuid

import psycopg
from psycopg import sql
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.types import TypeInfo

STAGES = ["unaware", "explore", "define", "select", "decide", "approve", "realize", "lost", "no_decision"]
PHASES = ["introduction", "growth", "maturity", "dormancy", "churned"]
TYPES = {"journey_stage": STAGES, "lifecycle_phase": PHASES}

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def expect_error(name, sqlstate, fn):
    """Run fn; check it raises a psycopg error with this SQLSTATE; return the error."""
    try:
        fn()
    except psycopg.Error as e:
        check(name, e.sqlstate == sqlstate and e.diag.sqlstate == sqlstate,
              f"expected SQLSTATE {sqlstate}, got {e.sqlstate}: {e}")
        return e
    check(name, False, f"expected SQLSTATE {sqlstate}, but no error was raised")
    return None


# Python types sent through binary dumpers: an int as its ordinal byte, or raw
# bytes exactly as given (to send a wrong length).
class StageOrdinal(int):
    pass


class PhaseOrdinal(int):
    pass


class RawStage(bytes):
    pass


class RawPhase(bytes):
    pass


ORDINAL_CLASS = {"journey_stage": StageOrdinal, "lifecycle_phase": PhaseOrdinal}
RAW_CLASS = {"journey_stage": RawStage, "lifecycle_phase": RawPhase}


def make_dumper(oid, raw=False):
    class OrdinalDumper(Dumper):
        """Sends a value in binary: one byte, the ordinal (or raw bytes)."""
        format = Format.BINARY

        def dump(self, obj):
            return bytes(obj) if raw else bytes([obj])

    OrdinalDumper.oid = oid
    return OrdinalDumper


def main():
    db = "bj_driver_" + uuid.uuid4().hex[:12]
    try:
        admin = psycopg.connect("", autocommit=True)  # the libpq environment
    except psycopg.Error as e:
        print(f"FAIL cannot connect with the libpq environment (PGHOST, PGPORT, PGUSER): {e}")
        return 2
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(db)))
    try:
        with psycopg.connect(dbname=db, autocommit=True) as conn:
            try:
                run(conn)
            except Exception:  # a check that could not even run is a failure
                check("test ran to the end", False, "unexpected exception:\n" + traceback.format_exc())
    finally:
        with psycopg.connect("", autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db)))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def run(conn):
    conn.execute("CREATE EXTENSION buyerjourney")
    info = {t: TypeInfo.fetch(conn, t) for t in TYPES}
    check("type oids found", all(i is not None for i in info.values()), info)
    # Registering the types lets psycopg load their arrays as lists.
    for i in info.values():
        i.register(conn)
    for t in TYPES:
        conn.adapters.register_dumper(ORDINAL_CLASS[t], make_dumper(info[t].oid))
        conn.adapters.register_dumper(RAW_CLASS[t], make_dumper(info[t].oid, raw=True))

    text_mode(conn)
    binary_results(conn)
    binary_parameters(conn)
    copy_binary(conn)
    bad_text(conn)
    trigger_errors(conn)


def text_mode(conn):
    """Parameters as str, results as canonical names."""
    conn.execute("CREATE TABLE t (id int PRIMARY KEY, stage journey_stage, phase lifecycle_phase, "
                  "path journey_stage[])")
    with conn.cursor() as cur:
        for i, name in enumerate(STAGES):
            cur.execute("INSERT INTO t VALUES (%s, %s, %s, %s)",
                        (i, name.upper(), PHASES[i % 5].title(), [name, STAGES[(i + 1) % 9]]))
        cur.execute("INSERT INTO t VALUES (9, NULL, NULL, NULL), (10, 'explore', 'growth', '{NULL,lost}')")
        cur.execute("SELECT stage, phase, path FROM t WHERE id < 9 ORDER BY id")
        rows = cur.fetchall()
    check("text: every stage round-trips (written upper case)", [r[0] for r in rows] == STAGES, rows)
    check("text: every phase round-trips (written title case)",
          [r[1] for r in rows] == [PHASES[i % 5] for i in range(9)], rows)
    check("text: journey_stage[] comes back as a list of names",
          [r[2] for r in rows] == [[s, STAGES[(i + 1) % 9]] for i, s in enumerate(STAGES)], rows)
    with conn.cursor() as cur:
        cur.execute("SELECT stage, phase, path FROM t WHERE id >= 9 ORDER BY id")
        got = cur.fetchall()
    check("text: NULLs and a NULL array element", got == [(None, None, None), ("explore", "growth", [None, "lost"])], got)

    # Every value of each type as a str parameter: name, and both Chinese labels.
    for t, names in TYPES.items():
        plural = "journey_stages" if t == "journey_stage" else "lifecycle_phases"
        labels = conn.execute(f"SELECT name, label_zh_hans, label_zh_hant FROM {plural}() ORDER BY ordinal").fetchall()
        check(f"text: {plural}() lists {len(names)} values", [r[0] for r in labels] == names, labels)
        bad = []
        for name, hans, hant in labels:
            for spelling in (name, name.upper(), hans, hant):
                got = conn.execute(sql.SQL("SELECT %s::{}, %s::{}::text").format(sql.Identifier(t), sql.Identifier(t)),
                                   (spelling, spelling)).fetchone()
                if got != (name, name):
                    bad.append((spelling, got))
        check(f"text: every {t} name and Chinese label as a str parameter", not bad, bad)

    with conn.cursor() as cur:
        cur.execute("SELECT %s::journey_stage, %s::journey_stage, %s::lifecycle_phase", ("定義", "定义", "成長期"))
        got = cur.fetchone()
        check("text: Chinese labels 定義 / 定义 / 成長期 as parameters", got == ("define", "define", "growth"), got)
        cur.execute("INSERT INTO t VALUES (%s, %s, %s, %s)", (11, "定義", "成长期", ["探索", "定义"]))
        cur.execute("SELECT stage, phase, path FROM t WHERE id = 11")
        got = cur.fetchone()
        check("text: Chinese labels stored through parameters read back as names",
              got == ("define", "growth", ["explore", "define"]), got)
        cur.execute("DELETE FROM t WHERE id = 11")
        cur.execute("SELECT stage FROM t WHERE stage > %s::journey_stage ORDER BY stage", ("approve",))
        got = [r[0] for r in cur.fetchall()]
        check("text: ordering with a parameter", got == ["realize", "lost", "no_decision"], got)


def binary_results(conn):
    """Binary results: each value is one byte, the ordinal."""
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT stage, phase, path FROM t WHERE id < 9 ORDER BY id")
        rows = cur.fetchall()
    check("binary: every stage is one byte, its ordinal",
          [bytes(r[0]) for r in rows] == [bytes([i]) for i in range(9)], rows)
    check("binary: every phase is one byte, its ordinal",
          [bytes(r[1]) for r in rows] == [bytes([i % 5]) for i in range(9)], rows)
    check("binary: journey_stage[] is a list of ordinal bytes",
          [[bytes(x) for x in r[2]] for r in rows] == [[bytes([i]), bytes([(i + 1) % 9])] for i in range(9)], rows[:2])
    got = conn.execute("SELECT stage, phase, path FROM t WHERE id >= 9 ORDER BY id", binary=True).fetchall()
    check("binary: NULLs and a NULL array element (execute(binary=True))",
          [(r[0], r[1], r[2] and [x and bytes(x) for x in r[2]]) for r in got]
          == [(None, None, None), (b"\x01", b"\x01", [None, b"\x07"])], got)
    for t, names in TYPES.items():
        got = conn.execute(sql.SQL("SELECT {}(i) FROM generate_series(0, %s) i ORDER BY i").format(sql.Identifier(t)),
                           (len(names) - 1,), binary=True).fetchall()
        check(f"binary: every {t} value from {t}(int) is its ordinal byte",
              [bytes(r[0]) for r in got] == [bytes([i]) for i in range(len(names))], got)


def binary_parameters(conn):
    """Binary parameters: a dumper sending the ordinal byte; bad codes and lengths."""
    conn.execute("CREATE TABLE b (id int PRIMARY KEY, stage journey_stage, phase lifecycle_phase, "
                 "path journey_stage[])")
    with conn.cursor() as cur:
        for i in range(9):
            cur.execute("INSERT INTO b VALUES (%s, %b, %b, %b)",
                        (i, StageOrdinal(i), PhaseOrdinal(i % 5), [StageOrdinal(i), None]))
        cur.execute("SELECT stage::text, phase::text, path FROM b ORDER BY id")
        rows = cur.fetchall()
    check("binary parameters: every value written as its ordinal, read back as its name",
          rows == [(STAGES[i], PHASES[i % 5], [STAGES[i], None]) for i in range(9)], rows)
    for t, names in TYPES.items():
        got = [conn.execute("SELECT %b", (ORDINAL_CLASS[t](i),), binary=True).fetchone()[0] for i in range(len(names))]
        check(f"binary parameters: every {t} in binary, out in binary",
              [bytes(g) for g in got] == [bytes([i]) for i in range(len(names))], got)

    # Unknown codes (the first one past the end, 99, 255) and wrong lengths: 22P03.
    for t, names in TYPES.items():
        n = len(names)
        for code in (n, 99, 255):
            e = expect_error(f"binary {t} parameter with unknown code {code}: 22P03", "22P03",
                             lambda: conn.execute("SELECT %b", (ORDINAL_CLASS[t](code),)))
            check(f"  message names {t} and code {code}",
                  e is not None and e.diag.message_primary == f"invalid binary {t} code {code}",
                  e and e.diag.message_primary)
        for raw in (b"", b"\x01\x00"):
            e = expect_error(f"binary {t} parameter of {len(raw)} bytes: 22P03", "22P03",
                             lambda: conn.execute("SELECT %b", (RAW_CLASS[t](raw),)))
            check(f"  message says expected 1 byte, got {len(raw)}",
                  e is not None and e.diag.message_primary == f"invalid binary {t}: expected 1 byte, got {len(raw)}",
                  e and e.diag.message_primary)
    expect_error("binary journey_stage[] parameter with code 9 inside: 22P03", "22P03",
                 lambda: conn.execute("SELECT %b", ([StageOrdinal(1), StageOrdinal(9)],)))
    n = conn.execute("SELECT count(*) FROM b").fetchone()[0]
    check("failed binary inserts left nothing behind", n == 9, n)

    # Prepared statements, both result formats.
    with conn.cursor() as cur:
        for binary in (False, True):
            cur.execute("SELECT stage FROM t WHERE id = %s", (4,), prepare=True, binary=binary)
            got = cur.fetchone()[0]
            check(f"prepared statement ({'binary' if binary else 'text'})",
                  got == (b"\x04" if binary else "decide"), got)


def copy_out(conn, query):
    data = bytearray()
    with conn.cursor() as cur:
        with cur.copy(query) as copy:
            for chunk in copy:
                data += chunk
    return bytes(data)


def copy_in(conn, query, data):
    with conn.cursor() as cur:
        with cur.copy(query) as copy:
            copy.write(data)


def copy_binary(conn):
    """COPY (FORMAT binary) out and back in; a bad stream is refused whole."""
    data = copy_out(conn, "COPY t TO STDOUT (FORMAT binary)")
    conn.execute("CREATE TABLE t2 (LIKE t INCLUDING ALL)")
    copy_in(conn, "COPY t2 FROM STDIN (FORMAT binary)", data)
    n = conn.execute("SELECT count(*) FROM t").fetchone()[0]
    diff = conn.execute("SELECT count(*) FROM ((TABLE t EXCEPT ALL TABLE t2) UNION ALL "
                        "(TABLE t2 EXCEPT ALL TABLE t)) d").fetchone()[0]
    check(f"COPY binary round trip: {n} rows (NULLs, arrays) identical", diff == 0 and n == 11, (n, diff))
    again = copy_out(conn, "COPY t2 TO STDOUT (FORMAT binary)")
    check("COPY binary of the copy is byte-for-byte the same stream", again == data, (len(data), len(again)))
    text_t = copy_out(conn, "COPY (SELECT * FROM t ORDER BY id) TO STDOUT")
    text_t2 = copy_out(conn, "COPY (SELECT * FROM t2 ORDER BY id) TO STDOUT")
    check("COPY text of both tables identical", text_t == text_t2 and b"no_decision" in text_t, text_t[:80])

    # A hand-made binary stream: header, rows (int4 id, stage, phase, path), trailer.
    header = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"

    def row(*fields):
        out = len(fields).to_bytes(2, "big")
        for f in fields:
            out += (-1).to_bytes(4, "big", signed=True) if f is None else len(f).to_bytes(4, "big") + f
        return out

    def stream(*rows):
        return header + b"".join(rows) + b"\xff\xff"

    def i4(n):
        return n.to_bytes(4, "big")

    def array_of_stages(*elements):
        """The binary form of a one-dimensional journey_stage[] (array_send)."""
        oid = conn.execute("SELECT 'journey_stage'::regtype::oid").fetchone()[0]
        out = i4(1) + i4(0) + i4(oid) + i4(len(elements)) + i4(1)
        for el in elements:
            out += i4(len(el)) + el
        return out

    good = stream(row(i4(100), b"\x08", b"\x04", array_of_stages(b"\x00", b"\x08")))
    copy_in(conn, "COPY t2 FROM STDIN (FORMAT binary)", good)
    got = conn.execute("SELECT stage, phase, path FROM t2 WHERE id = 100").fetchone()
    check("hand-made binary COPY (codes 8, 4, array 0 8) reads as no_decision, churned, {unaware,no_decision}",
          got == ("no_decision", "churned", ["unaware", "no_decision"]), got)
    conn.execute("DELETE FROM t2 WHERE id = 100")

    before = copy_out(conn, "COPY (SELECT * FROM t2 ORDER BY id) TO STDOUT")
    # Each bad stream starts with a valid row, which must not be kept either.
    bad_streams = {
        "stage code 99": (stream(row(i4(100), b"\x01", b"\x00", None), row(i4(101), b"\x63", b"\x00", None)),
                          "invalid binary journey_stage code 99"),
        "phase code 5": (stream(row(i4(100), b"\x01", b"\x00", None), row(i4(101), b"\x01", b"\x05", None)),
                         "invalid binary lifecycle_phase code 5"),
        "stage of 2 bytes": (stream(row(i4(100), b"\x01", b"\x00", None), row(i4(101), b"\x01\x00", b"\x00", None)),
                             "invalid binary journey_stage: expected 1 byte, got 2"),
        "array element code 9": (stream(row(i4(100), b"\x01", b"\x00", None),
                                        row(i4(101), b"\x01", b"\x00", array_of_stages(b"\x02", b"\x09"))),
                                 "invalid binary journey_stage code 9"),
    }
    for what, (bad, message) in bad_streams.items():
        e = None
        try:
            copy_in(conn, "COPY t2 FROM STDIN (FORMAT binary)", bad)
        except psycopg.Error as err:
            e = err
        check(f"COPY binary with {what}: rejected with e.sqlstate == '22P03'",
              e is not None and e.sqlstate == "22P03", f"got {e and e.sqlstate}: {e}" if e else "no error raised")
        check(f"  COPY binary with {what}: message is '{message}'",
              e is not None and e.diag.message_primary == message, e and e.diag.message_primary)
        after = copy_out(conn, "COPY (SELECT * FROM t2 ORDER BY id) TO STDOUT")
        check(f"  COPY binary with {what}: table unchanged (first, valid row not kept)", after == before,
              conn.execute("SELECT * FROM t2 WHERE id >= 100").fetchall())


def bad_text(conn):
    """Bad text values: 22P02, the message quotes the input."""
    cases = [("journey_stage", "nonsense"), ("journey_stage", "探索探索"), ("journey_stage", "乱七八糟"),
             ("journey_stage", ""), ("journey_stage", "explorer"),
             ("lifecycle_phase", "nonsense"), ("lifecycle_phase", "探索")]  # a stage label is no phase
    for t, bad in cases:
        e = expect_error(f"text {t} {bad!r}: 22P02", "22P02",
                         lambda: conn.execute(sql.SQL("SELECT %s::{}").format(sql.Identifier(t)), (bad,)))
        check(f"  message quotes {bad!r}",
              e is not None and e.diag.message_primary == f'invalid input syntax for type {t}: "{bad}"',
              e and e.diag.message_primary)
    expect_error("text value as an INSERT parameter: 22P02", "22P02",
                 lambda: conn.execute("INSERT INTO t2 (id, stage) VALUES (%s, %s)", (300, "乱七八糟")))
    expect_error("bad text value in COPY: 22P02", "22P02",
                 lambda: copy_in(conn, "COPY t2 (id, stage, phase) FROM STDIN", "200\tqualify\tgrowth\n"))
    n = conn.execute("SELECT count(*) FROM t2 WHERE id >= 200").fetchone()[0]
    check("rejected text values left nothing behind", n == 0, n)


def trigger_errors(conn):
    """The trigger's errors as a driver sees them."""
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
        check("detail names the row", d.message_detail == 'Row (id)=(42) of table "public.deals", column "stage", trigger "deals_stage_guard". '
              'From "explore", process "complex" allows: unaware, define, lost, no_decision.',
              d.message_detail)
        check("hint lists the allowed moves",
              d.message_hint == 'From "explore", process "complex" allows: unaware, define, lost, no_decision.',
              d.message_hint)
    expect_error("forbidden start: 23514", "23514",
                 lambda: conn.execute("INSERT INTO deals VALUES (43, 'approve')"))
    conn.execute("UPDATE deals SET stage = %s WHERE id = 42", ("定義",))
    with conn.cursor() as cur:
        cur.execute("SELECT from_value, to_value FROM deal_history ORDER BY seq")
        got = cur.fetchall()
        check("history seen through the driver (a move written as 定義)", got == [(None, "explore"), ("explore", "define")], got)


if __name__ == "__main__":
    sys.exit(main())
