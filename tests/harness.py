"""What the Python test drivers share: how a test fails or is skipped, and how
one named test runs in a directory of its own.

A test is a function of its work directory (a WorkTree writes files there). It raises Failure (via check) to
fail and Skip when it does not apply here; run_one turns that into the exit
status ctest reads (0 pass, 1 fail, 77 skipped) and keeps the directory of a
failed test for inspection.
"""

import os
import shutil
import tempfile

SKIP = 77  # ctest's SKIP_RETURN_CODE in the drivers' CMakeLists


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


class WorkTree:
    """Files of one test, under its work directory."""

    def __init__(self, work):
        self.work = work

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    def write(self, rel, text):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        return p


def run_one(name, test, work_dir, keep=False):
    """Runs test(work) in a fresh directory under work_dir; returns the exit status."""
    os.makedirs(work_dir, exist_ok=True)
    work = os.path.realpath(tempfile.mkdtemp(prefix=name + ".", dir=work_dir))
    try:
        test(work)
    except Skip as e:
        print("SKIPPED: %s: %s" % (name, e))
        shutil.rmtree(work, ignore_errors=True)
        return SKIP
    except Failure as e:
        print("FAIL: %s\n%s\n(test directory kept: %s)" % (name, e, work))
        return 1
    print("PASS: %s" % name)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0
