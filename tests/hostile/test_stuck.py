"""SPEC §3 'Nothing is stuck in silence' and G3: a file that cannot be taken, or cannot leave the
inbox, never hangs or loops `run --once`, is reported once per cause (a FILE_STUCK event, one
warning line, a receipt where one can be written), makes `run --once` exit 1 while it is left
over, and never holds back the good files beside it. Things that are not regular files (a FIFO, a
socket, a device, symlinks) are either quarantined whole (moved as they are, never read) or stuck
in that same reported way.
"""

import os
import signal
import socket
import stat
import subprocess
import time

from harness import (HostileCase, Env, escaped, lines_mentioning, needs_root, is_root, rakval_csv, row, ymparisto_xml,
                     wait_until)

GOOD = "good.csv"


class StuckBase(HostileCase):

    def env_with_good(self, **kw):
        env = Env(self, **kw)
        env.drop(GOOD, rakval_csv([row("LV-GOOD")]))
        return env

    def expect_contained_or_stuck(self, env, r, name, source="rakval", receipt=True):
        """Either quarantined as it is (out of the inbox into error/, a reason, rc 0), or stuck and
        reported (see expect_stuck_reported)."""
        name = os.fsencode(name)
        self.expect_ended(r)
        if name in env.names_in(env.inbox(source)):
            self.expect_stuck_reported(env, r, name, source, receipt=receipt)
            return
        self.expect(r.rc == 0, f"{name!r} was quarantined, yet run --once exited {r.rc}")
        errs = env.names_in(env.error(source))
        self.expect(name in errs, f"{name[:60]!r} left the inbox but is not in error/ under its name")
        self.expect(any(n != name and n.startswith(name[:100]) for n in errs),
                    f"no reason file beside the quarantined {name[:60]!r}")

    def expect_good_delivered(self, env):
        self.expect_delivered(env, ["LV-GOOD"])
        self.expect(os.fsencode(GOOD) not in env.names_in(env.inbox()), "the good file stayed in the inbox")


class NotRegularFiles(StuckBase):

    def test_fifo_in_inbox(self):
        """Opening a FIFO for reading blocks forever: it must never be opened."""
        env = self.env_with_good()
        os.mkfifo(os.path.join(env.inbox(), "pipe.csv"))
        env.write_config()
        r = env.once(timeout=30)
        self.expect_contained_or_stuck(env, r, "pipe.csv")
        self.expect_good_delivered(env)
        self.expect_clean_log(r)
        self.finish()

    def test_unix_socket_in_inbox(self):
        env = self.env_with_good()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(os.path.join(env.inbox(), "sock.csv"))
        self.addCleanup(s.close)
        env.write_config()
        r = env.once(timeout=30)
        self.expect_contained_or_stuck(env, r, "sock.csv")
        self.expect_good_delivered(env)
        self.finish()

    def odd_entry(self, name, make):
        """An inbox entry made by make(path) that is no plain file: contained or reported stuck,
        and the good export beside it still delivered."""
        env = self.env_with_good()
        make(os.path.join(env.inbox(), name))
        env.write_config()
        r = env.once(timeout=30)
        self.expect_contained_or_stuck(env, r, name)
        self.expect_good_delivered(env)
        self.finish()

    @needs_root
    def test_char_device_zero_in_inbox(self):
        """A copy of /dev/zero's device node: reading it never ends."""
        self.odd_entry("zero.csv", lambda p: os.mknod(p, 0o600 | stat.S_IFCHR, os.makedev(1, 5)))

    def test_dangling_symlink(self):
        self.odd_entry("dangling.csv", lambda p: os.symlink("/nonexistent/liitos/x.csv", p))

    def test_symlink_loop(self):
        self.odd_entry("loop.csv", lambda p: os.symlink("loop.csv", p))

    def test_symlink_to_directory(self):
        self.odd_entry("etc.csv", lambda p: os.symlink("/etc", p))

    def test_directory_named_like_an_export(self):
        """A folder 'dir.csv' (with a file inside) is not a file: never taken, never descended
        into, never fatal; reported at most once."""
        env = self.env_with_good()
        d = os.path.join(env.inbox(), "dir.csv")
        os.makedirs(d)
        with open(os.path.join(d, "inner.csv"), "wb") as f:
            f.write(rakval_csv([row("LV-INNER")]))
        env.write_config()
        r = env.once(timeout=30)
        self.expect_ended(r)
        self.expect(r.rc in (0, 1), f"rc {r.rc}")
        self.expect_good_delivered(env)
        self.expect("LV-INNER" not in env.delivered_cases(), "a file inside a folder of the inbox was taken")
        self.expect(os.path.isfile(os.path.join(d, "inner.csv")) or
                    os.path.isdir(os.path.join(env.error(), "dir.csv")), "the folder's content was lost")
        self.expect(len(lines_mentioning(r.err, "dir.csv", max_prio=4)) <= 1, "more than one warning about dir.csv")
        self.expect_clean_log(r)
        self.finish()


class OtherFilesystems(StuckBase):

    @needs_root
    def test_fifo_with_error_on_tmpfs(self):
        env = self.env_with_good()
        env.sources["rakval"]["error"] = env.p("errfs")
        env.mount_tmpfs(env.p("errfs"), "64k")
        os.mkfifo(os.path.join(env.inbox(), "pipe.csv"))
        env.write_config()
        r = env.once(timeout=30)
        self.expect_contained_or_stuck(env, r, "pipe.csv")
        self.expect_good_delivered(env)
        self.finish()

    @needs_root
    def test_symlink_with_error_on_tmpfs(self):
        """A symlink to /etc/passwd may be moved as a link or stay; its target is never read."""
        env = self.env_with_good()
        env.sources["rakval"]["error"] = env.p("errfs")
        env.mount_tmpfs(env.p("errfs"), "64k")
        os.symlink("/etc/passwd", os.path.join(env.inbox(), "passwd.csv"))
        env.write_config()
        r = env.once(timeout=30)
        self.expect_contained_or_stuck(env, r, "passwd.csv")
        self.expect_good_delivered(env)
        secret = open("/etc/passwd", "rb").read()
        for dirpath, _, files in os.walk(env.root):
            for f in files:
                p = os.path.join(dirpath, f)
                if not os.path.islink(p) and os.path.isfile(p) and open(p, "rb").read() == secret:
                    self.expect(False, f"the link's target was copied to {p}")
        self.finish()

    @needs_root
    def test_archive_on_read_only_bind_mount(self):
        env = self.env_with_good()
        os.makedirs(env.p("archive_src"))
        env.mount_ro_bind(env.p("archive_src"), env.p("archive_ro"))
        env.sources["rakval"]["archive"] = env.p("archive_ro")
        env.write_config()
        r = env.once(timeout=30)
        self.expect_stuck_reported(env, r, GOOD)
        self.expect_delivered(env, ["LV-GOOD"])
        r2 = env.once(timeout=30)
        self.expect_rc(r2, 1, "second run --once")
        items = [i for i in env.delivered() if i.get("lvCaseId") == "LV-GOOD"]
        self.expect(len(items) == 1, f"LV-GOOD delivered {len(items)} times")
        self.finish()

    @needs_root
    def test_error_on_read_only_bind_mount(self):
        env = Env(self)
        env.drop("good.xml", ymparisto_xml(["LV-GOODX"]), source="ymparisto")
        env.drop("bad.xml", b"<?xml version='1.0'?><v:Vienti xmlns:v='urn:example:ymparisto:vienti:1'><v:Asia>",
                 source="ymparisto")
        os.makedirs(env.p("err_src"))
        env.mount_ro_bind(env.p("err_src"), env.p("err_ro"))
        env.sources["ymparisto"]["error"] = env.p("err_ro")
        env.write_config()
        r = env.once(timeout=30)
        self.expect_stuck_reported(env, r, "bad.xml", "ymparisto")
        self.expect_delivered(env, ["LV-GOODX"])
        self.finish()

    @needs_root
    def test_error_folder_full(self):
        env = Env(self)
        env.drop("good.xml", ymparisto_xml(["LV-GOODX"]), source="ymparisto")
        env.drop("bad.xml", b"<?xml version='1.0'?><v:Vienti xmlns:v='urn:x'>" + b"<a>" * 5000, source="ymparisto")
        env.sources["ymparisto"]["error"] = env.p("errfs")
        env.mount_tmpfs(env.p("errfs"), "16k")
        try:
            with open(env.p("errfs", "filler"), "wb") as f:
                while True:
                    f.write(b"x" * 4096)
                    f.flush()
        except OSError:
            pass
        env.write_config()
        r = env.once(timeout=30)
        self.expect_stuck_reported(env, r, "bad.xml", "ymparisto")
        self.expect_delivered(env, ["LV-GOODX"])
        self.finish()

    @needs_root
    def test_receipts_on_read_only_bind_mount(self):
        """Receipts that cannot be written: no loop, no flood of lines, the records still go."""
        env = self.env_with_good()
        os.makedirs(env.p("rc_src"))
        env.mount_ro_bind(env.p("rc_src"), env.p("rc_ro"))
        env.sources["rakval"]["receipts"] = env.p("rc_ro")
        env.write_config()
        r = env.once(timeout=30)
        self.expect_ended(r)
        self.expect_delivered(env, ["LV-GOOD"])
        n = len(lines_mentioning(r.err, GOOD, max_prio=4))
        self.expect(1 <= n <= 2, f"{n} warning lines name {GOOD} (expected one per cause)")
        self.finish()


class LongNames(StuckBase):

    def test_long_symlink_name(self):
        """A 250-byte symlink: NAME.reason.txt (261 bytes) cannot exist."""
        env = self.env_with_good()
        name = b"s" * 246 + b".csv"
        os.symlink(b"/etc/hostname", os.path.join(os.fsencode(env.inbox()), name))
        env.write_config()
        r = env.once(timeout=30)
        self.expect_contained_or_stuck(env, r, name, receipt=False)
        self.expect_good_delivered(env)
        self.expect_clean_log(r)
        self.finish()

    def test_long_name_bad_content(self):
        """A 250-byte broken XML: it must be quarantined (or reported stuck) though its reason and
        receipt names are too long."""
        env = Env(self)
        env.drop("good.xml", ymparisto_xml(["LV-GOODX"]), source="ymparisto")
        name = b"b" * 246 + b".xml"
        env.drop(name, b"<?xml version='1.0'?><v:Vienti", source="ymparisto")
        env.write_config()
        r = env.once(timeout=30)
        self.expect_contained_or_stuck(env, r, name, "ymparisto", receipt=False)
        self.expect_delivered(env, ["LV-GOODX"])
        self.finish()


class Unreadable(StuckBase):

    def nobody_env(self):
        env = Env(self, world_readable=True)
        env.drop(GOOD, rakval_csv([row("LV-GOOD")]))
        return env

    def own_tree(self, env, user="nobody"):
        subprocess.run(["chown", "-R", f"{user}:", env.root], check=True)

    @needs_root
    def test_unreadable_by_service_user(self):
        env = self.nobody_env()
        env.write_config()
        self.own_tree(env)
        p = env.drop("secret.csv", rakval_csv([row("LV-SECRET")]), mode=0o600)
        os.chown(p, 0, 0)
        r = env.once(timeout=30, user="nobody")
        self.expect_stuck_reported(env, r, "secret.csv")
        self.expect_good_delivered(env)
        self.finish()

    def test_mode_000_file(self):
        """A file its own owner cannot read (run as `nobody` when root; as the caller otherwise)."""
        env = self.nobody_env()
        env.write_config()
        user = None
        if is_root():
            self.own_tree(env)
            user = "nobody"
        p = env.drop("locked.csv", rakval_csv([row("LV-LOCKED")]))
        if is_root():
            subprocess.run(["chown", "nobody:", p], check=True)
        os.chmod(p, 0)
        r = env.once(timeout=30, user=user)
        self.expect_stuck_reported(env, r, "locked.csv")
        self.expect_good_delivered(env)
        self.finish()

    @needs_root
    def test_unreadable_reported_once_across_rescans(self):
        """The service (not --once) rescanning every 250 ms for 3 s: one FILE_STUCK, one warning."""
        env = self.nobody_env()
        env.sources["rakval"]["rescan"] = "250ms"
        env.write_config()
        self.own_tree(env)
        p = env.drop("secret.csv", rakval_csv([row("LV-SECRET")]), mode=0o600)
        os.chown(p, 0, 0)
        self.rescan_window(env, "secret.csv", user="nobody")

    @needs_root
    def test_archive_read_only_reported_once_across_rescans(self):
        env = self.env_with_good()
        os.makedirs(env.p("archive_src"))
        env.mount_ro_bind(env.p("archive_src"), env.p("archive_ro"))
        env.sources["rakval"]["archive"] = env.p("archive_ro")
        env.sources["rakval"]["rescan"] = "250ms"
        env.write_config()
        self.rescan_window(env, GOOD)

    def rescan_window(self, env, name, user=None):
        d = env.daemon(user=user)
        good_receipt = os.path.join(env.receipts(), GOOD + ".receipt.csv")
        seen = wait_until(lambda: os.path.exists(good_receipt) or not d.alive(), 20)
        self.expect(seen and d.alive(), "the service did not take the good file (or died)")
        time.sleep(3.0)  # the observation window: about twelve rescans
        d.kill(signal.SIGTERM)
        r = d.wait(15)
        self.expect_ended(r, "the service after SIGTERM")
        self.expect(r.rc == 0, f"the service exited {r.rc} after SIGTERM")
        text = escaped(os.fsencode(name))
        warn = lines_mentioning(r.err, text, max_prio=4)
        self.expect(len(warn) == 1, f"{len(warn)} warning lines name {name} in 3 s of rescans, expected 1")
        events = self.expect_clean_events(env)
        n = len(self.stuck_events(events, text))
        self.expect(n == 1, f"{n} FILE_STUCK events for {name}, expected 1")
        self.finish()
