#!/usr/bin/python3
"""Integration tests: the real sharedstate-scan binary, run the way a user runs it.

    driver.py --scanner PATH --source-dir DIR --work-dir DIR [--keep] TEST
    driver.py --list

Each TEST writes its own sources and compile_commands.json into a fresh
directory under --work-dir, runs the scanner as a subprocess and checks what a
user sees: the exit code (0/1/2/3, never a signal), stderr (one line per error,
naming the file and the problem), the report (validated against
docs/report.schema.json whenever one is produced) and the files left on disk.

The tests live in topic modules next to this file, each saying what it covers:
database.py, cli.py, output.py, config.py, nolint.py, frameworks.py and readme.py;
common.py has what they share (the Context a test gets, report validation, the
expect_* helpers).

Exit status: 0 pass, 1 fail, 77 skipped (ctest's SKIP_RETURN_CODE). A failed
test keeps its directory for inspection; a passed one removes it.

Needs Debian's python3-jsonschema (scripts/install-deps.sh), hence /usr/bin/python3.
"""

import argparse
import os
import sys

# The modules are imported from the source tree: keep it free of __pycache__.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from harness import run_one  # noqa: E402  (tests/harness.py)
from common import Context  # noqa: E402
import cli  # noqa: E402
import config  # noqa: E402
import database  # noqa: E402
import facts  # noqa: E402
import frameworks  # noqa: E402
import isolation  # noqa: E402
import nolint  # noqa: E402
import output  # noqa: E402
import readme  # noqa: E402

# The topics, in the order --list prints their tests.
TOPICS = (database, isolation, cli, output, facts, config, nolint, frameworks, readme)


def collect(topics):
    """Every topic's tests by name; a name two topics define is an error, not a silent override."""
    tests = {}
    for topic in topics:
        for name, fn in topic.TESTS.items():
            if name in tests:
                raise SystemExit("test %r is defined in both %s.py and %s.py"
                                 % (name, tests[name].__module__, topic.__name__))
            tests[name] = fn
    return tests


TESTS = collect(TOPICS)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scanner")
    ap.add_argument("--source-dir")
    ap.add_argument("--work-dir")
    ap.add_argument("--keep", action="store_true", help="keep the test directory even when the test passes")
    ap.add_argument("--list", action="store_true", help="print the test names, one a line")
    ap.add_argument("test", nargs="?")
    a = ap.parse_args()
    if a.list:
        print("\n".join(TESTS))
        return 0
    if not (a.scanner and a.source_dir and a.work_dir and a.test):
        ap.error("--scanner, --source-dir, --work-dir and a test name are required")
    if a.test not in TESTS:
        ap.error("unknown test %r; known: %s" % (a.test, ", ".join(TESTS)))
    if not os.access(a.scanner, os.X_OK):
        print("FAIL: no scanner binary at %s" % a.scanner)
        return 1

    def run(work):
        # The scanner reads the nearest .clang-tidy above --root; the work
        # directory may be inside a checkout that has one. This one, without
        # options, stops the search so that every test starts from the defaults.
        with open(os.path.join(work, ".clang-tidy"), "w") as f:
            f.write("# tests/integration/driver.py: no options, so that no enclosing .clang-tidy applies\n")
        TESTS[a.test](Context(os.path.realpath(a.scanner), os.path.realpath(a.source_dir), work))

    return run_one(a.test, run, a.work_dir, a.keep)


if __name__ == "__main__":
    sys.exit(main())
