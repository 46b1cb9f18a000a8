"""SPEC G6: a henkilötunnus never leaks — not from a file's name, not from a record's values.
Wherever liitos records or sends a name (logs, journal, receipts' contents, `source.file`,
reason texts, metrics, names it makes up such as spool files) the code is written as `<hetu>`;
only the archive or error copy and the receipts' file names keep the real name, and `journal
trace` with the real name still finds the file.
"""

import json
import os

from harness import HostileCase, Env, event_kind, hetu, parse_xml_receipt, rakval_csv, row, ymparisto_xml

H1 = hetu("010190", "-", "123")          # 010190-123?: the example with its valid check char
H2 = "131052-308T"                       # the classic example
H_2000 = hetu("010105", "A", "123")
H_2023 = hetu("010105", "B", "456")      # a century sign of 2023
H_1900_NEW = hetu("311299", "Y", "789")
H_1800 = hetu("010195", "+", "321")

# (case, file name stem, the code hidden in it)
NAMES = [
    ("word_bounded", f"hakija_{H1}", H1),
    ("classic", f"hakemus {H2} liite", H2),
    ("glued_check_char_after", f"{H2}T", H2),
    ("glued_digit_before", f"1{H2}", H2),
    ("glued_both_sides", f"x{H2}x", H2),
    ("century_a", f"hakija_{H_2000}", H_2000),
    ("century_b_2023", f"hakija_{H_2023}", H_2023),
    ("century_y_2023", f"hakija_{H_1900_NEW}", H_1900_NEW),
    ("century_plus", f"hakija_{H_1800}", H_1800),
    ("two_codes", f"{H1}_{H2}", H1),
]


def leaks(env, runs, needle, payload_ok=False):
    """Every place outside the payload where `needle` (a henkilötunnus) shows up."""
    n = needle.encode()
    found = []
    for i, r in enumerate(runs):
        if n in r.err or n in r.out:
            found.append(f"output of run {i + 1}")
    for what, args in (("journal export json", ("journal", "export", "--format", "json")),
                       ("journal export csv", ("journal", "export", "--format", "csv")),
                       ("journal list", ("journal", "list")), ("status", ("status",)),
                       ("status --json", ("status", "--json"))):
        r = env.liitos(*args)
        if n in r.out or n in r.err:
            found.append(what)
    for dirpath, dirs, files in os.walk(os.fsencode(env.root)):
        rel = os.path.relpath(dirpath, os.fsencode(env.root))
        in_archive_or_error = b"/archive" in dirpath or b"/error" in dirpath
        in_receipts = b"/receipts" in dirpath
        in_inbox = dirpath.endswith(b"/in")
        for f in files + dirs:
            if n in f and not (in_archive_or_error or in_receipts or in_inbox):
                found.append(f"a name liitos made up: {os.path.join(rel, f)[:80]!r}")
        for f in files:
            p = os.path.join(dirpath, f)
            if in_inbox or (in_archive_or_error and not f.endswith(b".reason.txt")) or b"/spool" in dirpath:
                continue  # the originals and their copies are the payload
            if f == b"liitos.toml" or (payload_ok and f.startswith(b"journal.db")):
                continue  # with a mapped personId, the outbox (in journal.db) holds the payload
            try:
                data = open(p, "rb").read()
            except OSError:
                continue
            if p.endswith(b".json") and payload_ok:
                doc = json.loads(data)
                for item in doc.get("items", []):
                    (item.get("customer") or {}).pop("personId", None)
                data = json.dumps(doc).encode()
            if n in data:
                found.append(f"contents of {os.path.join(rel, f)[:80]!r}")
    return found


class HetuInNames(HostileCase):

    def check(self, stem, code):
        env = Env(self)
        env.metrics_file = env.p("metrics", "liitos.prom")
        os.makedirs(env.p("metrics"))
        env.write_config()
        csv_name, xml_name = f"{stem}.csv", f"{stem}.xml"
        env.drop(csv_name, rakval_csv([row("LV-H1"), row("LV-H2", status="99")]))
        env.drop(xml_name, b"<?xml version='1.0'?><v:Vienti xmlns:v='urn:example:ymparisto:vienti:1'>",
                 source="ymparisto")
        r = env.once()
        self.expect_rc(r, 0, "run --once")
        r2 = env.once()
        self.expect_rc(r2, 0, "second run --once")
        found = leaks(env, [r, r2], code)
        self.expect(not found, f"{code} leaks into: {', '.join(found[:6])}")
        # The legacy side's own names stay whole.
        archived = [n for _, n in env.archived()]
        self.expect(csv_name.encode() in archived, f"{csv_name} is not archived under its real name")
        self.expect(xml_name.encode() in env.names_in(env.error("ymparisto")),
                    f"{xml_name} is not in error/ under its real name")
        receipts = [n for _, n in env.receipt_files()]
        self.expect((csv_name + ".receipt.csv").encode() in receipts, "the intake receipt lacks the real name")
        # Where the name is written, the code reads <hetu>.
        events = self.expect_clean_events(env)
        files = {e.get("file") for e in events if event_kind(e) == "FILE_RECEIVED"}
        self.expect(any("<hetu>" in (f or "") for f in files), f"journal file names: {sorted(map(str, files))}")
        src_files = {(i.get("source") or {}).get("file") for i in env.delivered()}
        self.expect(any("<hetu>" in (f or "") for f in src_files), f"source.file: {src_files}")
        for path, n in env.receipt_files("ymparisto"):
            try:
                f = parse_xml_receipt(open(path, "rb").read()).get("file", "")
                self.expect("<hetu>" in f, f"XML receipt file={f!r}")
            except Exception as e:  # noqa: BLE001
                self.expect(False, f"XML receipt {n!r} does not parse: {e}")
        # Trace by the real names.
        for name in (csv_name, xml_name):
            t = env.trace(name)
            self.expect(t.rc == 0 and b"FILE_RECEIVED" in t.out, f"journal trace {name!r}: {t.why()}")
        self.finish()


def _make(stem, code):
    def test(self):
        self.check(stem, code)
    return test


for _case, _stem, _code in NAMES:
    setattr(HetuInNames, f"test_{_case}", _make(_stem, _code))


class HetuInValues(HostileCase):
    """A henkilötunnus in the wrong column: in a rejection's reason it must not be quoted back."""

    def run_rows(self, rows):
        env = Env(self)
        env.write_config()
        env.drop("tilat.csv", rakval_csv(rows))
        r = env.once()
        self.expect_rc(r, 0)
        return env, r

    def test_hetu_as_unknown_status(self):
        env, r = self.run_rows([row("LV-S1", status=H2)])
        found = leaks(env, [r], H2)
        self.expect(not found, f"{H2} leaks into: {', '.join(found[:6])}")
        self.finish()

    def test_hetu_as_bad_date(self):
        env, r = self.run_rows([row("LV-D1", date=H2)])
        found = leaks(env, [r], H2)
        self.expect(not found, f"{H2} leaks into: {', '.join(found[:6])}")
        self.finish()

    def test_hetu_as_lv_case_id(self):
        """'131052-308T' fits lvCaseId's alphabet; it is still a henkilötunnus."""
        env, r = self.run_rows([row(H2)])
        found = leaks(env, [r], H2)
        self.expect(not found, f"{H2} leaks into: {', '.join(found[:6])}")
        self.finish()

    def test_hetu_with_bad_check_char_in_person_column(self):
        """customer.personId with a wrong check char: rejected, and the reason does not quote it."""
        bad = H2[:-1] + ("A" if H2[-1] != "A" else "B")
        env, r = self.run_rows([row("LV-P1", Hetu=bad)])
        found = leaks(env, [r], bad)
        self.expect(not found, f"{bad} leaks into: {', '.join(found[:6])}")
        self.finish()

    def test_valid_person_id_only_in_payload(self):
        env, r = self.run_rows([row("LV-P2", Hetu=H1)])
        self.expect_delivered(env, ["LV-P2"])
        found = leaks(env, [r], H1, payload_ok=True)
        self.expect(not found, f"{H1} leaks into: {', '.join(found[:6])}")
        self.finish()


class HetuXmlVariant(HostileCase):
    def test_xml_file_name_with_hetu_accepted(self):
        env = Env(self)
        env.write_config()
        name = f"vienti_{H2}.xml"
        env.drop(name, ymparisto_xml(["LV-HX"]), source="ymparisto")
        r = env.once()
        self.expect_rc(r, 0)
        self.expect_delivered(env, ["LV-HX"])
        found = leaks(env, [r], H2)
        self.expect(not found, f"{H2} leaks into: {', '.join(found[:6])}")
        self.finish()
