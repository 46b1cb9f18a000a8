"""SPEC §3 'Receipts are never overwritten' and §8 CSV cells: a second file with the same name gets
its own receipts, named after its archived name (`export.1.csv.receipt.csv`), and no receipt
already written changes; `journal export --format csv` (and `journal list --format csv`) prefix a
cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return with `'`."""

import csv
import io

from harness import HostileCase, Env, rakval_csv, row, ymparisto_xml

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def read(path):
    return open(path, "rb").read()


class ReceiptsNeverOverwritten(HostileCase):

    def drop_and_run(self, env, name, data, source="rakval"):
        env.drop(name, data, source=source)
        r = env.once()
        self.expect_rc(r, 0, f"run --once for {name}")
        self.expect_gone_from_inbox(env, name, source)
        return r

    def snapshot(self, env, source="rakval"):
        return {n: read(p) for p, n in env.receipt_files(source)}

    def expect_unchanged(self, before, after):
        for n, data in before.items():
            self.expect(n in after, f"receipt {n!r} disappeared")
            self.expect(after.get(n) == data, f"receipt {n!r} was overwritten")

    def test_same_name_twice(self):
        env = Env(self)
        env.write_config()
        self.drop_and_run(env, "export.csv", rakval_csv([row("LV-R1")]))
        first = self.snapshot(env)
        self.drop_and_run(env, "export.csv", rakval_csv([row("LV-R2")]))
        after = self.snapshot(env)
        self.expect_unchanged(first, after)
        for n in (b"export.csv.receipt.csv", b"export.1.csv.receipt.csv", b"export.csv.delivery.csv",
                  b"export.1.csv.delivery.csv"):
            self.expect(n in after, f"no {n.decode()} (have {sorted(after)})")
        if b"export.1.csv.receipt.csv" in after:
            self.expect(b"LV-R2" in after[b"export.1.csv.receipt.csv"], "export.1.csv.receipt.csv is not the second's")
        archived = sorted(n for _, n in env.archived())
        self.expect(archived == [b"export.1.csv", b"export.csv"], f"archived: {archived}")
        self.expect_delivered(env, ["LV-R1", "LV-R2"])
        self.finish()

    def test_same_name_three_times(self):
        env = Env(self)
        env.write_config()
        for i in range(3):
            self.drop_and_run(env, "export.csv", rakval_csv([row(f"LV-T{i}")]))
        rs = sorted(n for _, n in env.receipt_files() if n.endswith(b".receipt.csv"))
        self.expect(rs == [b"export.1.csv.receipt.csv", b"export.2.csv.receipt.csv", b"export.csv.receipt.csv"],
                    f"intake receipts: {rs}")
        self.finish()

    def test_real_file_named_like_the_suffixed_one(self):
        """export.csv twice (the second archived as export.1.csv), then a real export.1.csv: three
        files, three intake receipts, none overwritten."""
        env = Env(self)
        env.write_config()
        self.drop_and_run(env, "export.csv", rakval_csv([row("LV-S1")]))
        self.drop_and_run(env, "export.csv", rakval_csv([row("LV-S2")]))
        before = self.snapshot(env)
        self.drop_and_run(env, "export.1.csv", rakval_csv([row("LV-S3")]))
        after = self.snapshot(env)
        self.expect_unchanged(before, after)
        rs = [n for n in after if n.endswith(b".receipt.csv")]
        self.expect(len(rs) == 3, f"intake receipts: {sorted(rs)}")
        self.expect(len(env.archived()) == 3, f"archived: {sorted(n for _, n in env.archived())}")
        self.expect_delivered(env, ["LV-S1", "LV-S2", "LV-S3"])
        self.finish()

    def test_same_name_same_content_twice(self):
        env = Env(self)
        env.write_config()
        data = rakval_csv([row("LV-U1")])
        self.drop_and_run(env, "export.csv", data)
        before = self.snapshot(env)
        self.drop_and_run(env, "export.csv", data)
        self.expect_unchanged(before, self.snapshot(env))
        self.finish()

    def test_xml_same_name_twice(self):
        env = Env(self)
        env.write_config()
        self.drop_and_run(env, "vienti.xml", ymparisto_xml(["LV-X1"]), "ymparisto")
        before = self.snapshot(env, "ymparisto")
        self.drop_and_run(env, "vienti.xml", ymparisto_xml(["LV-X2"]), "ymparisto")
        after = self.snapshot(env, "ymparisto")
        self.expect_unchanged(before, after)
        self.expect(b"vienti.1.xml.receipt.xml" in after, f"receipts: {sorted(after)}")
        self.finish()

    def test_quarantined_twice(self):
        env = Env(self)
        env.write_config()
        self.drop_and_run(env, "bad.xml", b"<broken", "ymparisto")
        before = self.snapshot(env, "ymparisto")
        self.drop_and_run(env, "bad.xml", b"<also broken", "ymparisto")
        after = self.snapshot(env, "ymparisto")
        self.expect_unchanged(before, after)
        rs = [n for n in after if b".receipt." in n]
        self.expect(len(rs) == 2, f"intake receipts: {sorted(rs)}")
        errs = [n for n in env.names_in(env.error("ymparisto")) if not n.endswith(b".reason.txt")]
        reasons = [n for n in env.names_in(env.error("ymparisto")) if n.endswith(b".reason.txt")]
        self.expect(len(errs) == 2 and len(reasons) == 2, f"error/: {env.names_in(env.error('ymparisto'))}")
        self.finish()

    def test_name_with_many_dots_twice(self):
        env = Env(self)
        env.write_config()
        self.drop_and_run(env, "a.b.c.csv", rakval_csv([row("LV-D1")]))
        before = self.snapshot(env)
        self.drop_and_run(env, "a.b.c.csv", rakval_csv([row("LV-D2")]))
        after = self.snapshot(env)
        self.expect_unchanged(before, after)
        rs = [n for n in after if n.endswith(b".receipt.csv")]
        self.expect(len(rs) == 2, f"intake receipts: {sorted(rs)}")
        self.finish()


class FormulaInjection(HostileCase):
    """One run with names and an lvCaseId that begin with a formula character."""

    NAMES = {"=": "=cmd|' \\C calc'!A0.csv", "+": "+cmd.csv", "-": "-cmd.csv", "@": "@SUM(1+1)cmd.csv",
             "\t": "\tcmd.csv", "\r": "\rcmd.csv"}

    @classmethod
    def setUpClass(cls):
        env = Env(cls)
        env.write_config()
        for i, n in enumerate(cls.NAMES.values()):
            env.drop(n, rakval_csv([row(f"LV-F{i}")]))
        env.drop("case.csv", rakval_csv([row("-2-3"), row("=1+1")]))
        cls.env = env
        cls.r = env.once()
        cls.exports = {}
        for what, args in (("journal export", ("journal", "export", "--format", "csv")),
                           ("journal list", ("journal", "list", "--format", "csv"))):
            cls.exports[what] = env.liitos(*args)

    def cells(self, what):
        r = self.exports[what]
        if not self.expect(r.rc == 0 and not r.timed_out, f"{what} --format csv: {r.why()}"):
            return []
        raw = r.out
        self.expect(raw.startswith(b"\xef\xbb\xbf"), f"{what} csv has no UTF-8 BOM")
        text = raw.decode("utf-8-sig", "replace")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        self.expect(rows and len(rows[0]) > 3, f"{what} csv is not ';'-separated")
        return [c for rw in rows for c in rw]

    def check_prefix(self, ch):
        self.expect_rc(self.r, 0, "run --once")
        for what in self.exports:
            cells = self.cells(what)
            bad = [c for c in cells if c.startswith(ch)]
            self.expect(not bad, f"{what}: cells begin with {ch!r}: {bad[:2]!r}")
            if ch in "=+-@":
                self.expect(any(c.startswith("'" + ch) for c in cells),
                            f"{what}: no cell shows the {ch!r} value prefixed with \"'\"")
        self.finish()

    def test_equals(self):
        self.check_prefix("=")

    def test_plus(self):
        self.check_prefix("+")

    def test_minus_name_and_case_id(self):
        self.check_prefix("-")

    def test_at(self):
        self.check_prefix("@")

    def test_tab(self):
        self.check_prefix("\t")

    def test_carriage_return(self):
        self.check_prefix("\r")
