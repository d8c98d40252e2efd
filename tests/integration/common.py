"""What the integration tests share: running sharedstate-scan and judging what a user sees.

Context is one test's work directory (a harness.WorkTree) with the scanner: it
writes the sources and compile_commands.json, runs the scanner (a crash, or an
exit code other than the documented 0/1/2/3, always fails the test) and checks
stderr and the report, which is validated against docs/report.schema.json
every time. Then the helpers and small sources that several topics use, and
registry(), which gives each topic module its TESTS and @test decorator.
"""

import json
import os
import re
import subprocess
import sys

from harness import Failure, WorkTree, check  # tests/harness.py, on the path driver.py sets up

PREFIX = "sharedstate-scan: error: "
WARNING_LINE = re.compile(r"^[^:]+:\d+:\d+: warning: .* \[sharedstate-[a-z-]+\]$")
NOTE_FINDING_LINE = re.compile(r"^[^:]+:\d+:\d+: note: .* \[sharedstate-[a-z-]+\]$")


def printable(text):
    """Control characters escaped, so that a test log stays text."""
    return re.sub(r"[^\n\t\x20-\x7e\u00a0-\uffff]", lambda m: "\\x%02x" % ord(m.group()), text)


class Result:
    def __init__(self, args, proc):
        self.args = args
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def describe(self):
        return "command: %s\nexit code: %s\n--- stderr ---\n%s--- stdout (first 2000 chars) ---\n%s" % (
            " ".join(self.args), self.rc, printable(self.err), printable(self.out[:2000]))


class Context(WorkTree):
    def __init__(self, scanner, source_dir, work):
        super().__init__(work)
        self.scanner = scanner
        self.source_dir = source_dir
        self._schema = None

    # ---- files -------------------------------------------------------------
    def write_db(self, entries, rel_dir="."):
        """entries: list of (file, args-or-command-string); the directory is the work dir."""
        db = []
        for file, cmd in entries:
            e = {"directory": self.work, "file": file}
            if isinstance(cmd, str):
                e["command"] = cmd
            else:
                e["arguments"] = cmd
            db.append(e)
        return self.write(os.path.join(rel_dir, "compile_commands.json"), json.dumps(db, indent=2))

    def default_db(self, files, extra=()):
        return self.write_db([(f, ["clang++", "-std=c++17", *extra, "-c", f, "-o", f + ".o"]) for f in files])

    # ---- running the scanner -----------------------------------------------
    def scan(self, *args, cwd=None, timeout=60):
        argv = [self.scanner, *args]
        try:
            proc = subprocess.run(argv, cwd=cwd or self.work, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failure("scanner did not finish within %ss: %s" % (timeout, " ".join(argv)))
        r = Result(argv, proc)
        check(r.rc >= 0, "scanner was killed by signal %d (a crash)\n%s" % (-r.rc, r.describe()))
        check(r.rc in (0, 1, 2, 3), "exit code %d is not one of the documented 0/1/2/3\n%s" % (r.rc, r.describe()))
        return r

    # ---- expectations ------------------------------------------------------
    def expect_usage_error(self, r, *needles, prefix=PREFIX):
        """Exit 2, nothing on stdout, exactly one stderr line naming the problem."""
        check(r.rc == 2, "expected exit code 2\n" + r.describe())
        check(r.out == "", "expected nothing on stdout\n" + r.describe())
        lines = r.err.splitlines()
        check(len(lines) == 1, "expected exactly one line on stderr, got %d\n%s" % (len(lines), r.describe()))
        line = lines[0]
        check(line.startswith(prefix), "stderr line does not start with %r\n%s" % (prefix, r.describe()))
        check(line.count("sharedstate-scan:") == 1,
              "the program name is repeated in the error line\n" + r.describe())
        for n in needles:
            check(n in line, "stderr line does not mention %r\n%s" % (n, r.describe()))
        return line

    def expect_tu_errors(self, r, files, strict=True, all_failed=False):
        """Exit 3 (2 when all_failed: no TU analyzed); stderr is one
        'sharedstate-scan: error: FILE: ...' line per failed TU.

        strict: and nothing else (tests about something else pass strict=False, so
        that one stray-output bug fails the tests about stderr, not all of them)."""
        want = 2 if all_failed else 3
        check(r.rc == want, "expected exit code %d (%s)\n%s"
              % (want, "no TU could be analyzed" if all_failed else "some TUs failed", r.describe()))
        lines = r.err.splitlines()
        for line in lines:
            check(line.startswith(PREFIX) or not strict,
                  "stray line on stderr (only one error line per failed TU is expected): %r\n%s"
                  % (line, r.describe()))
        lines = [l for l in lines if l.startswith(PREFIX)]
        check(len(lines) == len(files),
              "expected %d error line(s) on stderr, got %d\n%s" % (len(files), len(lines), r.describe()))
        for f in files:
            check(any(f in line for line in lines), "no stderr line names %r\n%s" % (f, r.describe()))

    def expect_clean_stderr(self, r):
        check(r.err == "", "expected nothing on stderr (compiler warnings are not the scanner's output)\n"
              + r.describe())

    def no_tmp_files(self, directory):
        left = [n for n in os.listdir(directory) if ".tmp." in n]
        check(not left, "temporary files left in %s: %s" % (directory, left))

    # ---- reports -----------------------------------------------------------
    def schema(self):
        if self._schema is None:
            try:
                import jsonschema  # noqa: F401
            except ImportError:
                raise Failure("%s has no jsonschema module: install python3-jsonschema "
                              "(bash scripts/install-deps.sh)" % sys.executable)
            with open(os.path.join(self.source_dir, "docs", "report.schema.json")) as f:
                self._schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(self._schema)
        return self._schema

    def schema_errors(self, report):
        import jsonschema
        v = jsonschema.Draft202012Validator(self.schema())
        return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message)
                for e in sorted(v.iter_errors(report), key=lambda e: list(map(str, e.absolute_path)))]

    def report(self, text, where="report"):
        """Parses a JSON report, validates it against the schema and checks its internal consistency."""
        try:
            rep = json.loads(text)
        except ValueError as e:
            raise Failure("%s is not JSON (%s): %r" % (where, e, text[:500]))
        errs = self.schema_errors(rep)
        check(not errs, "%s does not validate against docs/report.schema.json:\n  %s" % (where, "\n  ".join(errs[:20])))
        f = rep["findings"]
        s = rep["summary"]
        check(s["findings"] == len(f), "summary.findings %d != %d findings" % (s["findings"], len(f)))
        for key, field in (("by_kind", "kind"), ("by_verdict", "verdict"), ("by_category", "category")):
            counts = {}
            for x in f:
                counts[str(x[field])] = counts.get(str(x[field]), 0) + 1
            for k, n in s[key].items():
                check(counts.get(k, 0) == n, "summary.%s[%s] is %d but %d findings have it" % (key, k, n, counts.get(k, 0)))
            for k, n in counts.items():
                check(s[key].get(k) == n, "summary.%s lacks %s (%d findings)" % (key, k, n))
        ids = [x["id"] for x in f]
        check(len(ids) == len(set(ids)), "finding ids are not unique: %s" % ids)
        return rep

    def read_report(self, path):
        check(os.path.isfile(path), "no report at %s" % path)
        with open(path) as fh:
            return self.report(fh.read(), path)


def symbols(rep):
    return {x["symbol"]: x for x in rep["findings"]}


def expect_symbols(rep, present=(), absent=()):
    s = symbols(rep)
    for name in present:
        check(name in s, "expected a finding for %r; findings: %s" % (name, sorted(s)))
    for name in absent:
        check(name not in s, "unexpected finding for %r (it is not in the scanned TUs)" % name)
    return s


def warning_lines(r):
    return [l for l in r.out.splitlines() if ": warning: " in l]


# Small TUs without standard headers: each parses in a few milliseconds.
COUNTER_CPP = """\
// reassigned at run time: category 4, not thread-safe
int requests_served = 0;
void handle_request() { ++requests_served; }
"""
LIMITS_CPP = """\
// never written: category 1, thread-safe
const int max_connections = 64;
int default_port = 8080;
int port() { return default_port; }
"""
BROKEN_CPP = """\
int fine_before_the_error = 1;

int broken(int x) { return x + ; }
"""
# Category 3, every write under a lock: probably thread-safe, so no warning
# by default.
LOCKED_MUTATION_CPP = """\
#include <mutex>
struct Log { int n = 0; void add() { ++n; } };
Log request_log;
std::mutex log_mutex;
void record() { std::lock_guard<std::mutex> g(log_mutex); request_log.add(); }
"""
# WarnOn 3, the list spelling of CheckOptions: category 3 findings warn, and
# category 4 ones (COUNTER_CPP's requests_served) no longer do.
WARN_ON_3_LIST = """\
Checks: '-*,sharedstate-*'
CheckOptions:
  - key: sharedstate.WarnOn
    value: '3'
"""


def registry():
    """A topic module's TESTS (name -> function, in the order of definition) and the @test
    decorator that fills it. A test is named after its function, with - for _."""
    tests = {}

    def test(fn):
        tests[fn.__name__.replace("_", "-")] = fn
        return fn

    return tests, test
