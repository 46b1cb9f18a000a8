#!/usr/bin/env python3
"""A long kill campaign against `liitos run` (SPEC §2 G1, G2; §5.4; §6). Not a ctest.

N times (default 500) `kill -9` of the running service at a random moment while a feeder drops
exports into two watched folders (CSV and XML, 1 to ~15000 records, a few larger than 1 MiB so
that they take the streamed path; written under a temporary name and renamed, or slowly in place
to exercise settling) and batches of 50 go every second over X-Road REST to the scripted test
receiver (tests/fixtures/receiver.py), which also fails now and then: 503 and 429 with
Retry-After, slow answers, answers slower than request_timeout, X-Road-Error, connections reset
before the answer and answers cut off mid-body. Never a permanent 4xx: every record must end
delivered. The service is restarted at once after each kill.

Kill moments: a share right after the start (resume), a share at a random time up to 3 s, a few
after 3-6 s (so that a backlog goes out in between), a share aimed: the driver watches the process (/proc: its open files and its threads' wait channels) and
kills while a spool copy, a receipt, an fsync (journal commit) or an HTTP request is in progress.
Each kill's phase is read from the same snapshot taken just before the signal.

After the last kill the service runs until every dropped file is done (delivery receipt written,
nothing pending; bounded wait), is stopped with SIGTERM, and the campaign checks:
  - every record of every dropped file accepted by the receiver (expected messageIds from
    `liitos convert` of copies of the dropped files), none missing;
  - wire duplicates (a record received again after the receiver had accepted it: an answer lost
    to a kill or a fault; the same messageId and batchId, answered "duplicate") counted, and true
    doubles (a record accepted under two messageIds, or one messageId sent in two batches) = 0;
  - every file with both receipts, all rows accepted / delivered; no file left in a drop, none
    quarantined, each archived exactly once;
  - `liitos journal verify` exit 0; no temporary file or spool copy left.
Prints a summary and exits 1 on any violation (the scratch directory is then kept).

Usage: bench/kill_campaign.sh [--kills N] [--seed S] [--work DIR] [--keep] [--bin PATH]
"""

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CSV_HEAD = ("Asiointitunnus;Diaarinumero;Tilakoodi;Tilan pvm;Edellinen tila;Päätöspvm;Päätös;Pykälä;"
            "Päättäjä;Viesti;Y-tunnus;Hetu;Käsittelijä\r\n")

CONFIG = """\
[service]
state_dir = "{w}/state"
log_level = "info"

[interface]
xroad_client = "FI/MUN/0204819-8/liitos"

[[source]]
name = "rakval"
kind = "dir"
path = "{w}/rakval/in"
receipts = "{w}/rakval/receipts"
profile = "rakval-csv"
destination = "lv"
settle = "1s"
rescan = "10s"
after = "archive"

[[source]]
name = "ymparisto"
kind = "dir"
path = "{w}/ymparisto/in"
receipts = "{w}/ymparisto/receipts"
profile = "ymparisto-xml"
destination = "lv"
settle = "1s"
rescan = "10s"
after = "archive"

[[profile]]
name = "rakval-csv"
format = "csv"
encoding = "windows-1252"
delimiter = ";"
header = true
date_formats = ["%d.%m.%Y %H:%M", "%d.%m.%Y"]
on_invalid_record = "skip-record"

[profile.fields]
lvCaseId = "Asiointitunnus"
authorityCaseId = "Diaarinumero"
status = "Tilakoodi"
statusChangedAt = "Tilan pvm"
previousStatus = "Edellinen tila"
"message.fi" = "Viesti"
"customer.businessId" = "Y-tunnus"
handler = "Käsittelijä"

[profile.status_map]
"10" = "VASTAANOTETTU"
"20" = "KASITTELYSSA"
"50" = "LAINVOIMAINEN"

[profile.constants]
municipalityCode = "049"

[[profile]]
name = "ymparisto-xml"
format = "xml"
record = "/v:Vienti/v:Asia"
on_invalid_record = "skip-record"

[profile.namespaces]
v = "urn:example:ymparisto:vienti:1"

[profile.fields]
lvCaseId = "v:LvTunnus"
authorityCaseId = "v:Diaari"
status = "v:Tila/@koodi"
statusChangedAt = "v:Tila/@pvm"
"message.fi" = "v:Viesti[@kieli='fi']"
"customer.businessId" = "v:Hakija/v:Ytunnus"
municipalityCode = "v:Kunta"

[profile.status_map]
"V" = "VASTAANOTETTU"
"K" = "KASITTELYSSA"

[[destination]]
name = "lv"
kind = "xroad"
url = "{url}"
allow_plain_http = true
interval = "1s"
max_batch_items = 50
request_timeout = "3s"
"""


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


# ---------------------------------------------------------------------------------------------
# Exports


def csv_export(tag, n, rng):
    rows = []
    for r in range(n):
        day = 1 + r % 28
        rows.append(f"LV-{tag}-{r};RAVA/{r}/2026;{rng.choice(['10', '20', '50'])};{day:02d}.11.2026 09:{r % 60:02d};;;;;;"
                    f"\"Käsittely jatkuu; lisätietoja 350 € maksusta.\";0737546-2;;Matti Mäkelä\r\n")
    return (CSV_HEAD + "".join(rows)).encode("cp1252")


def xml_export(tag, n, rng):
    parts = ['<?xml version="1.0" encoding="ISO-8859-1"?>\n<v:Vienti xmlns:v="urn:example:ymparisto:vienti:1">\n']
    for r in range(n):
        day = 1 + r % 28
        parts.append(f"  <v:Asia>\n    <v:LvTunnus>LV-{tag}-{r}</v:LvTunnus>\n    <v:Diaari>YMP/{r}/2026</v:Diaari>\n"
                     f"    <v:Tila koodi=\"{rng.choice('VK')}\" pvm=\"2026-11-{day:02d}\"/>\n    <v:Kunta>091</v:Kunta>\n"
                     f"    <v:Hakija><v:Ytunnus>1572860-0</v:Ytunnus></v:Hakija>\n"
                     f"    <v:Viesti kieli=\"fi\">Hakemus käsittelyssä.</v:Viesti>\n  </v:Asia>\n")
    parts.append("</v:Vienti>\n")
    return "".join(parts).encode("iso-8859-1")


class Feeder(threading.Thread):
    """Drops exports until told to stop; keeps a copy of each and how many records it holds."""

    def __init__(self, w, rng, big_budget):
        super().__init__(daemon=True)
        self.w = w
        self.rng = rng
        self.big_budget = big_budget
        self.stop = threading.Event()
        self.dropped = []  # (source, name, records, bytes, how)
        self.error = None

    def run(self):
        try:
            i = 0
            while not self.stop.is_set():
                self.drop_one(i)
                i += 1
                self.stop.wait(self.rng.uniform(0.2, 1.4))
        except Exception as e:  # reported by the campaign
            self.error = repr(e)

    def drop_one(self, i):
        rng = self.rng
        kind = "csv" if rng.random() < 0.55 else "xml"
        source = "rakval" if kind == "csv" else "ymparisto"
        roll = rng.random()
        if roll < 0.03 and self.big_budget > 0:  # > 1 MiB: the streamed path
            self.big_budget -= 1
            n = rng.randint(9000, 12000) if kind == "csv" else rng.randint(3500, 4500)
        elif roll < 0.15:
            n = rng.randint(100, 800)
        else:
            n = rng.randint(1, 40)
        tag = f"K{i:05d}{kind[0].upper()}"
        name = f"vienti_{i:05d}.{kind}"
        data = (csv_export if kind == "csv" else xml_export)(tag, n, rng)
        with open(os.path.join(self.w, "copies", source, name), "wb") as f:
            f.write(data)
        inbox = os.path.join(self.w, source, "in")
        how = rng.random()
        if how < 0.12 and len(data) < 200_000:
            # Slowly, in place: pauses shorter than `settle`, so the file is taken whole.
            how = "slow"
            with open(os.path.join(inbox, name), "wb") as f:
                step = max(1, len(data) // rng.randint(3, 8))
                for p in range(0, len(data), step):
                    f.write(data[p:p + step])
                    f.flush()
                    time.sleep(rng.uniform(0.05, 0.3))
        else:
            tmp = os.path.join(inbox, ("." + name + ".tmp") if how < 0.8 else (name + ".part"))
            how = "rename"
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, os.path.join(inbox, name))
        self.dropped.append((source, name, n, len(data), how))


# ---------------------------------------------------------------------------------------------
# The receiver and its faults


class Receiver:
    def __init__(self, w):
        self.log_path = os.path.join(w, "receiver.jsonl")
        self.proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests/fixtures/receiver.py"),
                                      "--port", "0", "--log", self.log_path],
                                     stdout=subprocess.PIPE, stderr=open(os.path.join(w, "receiver.err"), "wb"))
        line = self.proc.stdout.readline().decode()
        if not line.startswith("LISTENING "):
            raise RuntimeError("receiver did not start: " + line)
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}/r1/FI/GOV/0245437-2/LupaJaValvonta/status/v1/batches"

    def control(self, cmd):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/_control", data=json.dumps(cmd).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())

    def info(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_control", timeout=5) as r:
            return json.loads(r.read())

    def logged(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().count(b"\n")
        except FileNotFoundError:
            return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


# Faults that the receiver answers with a Retry-After (the batch goes again in 1-2 s), and those
# that fall back to the service's own backoff (30 s, doubling while they repeat).
SHORT_FAULTS = [
    (35, {"action": "fail", "status": 503, "retry_after": "1"}),
    (15, {"action": "fail", "status": 429, "retry_after": "2"}),
    (25, {"action": "hang", "seconds": 1.0}),  # slow, answered within request_timeout
]
LONG_FAULTS = [
    (25, {"action": "hang", "seconds": 4.5}),  # slower than request_timeout: the answer is lost
    (25, {"action": "reset"}),                 # the connection drops before the answer
    (35, {"action": "drop"}),                  # the answer is cut off mid-body
    (15, {"action": "xroad_error", "status": 500, "value": "Server.ServerProxy.ServiceFailed"}),
]


def pick(rng, table):
    total = sum(w for w, _ in table)
    x = rng.uniform(0, total)
    for w, f in table:
        x -= w
        if x <= 0:
            return dict(f)
    return dict(table[-1][1])


class FaultInjector(threading.Thread):
    def __init__(self, rx, rng):
        super().__init__(daemon=True)
        self.rx, self.rng = rx, rng
        self.stop = threading.Event()
        self.queued = {}
        self.last_long = 0.0

    def run(self):
        while not self.stop.wait(self.rng.uniform(1.0, 3.0)):
            try:
                if self.rx.info()["pendingFaults"] > 0:
                    continue
                long_ok = time.monotonic() - self.last_long > 120  # a stall of 30 s at most in 2 min
                if long_ok and self.rng.random() < 0.35:
                    fault = pick(self.rng, LONG_FAULTS)
                    self.last_long = time.monotonic()
                else:
                    fault = pick(self.rng, SHORT_FAULTS)
                self.rx.control(fault)
                key = fault["action"] + (str(fault.get("status", "")) if fault["action"] == "fail" else "")
                if fault["action"] == "hang":
                    key += "-slow" if fault["seconds"] < 3 else "-timeout"
                self.queued[key] = self.queued.get(key, 0) + 1
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# The service, and what it is doing at a given instant

FSYNC_WCHANS = ("jbd2", "fsync", "sync_file", "file_write_and_wait", "folio_wait", "wait_on_page",
                "writeback", "ext4_sync")


def snapshot(pid, w):
    """Tags for what the process is doing now, from /proc."""
    tags = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                t = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if not t.startswith(w):
                continue
            rel = t[len(w) + 1:]
            if rel.startswith("state/spool/") and "/.free/" not in rel:
                tags.add("spool")
            elif "/receipts/" in rel:
                tags.add("receipt-delivery" if ".delivery." in rel else "receipt-intake")
            elif "/in/" in rel:
                tags.add("drop-read")
            elif "/archive/" in rel or "/error/" in rel:
                tags.add("archive")
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/wchan") as f:
                    wchan = f.read()
                with open(f"/proc/{pid}/task/{task}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "R":
                        tags.add("cpu")
            except OSError:
                continue
            if any(k in wchan for k in FSYNC_WCHANS):
                tags.add("fsync")
    except OSError:
        pass
    return tags


class Service:
    def __init__(self, bin_path, cfg, w):
        self.bin, self.cfg, self.w = bin_path, cfg, w
        self.log_path = os.path.join(w, "liitos.log")
        self.proc = None
        self.runs = 0

    def start(self):
        self.runs += 1
        with open(self.log_path, "ab") as f:
            f.write(f"=== run {self.runs} ===\n".encode())
            self.log_offset = f.tell()
        self.proc = subprocess.Popen([self.bin, "run", "--config", self.cfg], stdout=subprocess.DEVNULL,
                                     stderr=open(self.log_path, "ab"))
        self.started_at = time.monotonic()

    def run_log(self):
        with open(self.log_path, "rb") as f:
            f.seek(self.log_offset)
            return f.read().decode("utf-8", "replace")

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def term(self, timeout=15):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            return None


def after_kill(w):
    """Tags from what the dead process left: files waiting in the drops, updates not yet delivered,
    a batch waiting for its retry time."""
    tags = set()
    for src in ("rakval", "ymparisto"):
        try:
            if any(not n.startswith(".") and not n.endswith(".part") for n in os.listdir(os.path.join(w, src, "in"))):
                tags.add("drop-waiting")
        except OSError:
            pass
    try:
        db = journal_db(w)
        if db.execute("SELECT count(*) FROM outbox WHERE state IN ('pending','batched')").fetchone()[0]:
            tags.add("outbox-open")
        now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        if db.execute("SELECT count(*) FROM batches WHERE state = 'open' AND next_attempt_at > ?", (now,)).fetchone()[0]:
            tags.add("retry-wait")
        db.close()
    except sqlite3.Error:
        pass
    return tags


def primary_phase(tags):
    for p in ("http", "receipt-delivery", "receipt-intake", "fsync", "drop-read", "archive", "spool", "startup",
              "resume"):
        if p in tags:
            return p
    if "cpu" in tags:
        return "cpu-intake" if "drop-waiting" in tags else "cpu-delivery" if "outbox-open" in tags else "cpu"
    if "drop-waiting" in tags:
        return "settling"
    if "retry-wait" in tags:
        return "retry-wait"
    return "idle"


COARSE = {"http": "delivery", "receipt-delivery": "delivery", "receipt-intake": "intake", "spool": "intake",
          "drop-read": "intake", "archive": "intake", "fsync": "journal commit", "startup": "start-up",
          "resume": "start-up", "cpu-intake": "intake", "cpu-delivery": "delivery", "cpu": "idle/other",
          "settling": "intake", "retry-wait": "delivery", "idle": "idle/other"}


def one_kill(k, svc, rx, rng, w):
    """Waits a random or aimed moment, kills, returns the record of the kill."""
    mode = rng.choices(["start", "random", "long", "aimed"], weights=[10, 40, 10, 40])[0]
    target = None
    pid = svc.proc.pid
    req0 = rx.info()["requests"]
    if mode == "start":
        time.sleep(rng.uniform(0.0, 0.4))
    elif mode == "random":
        time.sleep(rng.triangular(0.3, 3.0, 1.0))
    elif mode == "long":  # long enough for a backlog to be delivered in between
        time.sleep(rng.uniform(3.0, 6.0))
    else:
        target = rng.choices(["spool", "receipt", "fsync", "http"], weights=[20, 25, 20, 35])[0]
        deadline = time.monotonic() + 4.0
        if target == "http" and rng.random() < 0.5:
            try:  # the next POST waits: kill while it is in flight (the receiver still takes it)
                rx.control({"action": "hang", "seconds": 1.5})
            except OSError:
                pass
        time.sleep(rng.uniform(0.0, 0.3))
        while time.monotonic() < deadline:
            if target == "http":
                info = rx.info()
                if info["requests"] > req0 and info["requests"] > rx.logged():
                    break
                time.sleep(0.005)
                continue
            tags = snapshot(pid, w)
            if (target == "receipt" and any(t.startswith("receipt") for t in tags)) or target in tags:
                break
            time.sleep(0.001)
    tags = snapshot(pid, w)
    if rx.info()["requests"] > max(req0, rx.logged()):
        tags.add("http")
    alive = svc.proc.poll() is None
    since = time.monotonic() - svc.started_at
    svc.kill9()
    text = svc.run_log()
    if "started:" not in text:
        tags.add("startup")
    elif "resuming from the spool" in text:
        tags.add("resume")
    tags |= after_kill(w)
    return {"k": k, "mode": mode, "target": target, "tags": sorted(tags), "phase": primary_phase(tags),
            "after_s": round(since, 3), "alive": alive}


# ---------------------------------------------------------------------------------------------
# Checks


def journal_db(w):
    db = sqlite3.connect(f"file:{w}/state/journal.db?mode=ro", uri=True, timeout=10)
    return db


def drained(w, n_dropped):
    try:
        db = journal_db(w)
        files = db.execute("SELECT count(*), sum(state = 'done' AND delivery_receipt = 1) FROM files").fetchone()
        open_items = db.execute("SELECT count(*) FROM outbox WHERE state IN ('pending','batched')").fetchone()[0]
        open_batches = db.execute("SELECT count(*) FROM batches WHERE state = 'open'").fetchone()[0]
        db.close()
    except sqlite3.Error:
        return False, "journal busy"
    done = files[1] or 0
    return (files[0] >= n_dropped and done == files[0] and open_items == 0 and open_batches == 0,
            f"{done}/{n_dropped} files done, {open_items} updates and {open_batches} batches open")


def expected_ids(bin_path, cfg, w, dropped):
    """messageId -> (source, name, record) of every dropped record, by `liitos convert`."""
    out = {}
    by_profile = {}
    for source, name, *_ in dropped:
        by_profile.setdefault("rakval-csv" if source == "rakval" else "ymparisto-xml", []).append(
            os.path.join(w, "copies", source, name))
    problems = []
    for profile, paths in by_profile.items():
        for i in range(0, len(paths), 400):
            r = subprocess.run([bin_path, "convert", "--config", cfg, "--profile", profile] + paths[i:i + 400],
                               capture_output=True)
            if r.returncode != 0:
                problems.append(f"convert {profile} exit {r.returncode}: {r.stderr[:300]!r}")
            for line in r.stdout.splitlines():
                j = json.loads(line)
                out[j["messageId"]] = (j["lvCaseId"], j["source"]["file"], j["source"]["record"])
    return out, problems


def receipt_rows(path, kind):
    """Outcome of each row of a receipt (CSV: ';', windows-1252, header; XML: one Tietue per row)."""
    data = open(path, "rb").read()
    if path.endswith(".xml"):
        text = data.decode("utf-8")
        return [seg.split('outcome="', 1)[1].split('"', 1)[0] for seg in text.split("<Tietue ")[1:]]
    lines = data.decode("cp1252").split("\r\n")
    head = lines[0].lstrip("\ufeff").split(";")
    col = head.index("outcome")
    return [ln.split(";")[col] for ln in lines[1:] if ln]


def check(args, w, cfg, feeder, rx, svc_exit):
    v = []  # violations
    dropped = feeder.dropped
    n_records = sum(d[2] for d in dropped)
    expected, problems = expected_ids(args.bin, cfg, w, dropped)
    v += problems
    if len(expected) != n_records:
        v.append(f"convert gave {len(expected)} messageIds for {n_records} generated records")

    # The receiver's log.
    accepted = {}     # messageId -> [batchId...] answered accepted
    received = {}     # messageId -> times it arrived in a request the receiver read
    dup_answers = {}  # messageId -> times answered "duplicate"
    batches_of = {}   # messageId -> set of batchIds it travelled in
    case_ids = {}     # lvCaseId -> set of accepted messageIds
    requests = statuses = 0
    status_count = {}
    with open(rx.log_path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            requests += 1
            key = str(e["status"]) + ("/" + e["fault"] if e["fault"] else "")
            status_count[key] = status_count.get(key, 0) + 1
            for mid in e["messageIds"]:
                received[mid] = received.get(mid, 0) + 1
                batches_of.setdefault(mid, set()).add(e["batchId"])
            for res in e["results"]:
                if res["result"] == "accepted":
                    accepted.setdefault(res["messageId"], []).append(e["batchId"])
                elif res["result"] == "duplicate":
                    dup_answers[res["messageId"]] = dup_answers.get(res["messageId"], 0) + 1
    missing = [m for m in expected if m not in accepted]
    unexpected = [m for m in accepted if m not in expected]
    for m, (case, _, _) in expected.items():
        if m in accepted:
            case_ids.setdefault(case, set()).add(m)
    accepted_twice = [m for m, b in accepted.items() if len(b) > 1]
    two_batches = [m for m, b in batches_of.items() if len(b) > 1]
    multi_case = [c for c, ms in case_ids.items() if len(ms) > 1]
    true_doubles = len(accepted_twice) + len(two_batches) + len(multi_case)
    if missing:
        v.append(f"{len(missing)} records never accepted, e.g. " +
                 ", ".join(f"{expected[m][1]} record {expected[m][2]} ({m})" for m in missing[:10]))
    if unexpected:
        v.append(f"{len(unexpected)} accepted messageIds that no dropped record has, e.g. {unexpected[:5]}")
    if accepted_twice:
        v.append(f"{len(accepted_twice)} messageIds accepted twice: {accepted_twice[:5]}")
    if two_batches:
        v.append(f"{len(two_batches)} messageIds sent in two batches (G2): " +
                 "; ".join(f"{m} in {sorted(batches_of[m])}" for m in two_batches[:5]))
    if multi_case:
        v.append(f"{len(multi_case)} records delivered under two messageIds: {multi_case[:5]}")

    # The journal and the folders.
    db = journal_db(w)
    jfiles = {(s, n): (st, ir, dr) for s, n, st, ir, dr in
              db.execute("SELECT source, name, state, intake_receipt, delivery_receipt FROM files")}
    outbox_states = dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
    batch_states = dict(db.execute("SELECT state, count(*) FROM batches GROUP BY state").fetchall())
    received_events = db.execute("SELECT count(*) FROM events WHERE kind = 'FILE_RECEIVED'").fetchone()[0]
    db.close()
    if len(jfiles) != len(dropped):
        v.append(f"journal knows {len(jfiles)} files, {len(dropped)} were dropped")
    if received_events != len(dropped):
        v.append(f"{received_events} FILE_RECEIVED events for {len(dropped)} files")
    if set(outbox_states) - {"delivered"}:
        v.append(f"outbox not all delivered: {outbox_states}")
    if outbox_states.get("delivered", 0) != n_records:
        v.append(f"outbox holds {outbox_states.get('delivered', 0)} delivered updates for {n_records} records")
    if set(batch_states) - {"delivered"}:
        v.append(f"batches not all delivered: {batch_states}")

    receipts_ok = 0
    archived = {}
    for src in ("rakval", "ymparisto"):
        for dirpath, _, names in os.walk(os.path.join(w, src, "archive")):
            for n in names:
                archived.setdefault((src, n), []).append(os.path.join(dirpath, n))
    for source, name, n, size, how in dropped:
        st = jfiles.get((source, name))
        if st is None or st[0] != "done":
            v.append(f"{source}/{name}: journal state {st}")
        ext = name.rsplit(".", 1)[1]
        rdir = os.path.join(w, source, "receipts")
        ok = True
        for kind, want in (("receipt", "accepted"), ("delivery", "delivered")):
            p = os.path.join(rdir, f"{name}.{kind}.{ext}")
            if not os.path.exists(p):
                v.append(f"{source}/{name}: no {kind} receipt")
                ok = False
                continue
            rows = receipt_rows(p, kind)
            if len(rows) != n or any(r != want for r in rows):
                bad = {r for r in rows if r != want}
                v.append(f"{source}/{name}: {kind} receipt has {len(rows)} rows for {n} records, outcomes {bad or want}")
                ok = False
        receipts_ok += ok
        if len(archived.get((source, name), [])) != 1:
            v.append(f"{source}/{name}: archived {len(archived.get((source, name), []))} times")
    extra_archive = [k for k in archived if k not in {(d[0], d[1]) for d in dropped}]
    if extra_archive:
        v.append(f"archive holds files that were not dropped: {extra_archive[:5]}")

    leftovers = []
    for src in ("rakval", "ymparisto"):
        for sub in ("in", "error", "receipts", "archive"):
            for dirpath, _, names in os.walk(os.path.join(w, src, sub)):
                for n in names:
                    if sub in ("in", "error") or n.startswith(".") or n.endswith((".tmp", ".part")):
                        leftovers.append(os.path.join(dirpath, n)[len(w) + 1:])
    spool = os.path.join(w, "state", "spool")
    free_nonempty = 0
    for dirpath, _, names in os.walk(spool):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.basename(dirpath) == ".free":
                free_nonempty += os.path.getsize(p) > 0
            else:
                leftovers.append(p[len(w) + 1:])
    if free_nonempty:
        v.append(f"{free_nonempty} kept spool files in .free are not empty")
    for dirpath, _, names in os.walk(os.path.join(w, "state")):
        for n in names:
            if n.endswith(".tmp"):
                leftovers.append(os.path.join(dirpath, n)[len(w) + 1:])
    if leftovers:
        v.append(f"{len(leftovers)} files left over: {leftovers[:10]}")

    ver = subprocess.run([args.bin, "journal", "verify", "--config", cfg], capture_output=True, text=True)
    if ver.returncode != 0:
        v.append(f"journal verify exit {ver.returncode}: {(ver.stdout + ver.stderr)[:500]}")
    if svc_exit != 0:
        v.append(f"the final SIGTERM stop ended with {svc_exit} (expected 0 within 15 s)")

    wire_dups = sum(dup_answers.values())
    resent = sum(c - 1 for c in received.values() if c > 1)
    return {
        "violations": v,
        "files": len(dropped),
        "files_big": sum(1 for d in dropped if d[3] > (1 << 20)),
        "files_slow": sum(1 for d in dropped if d[4] == "slow"),
        "files_csv": sum(1 for d in dropped if d[1].endswith(".csv")),
        "bytes": sum(d[3] for d in dropped),
        "records": n_records,
        "accepted": len(accepted),
        "missing": len(missing),
        "requests": requests,
        "answers": status_count,
        "records_received_again": sum(1 for c in received.values() if c > 1),
        "wire_resends": resent,
        "wire_duplicates": wire_dups,
        "records_with_wire_duplicate": len(dup_answers),
        "true_doubles": true_doubles,
        "receipts_ok": receipts_ok,
        "verify": ver.returncode,
        "verify_out": ver.stdout.strip().splitlines()[-1:] if ver.stdout.strip() else [],
    }


# ---------------------------------------------------------------------------------------------


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--kills", type=int, default=500)
    p.add_argument("--seed", type=int, default=20261205)
    p.add_argument("--work", help="scratch directory (default: a new one under $TMPDIR)")
    p.add_argument("--keep", action="store_true", help="keep the scratch directory after a clean campaign")
    p.add_argument("--bin", default=os.path.join(ROOT, os.environ.get("LIITOS_BIN", "build/daemon/liitos")))
    p.add_argument("--drain-timeout", type=float, default=900)
    args = p.parse_args()
    args.bin = os.path.abspath(args.bin)
    rng = random.Random(args.seed)
    w = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="kill_campaign.")
    os.makedirs(w, exist_ok=True)
    for d in ("rakval/in", "rakval/receipts", "ymparisto/in", "ymparisto/receipts", "state", "copies/rakval",
              "copies/ymparisto"):
        os.makedirs(os.path.join(w, d), exist_ok=True)
    t0 = time.monotonic()
    rx = Receiver(w)
    cfg = os.path.join(w, "liitos.toml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(CONFIG.format(w=w, url=rx.url))
    log(f"scratch {w}, receiver on port {rx.port}, {args.kills} kills, seed {args.seed}")

    feeder = Feeder(w, random.Random(args.seed + 1), big_budget=max(2, args.kills // 60))
    faults = FaultInjector(rx, random.Random(args.seed + 2))
    svc = Service(args.bin, cfg, w)
    kills = []
    svc.start()
    feeder.start()
    faults.start()
    try:
        for k in range(1, args.kills + 1):
            kills.append(one_kill(k, svc, rx, rng, w))
            svc.start()
            if k % 25 == 0 or k == args.kills:
                ph = {}
                for r in kills:
                    ph[r["phase"]] = ph.get(r["phase"], 0) + 1
                log(f"{k} kills, {len(feeder.dropped)} files dropped; phases {ph}")
        feeder.stop.set()
        faults.stop.set()
        feeder.join()
        faults.join()
        rx.control({"action": "clear"})
        t_kills = time.monotonic() - t0
        log(f"kills done in {t_kills:.0f} s; draining {len(feeder.dropped)} files")
        t1 = time.monotonic()
        deadline = t1 + args.drain_timeout
        ok, what = False, ""
        while time.monotonic() < deadline:
            if svc.proc.poll() is not None:
                log(f"the service exited with {svc.proc.returncode} while draining; restarting")
                svc.start()
            ok, what = drained(w, len(feeder.dropped))
            if ok:
                break
            time.sleep(1)
        t_drain = time.monotonic() - t1
        log(f"drain: {what} after {t_drain:.0f} s")
        time.sleep(0.5)
        svc_exit = svc.term()
    except BaseException:
        if svc.proc and svc.proc.poll() is None:
            svc.kill9()
        rx.stop()
        raise
    rx_info = rx.info()
    result = check(args, w, cfg, feeder, rx, svc_exit)
    rx.stop()
    if feeder.error:
        result["violations"].append("feeder: " + feeder.error)
    if not ok:
        result["violations"].append("not drained within the bounded wait: " + what)
    wall = time.monotonic() - t0

    phases, coarse, modes = {}, {}, {}
    for r in kills:
        phases[r["phase"]] = phases.get(r["phase"], 0) + 1
        coarse[COARSE[r["phase"]]] = coarse.get(COARSE[r["phase"]], 0) + 1
        modes[r["mode"]] = modes.get(r["mode"], 0) + 1
    tag_counts = {}
    for r in kills:
        for t in r["tags"]:
            tag_counts[t] = tag_counts.get(t, 0) + 1
    with open(os.path.join(w, "kills.jsonl"), "w") as f:
        for r in kills:
            f.write(json.dumps(r) + "\n")
    summary = {k: v for k, v in result.items() if k != "violations"}
    summary.update({"kills": len(kills), "kill_modes": modes, "phase": phases, "phase_coarse": coarse,
                    "tags": tag_counts, "faults_queued": faults.queued, "receiver_out_of_order": rx_info.get("outOfOrder"),
                    "wall_s": round(wall), "kill_phase_s": round(t_kills), "drain_s": round(t_drain),
                    "service_runs": svc.runs})
    with open(os.path.join(w, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)

    print()
    print(f"kills                 {len(kills)} (modes {modes})")
    print(f"kills by phase        {dict(sorted(phases.items(), key=lambda x: -x[1]))}")
    print(f"kills, coarse         {dict(sorted(coarse.items(), key=lambda x: -x[1]))}")
    print(f"what was open (tags)  {dict(sorted(tag_counts.items(), key=lambda x: -x[1]))}")
    print(f"files                 {result['files']} ({result['files_csv']} CSV, {result['files'] - result['files_csv']} XML;"
          f" {result['files_big']} > 1 MiB; {result['files_slow']} written slowly; {result['bytes'] / 2**20:.1f} MiB)")
    print(f"records               {result['records']}; accepted by the receiver {result['accepted']}; missing {result['missing']}")
    print(f"receiver requests     {result['requests']} {result['answers']}; faults queued {faults.queued}")
    print(f"resent on the wire    {result['wire_resends']} times ({result['records_received_again']} records)")
    print(f"wire duplicates       {result['wire_duplicates']} answers 'duplicate' ({result['records_with_wire_duplicate']} records;"
          f" same messageId and batchId)")
    print(f"true doubles          {result['true_doubles']}")
    print(f"out of order (G7)     {rx_info.get('outOfOrder')}")
    print(f"files with both receipts {result['receipts_ok']}/{result['files']}")
    print(f"journal verify        exit {result['verify']} {' '.join(result['verify_out'])}")
    print(f"wall time             {wall:.0f} s (kills {t_kills:.0f} s, drain {t_drain:.0f} s); {svc.runs} service runs")
    if rx_info.get("outOfOrder"):
        result["violations"].append(f"{rx_info['outOfOrder']} updates accepted out of order")
    if result["violations"]:
        print("\nVIOLATIONS:")
        for x in result["violations"]:
            print("  - " + x)
        print(f"\nscratch directory kept: {w}")
        return 1
    print("\nOK: no violation")
    if args.keep:
        print(f"scratch directory kept: {w}")
    else:
        shutil.rmtree(w, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
