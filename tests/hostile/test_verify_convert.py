"""SPEC §8: `journal verify --db FILE` verifies any copy of a journal, also one on read-only media,
without changing it (0 intact, 4 tampered, 1 cannot be opened); `convert` given a directory or a
missing file exits 2, never hangs on a FIFO or an endless device, and writes JSON Lines that no
file name can break."""

import hashlib
import json
import os
import shutil
import sqlite3
import signal

from harness import HostileCase, Env, needs_root, rakval_csv, row, run, wait_until


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


class VerifyCopies(HostileCase):

    def journal_copy(self, env, dest, while_running=False):
        env.write_config()
        env.drop("x.csv", rakval_csv([row("LV-V1"), row("LV-V2", status="99")]))
        if while_running:
            d = env.daemon()
            rc = os.path.join(env.receipts(), "x.csv.receipt.csv")
            self.expect(wait_until(lambda: os.path.exists(rc) or not d.alive(), 20), "the service took nothing")
        else:
            r = env.once()
            self.expect_rc(r, 0, "run --once")
        os.makedirs(dest, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            src = os.path.join(env.state_dir, "journal.db" + suffix)
            if os.path.exists(src):
                shutil.copy2(src, os.path.join(dest, "journal.db" + suffix))
        if while_running:
            d.kill(signal.SIGTERM)
            d.wait(15)
        return os.path.join(dest, "journal.db")

    def verify(self, db):
        return run(["journal", "verify", "--db", db])

    @needs_root
    def test_copy_on_read_only_bind_mount(self):
        env = Env(self)
        self.journal_copy(env, env.p("copy"))
        env.mount_ro_bind(env.p("copy"), env.p("ro"))
        r = self.verify(env.p("ro", "journal.db"))
        self.expect(r.rc == 0 and not r.timed_out, f"verify --db on read-only media: {r.why()}")
        self.finish()

    @needs_root
    def test_copy_with_wal_taken_while_running_on_read_only_mount(self):
        env = Env(self)
        self.journal_copy(env, env.p("copy"), while_running=True)
        env.mount_ro_bind(env.p("copy"), env.p("ro"))
        r = self.verify(env.p("ro", "journal.db"))
        self.expect(r.rc == 0 and not r.timed_out, f"verify --db of a hot copy on read-only media: {r.why()}")
        self.finish()

    @needs_root
    def test_tampered_copy_on_read_only_mount(self):
        env = Env(self)
        db = self.journal_copy(env, env.p("copy"))
        con = sqlite3.connect(db)
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            con.execute(f'DROP TRIGGER "{name}"')  # what a tamperer does first
        cols = [c[1] for c in con.execute("PRAGMA table_info(events)")]
        col = "detail" if "detail" in cols else next(c for c in cols if c not in ("seq", "id", "hash", "prev_hash"))
        con.execute(f"UPDATE events SET {col} = {col} || ' ' WHERE rowid = (SELECT max(rowid) FROM events)")
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        env.mount_ro_bind(env.p("copy"), env.p("ro"))
        r = self.verify(env.p("ro", "journal.db"))
        self.expect(r.rc == 4 and not r.timed_out, f"verify --db of a tampered copy: {r.why()}, expected 4")
        self.finish()

    def test_verify_leaves_the_copy_as_it_was(self):
        env = Env(self)
        db = self.journal_copy(env, env.p("copy"))
        before = {n: sha(os.path.join(env.p("copy"), n)) for n in os.listdir(env.p("copy"))}
        r = self.verify(db)
        self.expect(r.rc == 0, f"verify --db: {r.why()}")
        after = {n: sha(os.path.join(env.p("copy"), n)) for n in os.listdir(env.p("copy"))}
        self.expect(before == after, f"verify changed the copy's folder: {sorted(before)} -> {sorted(after)}")
        self.finish()

    def test_missing_file(self):
        env = Env(self)
        r = self.verify(env.p("nothing.db"))
        self.expect(r.rc == 1 and not r.timed_out, f"verify --db of a missing file: {r.why()}, expected 1")
        self.expect(not os.path.exists(env.p("nothing.db")), "verify created the missing file")
        self.finish()

    def test_not_a_database(self):
        env = Env(self)
        with open(env.p("garbage.db"), "wb") as f:
            f.write(os.urandom(8192))
        r = self.verify(env.p("garbage.db"))
        self.expect(r.rc == 1 and not r.timed_out, f"verify --db of random bytes: {r.why()}, expected 1")
        self.finish()

    def test_a_directory(self):
        env = Env(self)
        r = self.verify(env.root)
        self.expect(r.rc == 1 and not r.timed_out, f"verify --db of a directory: {r.why()}, expected 1")
        self.finish()


class ConvertInputs(HostileCase):

    def convert(self, env, *files, timeout=20):
        env.write_config()
        return run(["convert", "--config", env.cfg, "--profile", "rakval-csv"] + list(files), timeout=timeout)

    def test_directory(self):
        env = Env(self)
        r = self.convert(env, env.root)
        self.expect_rc(r, 2, "convert DIR")
        self.finish()

    def test_missing_file(self):
        env = Env(self)
        r = self.convert(env, env.p("missing.csv"))
        self.expect_rc(r, 2, "convert MISSING")
        self.finish()

    def test_directory_after_a_good_file(self):
        env = Env(self)
        good = env.drop("good.csv", rakval_csv([row("LV-V3")]))
        r = self.convert(env, good, env.root)
        self.expect_rc(r, 2, "convert GOOD DIR")
        self.finish()

    def test_fifo_does_not_hang(self):
        env = Env(self)
        os.mkfifo(env.p("pipe.csv"))
        r = self.convert(env, env.p("pipe.csv"), timeout=10)
        self.expect_ended(r, "convert FIFO")
        self.expect(r.rc == 2, f"convert FIFO exited {r.rc}, expected 2 (not a regular file)")
        self.finish()

    def test_dev_zero_does_not_run_forever(self):
        env = Env(self)
        r = self.convert(env, "/dev/zero", timeout=15)
        self.expect_ended(r, "convert /dev/zero")
        self.expect(r.rc == 2, f"convert /dev/zero exited {r.rc}, expected 2 (not a regular file)")
        self.finish()

    def test_unknown_profile(self):
        env = Env(self)
        env.write_config()
        good = env.drop("good.csv", rakval_csv([row("LV-V4")]))
        r = run(["convert", "--config", env.cfg, "--profile", "no-such", good])
        self.expect_rc(r, 2, "convert --profile no-such")
        self.finish()

    def test_json_lines_survive_a_hostile_name(self):
        """A rejected record of 'evil\\n{"forged":1}.csv': every output line is one JSON object."""
        env = Env(self)
        f = env.drop(b'evil\n{"forged":1}\x1b.csv', rakval_csv([row("LV-V5"), row("LV-V6", status="99")]))
        r = self.convert(env, f)
        self.expect_rc(r, 3, "convert with a rejected record")
        for what, out in (("stdout", r.out), ("stderr", r.err)):
            for line in out.split(b"\n"):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    self.expect(isinstance(obj, dict) and "forged" not in obj, f"{what}: forged line {line!r}")
                except ValueError:
                    self.expect(False, f"{what} line is not JSON: {line[:100]!r}")
        self.finish()
