#!/usr/bin/env python3
"""The journal's floor: how long SQLite alone takes to store a file's records in the journal's own
schema, with nothing of liitos in the way (no parsing, hashing, statements per row or fsync per
chunk). It copies the events and outbox rows of a journal made by the service (e.g. by
bench/bigfile_bench.sh with BENCH_DIR set: BENCH_DIR/svc/state/journal.db) into a fresh database
of the same schema, in one transaction, with INSERT ... SELECT, and again without some indexes.

Usage: bench/journal_floor.py JOURNAL_DB [SCRATCH_DIR]
Prints seconds and microseconds per record for each variant, and last a sketch of a journal that
stores a file's records by chunk (one row per 1,024 records holding their payloads, a 64-bit
fingerprint per messageId for G2 and per case for trace), to show what such a format would cost.
"""
import hashlib
import struct
import os
import sqlite3
import sys
import tempfile
import time

src = sys.argv[1]
scratch = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp()
s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
tables = {n: sql for n, sql in s.execute(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'outbox', 'outbox_payloads')")}
indexes = [(n, t, sql) for n, t, sql in s.execute(
    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
    "tbl_name IN ('events', 'outbox', 'outbox_payloads')")]
records = s.execute("SELECT count(*) FROM outbox").fetchone()[0]
s.close()

# The random-keyed ones: a UUID v5 messageId (SPEC §5.3) and the case id.
variants = [
    ("the journal's schema", set(), False),
    ("without outbox UNIQUE(message_id)", set(), True),
    ("without events_case", {"events_case"}, False),
    ("without any index", {n for n, _, _ in indexes}, True),
]
print(f"{records} records from {src}")
for label, drop, no_unique in variants:
    db = os.path.join(scratch, "floor.db")
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    c = sqlite3.connect(db, isolation_level=None)
    c.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-8192;")
    for name, sql in tables.items():
        c.execute(sql.replace(" UNIQUE", "") if no_unique and name == "outbox" else sql)
    for name, _, sql in indexes:
        if name not in drop:
            c.execute(sql)
    c.execute("ATTACH ? AS src", (src,))
    t0 = time.perf_counter()
    c.execute("BEGIN")
    for name in tables:
        order = "ORDER BY seq" if name == "events" else ("ORDER BY rowid" if name == "outbox" else "")
        c.execute(f"INSERT INTO main.{name} SELECT * FROM src.{name} {order}")
    c.execute("COMMIT")
    dt = time.perf_counter() - t0
    c.close()
    print(f"| {label} | {dt:.2f} s | {dt / records * 1e6:.1f} µs a record |")

# The chunked sketch: rows prepared first (not timed), then inserted in one transaction.
s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
has_payloads = s.execute("SELECT count(*) FROM sqlite_master WHERE name = 'outbox_payloads'").fetchone()[0]
rows = s.execute(
    "SELECT o.file_id, o.record, o.message_id, o.lv_case_id, p.payload FROM outbox o JOIN outbox_payloads p "
    "USING(file_id, record) ORDER BY o.rowid" if has_payloads else
    "SELECT file_id, record, message_id, lv_case_id, payload FROM outbox ORDER BY rowid").fetchall()
s.close()
fp = lambda text: struct.unpack("<q", hashlib.blake2b(text.encode(), digest_size=8).digest())[0]
chunks, fps, cases = [], [], []
for i in range(0, len(rows), 1024):
    part = rows[i:i + 1024]
    body = "\n".join(r[4] or "" for r in part)
    chunks.append((part[0][0], part[0][1], len(part), body, hashlib.sha256(body.encode()).hexdigest()))
    for r in part:
        fps.append((fp(r[2]), len(chunks)))
        cases.append((fp(r[3]), len(chunks)))
db = os.path.join(scratch, "floor.db")
for f in (db, db + "-wal", db + "-shm"):
    if os.path.exists(f):
        os.remove(f)
c = sqlite3.connect(db, isolation_level=None)
c.executescript("""PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-8192;
CREATE TABLE chunks(id INTEGER PRIMARY KEY, file_id INTEGER, first_record INTEGER, count INTEGER, payloads TEXT, hash TEXT);
CREATE TABLE message_fps(fp INTEGER PRIMARY KEY, chunk INTEGER);
CREATE TABLE case_fps(fp INTEGER, chunk INTEGER, PRIMARY KEY(fp, chunk)) WITHOUT ROWID;""")
t0 = time.perf_counter()
c.execute("BEGIN")
c.executemany("INSERT INTO chunks(file_id, first_record, count, payloads, hash) VALUES(?,?,?,?,?)", chunks)
t1 = time.perf_counter()
c.executemany("INSERT OR IGNORE INTO message_fps(fp, chunk) VALUES(?,?)", fps)
t2 = time.perf_counter()
c.executemany("INSERT OR IGNORE INTO case_fps(fp, chunk) VALUES(?,?)", cases)
c.execute("COMMIT")
dt = time.perf_counter() - t0
c.close()
print(f"| sketch: by chunk of 1,024, fingerprints for messageId and case | {dt:.2f} s | {dt / records * 1e6:.1f} µs a "
      f"record (chunks {t1 - t0:.2f} s, messageId fingerprints {t2 - t1:.2f} s, case fingerprints and commit "
      f"{dt - (t2 - t0):.2f} s) |")
