"""Odd files a legacy side or an attacker can leave in a drop: empty, huge in one value, garbage,
vanishing or growing while liitos watches, with a mtime far from now, hard-linked twice, too
large for `max_file_size`, a thousand at once. Whatever it is: `run --once` ends, the service
survives, nothing is lost (what left the inbox is archived or quarantined with its bytes as
journaled), and every file taken has its receipt (SPEC G1, G3, §3)."""

import hashlib
import os
import threading
import time

import harness
from harness import HostileCase, Env, event_kind, rakval_csv, row, ymparisto_xml


def sha(data):
    return hashlib.sha256(data).hexdigest()


class OddFiles(HostileCase):

    def one(self, name, data, timeout=60, **env_kw):
        env = Env(self, **env_kw)
        env.write_config()
        env.drop(name, data)
        r = env.once(timeout=timeout)
        self.expect_rc(r, 0, "run --once")
        self.expect_clean_log(r)
        self.expect_gone_from_inbox(env, name)
        self.expect(os.path.exists(os.path.join(env.receipts(), name + ".receipt.csv")), f"no receipt for {name}")
        return env, r

    def test_zero_byte_csv(self):
        self.one("empty.csv", b"")
        self.finish()

    def test_random_garbage(self):
        self.one("garbage.csv", os.urandom(256 * 1024))
        self.finish()

    def test_64_mib_single_value(self):
        """One record whose message is 64 MiB: the run ends and the file gets its receipt."""
        big = b"x" * (64 << 20)
        head = rakval_csv([])
        data = head + b"LV-BIG;;10;01.11.2026;;;;;;" + big + b";;;\r\n"
        env, r = self.one("big.csv", data, timeout=180)
        if not harness.SANITIZED:
            self.expect(r.maxrss_kib < 400 * 1024, f"peak memory {r.maxrss_kib >> 10} MiB for a 64 MiB value")
        self.finish()

    def test_max_file_size_exceeded(self):
        env = Env(self)
        env.sources["rakval"]["max_file_size"] = "1KiB"
        env.write_config()
        env.drop("small.csv", rakval_csv([row("LV-SMALL")]))
        env.drop("large.csv", rakval_csv([row(f"LV-L{i}") for i in range(200)]))
        r = env.once()
        self.expect_rc(r, 0, "run --once")
        self.expect(b"large.csv" in env.names_in(env.error()), "the oversized file is not quarantined")
        self.expect(os.path.exists(os.path.join(env.receipts(), "large.csv.receipt.csv")), "no receipt")
        self.expect("LV-L0" not in env.delivered_cases(), "delivered from an oversized file")
        self.expect_delivered(env, ["LV-SMALL"])
        self.finish()

    def test_mtime_far_in_the_future(self):
        """Settle is measured on liitos's own clock: a file stamped 2100 is taken like any other."""
        env = Env(self, settle="500ms")
        env.write_config()
        p = env.drop("future.csv", rakval_csv([row("LV-FUT")]))
        os.utime(p, (4102444800, 4102444800))
        r = env.once(timeout=30)
        self.expect_rc(r, 0, "run --once")
        self.expect_delivered(env, ["LV-FUT"])
        self.finish()

    def test_mtime_1970(self):
        env = Env(self, settle="500ms")
        env.write_config()
        p = env.drop("old.csv", rakval_csv([row("LV-OLD")]))
        os.utime(p, (0, 0))
        r = env.once(timeout=30)
        self.expect_rc(r, 0, "run --once")
        self.expect_delivered(env, ["LV-OLD"])
        self.finish()

    def test_hard_linked_twice(self):
        env = Env(self)
        env.write_config()
        p = env.drop("a.csv", rakval_csv([row("LV-HL")]))
        os.link(p, os.path.join(env.inbox(), "b.csv"))
        r = env.once()
        self.expect_rc(r, 0, "run --once")
        self.expect(not env.names_in(env.inbox()), f"left: {env.names_in(env.inbox())}")
        receipts = [n for _, n in env.receipt_files() if n.endswith(b".receipt.csv")]
        self.expect(len(receipts) == 2, f"intake receipts: {receipts}")
        items = [i for i in env.delivered() if i.get("lvCaseId") == "LV-HL"]
        self.expect(len(items) == 1, f"LV-HL delivered {len(items)} times (one messageId)")
        self.finish()

    def test_a_thousand_files(self):
        env = Env(self)
        env.write_config()
        for i in range(1000):
            env.drop(f"f{i:04}.csv", rakval_csv([row(f"LV-K{i}")]))
        r = env.once(timeout=180)
        self.expect_rc(r, 0, "run --once")
        self.expect(not env.names_in(env.inbox()), f"{len(env.names_in(env.inbox()))} files left")
        self.expect(len(env.delivered_cases()) == 1000, f"{len(env.delivered_cases())} of 1000 delivered")
        self.finish()

    def test_inbox_missing(self):
        env = Env(self)
        env.write_config()
        os.rmdir(env.inbox())
        r = env.once(timeout=30)
        self.expect_ended(r)
        self.expect(r.rc in (1, 2), f"run --once without its inbox exited {r.rc}")
        self.expect(env.inbox().encode() in r.err, "the message does not name the missing inbox")
        self.finish()

    def test_inbox_is_a_file(self):
        env = Env(self)
        env.write_config()
        os.rmdir(env.inbox())
        open(env.inbox(), "wb").close()
        r = env.once(timeout=30)
        self.expect_ended(r)
        self.expect(r.rc in (1, 2), f"run --once with a file for an inbox exited {r.rc}")
        self.finish()

    def test_orphan_done_marker(self):
        env = Env(self)
        env.sources["rakval"]["done_marker"] = ".done"
        env.write_config()
        env.drop("ghost.csv.done", b"")
        env.drop("real.csv", rakval_csv([row("LV-DM")]))
        env.drop("real.csv.done", b"")
        r = env.once()
        self.expect_rc(r, 0, "run --once")
        self.expect_delivered(env, ["LV-DM"])
        self.expect(env.names_in(env.inbox()) == [b"ghost.csv.done"], f"inbox: {env.names_in(env.inbox())}")
        self.finish()


class MovingFiles(HostileCase):
    """Files that change while liitos watches them."""

    def test_vanishes_while_settling(self):
        env = Env(self, settle="1s")
        env.write_config()
        p = env.drop("gone.csv", rakval_csv([row("LV-GONE")]))
        proc = env.daemon_once()
        time.sleep(0.4)  # within the settle time of the first observation
        os.unlink(p)
        r = proc.wait(30)
        self.expect_rc(r, 0, "run --once")
        self.expect_clean_log(r)
        self.expect(not [ln for ln in r.err.split(b"\n") if ln.startswith((b"<3>", b"<2>"))],
                    f"errors logged: {r.err[-300:]!r}")
        self.finish()

    def test_grows_while_settling(self):
        """Appended to every 200 ms for 2 s with settle 700 ms: taken once whole, every row."""
        env = Env(self, settle="700ms")
        env.write_config()
        p = env.drop("growing.csv", rakval_csv([row("LV-G0")]))
        proc = env.daemon_once()
        for i in range(1, 11):
            time.sleep(0.2)
            with open(p, "ab") as f:
                f.write(f"LV-G{i};;10;01.11.2026;;;;;;;;;\r\n".encode())
        final = open(p, "rb").read()
        r = proc.wait(60)
        self.expect_rc(r, 0, "run --once")
        archived = env.archived()
        self.expect(len(archived) == 1 and open(archived[0][0], "rb").read() == final,
                    "the archived copy is not the whole final file")
        self.expect_delivered(env, [f"LV-G{i}" for i in range(11)])
        events = env.events()
        shas = [e.get("file_sha256") for e in events if event_kind(e) == "FILE_RECEIVED"]
        self.expect(shas == [sha(final)], f"{len(shas)} FILE_RECEIVED, expected one of the final bytes")
        self.finish()

    def test_grows_while_being_copied(self):
        """A 48 MiB file appended to while it is taken: whatever left the inbox is kept with the
        bytes the journal recorded; what is still there is taken whole later."""
        env = Env(self)
        env.write_config()
        body = rakval_csv([row("LV-GC0", Viesti="y" * (48 << 20))])
        p = env.drop("copying.csv", body)
        stop = threading.Event()

        def writer():
            i = 1
            while not stop.is_set():
                try:
                    with open(p, "ab") as f:
                        f.write(f"LV-GC{i};;10;01.11.2026;;;;;;;;;\r\n".encode())
                except OSError:
                    return
                i += 1
                time.sleep(0.01)

        t = threading.Thread(target=writer, daemon=True)
        proc = env.daemon_once()
        t.start()
        r = proc.wait(120)
        stop.set()
        t.join(5)
        self.expect_ended(r, "run --once")
        events = env.events()
        journaled = {e.get("file_sha256") for e in events if event_kind(e) == "FILE_RECEIVED"}
        for path, n in env.archived():
            self.expect(sha(open(path, "rb").read()) in journaled, f"archived {n!r} is not what was journaled")
        in_error = [n for n in env.names_in(env.error()) if not n.endswith(b".reason.txt")]
        kept = len(env.archived()) + len(in_error) + len(env.names_in(env.inbox()))
        self.expect(kept >= 1, "the file is lost: not in the inbox, the archive or error/")
        if env.names_in(env.inbox()):
            r2 = env.once(timeout=120)
            self.expect_rc(r2, 0, "second run --once")
            self.expect(not env.names_in(env.inbox()), "still in the inbox after a quiet second run")
        self.finish()

    def test_replaced_while_settling(self):
        """Another export renamed over the name while it settles: the newer content is taken."""
        env = Env(self, settle="1s")
        env.write_config()
        env.drop("swap.csv", rakval_csv([row("LV-OLDV")]))
        proc = env.daemon_once()
        time.sleep(0.4)
        tmp = env.drop("swap.csv.tmp", rakval_csv([row("LV-NEWV")]))
        os.rename(tmp, os.path.join(os.fsencode(env.inbox()), b"swap.csv"))
        r = proc.wait(60)
        self.expect_rc(r, 0, "run --once")
        self.expect_delivered(env, ["LV-NEWV"])
        self.finish()

    def test_truncated_while_settling(self):
        env = Env(self, settle="1s")
        env.write_config()
        p = env.drop("shrink.csv", rakval_csv([row("LV-SH1"), row("LV-SH2")]))
        proc = env.daemon_once()
        time.sleep(0.4)
        with open(p, "wb") as f:
            f.write(rakval_csv([row("LV-SH3")]))
        r = proc.wait(60)
        self.expect_rc(r, 0, "run --once")
        self.expect_delivered(env, ["LV-SH3"])
        self.expect(not ({"LV-SH1", "LV-SH2"} & env.delivered_cases()), "delivered rows of the old content")
        self.finish()

    def test_xml_still_being_written(self):
        """The truncated sample export, completed 600 ms later (settle 1 s): taken once, complete."""
        env = Env(self, settle="1s")
        env.write_config()
        whole = ymparisto_xml(["LV-XW1", "LV-XW2"])
        p = env.drop("vienti.xml", whole[:len(whole) // 2], source="ymparisto")
        proc = env.daemon_once()
        time.sleep(0.6)
        with open(p, "ab") as f:
            f.write(whole[len(whole) // 2:])
        r = proc.wait(60)
        self.expect_rc(r, 0, "run --once")
        self.expect_delivered(env, ["LV-XW1", "LV-XW2"])
        self.expect(b"vienti.xml" not in env.names_in(env.error("ymparisto")), "quarantined half-written")
        self.finish()
