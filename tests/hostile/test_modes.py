"""SPEC §7: the journal and everything liitos creates (spool, receipts, archive copies, batch files,
metrics) are mode 0640 or stricter whatever the umask it was started with (here 000); the state
directory is 0750. Folders liitos creates are held to 0750 or stricter (never group- or
world-writable)."""

import os
import signal
import stat

from harness import HostileCase, Env, rakval_csv, row, ymparisto_xml, wait_until

MADE_BY_TEST = {"", "rakval", "rakval/in", "ymparisto", "ymparisto/in", "outbound", "metrics", "liitos.toml"}


def too_open_file(mode):
    return stat.S_IMODE(mode) & ~0o640


def too_open_dir(mode):
    return stat.S_IMODE(mode) & 0o027


def walk_modes(env, under=""):
    """(relative path, st_mode) of everything under root/under, not following links."""
    out = []
    base = env.p(under) if under else env.root
    for dirpath, dirs, files in os.walk(base):
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            out.append((os.path.relpath(p, env.root), os.lstat(p).st_mode))
    return out


def describe(items):
    return ", ".join(f"{p} {stat.S_IMODE(m):04o}" for p, m in items[:8])


class ModesUnderUmask000(HostileCase):

    @classmethod
    def setUpClass(cls):
        env = Env(cls)
        env.metrics_file = env.p("metrics", "liitos.prom")
        os.makedirs(env.p("metrics"))
        env.write_config()
        for n in ("good.csv",):
            env.drop(n, rakval_csv([row("LV-M1")]), mode=0o666)
        env.drop("good.xml", ymparisto_xml(["LV-M2"]), source="ymparisto", mode=0o666)
        env.drop("bad.xml", b"<?xml version='1.0'?><broken", source="ymparisto", mode=0o666)
        cls.env = env
        cls.r = env.once(umask=0)
        cls.modes = [(p, m) for p, m in walk_modes(env) if p not in MADE_BY_TEST]

    def setUp(self):
        super().setUp()
        self.expect_rc(self.r, 0, "run --once under umask 000")

    def files(self, prefix):
        return [(p, m) for p, m in self.modes if p.startswith(prefix) and stat.S_ISREG(m)]

    def test_state_dir_is_0750(self):
        st = os.stat(self.env.state_dir)
        self.expect(stat.S_IMODE(st.st_mode) == 0o750, f"state dir is {stat.S_IMODE(st.st_mode):04o}")
        self.finish()

    def test_journal_and_state_files(self):
        files = self.files("state/")
        self.expect(any(p == "state/journal.db" for p, _ in files), "no state/journal.db")
        bad = [(p, m) for p, m in files if too_open_file(m)]
        self.expect(not bad, "too open: " + describe(bad))
        self.finish()

    def test_receipts(self):
        files = self.files("rakval/receipts/") + self.files("ymparisto/receipts/")
        self.expect(len(files) >= 3, f"only {len(files)} receipts")
        bad = [(p, m) for p, m in files if too_open_file(m)]
        self.expect(not bad, "too open: " + describe(bad))
        self.finish()

    def test_batch_files(self):
        files = self.files("outbound/")
        self.expect(files, "no batch file")
        bad = [(p, m) for p, m in files if too_open_file(m)]
        self.expect(not bad, "too open: " + describe(bad))
        self.finish()

    def test_metrics_file(self):
        files = self.files("metrics/")
        self.expect(files, "no metrics file")
        bad = [(p, m) for p, m in files if too_open_file(m)]
        self.expect(not bad, "too open: " + describe(bad))
        self.finish()

    def test_archive_and_error_copies(self):
        """The originals were dropped 0666; their archive and error copies are liitos's."""
        files = self.files("rakval/archive/") + self.files("ymparisto/archive/") + self.files("ymparisto/error/")
        self.expect(len(files) >= 3, f"only {len(files)} archive/error files")
        bad = [(p, m) for p, m in files if too_open_file(m)]
        self.expect(not bad, "too open: " + describe(bad))
        self.finish()

    def test_folders_created(self):
        dirs = [(p, m) for p, m in self.modes if stat.S_ISDIR(m)]
        bad = [(p, m) for p, m in dirs if too_open_dir(m)]
        self.expect(not bad, "too open: " + describe(bad))
        self.finish()


class ModesWhileRunning(HostileCase):

    def test_wal_shm_and_spool_while_running(self):
        """journal.db-wal and -shm exist while the service runs: they too are 0640 or stricter."""
        env = Env(self)
        env.write_config()
        env.drop("good.csv", rakval_csv([row("LV-W1")]))
        d = env.daemon(umask=0)
        receipt = os.path.join(env.receipts(), "good.csv.receipt.csv")
        self.expect(wait_until(lambda: os.path.exists(receipt) or not d.alive(), 20), "the file was not taken")
        seen = {}
        for p, m in walk_modes(env, "state"):
            seen[p] = m
        d.kill(signal.SIGTERM)
        r = d.wait(15)
        self.expect_ended(r, "the service after SIGTERM")
        for suffix in ("-wal", "-shm"):
            p = "state/journal.db" + suffix
            if self.expect(p in seen, f"no {p} while running"):
                self.expect(not too_open_file(seen[p]), f"{p} is {stat.S_IMODE(seen[p]):04o}")
        bad = [(p, m) for p, m in seen.items() if stat.S_ISREG(m) and too_open_file(m)]
        self.expect(not bad, "too open: " + describe(bad))
        self.finish()

    def test_state_dir_made_0777_beforehand(self):
        """A state dir an admin made world-writable is tightened to 0750, or refused."""
        env = Env(self)
        os.makedirs(env.state_dir)
        os.chmod(env.state_dir, 0o777)
        env.write_config()
        r = env.once()
        self.expect_ended(r)
        mode = stat.S_IMODE(os.stat(env.state_dir).st_mode)
        self.expect(mode == 0o750 or r.rc in (1, 2), f"state dir left {mode:04o} and run exited {r.rc}")
        self.finish()
