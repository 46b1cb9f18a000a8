"""SPEC §10: one service per state_dir. A second `run` on it exits 1 at once naming the process
that holds `{state_dir}/lock`, however the state_dir is spelled; read-only commands need no lock;
a lock left by a killed process does not block the next start; a planted lock file is never
followed to clobber another file."""

import os
import signal
import time

import harness
from harness import HostileCase, Env, rakval_csv, row, wait_until

AT_ONCE = 5.0  # seconds a refused second `run` may take (times harness.SLOW)


class SingleInstance(HostileCase):

    def start_first(self, env):
        d = env.daemon()
        self.addCleanup(d.wait, 15)
        self.addCleanup(d.kill, signal.SIGTERM)
        up = wait_until(lambda: b"started" in d.err_so_far() or not d.alive(), 20)
        self.expect(up and d.alive(), f"the first service did not start: {d.err_so_far()[-300:]!r}")
        return d

    def expect_refused(self, r, pid, what):
        self.expect_ended(r, what)
        self.expect(r.rc == 1, f"{what} exited {r.rc}, expected 1")
        self.expect(r.elapsed < AT_ONCE * harness.SLOW, f"{what} took {r.elapsed:.1f} s, not 'at once'")
        self.expect(str(pid).encode() in r.err + r.out, f"{what} does not name PID {pid}: {r.err[-200:]!r}")

    def test_second_run(self):
        env = Env(self)
        env.write_config()
        d = self.start_first(env)
        r = env.liitos("run", timeout=15)
        self.expect_refused(r, d.pid, "second run")
        self.expect(d.alive(), "the first service died")
        self.finish()

    def test_second_run_once(self):
        env = Env(self)
        env.write_config()
        d = self.start_first(env)
        env.drop("x.csv", rakval_csv([row("LV-I1")]))
        r = env.liitos("run", "--once", timeout=15)
        self.expect_refused(r, d.pid, "run --once beside a running service")
        self.finish()

    def test_state_dir_spelled_through_a_symlink(self):
        env = Env(self)
        env.write_config()
        d = self.start_first(env)
        os.symlink(env.state_dir, env.p("state-link"))
        env.state_dir = env.p("state-link")
        env.cfg = env.p("second.toml")
        env.write_config()
        r = env.liitos("run", timeout=15)
        self.expect_refused(r, d.pid, "second run (state_dir via a symlink)")
        self.finish()

    def test_state_dir_spelled_with_dots(self):
        env = Env(self)
        env.write_config()
        d = self.start_first(env)
        env.state_dir = env.p("rakval", "..", "state", ".") + "/"
        env.cfg = env.p("second.toml")
        env.write_config()
        r = env.liitos("run", timeout=15)
        self.expect_refused(r, d.pid, "second run (state_dir spelled x/../state/./)")
        self.finish()

    def test_read_only_commands_beside_the_service(self):
        env = Env(self)
        env.write_config()
        self.start_first(env)
        for args in (("status",), ("journal", "list"), ("journal", "verify"), ("check",)):
            r = env.liitos(*args)
            self.expect(r.rc == 0 and not r.timed_out, f"{' '.join(args)} beside the service: {r.why()}")
        self.finish()

    def test_lock_of_a_killed_service_does_not_block(self):
        env = Env(self)
        env.write_config()
        d = self.start_first(env)
        d.kill(signal.SIGKILL)
        d.wait(10)
        env.drop("x.csv", rakval_csv([row("LV-I2")]))
        r = env.once()
        self.expect_rc(r, 0, "run --once after kill -9 of the service")
        self.expect_delivered(env, ["LV-I2"])
        self.finish()

    def test_planted_lock_symlink_is_not_followed(self):
        """{state_dir}/lock planted as a symlink to another file: that file keeps its bytes."""
        env = Env(self)
        env.write_config()
        os.makedirs(env.state_dir, mode=0o750)
        victim = env.p("victim.txt")
        with open(victim, "wb") as f:
            f.write(b"precious\n")
        os.symlink(victim, os.path.join(env.state_dir, "lock"))
        r = env.once()
        self.expect_ended(r)
        self.expect(open(victim, "rb").read() == b"precious\n", "the lock's symlink target was written")
        self.finish()

    def test_two_services_started_together(self):
        """Two `run` started in the same instant: exactly one keeps running."""
        env = Env(self)
        env.write_config()
        a, b = env.daemon(), env.daemon()
        for d in (a, b):
            self.addCleanup(d.wait, 15)
            self.addCleanup(d.kill, signal.SIGTERM)
        wait_until(lambda: not a.alive() or not b.alive(), 10)
        time.sleep(0.5)  # whether the survivor stays up: it must not die shortly after
        alive = [d for d in (a, b) if d.alive()]
        self.expect(len(alive) == 1, f"{len(alive)} services running on one state_dir")
        if len(alive) == 1:
            loser = b if alive[0] is a else a
            r = loser.wait(5)
            self.expect(r.rc == 1, f"the refused one exited {r.rc}")
            self.expect(str(alive[0].pid).encode() in r.err, "the refused one does not name the other's PID")
        self.finish()
