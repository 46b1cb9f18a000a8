"""SPEC §3 'Names are bytes': a file's name may hold any byte but '/' and NUL. Each name below is
dropped twice, as a CSV export (rakval, CSV receipts) and as an XML export (ymparisto, whose
receipts carry the name in `file=`), each holding one good record, and must be taken like any
other: out of the inbox into the archive under its own bytes, receipts written, records
delivered; nothing crashes, a later start still works, and wherever the name is written as text
(log lines, journal, receipts' contents, batch JSON) it is escaped: no raw control byte, no
invalid UTF-8, no forged log line.
"""

import os
import re

from harness import (HostileCase, Env, control_chars, event_kind, parse_xml_receipt, rakval_csv, row,
                     ymparisto_xml, lines_mentioning)

# (case, name as bytes, escapes the text must show). Names end in ".csv"; the XML twin ends in ".xml".
NAMES = [
    ("latin1_a_umlaut", b"tila_k\xe4sitelty.csv", ["\\xe4"]),
    ("newline_forges_priority", b"evil\n<3>FAKE.csv", ["\\n"]),
    ("esc_sequences", b"esc_\x1b[31mRED\x1b[0m_\x1b]0;title\x07.csv", ["\\x1b"]),
    ("carriage_return", b"cr\rFAKE.csv", []),
    ("tab", b"tab\tname.csv", []),
    ("del_byte", b"del\x7fname.csv", []),
    ("c1_control_nel", "nel\u0085line.csv".encode(), []),
    ("overlong_utf8_slash", b"overlong\xc0\xafetc.csv", ["\\xc0\\xaf"]),
    ("lone_continuation_bytes", b"\x80\xbf\xfe\xff.csv", ["\\x80"]),
    ("utf8_encoded_surrogate", b"sur\xed\xa0\x80.csv", ["\\xed"]),
    ("bell_backspace", b"bell\x07\x08\x08\x08.csv", []),
    ("len_200", b"n" * 196 + b".csv", []),
    ("len_255", b"m" * 251 + b".csv", []),
    ("len_254_utf8", "ä".encode() * 125 + b".csv", []),
    ("len_255_latin1", b"\xe4" * 251 + b".csv", ["\\xe4"]),
    ("semicolon_and_quotes", b'a;b"c\'d.csv', []),
    ("equals_cmd", b"=cmd|' \\C calc'!A0.csv", []),
    ("format_string", b"%s%n%x{}{0}{:>999999999}.csv", []),
    ("literal_backslash_x", b"literal\\xe4\\n.csv", []),
    ("xml_metacharacters", b'<a href="x">&amp;&lt;<b>.csv', []),
    ("uppercase_extension", b"EXPORT_UPPER.CSV", []),
    ("leading_dashes", b"--help -rf.csv", []),
    ("bidi_override", "lasku_\u202ecod.exe.csv".encode(), []),
    ("zero_width_and_bom", "zw\u200b\ufeff.csv".encode(), []),
    ("four_byte_utf8", "\U0001F642\U0001D11E.csv".encode(), []),
    ("shell_metacharacters", b"$(touch pwned)`id`;|&.csv", []),
    # Not "..\\..": a name that starts with a dot is a dotfile, never taken (SPEC §3).
    ("looks_like_path", b"x..\\..\\etc\\passwd.csv", []),
]


def xml_twin(name):
    return name[:-4] + (b".XML" if name.endswith(b".CSV") else b".xml")


class NamesAreBytes(HostileCase):
    """One case per name; see the module's docstring."""

    def check_name(self, name, escapes, case_no):
        env = Env(self)
        env.write_config()
        csv_case, xml_case = f"LV-N{case_no}C", f"LV-N{case_no}X"
        env.drop(name, rakval_csv([row(csv_case)]))
        xname = xml_twin(name)
        env.drop(xname, ymparisto_xml([xml_case]), source="ymparisto")
        r = env.once()
        self.expect_rc(r, 0, "run --once")
        self.expect_clean_log(r)
        for src, n in (("rakval", name), ("ymparisto", xname)):
            if self.expect_gone_from_inbox(env, n, src):
                self.expect_kept_somewhere(env, n, src)
        self.expect_delivered(env, [csv_case, xml_case])
        # Batch JSON: the name as text, escaped.
        for item in env.delivered():
            f = (item.get("source") or {}).get("file", "")
            self.expect(not control_chars(f), f"source.file holds raw control characters: {f!r}")
            for e in escapes:
                self.expect(e in f, f"source.file {f!r} lacks the escape {e!r}")
        # Receipts: the CSV one under the file's own name when it fits; the XML one names the file.
        rnames = [n for _, n in env.receipt_files("rakval")]
        want = name + b".receipt.csv"
        if len(want) <= 255:
            self.expect(want in rnames, f"no intake receipt {want[:70]!r} (have {rnames[:3]!r})")
        else:
            self.expect(any(n.endswith(b".csv") for n in rnames), "no intake receipt at all for a 255-byte name")
        for path, n in env.receipt_files("rakval"):
            raw = open(path, "rb").read()
            bad = [b for b in raw if b < 0x20 and b not in (0x0A, 0x0D)]
            self.expect(not bad, f"CSV receipt {n[:50]!r} holds raw control bytes {bytes(bad[:4])!r}")
        for path, n in env.receipt_files("ymparisto"):
            raw = open(path, "rb").read()
            try:
                doc = parse_xml_receipt(raw)
            except Exception as e:  # noqa: BLE001 - a broken document is the finding
                self.expect(False, f"XML receipt {n[:50]!r} does not parse: {e}")
                continue
            f = doc.get("file", "")
            self.expect(not control_chars(f), f"XML receipt file={f!r} holds control characters")
            m = re.search(rb'file="([^"]*)"', raw)
            self.expect(not m or not re.search(rb"[\x00-\x1f]", m.group(1)),
                        "XML receipt's file= attribute holds a raw control byte (a parser turns it into a blank)")
            for e in escapes:
                self.expect(e in f, f"XML receipt file={f!r} lacks the escape {e!r}")
        # The journal: both files received, every string clean.
        events = self.expect_clean_events(env)
        received = [e for e in events if event_kind(e) == "FILE_RECEIVED"]
        self.expect(len(received) == 2, f"{len(received)} FILE_RECEIVED events, expected 2")
        for e in escapes:
            self.expect(any(e in (ev.get("file") or "") for ev in received),
                        f"journal file names lack the escape {e!r}")
            self.expect(lines_mentioning(r.err, e), f"no log line shows the escape {e!r}")
        # Later starts still work; the journal still verifies; trace by the real name finds it.
        r2 = env.once()
        self.expect_rc(r2, 0, "second run --once")
        self.expect_clean_log(r2, "second run")
        v = env.liitos("journal", "verify")
        self.expect(v.rc == 0, f"journal verify after the runs: {v.why()}")
        s = env.liitos("status")
        self.expect(s.rc == 0 and not s.timed_out, f"status: {s.why()}")
        t = env.trace(name)
        self.expect(t.rc == 0 and b"FILE_RECEIVED" in t.out, f"journal trace by the real name: {t.why()}")
        self.finish()


def _make(name, escapes, no):
    def test(self):
        self.check_name(name, escapes, no)
    test.__doc__ = f"name {name[:60]!r}"
    return test


for _no, (_case, _name, _esc) in enumerate(NAMES):
    setattr(NamesAreBytes, f"test_{_case}", _make(_name, _esc, _no))


class OddWholeNames(HostileCase):
    """Names no glob like '*.csv' would take: a source with include = ['*'] takes them all."""

    NAMES = [b"   ", b" ", b"*", b"?", b"[a-z]", b"--once", b"-", b"\\", b"\n", b"\x1b", b"\xff", b"a b"]

    def test_any_name_with_include_star(self):
        env = Env(self)
        env.sources["anything"] = dict(kind="dir", path=env.p("anything/in"), receipts=env.p("anything/receipts"),
                                       profile="rakval-csv", destination="outbound", settle="0s", include=["*"])
        os.makedirs(env.p("anything/in"))
        env.write_config()
        cases = []
        for i, n in enumerate(self.NAMES):
            cases.append(f"LV-W{i}")
            env.drop(n, rakval_csv([row(cases[-1])]), source="anything")
        r = env.once()
        self.expect_rc(r, 0)
        self.expect_clean_log(r)
        left = env.names_in(env.inbox("anything"))
        self.expect(not left, f"still in the inbox: {left!r}")
        for n in self.NAMES:
            self.expect_kept_somewhere(env, n, "anything")
        self.expect_delivered(env, cases)
        receipts = [n for _, n in env.receipt_files("anything") if n.endswith(b".receipt.csv")]
        self.expect(len(receipts) == len(self.NAMES), f"{len(receipts)} intake receipts for {len(self.NAMES)} files")
        self.expect_clean_events(env)
        self.finish()

    def test_never_taken_names(self):
        """Dotfiles, *.tmp, *.part, *.filepart and ~* stay where they are; nothing else happens."""
        env = Env(self)
        env.write_config()
        names = [b".hidden.csv", b".\n.csv", b"export.csv.tmp", b"export.csv.part", b"export.csv.filepart",
                 b"~export.csv", b"~\xe4.csv", b".csv"]
        for n in names:
            env.drop(n, rakval_csv([row("LV-HIDDEN")]))
        env.drop("good.csv", rakval_csv([row("LV-GOOD")]))
        r = env.once()
        self.expect_rc(r, 0)
        self.expect_clean_log(r)
        left = set(env.names_in(env.inbox()))
        self.expect(set(names) <= left, f"taken though never to be: {sorted(set(names) - left)!r}")
        self.expect_delivered(env, ["LV-GOOD"])
        self.expect("LV-HIDDEN" not in env.delivered_cases(), "a never-taken file was delivered")
        events = self.expect_clean_events(env)
        got = [e.get("file") for e in events if event_kind(e) == "FILE_RECEIVED"]
        self.expect(got == ["good.csv"], f"received: {got!r}")
        self.finish()

    def test_raw_byte_and_its_escape_text_are_two_files(self):
        """'a\\xe4.csv' written with the byte E4 and with the four characters \\ x e 4 are two files:
        both taken, both archived, two receipts; neither overwrites the other."""
        env = Env(self)
        env.write_config()
        raw, text = b"a\xe4.csv", b"a\\xe4.csv"
        env.drop(raw, rakval_csv([row("LV-RAW")]))
        env.drop(text, rakval_csv([row("LV-TEXT")]))
        r = env.once()
        self.expect_rc(r, 0)
        archived = sorted(n for _, n in env.archived())
        self.expect(archived == sorted([raw, text]), f"archived: {archived!r}")
        receipts = sorted(n for _, n in env.receipt_files() if n.endswith(b".receipt.csv"))
        self.expect(len(receipts) == 2, f"intake receipts: {receipts!r}")
        self.expect_delivered(env, ["LV-RAW", "LV-TEXT"])
        for n in (raw, text):
            t = env.trace(n)
            self.expect(t.rc == 0 and b"FILE_RECEIVED" in t.out, f"trace {n!r}: {t.why()}")
        self.finish()

    def test_names_differing_only_in_case(self):
        env = Env(self)
        env.write_config()
        env.drop("Export.csv", rakval_csv([row("LV-CASE1")]))
        env.drop("export.csv", rakval_csv([row("LV-CASE2")]))
        env.drop("EXPORT.csv", rakval_csv([row("LV-CASE3")]))
        r = env.once()
        self.expect_rc(r, 0)
        self.expect_delivered(env, ["LV-CASE1", "LV-CASE2", "LV-CASE3"])
        receipts = [n for _, n in env.receipt_files() if n.endswith(b".receipt.csv")]
        self.expect(len(receipts) == 3, f"intake receipts: {receipts!r}")
        self.finish()
