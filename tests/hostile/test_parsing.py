"""SPEC §4 CSV and XML rules against hostile exports. A file whose layout cannot be trusted is
rejected as a whole: quarantined with a reason and a receipt row `0`, nothing of it delivered.
What is valid (comments after the root, an empty export, a line break inside quotes) is taken
exactly."""

import os
import re

from harness import HostileCase, Env, XML_NS, RAKVAL_HEADER, parse_xml_receipt, rakval_csv, row

ASIA = '<v:Asia><v:LvTunnus>{}</v:LvTunnus><v:Tila koodi="K" pvm="2026-11-19"/></v:Asia>'


def doc(body, ns=XML_NS, root="v:Vienti", decl='<?xml version="1.0" encoding="UTF-8"?>\n'):
    return f'{decl}<{root} xmlns:v="{ns}">{body}</{root}>'.encode()


class XmlRejected(HostileCase):
    """Each export must be quarantined whole, with a reason naming the cause when given."""

    def check_rejected(self, data, reason_words=(), timeout=60):
        env = Env(self)
        env.write_config()
        env.drop("vienti.xml", data, source="ymparisto")
        r = env.once(timeout=timeout)
        self.expect_rc(r, 0, "run --once")
        self.expect_clean_log(r)
        self.expect(b"vienti.xml" in env.names_in(env.error("ymparisto")), "not quarantined")
        reason_path = os.path.join(env.error("ymparisto"), "vienti.xml.reason.txt")
        reason = open(reason_path, encoding="utf-8", errors="replace").read() if os.path.exists(reason_path) else ""
        self.expect(reason, "no vienti.xml.reason.txt")
        for w in reason_words:  # a word, or a tuple of words any of which will do
            alts = w if isinstance(w, tuple) else (w,)
            self.expect(any(a.lower() in reason.lower() for a in alts),
                        f"reason does not say {' or '.join(map(repr, alts))}: {reason.strip()[:160]!r}")
        rp = os.path.join(env.receipts("ymparisto"), "vienti.xml.receipt.xml")
        if self.expect(os.path.exists(rp), "no intake receipt"):
            try:
                rows = parse_xml_receipt(open(rp, "rb").read())
                recs = [(t.get("record"), t.get("outcome")) for t in rows]
                self.expect(recs == [("0", "rejected")], f"receipt rows {recs}, expected one rejected row 0")
            except Exception as e:  # noqa: BLE001 - a receipt that is not XML is the finding
                self.expect(False, f"the intake receipt is not well-formed XML: {e}")
        self.expect(not env.delivered(), f"delivered from a rejected file: {sorted(env.delivered_cases())}")
        self.finish()

    def test_root_namespace_changed(self):
        self.check_rejected(doc(ASIA.format("LV-X1"), ns="urn:example:ymparisto:vienti:2"), ["vienti:2"])

    def test_root_name_changed(self):
        self.check_rejected(doc(ASIA.format("LV-X1"), root="v:Export"), ["Export"])

    def test_root_without_namespace(self):
        self.check_rejected(b'<?xml version="1.0"?><Vienti><Asia><LvTunnus>LV-X1</LvTunnus></Asia></Vienti>',
                            ["Vienti"])

    def test_second_root_element(self):
        one = doc(ASIA.format("LV-X1"))
        self.check_rejected(one + one.split(b"?>", 1)[1])

    def test_text_after_root(self):
        self.check_rejected(doc(ASIA.format("LV-X1")) + b"trailing garbage")

    def test_char_ref_zero(self):
        self.check_rejected(doc(ASIA.format("LV-X&#0;1")))

    def test_char_ref_control(self):
        self.check_rejected(doc(ASIA.format("LV-X&#x1;1")))

    def test_char_ref_surrogate(self):
        self.check_rejected(doc(ASIA.format("LV-X&#xD800;1")))

    def test_char_ref_fffe(self):
        self.check_rejected(doc(ASIA.format("LV-X&#xFFFE;1")))

    def test_raw_control_byte(self):
        self.check_rejected(doc(ASIA.format("LV-X\x011")))

    def test_undefined_entity(self):
        self.check_rejected(doc(ASIA.format("LV-X&foo;1")))

    def test_doctype(self):
        self.check_rejected(b'<?xml version="1.0"?>\n<!DOCTYPE v:Vienti [<!ENTITY x "xx">]>\n'
                            b'<v:Vienti xmlns:v="urn:example:ymparisto:vienti:1"><v:Asia><v:LvTunnus>&x;'
                            b'</v:LvTunnus></v:Asia></v:Vienti>', [("DOCTYPE", "document type")])

    def test_billion_laughs(self):
        ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">'
                                             for i in range(1, 10))
        self.check_rejected(f'<?xml version="1.0"?><!DOCTYPE v:Vienti [{ents}]>'.encode() +
                            doc(ASIA.format("&a9;"), decl=""), timeout=30)

    def test_external_entity(self):
        self.check_rejected(b'<?xml version="1.0"?><!DOCTYPE v:Vienti SYSTEM "http://127.0.0.1:9/x.dtd">' +
                            doc(ASIA.format("LV-X1"), decl=""))

    def test_truncated(self):
        self.check_rejected(doc(ASIA.format("LV-X1"))[:-12])

    def test_zero_bytes(self):
        self.check_rejected(b"")

    def test_only_a_bom(self):
        self.check_rejected(b"\xef\xbb\xbf")


class XmlAccepted(HostileCase):

    def take(self, data, cases, timeout=60):
        env = Env(self)
        env.write_config()
        env.drop("vienti.xml", data, source="ymparisto")
        r = env.once(timeout=timeout)
        self.expect_rc(r, 0, "run --once")
        self.expect(b"vienti.xml" not in env.names_in(env.error("ymparisto")), "quarantined")
        self.expect_delivered(env, cases)
        return env, r

    def test_comment_and_pi_after_root(self):
        self.take(doc(ASIA.format("LV-A1")) + b"\n<!-- done -->\n<?app x?>\n", ["LV-A1"])
        self.finish()

    def test_valid_empty_export(self):
        env, _ = self.take(doc(""), [])
        rp = os.path.join(env.receipts("ymparisto"), "vienti.xml.receipt.xml")
        self.expect(os.path.exists(rp), "no intake receipt for an empty export")
        self.finish()

    def test_utf16_with_bom(self):
        text = doc(ASIA.format("LV-A2"), decl='<?xml version="1.0" encoding="UTF-16"?>\n').decode()
        self.take(b"\xff\xfe" + text.encode("utf-16-le"), ["LV-A2"])
        self.finish()

    def test_deep_nesting_does_not_crash(self):
        """200,000 nested elements inside a record: the service lives (taken or quarantined)."""
        depth = 200000
        env = Env(self)
        env.write_config()
        body = ASIA.format("LV-A3")[:-len("</v:Asia>")] + "<v:x>" * depth + "</v:x>" * depth + "</v:Asia>"
        env.drop("vienti.xml", doc(body), source="ymparisto")
        r = env.once(timeout=60)
        self.expect_rc(r, 0, "run --once")
        self.expect(b"vienti.xml" not in env.names_in(env.inbox("ymparisto")), "left in the inbox")
        self.finish()


class CsvLayout(HostileCase):

    def take(self, data, name="tilat.csv"):
        env = Env(self)
        env.write_config()
        env.drop(name, data)
        r = env.once()
        self.expect_rc(r, 0, "run --once")
        self.expect_clean_log(r)
        return env, r

    def expect_file_rejected(self, env, words=()):
        self.expect(b"tilat.csv" in env.names_in(env.error()), "not quarantined")
        self.expect(not env.delivered(), f"delivered: {sorted(env.delivered_cases())}")
        try:
            rows = env.receipt_rows("tilat.csv")
            self.expect([r.get("record") for r in rows] == ["0"], f"receipt records {[r.get('record') for r in rows]}")
            for w in words:
                self.expect(any(w in (r.get("reason") or "") for r in rows), f"receipt reason lacks {w!r}")
        except OSError as e:
            self.expect(False, f"no intake receipt: {e}")

    def test_duplicate_mapped_header_column(self):
        header = RAKVAL_HEADER + ["Tilakoodi"]
        env, _ = self.take(rakval_csv([row("LV-C1")], header=header))
        self.expect_file_rejected(env, ["Tilakoodi"])
        self.finish()

    def test_duplicate_mapped_column_differing_in_blanks(self):
        header = RAKVAL_HEADER + [" Tilakoodi "]
        env, _ = self.take(rakval_csv([row("LV-C1")], header=header))
        self.expect_file_rejected(env, ["Tilakoodi"])
        self.finish()

    def test_missing_mapped_column(self):
        header = [h for h in RAKVAL_HEADER if h != "Tilan pvm"]
        env, _ = self.take(rakval_csv([row("LV-C2")], header=header))
        self.expect_file_rejected(env, ["Tilan pvm"])
        self.finish()

    def test_duplicate_unmapped_column_is_fine(self):
        header = RAKVAL_HEADER + ["Lisätieto", "Lisätieto"]
        env, _ = self.take(rakval_csv([row("LV-C3")], header=header))
        self.expect_delivered(env, ["LV-C3"])
        self.finish()

    def check_message(self, raw_field, want, newline="\r\n"):
        env, _ = self.take(rakval_csv([row("LV-C4", Viesti=raw_field)], newline=newline))
        items = [i for i in env.delivered() if i.get("lvCaseId") == "LV-C4"]
        if self.expect(items, "LV-C4 not delivered"):
            got = (items[0].get("message") or {}).get("fi")
            self.expect(got == want, f"message.fi is {got!r}, expected {want!r}")
        self.finish()

    def test_crlf_inside_quotes_kept(self):
        self.check_message('"rivi1\r\nrivi2"', "rivi1\r\nrivi2")

    def test_lf_inside_quotes_of_a_crlf_file_kept(self):
        self.check_message('"rivi1\nrivi2"', "rivi1\nrivi2")

    def test_cr_inside_quotes_kept(self):
        self.check_message('"rivi1\rrivi2"', "rivi1\rrivi2")

    def test_quotes_and_delimiters_inside_quotes(self):
        self.check_message('"a;b ""c"" d"', 'a;b "c" d')

    def test_cr_only_line_ends(self):
        env, _ = self.take(rakval_csv([row("LV-C5"), row("LV-C6")], newline="\r"))
        self.expect_delivered(env, ["LV-C5", "LV-C6"])
        self.finish()

    def test_header_only_is_an_empty_export(self):
        env, _ = self.take(rakval_csv([]))
        self.expect(b"tilat.csv" not in env.names_in(env.error()), "an empty export was quarantined")
        self.expect(os.path.exists(os.path.join(env.receipts(), "tilat.csv.receipt.csv")), "no intake receipt")
        self.finish()

    def test_unterminated_quote(self):
        """A quote that never closes swallows the rest of the file: it ends, nothing half-read goes."""
        data = rakval_csv([row("LV-C7")]) + b'LV-C8;;10;"01.11.2026;;;;;;;;;\r\nLV-C9;;10;01.11.2026;;;;;;;;;\r\n'
        env, _ = self.take(data)
        self.expect("LV-C8" not in env.delivered_cases(), "a record inside an open quote was delivered")
        self.finish()

    def test_nul_bytes_in_a_field(self):
        env, _ = self.take(rakval_csv([row("LV-C10", Viesti="a\x00b")]))
        self.expect(b"tilat.csv" not in env.names_in(env.inbox()), "left in the inbox")
        for i in env.delivered():
            got = (i.get("message") or {}).get("fi", "")
            self.expect(got == "a\x00b", f"message.fi cut or changed at the NUL: {got!r}")
        self.finish()

    def test_very_many_columns(self):
        """One row of a million delimiters."""
        data = rakval_csv([row("LV-C11")]) + b";" * 1_000_000 + b"\r\n"
        env, _ = self.take(data)
        self.expect_delivered(env, ["LV-C11"])
        self.finish()


# (case, value of 'Tilan pvm', expected statusChangedAt (a regex) or None when rejected)
DATES = [
    ("year_2300_datetime", "01.01.2300 12:00", None),
    ("year_1899_date", "31.12.1899", None),
    ("first_date_1900", "01.01.1900", r"^1900-01-01$"),
    ("last_date_2199", "31.12.2199", r"^2199-12-31$"),
    ("last_datetime_2199", "31.12.2199 23:59", r"^2199-12-31T23:59:00\+02:00$"),
    ("date_2200", "01.01.2200", None),
    ("datetime_2200", "01.01.2200 00:00", None),
    # 00:00-00:20:10 of that day never happened in Helsinki (HMT +1:39:49 -> EET): noon is the edge.
    ("first_datetime_1921_05_01", "01.05.1921 12:00", r"^1921-05-01T12:00:00\+02:00$"),
    ("datetime_before_1921_05_01", "30.04.1921 23:59", None),
    ("date_before_1921_is_fine", "30.04.1921", r"^1921-04-30$"),
    ("feb_29_2100", "29.02.2100", None),
    ("feb_29_2000", "29.02.2000", r"^2000-02-29$"),
    ("feb_31", "31.02.2026", None),
    ("day_zero", "00.01.2026", None),
    ("year_zero", "01.01.0000", None),
    ("five_digit_year", "01.01.99999", None),
    ("year_overflow", "01.01.9223372036854775808", None),
    ("summer_offset", "01.07.2026 12:00", r"^2026-07-01T12:00:00\+03:00$"),
    ("winter_offset", "01.01.2026 12:00", r"^2026-01-01T12:00:00\+02:00$"),
]


class Dates(HostileCase):
    """One export, one row per date; each case reads its row's receipt line or delivered update."""

    @classmethod
    def setUpClass(cls):
        env = Env(cls)
        env.write_config()
        rows = [row(f"LV-DT{i}", date=d) for i, (_, d, _) in enumerate(DATES)]
        rows.append(row("LV-DTDEC", status="40", date="01.11.2026", **{"Päätöspvm": "01.01.2300"}))
        rows.append(row("LV-DTDEC2", status="40", date="01.11.2026", **{"Päätöspvm": "31.12.1899"}))
        env.drop("paivat.csv", rakval_csv(rows))
        cls.env = env
        cls.r = env.once()
        try:
            cls.rows = {r["lvCaseId"] or f"#{r['record']}": r for r in env.receipt_rows("paivat.csv")}
            cls.by_record = {r["record"]: r for r in env.receipt_rows("paivat.csv")}
        except OSError:
            cls.rows, cls.by_record = {}, {}
        cls.items = {i.get("lvCaseId"): i for i in env.delivered()}

    def check(self, i, want):
        self.expect_rc(self.r, 0, "run --once")
        case = f"LV-DT{i}"
        rec = self.by_record.get(str(i + 1))
        if want is None:
            self.expect(case not in self.items, f"delivered: {self.items.get(case, {}).get('statusChangedAt')!r}")
            self.expect(rec is not None and rec.get("outcome") == "rejected", f"receipt row: {rec}")
            if rec:
                self.expect("statusChangedAt" in (rec.get("reason") or ""),
                            f"reason does not name statusChangedAt: {rec.get('reason')!r}")
        else:
            got = self.items.get(case, {}).get("statusChangedAt")
            self.expect(got is not None and re.match(want, got), f"statusChangedAt {got!r}, expected /{want}/"
                        f" (receipt: {(rec or {}).get('outcome')} {(rec or {}).get('reason')!r})")
        self.finish()

    def check_decision(self, case):
        self.expect_rc(self.r, 0, "run --once")
        self.expect(case not in self.items, "delivered with an out-of-range decision.date")
        rec = self.rows.get(case) or next((r for r in self.by_record.values() if r.get("lvCaseId") == case), None)
        self.expect(rec is not None and rec.get("outcome") == "rejected", f"receipt row: {rec}")
        if rec:
            self.expect("decision.date" in (rec.get("reason") or ""), f"reason: {rec.get('reason')!r}")
        self.finish()

    def test_decision_date_2300(self):
        self.check_decision("LV-DTDEC")

    def test_decision_date_1899(self):
        self.check_decision("LV-DTDEC2")


def _make_date(i, want):
    def test(self):
        self.check(i, want)
    return test


for _i, (_case, _d, _want) in enumerate(DATES):
    setattr(Dates, f"test_{_case}", _make_date(_i, _want))
