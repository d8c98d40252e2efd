#!/usr/bin/python3
"""Integration tests of the clang-tidy plugin, run the way CI runs it.

    driver.py --clang-tidy PATH --run-clang-tidy PATH --plugin PATH --scanner PATH
              --clangxx PATH --llvm-major N [--other-clang-tidy PATH]
              --cmake PATH --build-dir DIR --source-dir DIR --work-dir DIR [--keep] TEST
    driver.py --list

Each TEST runs the real binaries (clang-tidy with --load, run-clang-tidy,
clang++, cmake --install, the installed scanner, jq) as subprocesses in a
fresh directory under --work-dir, and checks what a user sees: exit codes
(never a signal), diagnostics, the files --fix rewrote, and whether they still
compile. The ci-* tests run the commands and the workflow of docs/ci.md
verbatim, extracted from the document.

Every work directory gets its own .clang-tidy, so that the .clang-tidy of the
source tree around a build directory never applies.

The tests live in topic modules next to this file, each saying what it covers:
fixits.py, version_guard.py, nolint.py, config.py, install.py and ci_docs.py;
common.py has what they share (the Context a test gets, reading diagnostics).

Exit status: 0 pass, 1 fail, 77 skipped (ctest's SKIP_RETURN_CODE). A failed
test keeps its directory for inspection; a passed one removes it.
"""

import argparse
import os
import sys

# The modules are imported from the source tree: keep it free of __pycache__.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from harness import run_one  # noqa: E402  (tests/harness.py)
from common import Context  # noqa: E402
import ci_docs  # noqa: E402
import config  # noqa: E402
import fixits  # noqa: E402
import install  # noqa: E402
import nolint  # noqa: E402
import version_guard  # noqa: E402

# The topics, in the order --list prints their tests.
TOPICS = (fixits, version_guard, nolint, config, install, ci_docs)


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
    for opt in ("--clang-tidy", "--run-clang-tidy", "--other-clang-tidy", "--plugin", "--scanner", "--clangxx",
                "--llvm-major", "--cmake", "--build-dir", "--source-dir", "--work-dir"):
        ap.add_argument(opt)
    ap.add_argument("--keep", action="store_true", help="keep the test directory even when the test passes")
    ap.add_argument("--list", action="store_true", help="print the test names, one a line")
    ap.add_argument("test", nargs="?")
    a = ap.parse_args()
    if a.list:
        print("\n".join(TESTS))
        return 0
    required = ("clang_tidy", "run_clang_tidy", "plugin", "scanner", "clangxx", "llvm_major", "cmake", "build_dir",
                "source_dir", "work_dir", "test")
    missing = [r for r in required if not getattr(a, r)]
    if missing:
        ap.error("missing: %s" % ", ".join(missing))
    if a.test not in TESTS:
        ap.error("unknown test %r; known: %s" % (a.test, ", ".join(TESTS)))
    for tool in ("clang_tidy", "plugin", "scanner", "clangxx"):
        if not os.path.exists(getattr(a, tool)):
            print("FAIL: no %s at %s" % (tool.replace("_", "-"), getattr(a, tool)))
            return 1
    return run_one(a.test, lambda work: TESTS[a.test](Context(a, work)), a.work_dir, a.keep)


if __name__ == "__main__":
    sys.exit(main())
