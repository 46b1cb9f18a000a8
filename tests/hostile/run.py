#!/usr/bin/env python3
"""The hostile suite (SPEC §2-§10 against an attacker's files, names, folders and mounts): runs the
real `liitos` binary through every case and prints a table of case, result and why.

    run.py --binary build/daemon/liitos --data tests/data [--sanitized] [MODULE ...] [-k PATTERN]

MODULE is a file name under tests/hostile without `test_` and `.py` (names, stuck, privacy, ...);
none means all. Cases that need root (mounts, the user `nobody`) are skipped, saying so, when not
run as root. Exit 0 when no case failed.
"""

import argparse
import glob
import os
import sys
import time
import unittest

sys.dont_write_bytecode = True  # nothing written into the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402


class TableResult(unittest.TextTestResult):
    """Remembers every case's outcome and the first line of why."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.rows = []

    def _add(self, test, outcome, why=""):
        name = test.id().split(".", 1)[-1] if hasattr(test, "id") else str(test)
        self.rows.append((name, outcome, why))

    def addSuccess(self, test):
        super().addSuccess(test)
        self._add(test, "PASS")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._add(test, "FAIL", str(err[1]))

    def addError(self, test, err):
        super().addError(test, err)
        self._add(test, "ERROR", f"{err[0].__name__}: {err[1]}")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._add(test, "SKIP", reason)


def one_line(text, width):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(rows, out):
    w = max([len(r[0]) for r in rows] + [4])
    out.write("\n== hostile suite: case | result | why\n")
    for name, outcome, why in rows:
        out.write(f"{name:<{w}}  {outcome:<5}  {one_line(why, 220)}\n")
    counts = {k: sum(1 for r in rows if r[1] == k) for k in ("PASS", "FAIL", "ERROR", "SKIP")}
    out.write(f"== {len(rows)} cases: {counts['PASS']} pass, {counts['FAIL']} fail, {counts['ERROR']} error, "
              f"{counts['SKIP']} skipped\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.environ.get("LIITOS_BINARY", ""))
    ap.add_argument("--data", default=os.environ.get("LIITOS_TEST_DATA", os.path.join(HERE, "..", "data")))
    ap.add_argument("--sanitized", action="store_true", help="the binary runs under ASan/TSan: slower, larger")
    ap.add_argument("-k", dest="patterns", action="append", default=[], help="only cases matching (fnmatch)")
    ap.add_argument("modules", nargs="*")
    args = ap.parse_args()
    if not args.binary or not os.access(args.binary, os.X_OK):
        sys.stderr.write(f"run.py: no liitos binary at {args.binary!r} (give --binary)\n")
        return 2
    harness.BINARY = os.path.abspath(args.binary)
    harness.TEST_DATA = os.path.abspath(args.data)
    if args.sanitized:
        harness.set_sanitized()
    mods = args.modules or sorted(os.path.basename(p)[5:-3] for p in glob.glob(os.path.join(HERE, "test_*.py")))
    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = [p if "*" in p else f"*{p}*" for p in args.patterns]
    suite = unittest.TestSuite()
    for m in mods:
        suite.addTests(loader.loadTestsFromName(f"test_{m}"))
    if not harness.is_root():
        sys.stderr.write("run.py: not root: the cases that need mounts or another user are skipped\n")
    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=2, resultclass=TableResult)
    start = time.monotonic()
    result = runner.run(suite)
    print_table(result.rows, sys.stdout)
    sys.stdout.write(f"== {time.monotonic() - start:.0f} s\n")
    sys.stdout.flush()
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
