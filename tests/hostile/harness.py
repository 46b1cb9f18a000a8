"""The hostile suite's harness: a scratch tree with a config, the real binary run with a deadline and
a cap on its output, mounts and users made (as root) and always undone, and readers for what the
service leaves behind (batch files, receipts, the journal's export).

Every run of the binary has a deadline: a hang or a loop fails the case instead of hanging the
suite, and a log that grows past LOG_CAP counts as a runaway (the process is killed).
"""

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import xml.etree.ElementTree as ET

BINARY = os.environ.get("LIITOS_BINARY", "")
TEST_DATA = os.environ.get("LIITOS_TEST_DATA", "")

LOG_CAP = 4 << 20          # bytes of stdout or stderr before a run counts as a runaway
ONCE_TIMEOUT = 60.0        # seconds a `run --once` may take
QUICK_TIMEOUT = 20.0       # seconds for check, journal, convert, status
SLOW = 1.0                 # every deadline is multiplied by this (3 under a sanitizer)
SANITIZED = False          # the binary runs under ASan or TSan: memory figures mean nothing


def set_sanitized():
    global SLOW, SANITIZED
    SLOW, SANITIZED = 3.0, True

# The header of the rakval-csv profile's export (tests/data/e2e/service.toml.in), windows-1252.
RAKVAL_HEADER = ["Asiointitunnus", "Diaarinumero", "Tilakoodi", "Tilan pvm", "Edellinen tila", "Päätöspvm",
                 "Päätös", "Pykälä", "Päättäjä", "Viesti", "Y-tunnus", "Hetu", "Käsittelijä"]
XML_NS = "urn:example:ymparisto:vienti:1"

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu(ddmmyy, sign, nnn):
    """A henkilötunnus with a valid check character."""
    return f"{ddmmyy}{sign}{nnn}{HETU_CHECK[int(ddmmyy + nnn) % 31]}"


def is_root():
    return os.geteuid() == 0


def needs_root(fn):
    return unittest.skipUnless(is_root(), "needs root (mounts, another user)")(fn)


# ---------------------------------------------------------------------------------------------
# Running the binary

class Result:
    def __init__(self, args):
        self.args = args
        self.rc = None
        self.out = b""
        self.err = b""
        self.timed_out = False
        self.runaway = False
        self.elapsed = 0.0
        self.maxrss_kib = 0

    def why(self):
        """A short description for failure messages."""
        tail = self.err[-600:].decode("utf-8", "backslashreplace")
        what = "timed out" if self.timed_out else "runaway output" if self.runaway else f"rc={self.rc}"
        return f"{' '.join(str(a) for a in self.args[:3])}: {what} after {self.elapsed:.1f}s; stderr tail: {tail!r}"


def _drain(stream, sink, cap, on_cap):
    total = 0
    while True:
        chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
        if not chunk:
            break
        total += len(chunk)
        if len(sink[0]) < cap:
            sink[0] += chunk[: cap - len(sink[0])]
        if total > cap:
            on_cap()
    stream.close()


class Proc:
    """The binary in its own process group with both outputs drained (capped) by threads."""

    def __init__(self, args, user=None, umask=None, cwd=None, cap=LOG_CAP, env=None):
        cmd = [BINARY] + [a for a in args]
        if user:
            cmd = ["setpriv", f"--reuid={user}", f"--regid={group_of(user)}", "--clear-groups", "--"] + cmd
        self.args = args
        self.result = Result(args)
        self._out = [b""]
        self._err = [b""]

        def pre():
            if umask is not None:
                os.umask(umask)

        self.start = time.monotonic()
        self.p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  preexec_fn=pre, start_new_session=True, cwd=cwd, env=env)
        self._threads = [threading.Thread(target=_drain, args=(self.p.stdout, self._out, cap, self._runaway),
                                          daemon=True),
                         threading.Thread(target=_drain, args=(self.p.stderr, self._err, cap, self._runaway),
                                          daemon=True)]
        for t in self._threads:
            t.start()

    @property
    def pid(self):
        return self.p.pid

    def _runaway(self):
        self.result.runaway = True
        self.kill()

    def kill(self, sig=signal.SIGKILL):
        try:
            os.killpg(self.p.pid, sig)
        except ProcessLookupError:
            pass

    def err_so_far(self):
        return self._err[0]

    def wait(self, timeout):
        """Waits up to `timeout` seconds (times SLOW); kills the process group when the deadline
        passes. Again after the end: returns the same result."""
        if self.result.rc is not None:
            return self.result
        deadline = time.monotonic() + timeout * SLOW
        status = None
        while status is None:
            pid, st, ru = os.wait4(self.p.pid, os.WNOHANG)
            if pid == self.p.pid:
                status = st
                self.result.maxrss_kib = ru.ru_maxrss
                break
            if time.monotonic() > deadline:
                self.result.timed_out = True
                self.kill()
                _, st, ru = os.wait4(self.p.pid, 0)
                status = st
                break
            time.sleep(0.02)
        self.p.returncode = os.waitstatus_to_exitcode(status)
        self.kill()  # whatever it left behind in its group
        for t in self._threads:
            t.join(10)
        r = self.result
        r.rc = self.p.returncode
        r.out, r.err = self._out[0], self._err[0]
        r.elapsed = time.monotonic() - self.start
        return r

    def alive(self):
        """Whether the process still runs. It is not reaped here (Popen.poll() would reap it, and
        wait() would then find no child): wait() collects its status and rusage."""
        if self.result.rc is not None:
            return False
        try:
            return os.waitid(os.P_PID, self.p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
        except ChildProcessError:
            return False


def run(args, timeout=QUICK_TIMEOUT, **kw):
    return Proc(args, **kw).wait(timeout)


def group_of(user):
    import pwd
    import grp
    return grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name


def wait_until(cond, timeout, step=0.02):
    """Polls `cond` until it holds or `timeout` passes (waiting for an observable outcome)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


# ---------------------------------------------------------------------------------------------
# Names as text

def escaped(name: bytes) -> str:
    """How SPEC §3 wants a name written as text: invalid UTF-8 as \\xHH, control characters as
    \\n, \\t, \\r or \\xHH."""
    out = []
    text = name.decode("utf-8", "surrogateescape")
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    for ch in text:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif ch in named:
            out.append(named[ch])
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        else:
            out.append(ch)
    return "".join(out)


def control_chars(text: str, allow: str = ""):
    """Control characters (C0, DEL, C1) in `text` other than those in `allow`."""
    return [c for c in text if (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) and c not in allow]


def log_problems(err: bytes):
    """What is wrong with a stderr log: lines without an sd-daemon prefix, raw control bytes,
    invalid UTF-8."""
    problems = []
    for i, line in enumerate(err.split(b"\n")):
        if not line:
            continue
        if not re.match(rb"^<[0-7]>", line):
            problems.append(f"line {i + 1} has no <N> prefix: {line[:120]!r}")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {i + 1} is not UTF-8: {line[:120]!r}")
            continue
        if control_chars(text):
            problems.append(f"line {i + 1} holds raw control characters: {line[:120]!r}")
    return problems


def lines_mentioning(err: bytes, needle: str, max_prio=7):
    out = []
    for line in err.decode("utf-8", "surrogateescape").split("\n"):
        m = re.match(r"^<([0-7])>", line)
        if m and int(m.group(1)) <= max_prio and needle in line:
            out.append(line)
    return out


# ---------------------------------------------------------------------------------------------
# Exports

def rakval_csv(rows, header=None, newline="\r\n"):
    """A rakval-csv export (windows-1252, ';'). Each row is a dict of column -> value; values are
    written as given (quote them yourself where needed)."""
    header = header or RAKVAL_HEADER
    lines = [";".join(header)]
    for r in rows:
        lines.append(";".join(r.get(c, "") for c in header))
    return (newline.join(lines) + newline).encode("cp1252")


def row(case, status="10", date="01.11.2026", **more):
    r = {"Asiointitunnus": case, "Tilakoodi": status, "Tilan pvm": date}
    r.update(more)
    return r


def ymparisto_xml(cases, ns=XML_NS, root="Vienti", extra_after_root="", prolog=""):
    items = "".join(f'<v:Asia><v:LvTunnus>{c}</v:LvTunnus><v:Tila koodi="K" pvm="2026-11-19"/>'
                    f"<v:Kunta>091</v:Kunta></v:Asia>" for c in cases)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<v:{root} xmlns:v="{ns}">{items}</v:{root}>\n'
            f"{extra_after_root}").encode()


# ---------------------------------------------------------------------------------------------
# A scratch tree with a config

def _toml(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def _profiles_text():
    text = open(os.path.join(TEST_DATA, "e2e", "service.toml.in"), encoding="utf-8").read()
    start = text.index("[[profile]]")
    end = text.index("[[destination]]")
    return text[start:end]


class Env:
    """A scratch directory with two sources (rakval: CSV, ymparisto: XML) and a dir destination,
    like tests/data/e2e/service.toml.in but with settle 0s. Mounts made through it are undone at
    cleanup, whatever happened."""

    def __init__(self, owner, settle="0s", world_readable=False):
        """`owner` is a TestCase (cleanup after the test) or a TestCase class (after the class)."""
        self.root = tempfile.mkdtemp(prefix="liitos-hostile-")
        self.mounts = []
        if isinstance(owner, type):
            owner.addClassCleanup(self.cleanup)
        else:
            owner.addCleanup(self.cleanup)
        if world_readable:
            os.chmod(self.root, 0o755)
        self.settle = settle
        self.state_dir = self.p("state")
        self.outbound = self.p("outbound")
        self.metrics_file = None
        self.log_level = "info"
        self.sources = {
            "rakval": dict(kind="dir", path=self.p("rakval/in"), receipts=self.p("rakval/receipts"),
                           profile="rakval-csv", destination="outbound", settle=settle),
            "ymparisto": dict(kind="dir", path=self.p("ymparisto/in"), receipts=self.p("ymparisto/receipts"),
                              profile="ymparisto-xml", destination="outbound", settle=settle),
        }
        self.dest_path = self.outbound
        for d in ("rakval/in", "ymparisto/in", "outbound"):
            os.makedirs(self.p(d), exist_ok=True)
        self.cfg = self.p("liitos.toml")

    def p(self, *parts):
        return os.path.join(self.root, *parts)

    def cleanup(self):
        for m in reversed(self.mounts):
            for _ in range(20):
                r = subprocess.run(["umount", m], capture_output=True)
                if r.returncode == 0 or not os.path.ismount(m):
                    break
                time.sleep(0.1)
            if os.path.ismount(m):
                subprocess.run(["umount", "-l", m], capture_output=True)
        self.mounts = []
        if not os.environ.get("LIITOS_KEEP_TEST_DIRS"):
            subprocess.run(["chattr", "-R", "-i", self.root], capture_output=True)
            shutil.rmtree(self.root, ignore_errors=True)

    # -- mounts ------------------------------------------------------------------------------

    def mount_tmpfs(self, path, size="64k"):
        os.makedirs(path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", path], check=True)
        self.mounts.append(path)

    def mount_ro_bind(self, src, dst):
        os.makedirs(dst, exist_ok=True)
        subprocess.run(["mount", "--bind", src, dst], check=True)
        self.mounts.append(dst)
        subprocess.run(["mount", "-o", "remount,bind,ro", dst], check=True)

    # -- the config --------------------------------------------------------------------------

    def inbox(self, source="rakval"):
        return self.sources[source]["path"]

    def receipts(self, source="rakval"):
        return self.sources[source]["receipts"]

    def archive(self, source="rakval"):
        return self.sources[source].get("archive") or os.path.join(os.path.dirname(self.inbox(source)), "archive")

    def error(self, source="rakval"):
        return self.sources[source].get("error") or os.path.join(os.path.dirname(self.inbox(source)), "error")

    def write_config(self, extra_service="", extra=""):
        lines = ["[service]", f"state_dir = {_toml(self.state_dir)}", f"log_level = {_toml(self.log_level)}"]
        if self.metrics_file:
            lines.append(f"metrics_file = {_toml(self.metrics_file)}")
        lines.append(extra_service)
        lines += ["", "[interface]", 'xroad_client = "FI/MUN/0204819-8/liitos"', ""]
        for name, s in self.sources.items():
            lines.append("[[source]]")
            lines.append(f"name = {_toml(name)}")
            for k, v in s.items():
                lines.append(f"{k} = {_toml(v)}")
            lines.append("")
        lines.append(_profiles_text())
        lines += ["[[destination]]", 'name = "outbound"', 'kind = "dir"', f"path = {_toml(self.dest_path)}",
                  'prefix = "lv_status_"', 'interval = "1h"', "", extra]
        with open(self.cfg, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return self.cfg

    # -- dropping files ----------------------------------------------------------------------

    def drop(self, name, data, source="rakval", mode=None):
        """Writes `data` as inbox/NAME (NAME: bytes or str) and returns the path as bytes."""
        path = os.path.join(os.fsencode(self.inbox(source)), os.fsencode(name))
        with open(path, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(path, mode)
        return path

    # -- running -----------------------------------------------------------------------------

    def liitos(self, *args, timeout=QUICK_TIMEOUT, **kw):
        return run(list(args) + ["--config", self.cfg], timeout=timeout, **kw)

    def once(self, timeout=ONCE_TIMEOUT, **kw):
        if not os.path.exists(self.cfg):
            self.write_config()
        return run(["run", "--once", "--config", self.cfg], timeout=timeout, **kw)

    def daemon_once(self, **kw):
        """`run --once` in the background (for files that change while it runs)."""
        if not os.path.exists(self.cfg):
            self.write_config()
        return Proc(["run", "--once", "--config", self.cfg], **kw)

    def daemon(self, **kw):
        if not os.path.exists(self.cfg):
            self.write_config()
        return Proc(["run", "--config", self.cfg], **kw)

    # -- what it left behind -----------------------------------------------------------------

    def names_in(self, d):
        try:
            return sorted(os.listdir(os.fsencode(d)))
        except FileNotFoundError:
            return []

    def archived(self, source="rakval"):
        """Every file under the archive as (bytes path, bytes name)."""
        out = []
        for dirpath, _, files in os.walk(os.fsencode(self.archive(source))):
            out += [(os.path.join(dirpath, f), f) for f in files]
        return out

    def batches(self):
        out = []
        for n in self.names_in(self.dest_path):
            if n.endswith(b".json"):
                raw = open(os.path.join(os.fsencode(self.dest_path), n), "rb").read()
                out.append(json.loads(raw.decode("utf-8")))
        return out

    def delivered(self):
        """Every delivered status update."""
        return [item for b in self.batches() for item in b.get("items", [])]

    def delivered_cases(self):
        return {i.get("lvCaseId") for i in self.delivered()}

    def receipt_files(self, source="rakval"):
        d = os.fsencode(self.receipts(source))
        return [(os.path.join(d, n), n) for n in self.names_in(d) if not n.startswith(b".")]

    def receipt_rows(self, name, source="rakval", kind="receipt"):
        """Rows (dicts) of the CSV receipt NAME.receipt.csv (kind 'receipt') or NAME.delivery.csv."""
        path = os.path.join(os.fsencode(self.receipts(source)), os.fsencode(name) + f".{kind}.csv".encode())
        return parse_csv_receipt(open(path, "rb").read())

    def trace(self, target):
        """`journal trace TARGET`; a target that starts with '-' goes after '--'."""
        target = os.fsencode(target)
        tail = ["--", target] if target.startswith(b"-") else [target]
        return run(["journal", "--config", self.cfg, "trace"] + tail)

    def export(self, fmt="json"):
        r = self.liitos("journal", "export", "--format", fmt)
        return r

    def events(self):
        """The journal's events as dicts (journal export --format json)."""
        r = self.export("json")
        if r.rc != 0:
            raise AssertionError("journal export --format json failed: " + r.why())
        return parse_json_events(r.out)


def parse_csv_receipt(raw: bytes):
    text = raw.decode("cp1252", "replace")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def parse_json_events(out: bytes):
    text = out.decode("utf-8").strip()
    if not text:
        return []
    if text.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def event_kind(e):
    return e.get("kind") or e.get("type") or ""


def strings_in(value):
    """Every string inside a parsed JSON value (keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)


def parse_xml_receipt(raw: bytes):
    return ET.fromstring(raw)


# ---------------------------------------------------------------------------------------------
# Assertions that collect every problem of a case, so that its line in the summary says all of why

class HostileCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.problems = []

    def expect(self, cond, msg):
        if not cond:
            self.problems.append(msg)
        return bool(cond)

    def finish(self):
        if self.problems:
            self.fail("; ".join(dict.fromkeys(self.problems)))

    def expect_ended(self, r, what="run"):
        """The run ended by itself within its deadline, without a runaway log."""
        if r.timed_out:
            return self.expect(False, f"{what} did not end within {r.elapsed:.0f} s (hang or loop)")
        if r.runaway:
            return self.expect(False, f"{what} wrote more than {LOG_CAP >> 20} MiB of output (runaway log)")
        return self.expect(r.rc is not None and 0 <= r.rc < 128, f"{what} died of a signal (rc {r.rc})")

    def expect_rc(self, r, rc, what="run"):
        if self.expect_ended(r, what):
            self.expect(r.rc == rc, f"{what} exited {r.rc}, expected {rc}: {r.err[-300:]!r}")

    def expect_clean_log(self, r, what="run"):
        p = log_problems(r.err)
        self.expect(not p, f"{what} log: " + "; ".join(p[:3]))
        forged = [ln for ln in r.err.split(b"\n") if ln.startswith(b"<3>FAKE")]
        self.expect(not forged, f"{what}: a name forged a log line: {forged[:1]!r}")

    def expect_clean_events(self, env, what="journal export"):
        """The journal's JSON and CSV exports parse and hold no raw control characters."""
        r = env.export("json")
        if not self.expect(r.rc == 0 and not r.timed_out, f"{what} --format json: {r.why()}"):
            return []
        try:
            events = parse_json_events(r.out)
        except Exception as e:  # noqa: BLE001 - any parse error is the finding
            self.expect(False, f"{what} --format json does not parse: {e}")
            return []
        bad = [s for s in strings_in(events) if control_chars(s)]
        self.expect(not bad, f"{what} json holds raw control characters: {bad[:1]!r}")
        r = env.export("csv")
        if self.expect(r.rc == 0 and not r.timed_out, f"{what} --format csv: {r.why()}"):
            try:
                text = r.out.decode("utf-8-sig")
                cells = [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for c in row]
                bad = [c for c in cells if control_chars(c)]
                self.expect(not bad, f"{what} csv holds raw control characters: {bad[:1]!r}")
            except UnicodeDecodeError as e:
                self.expect(False, f"{what} csv is not UTF-8: {e}")
        return events

    def expect_delivered(self, env, cases):
        got = env.delivered_cases()
        missing = sorted(set(cases) - got)
        self.expect(not missing, f"not delivered: {missing}")

    def expect_gone_from_inbox(self, env, name, source="rakval"):
        name = os.fsencode(name)
        return self.expect(name not in env.names_in(env.inbox(source)),
                           f"{name[:60]!r} is still in the inbox")

    def expect_kept_somewhere(self, env, name, source="rakval"):
        """The original is in the archive or the error folder under its own (byte-exact) name."""
        name = os.fsencode(name)
        archived = [n for _, n in env.archived(source)]
        in_error = env.names_in(env.error(source))
        self.expect(name in archived or name in in_error,
                    f"{name[:60]!r} is neither archived nor quarantined under its own name")

    def stuck_events(self, events, name_text):
        return [e for e in events if event_kind(e) == "FILE_STUCK" and name_text in (e.get("file") or "")]

    def expect_stuck_reported(self, env, r, name, source="rakval", receipt=True):
        """SPEC §3 'Nothing is stuck in silence' for a file that stays in the inbox."""
        name = os.fsencode(name)
        text = escaped(name)
        self.expect_rc(r, 1, "run")
        self.expect(name in env.names_in(env.inbox(source)), f"{name[:60]!r} left the inbox")
        events = self.expect_clean_events(env)
        n = len(self.stuck_events(events, text[:40]))
        self.expect(n == 1, f"{n} FILE_STUCK events for {text[:60]!r}, expected 1")
        warn = lines_mentioning(r.err, text[:40], max_prio=4)
        self.expect(len(warn) == 1, f"{len(warn)} warning lines name {text[:40]!r}, expected 1")
        if receipt:
            has = any(n.startswith(name[:100]) for _, n in env.receipt_files(source))
            self.expect(has, f"no receipt for the stuck {name[:60]!r}")
